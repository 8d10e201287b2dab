import { KolButton, KolSelect } from '@public-ui/react-v19';
import { useCallback, useEffect, useState } from 'react';
import { ApiError, api, messageOf, newIdempotencyKey } from '../../api.js';
import { formatDate, formatDateTime, formatEuroCents, formatIban, parseGermanDate } from '../../format.js';
import { navigate } from '../../router.js';
import { selected, useAuthorityNames } from '../../scope.js';
import { ErrorAlert, InfoAlert, Loading, PageTitle, textInput } from '../../ui.js';
import { postOrQueue, QUEUED_MESSAGE } from '../../write.js';
import {
  type Account,
  monthInput,
  nextBusinessDay,
  parseMonth,
  type Run,
  runPeriod,
  scopeLabel,
  useHasRole,
  usePaymentScopes,
} from './shared.js';

/**
 * Payment runs (Zahlungsläufe) of an office: the runs, newest first; preparing a run for a benefit
 * month or up to a chosen day (Sachbearbeitung); the office's paying account (Amtsleitung sets
 * it). The run itself — its payments, warnings, approval by a second person, the SEPA file,
 * returns and cash payouts — is on ZahlungslaufPage. Works for every family that pays
 * (docs/PAYMENTS.md).
 */
export function ZahlungslaeufePage() {
  const scopes = usePaymentScopes();
  const names = useAuthorityNames();
  const hasRole = useHasRole();
  const [scope, setScope] = useState('');
  useEffect(() => {
    if (!scope && scopes[0]) setScope(scopes[0]);
  }, [scope, scopes]);
  const [ags = '', office = ''] = scope.split('/');
  const [runs, setRuns] = useState<Run[] | null>(null);
  const [account, setAccount] = useState<Account | null | undefined>(undefined);
  const [error, setError] = useState<string | null>(null);
  const [info, setInfo] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const load = useCallback(async () => {
    if (!ags || !office) return;
    try {
      const q = `authorityAgs=${encodeURIComponent(ags)}&officeType=${encodeURIComponent(office)}`;
      const [list, acc] = await Promise.all([
        api.get<{ items: Run[] }>(`/api/payment-runs?${q}`),
        api.get<{ account: Account | null }>(
          `/api/payment-accounts/${encodeURIComponent(ags)}/${encodeURIComponent(office)}`,
        ),
      ]);
      setRuns(list.items);
      setAccount(acc.account);
    } catch (e) {
      setError(messageOf(e));
    }
  }, [ags, office]);
  useEffect(() => {
    setRuns(null);
    setAccount(undefined);
    void load();
  }, [load]);

  // Preparing a run.
  const today = nextBusinessDay();
  const [art, setArt] = useState<'monat' | 'stichtag'>('monat');
  const [month, setMonth] = useState(monthInput(today.slice(0, 7)));
  const [dueUntil, setDueUntil] = useState(formatDate(today));
  const [execution, setExecution] = useState(formatDate(today));
  const prepare = async () => {
    if (busy) return;
    const executionDate = parseGermanDate(execution);
    if (!/^\d{4}-\d{2}-\d{2}$/.test(executionDate))
      return setError('Ausführungstag: Bitte im Format TT.MM.JJJJ angeben.');
    const body: Record<string, string> = { authorityAgs: ags, officeType: office, executionDate };
    if (art === 'monat') {
      const m = parseMonth(month);
      if (!/^\d{4}-\d{2}$/.test(m)) return setError('Monat: Bitte im Format MM.JJJJ angeben.');
      body.month = m;
    } else {
      const d = parseGermanDate(dueUntil);
      if (!/^\d{4}-\d{2}-\d{2}$/.test(d)) return setError('Fällig bis: Bitte im Format TT.MM.JJJJ angeben.');
      body.dueUntil = d;
    }
    setBusy(true);
    setError(null);
    setInfo(null);
    try {
      const r = await postOrQueue<Run>('/api/payment-runs', body, 'Zahlungslauf vorbereiten');
      if (r.queued) setInfo(QUEUED_MESSAGE);
      else navigate(`/zahlungen/${r.result.id}`);
    } catch (e) {
      // "Nichts zu zahlen" is information, not a failure.
      if (e instanceof ApiError && e.status === 409 && e.problem.title === 'Nichts zu zahlen')
        setInfo(messageOf(e));
      else setError(messageOf(e));
    } finally {
      setBusy(false);
    }
  };

  const isClerk = hasRole(ags, office, 'sachbearbeitung');
  const isHead = hasRole(ags, office, 'leitung');

  return (
    <>
      <PageTitle>Zahlungsläufe</PageTitle>
      <p className="lead">
        Ein Zahlungslauf sammelt die fälligen Zahlungen der entschiedenen Vorgänge des Amts. Eine Person
        bereitet ihn vor, eine andere Person (Amtsleitung) gibt ihn frei; erst dann entsteht die SEPA-Datei
        für die Bank. Barauszahlungen gehen über das Kassenbuch.
      </p>
      {scopes.length === 0 ? <p>Sie sind keinem Amt mit Zahlungen zugeordnet.</p> : null}
      {scopes.length > 1 ? (
        <div className="filters">
          <KolSelect
            id="feld-amt"
            _label="Amt"
            _options={scopes.map((s) => ({ value: s, label: scopeLabel(s, names) }))}
            _value={scope}
            _on={{ onInput: (_e, v) => setScope(selected(v)) }}
          />
        </div>
      ) : null}
      <ErrorAlert message={error} />
      <InfoAlert message={info} type={info === QUEUED_MESSAGE ? 'warning' : 'info'} />

      {scope && isClerk ? (
        <section aria-labelledby="vorbereiten-titel">
          <h2 id="vorbereiten-titel">Zahlungslauf vorbereiten</h2>
          <form
            className="inline-form"
            onSubmit={(e) => {
              e.preventDefault();
              void prepare();
            }}
          >
            <KolSelect
              id="feld-art"
              _label="Welche Zahlungen"
              _options={[
                { value: 'monat', label: 'Für einen Leistungsmonat' },
                { value: 'stichtag', label: 'Alle bis zu einem Tag fälligen' },
              ]}
              _value={art}
              _on={{ onInput: (_e, v) => setArt(selected(v) === 'stichtag' ? 'stichtag' : 'monat') }}
            />
            {art === 'monat'
              ? textInput('feld-monat', 'Leistungsmonat (MM.JJJJ)', month, setMonth, {
                  _placeholder: 'MM.JJJJ',
                })
              : textInput('feld-stichtag', 'Fällig bis (TT.MM.JJJJ)', dueUntil, setDueUntil, {
                  _placeholder: 'TT.MM.JJJJ',
                })}
            {textInput(
              'feld-ausfuehrung',
              'Ausführungstag (Bankarbeitstag, TT.MM.JJJJ)',
              execution,
              setExecution,
              {
                _placeholder: 'TT.MM.JJJJ',
              },
            )}
            <KolButton
              _label={busy ? 'Wird vorbereitet …' : 'Zahlungslauf vorbereiten'}
              _type="submit"
              _variant="primary"
              _disabled={busy}
            />
          </form>
        </section>
      ) : null}

      <h2>Bisherige Zahlungsläufe</h2>
      {runs === null ? (
        scope ? (
          <Loading what="Zahlungsläufe" />
        ) : null
      ) : runs.length === 0 ? (
        <p>Noch keine Zahlungsläufe für dieses Amt.</p>
      ) : (
        <div className="table-wrap">
          <table className="payment-runs">
            <caption className="visually-hidden">Zahlungsläufe, neueste zuerst</caption>
            <thead>
              <tr>
                <th scope="col">Zahlungslauf</th>
                <th scope="col">Ausführung</th>
                <th scope="col">Status</th>
                <th scope="col" className="num">
                  Überweisungen
                </th>
                <th scope="col" className="num">
                  Bar
                </th>
                <th scope="col">Vorbereitet von</th>
                <th scope="col">Freigegeben / verworfen von</th>
              </tr>
            </thead>
            <tbody>
              {runs.map((r) => (
                <tr key={r.id}>
                  <td>
                    <a href={`/zahlungen/${r.id}`}>
                      {runPeriod(r)}, vorbereitet {formatDateTime(r.preparedAt)}
                    </a>
                  </td>
                  <td>{formatDate(r.executionDate)}</td>
                  <td>{r.statusLabel}</td>
                  <td className="num">
                    {r.transferCount} / {formatEuroCents(r.transferSumCents)}
                  </td>
                  <td className="num">
                    {r.cashCount} / {formatEuroCents(r.cashSumCents)}
                  </td>
                  <td>{r.preparedByName}</td>
                  <td>{r.decidedByName ?? '–'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}

      {scope ? (
        <AccountSection
          key={scope}
          ags={ags}
          office={office}
          account={account}
          mayEdit={isHead}
          onSaved={(a) => setAccount(a)}
        />
      ) : null}
    </>
  );
}

/** The office's paying account: shown to all, set by the Amtsleitung. */
function AccountSection({
  ags,
  office,
  account,
  mayEdit,
  onSaved,
}: {
  ags: string;
  office: string;
  account: Account | null | undefined;
  mayEdit: boolean;
  onSaved: (a: Account) => void;
}) {
  const [name, setName] = useState('');
  const [iban, setIban] = useState('');
  const [bic, setBic] = useState('');
  const [town, setTown] = useState('');
  const [country, setCountry] = useState('DE');
  const [error, setError] = useState<string | null>(null);
  const [info, setInfo] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    if (!account) return;
    setName(account.name);
    setIban(formatIban(account.iban));
    setBic(account.bic ?? '');
    setTown(account.town);
    setCountry(account.country);
  }, [account]);

  const save = async () => {
    if (busy) return;
    setBusy(true);
    setError(null);
    setInfo(null);
    try {
      const saved = await api.put<Account>(
        `/api/payment-accounts/${encodeURIComponent(ags)}/${encodeURIComponent(office)}`,
        {
          name: name.trim(),
          iban: iban.trim(),
          ...(bic.trim() ? { bic: bic.trim() } : {}),
          town: town.trim(),
          country: country.trim().toUpperCase(),
        },
        { idempotencyKey: newIdempotencyKey() },
      );
      onSaved(saved);
      setInfo('Das Auftraggeberkonto ist gespeichert. Neue Zahlungsläufe verwenden es.');
    } catch (e) {
      setError(messageOf(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section aria-labelledby="konto-titel">
      <h2 id="konto-titel">Auftraggeberkonto des Amts</h2>
      {account === undefined ? <Loading what="Konto" /> : null}
      {account === null ? (
        <p>Es ist noch kein Konto hinterlegt. Für Überweisungen legt die Amtsleitung es hier fest.</p>
      ) : null}
      {account ? (
        <p className="payment-account">
          {account.name}, IBAN {formatIban(account.iban)}
          {account.bic ? `, BIC ${account.bic}` : ''}, {account.town} ({account.country}); geändert{' '}
          {formatDateTime(account.updatedAt)}
        </p>
      ) : null}
      {mayEdit ? (
        <form
          className="inline-form"
          onSubmit={(e) => {
            e.preventDefault();
            void save();
          }}
        >
          <ErrorAlert message={error} />
          <InfoAlert message={info} type="success" />
          {textInput('feld-konto-name', 'Kontoinhaber', name, setName, { _maxLength: 70 })}
          {textInput('feld-konto-iban', 'IBAN', iban, setIban, { _maxLength: 42 })}
          {textInput('feld-konto-bic', 'BIC (optional)', bic, setBic, { _maxLength: 11 })}
          {textInput('feld-konto-ort', 'Ort', town, setTown, { _maxLength: 35 })}
          {textInput('feld-konto-land', 'Land (z. B. DE)', country, setCountry, { _maxLength: 2 })}
          <KolButton _label="Konto speichern" _type="submit" _variant="secondary" _disabled={busy} />
        </form>
      ) : null}
    </section>
  );
}
