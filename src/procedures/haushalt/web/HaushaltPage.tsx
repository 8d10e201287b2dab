import { KolButton, KolInputText } from '@public-ui/react-v19';
import { useCallback, useEffect, useState } from 'react';
import { api, type CaseView, messageOf } from '../../../web/api.js';
import { navigate } from '../../../web/router.js';
import { AuthoritySelect, useOfficeAuthorities } from '../../../web/scope.js';
import { useSession } from '../../../web/session.js';
import { ErrorAlert, InfoAlert, Loading, PageTitle } from '../../../web/ui.js';
import { postOrQueue, QUEUED_MESSAGE } from '../../../web/write.js';
import type { PlanSummary } from '../server/service.js';
import { ALL_ROLES, deadlineText } from './format.js';

/**
 * The budget plans of the clerk's Kämmerei, one per year, with status and the Anzeige deadline;
 * the Sachbearbeitung creates the draft of a new year here.
 */
export function HaushaltPage() {
  const { session } = useSession();
  const options = useOfficeAuthorities('kaemmerei', ALL_ROLES);
  const [ags, setAgs] = useState('');
  const [plans, setPlans] = useState<PlanSummary[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [info, setInfo] = useState<string | null>(null);
  const [jahr, setJahr] = useState(String(new Date().getFullYear() + 1));
  const [busy, setBusy] = useState(false);
  const canWrite = session.user.grants.some(
    (g) =>
      g.authorityAgs === ags &&
      g.officeType === 'kaemmerei' &&
      (g.role === 'sachbearbeitung' || g.role === 'leitung'),
  );

  const load = useCallback(async () => {
    if (!ags) return;
    try {
      setPlans((await api.get<{ items: PlanSummary[] }>(`/api/haushalt/authorities/${ags}/plans`)).items);
    } catch (e) {
      setError(messageOf(e));
    }
  }, [ags]);
  useEffect(() => {
    void load();
  }, [load]);

  const create = async () => {
    setError(null);
    const y = Number(jahr.trim());
    if (!/^\d{4}$/.test(jahr.trim())) return setError('Haushaltsjahr: Bitte vierstellig angeben.');
    setBusy(true);
    try {
      const r = await postOrQueue<CaseView>(
        '/api/cases',
        { procedureId: 'haushaltsplan', authorityAgs: ags, data: { haushaltsjahr: y } },
        `Haushaltsentwurf ${y} anlegen`,
      );
      if (r.queued) setInfo(QUEUED_MESSAGE);
      else navigate(`/haushalt/plaene/${r.result.id}`);
    } catch (e) {
      setError(messageOf(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <PageTitle>Haushalt</PageTitle>
      <p className="lead">
        Haushaltspläne je Haushaltsjahr: Teilpläne einlesen (XLSX oder CSV), Fassungen vergleichen, Gesamtplan
        drucken; Aufstellung, Bestätigung, Ratsbeschluss und Anzeige an die Aufsicht (bis 30. November) am
        Vorgang.
      </p>
      <AuthoritySelect options={options} value={ags} onChange={setAgs} label="Kämmerei" />
      {options.length === 0 ? <p>Sie sind keiner Kämmerei zugeordnet.</p> : null}
      <ErrorAlert message={error} />
      <InfoAlert message={info} type="warning" />
      {!plans && ags ? <Loading what="Haushaltspläne" /> : null}
      {plans?.length === 0 ? <p>Noch kein Haushaltsplan angelegt.</p> : null}
      {plans?.length ? (
        <div className="table-wrap">
          <table className="haushalt-plans">
            <caption className="visually-hidden">Haushaltspläne</caption>
            <thead>
              <tr>
                <th scope="col">Haushaltsjahr</th>
                <th scope="col">Aktenzeichen</th>
                <th scope="col">Stand</th>
                <th scope="col">Anzeige an die Aufsicht</th>
                <th scope="col">Fassungen</th>
              </tr>
            </thead>
            <tbody>
              {plans.map((p) => (
                <tr key={p.caseId}>
                  <td>
                    <a href={`/haushalt/plaene/${p.caseId}`}>Haushaltsplan {p.haushaltsjahr}</a>
                  </td>
                  <td>
                    <a href={`/vorgaenge/${p.caseId}`}>{p.aktenzeichen}</a>
                  </td>
                  <td>{p.statusLabel}</td>
                  <td>{deadlineText(p.deadline)}</td>
                  <td className="num">{p.latestVersion}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
      {canWrite ? (
        <section aria-labelledby="neuer-plan" className="room">
          <h2 id="neuer-plan">Neuen Haushaltsentwurf anlegen</h2>
          <form
            className="inline-form"
            onSubmit={(e) => {
              e.preventDefault();
              void create();
            }}
          >
            <KolInputText
              id="feld-haushaltsjahr"
              _label="Haushaltsjahr"
              _required
              _value={jahr}
              _on={{ onInput: (_e, v) => setJahr(typeof v === 'string' ? v : '') }}
            />
            <KolButton _label="Entwurf anlegen" _type="submit" _variant="primary" _disabled={busy} />
          </form>
        </section>
      ) : null}
    </>
  );
}
