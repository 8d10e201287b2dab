import { KolButton } from '@public-ui/react-v19';
import { useEffect, useState } from 'react';
import { type Role, roleSatisfies } from '../../../core/access.js';
import { todayInGermany } from '../../../core/dates.js';
import { api, loadProcedure, messageOf } from '../../../web/api.js';
import { saveDraft } from '../../../web/drafts.js';
import { collectNodes, fromData, initialState, type JsonSchema } from '../../../web/form/schema.js';
import { formatDate, formatDateTime } from '../../../web/format.js';
import { navigate } from '../../../web/router.js';
import { useSession } from '../../../web/session.js';
import { ErrorAlert, Loading, PageTitle } from '../../../web/ui.js';
import type { PersonDetail } from '../server/register/search.js';
import { addressText, fullName } from './SearchPage.js';

/**
 * One person from the register (opening is written to the audit log): data, household, what was
 * recorded in emergency operation, and buttons that start a Meldevorgang or an ID document
 * application with the person's data already filled in (the new-case form's draft).
 */
const STARTS: Array<[procedureId: string, label: string]> = [
  ['ummeldung', 'Ummeldung erfassen (Umzug in der Gemeinde)'],
  ['abmeldung', 'Abmeldung erfassen'],
  ['personalausweis', 'Personalausweis beantragen'],
  ['reisepass', 'Reisepass beantragen'],
  ['vorlaeufiger_personalausweis', 'Vorläufigen Personalausweis ausstellen'],
];

function personData(p: PersonDetail) {
  return {
    ...(p.source === 'register' ? { registerPersonId: p.id } : {}),
    familienname: p.familienname,
    ...(p.namensbestandteil ? { namensbestandteil: p.namensbestandteil } : {}),
    vornamen: p.vornamen,
    ...(p.geburtsname ? { geburtsname: p.geburtsname } : {}),
    geburtsdatum: p.geburtsdatum,
    ...(p.geburtsort ? { geburtsort: p.geburtsort } : {}),
    geschlecht: p.geschlecht,
    ...(p.staatsangehoerigkeit.length ? { staatsangehoerigkeit: p.staatsangehoerigkeit.join(',') } : {}),
  };
}

function prefill(procedureId: string, p: PersonDetail): Record<string, unknown> {
  const a = p.anschrift;
  const address = {
    ...(a.strasse ? { strasse: a.strasse } : {}),
    ...(a.hausnummer ? { hausnummer: a.hausnummer } : {}),
    ...(a.plz ? { plz: a.plz } : {}),
    ...(a.ort ? { ort: a.ort } : {}),
  };
  switch (procedureId) {
    case 'ummeldung':
      return { personen: [personData(p)], bisherigeWohnung: address };
    case 'abmeldung':
      return { personen: [personData(p)], bisherigeWohnung: address };
    case 'anmeldung':
      return { personen: [personData(p)] };
    default:
      return { antragsteller: personData(p), anschrift: address, antrag: { antragsdatum: todayInGermany() } };
  }
}

export function PersonPage({ personId }: { personId: string }) {
  const { session } = useSession();
  const [person, setPerson] = useState<PersonDetail | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    api
      .get<PersonDetail>(`/api/register/persons/${encodeURIComponent(personId)}`)
      .then(setPerson)
      .catch((e: unknown) => setError(messageOf(e)));
  }, [personId]);

  const start = async (procedureId: string) => {
    if (!person) return;
    try {
      const proc = await loadProcedure(procedureId);
      const nodes = collectNodes(proc.form.jsonSchema as JsonSchema);
      const state = fromData(nodes, prefill(procedureId, person), '', initialState(nodes));
      const mayCreate = session.user.grants.some(
        (g) =>
          g.authorityAgs === person.ags &&
          g.officeType === proc.office &&
          proc.create.roles.some((r) => roleSatisfies(g.role as Role, r as Role)),
      );
      // The new-case form picks this up as its draft (same key and shape as NewCase uses).
      saveDraft(`neu:${procedureId}`, { state, authorityAgs: mayCreate ? person.ags : '' });
      navigate(`/vorgaenge/neu/${procedureId}`);
    } catch (e) {
      setError(messageOf(e));
    }
  };

  if (!person) return error ? <ErrorAlert message={error} /> : <Loading what="Person" />;
  const row = (label: string, value: string) => (
    <div className="data-row">
      <dt>{label}</dt>
      <dd>{value || '–'}</dd>
    </div>
  );
  return (
    <>
      <PageTitle title="Person im Melderegister">{fullName(person)}</PageTitle>
      <ErrorAlert message={error} />
      {person.imNotbetriebErfasst ? (
        <p className="badge notbetrieb">{person.imNotbetriebErfasst.label}</p>
      ) : null}
      <section aria-labelledby="person-daten">
        <h2 id="person-daten">Angaben</h2>
        <dl className="data">
          {row('Familienname', [person.namensbestandteil, person.familienname].filter(Boolean).join(' '))}
          {row('Vornamen', person.vornamen)}
          {row('Geburtsname', person.geburtsname ?? '')}
          {row('Geburtsdatum', formatDate(person.geburtsdatum))}
          {row('Geburtsort', person.geburtsort ?? '')}
          {row('Geschlecht', person.geschlechtLabel)}
          {row('Staatsangehörigkeit', person.staatsangehoerigkeit.join(', '))}
          {row('Anschrift', addressText(person.anschrift))}
          {person.registerAnschrift && addressText(person.registerAnschrift) !== addressText(person.anschrift)
            ? row('Anschrift laut Registerstand', addressText(person.registerAnschrift))
            : null}
          {row('Eingezogen am', person.einzugsdatum ? formatDate(person.einzugsdatum) : '')}
        </dl>
      </section>
      <section aria-labelledby="person-vorgang">
        <h2 id="person-vorgang">Vorgang beginnen</h2>
        <p>Die Angaben der Person werden in das Formular übernommen.</p>
        <div className="buttons">
          {STARTS.map(([id, label]) => (
            <KolButton key={id} _label={label} _variant="secondary" _on={{ onClick: () => void start(id) }} />
          ))}
        </div>
      </section>
      {person.haushalt.length > 0 ? (
        <section aria-labelledby="person-haushalt">
          <h2 id="person-haushalt">Haushalt</h2>
          <ul>
            {person.haushalt.map((m) => (
              <li key={m.id}>
                <a href={`/melderegister/personen/${encodeURIComponent(m.id)}`}>
                  {m.familienname}, {m.vornamen}
                </a>{' '}
                (geb. {formatDate(m.geburtsdatum)}, {m.beziehung})
              </li>
            ))}
          </ul>
        </section>
      ) : null}
      {person.notbetriebVorgaenge.length > 0 ? (
        <section aria-labelledby="person-notbetrieb">
          <h2 id="person-notbetrieb">Im Notbetrieb erfasst</h2>
          <ul>
            {person.notbetriebVorgaenge.map((m) => (
              <li key={m.caseId}>
                <a href={`/vorgaenge/${m.caseId}`}>{m.label}</a>: Umzug am {formatDate(m.movedOn)}, erfasst{' '}
                {formatDateTime(m.recordedAt)}
              </li>
            ))}
          </ul>
        </section>
      ) : null}
      <p>
        <a href="/melderegister">Zurück zur Suche</a>
      </p>
    </>
  );
}
