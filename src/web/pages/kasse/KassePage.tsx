import { KolButton, KolSelect } from '@public-ui/react-v19';
import { useCallback, useEffect, useMemo, useState } from 'react';
import { todayInGermany } from '../../../core/dates.js';
import { api, messageOf } from '../../api.js';
import {
  formatDate,
  formatDateTime,
  formatEuroCents,
  parseEuroToCents,
  parseGermanDate,
} from '../../format.js';
import { officeLabel } from '../../labels.js';
import { useOutbox } from '../../outbox.js';
import { selected, useAuthorityNames } from '../../scope.js';
import { useSession } from '../../session.js';
import { ErrorAlert, InfoAlert, Loading, PageTitle, textInput as text } from '../../ui.js';
import { postOrQueue, QUEUED_MESSAGE } from '../../write.js';

/**
 * Cash journal (Kassenbuch) of one office for one day: bookings with the running balance, cash
 * paid in or out, cancellation by counter-booking, day closing with the counted amount, the
 * second person's confirmation, and the printable day report (PDF). Fees of cases are booked by
 * the case's action („Gebühr bar bezahlt“), not here.
 */

interface Entry {
  id: string;
  seq: number;
  kind: 'einzahlung' | 'auszahlung' | 'storno';
  kindLabel: string;
  amountCents: number;
  balanceAfterCents: number;
  purpose: string;
  reference: { type: string; id: string; label: string | null } | null;
  reversesEntryId: string | null;
  createdAt: string;
  createdByName: string;
}
interface DayView {
  businessDay: string;
  openingBalanceCents: number;
  totalInCents: number;
  totalOutCents: number;
  closingBalanceCents: number;
  entries: Entry[];
  closing: {
    closedAt: string;
    closedByName: string;
    countedCents: number | null;
    differenceCents: number | null;
    note: string | null;
    confirmation: { confirmedAt: string; confirmedByName: string } | null;
  } | null;
}

export function KassePage() {
  const { session } = useSession();
  const names = useAuthorityNames();
  const scopes = useMemo(() => {
    const seen = new Set<string>();
    return session.user.grants
      .filter((g) => g.role === 'sachbearbeitung' || g.role === 'leitung')
      .map((g) => `${g.authorityAgs}/${g.officeType}`)
      .filter((s) => !seen.has(s) && seen.add(s));
  }, [session.user.grants]);
  const [scope, setScope] = useState('');
  useEffect(() => {
    if (!scope && scopes.length)
      setScope(scopes.find((s) => s.endsWith('/meldebehoerde')) ?? scopes[0] ?? '');
  }, [scope, scopes]);
  const [dayInput, setDayInput] = useState('');
  const [day, setDay] = useState('today');
  const [view, setView] = useState<DayView | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [info, setInfo] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [kind, setKind] = useState<'einzahlung' | 'auszahlung'>('einzahlung');
  const [amount, setAmount] = useState('');
  const [purpose, setPurpose] = useState('');
  const [counted, setCounted] = useState('');
  const [note, setNote] = useState('');

  const base = scope ? `/api/cashjournal/${scope}` : '';
  const load = useCallback(async () => {
    if (!base) return;
    try {
      setView(await api.get<DayView>(`${base}/days/${day}`));
      setError(null);
    } catch (e) {
      setError(messageOf(e));
    }
  }, [base, day]);
  useEffect(() => {
    setView(null);
    void load();
  }, [load]);
  // A booking kept in the outbox appears once it has been sent.
  const sentCount = useOutbox().sent.length;
  useEffect(() => {
    if (sentCount > 0) void load();
  }, [sentCount, load]);

  const write = async (path: string, body: unknown, label: string, success: string) => {
    if (busy) return false;
    setBusy(true);
    setError(null);
    setInfo(null);
    try {
      const r = await postOrQueue<unknown>(path, body, label);
      setInfo(r.queued ? QUEUED_MESSAGE : success);
      await load();
      return true;
    } catch (e) {
      setError(messageOf(e));
      return false;
    } finally {
      setBusy(false);
    }
  };

  const book = async () => {
    const cents = parseEuroToCents(amount);
    if (!Number.isFinite(cents) || cents <= 0)
      return setError('Betrag: Bitte einen Betrag in Euro angeben, z. B. 12,50.');
    if (!purpose.trim()) return setError('Zweck: Bitte angeben.');
    if (
      await write(
        `${base}/entries`,
        { kind, amountCents: cents, purpose: purpose.trim() },
        `Kassenbuchung: ${purpose.trim()}`,
        `${kind === 'einzahlung' ? 'Einzahlung' : 'Auszahlung'} über ${formatEuroCents(cents)} gebucht.`,
      )
    ) {
      setAmount('');
      setPurpose('');
    }
  };

  const close = async () => {
    if (!view) return;
    const body: Record<string, unknown> = {};
    if (counted.trim()) {
      const c = parseEuroToCents(counted);
      if (!Number.isFinite(c) || c < 0)
        return setError('Gezählter Bestand: Bitte einen Betrag in Euro angeben.');
      body.countedCents = c;
    }
    if (note.trim()) body.note = note.trim();
    await write(
      `${base}/days/${view.businessDay}/close`,
      body,
      'Tagesabschluss',
      'Der Kassentag ist abgeschlossen.',
    );
  };

  const storno = async (e: Entry) => {
    const grund = window.prompt(`Grund für die Stornierung von Beleg ${e.seq}:`);
    if (!grund?.trim()) return;
    await write(
      `${base}/entries/${e.id}/storno`,
      { grund: grund.trim() },
      `Storno Beleg ${e.seq}`,
      `Beleg ${e.seq} storniert.`,
    );
  };

  const confirm = async () => {
    if (!view || busy) return;
    setBusy(true);
    setError(null);
    try {
      setView(await api.post<DayView>(`${base}/days/${view.businessDay}/confirm`, {}));
      setInfo('Tagesabschluss bestätigt.');
    } catch (e) {
      setError(messageOf(e));
    } finally {
      setBusy(false);
    }
  };

  const scopeLabel = (s: string) => {
    const [ags = '', office = ''] = s.split('/');
    return `${names.get(ags) ?? ags}, ${officeLabel(office)}`;
  };
  const isToday = view?.businessDay === todayInGermany();

  return (
    <>
      <PageTitle>Kassenbuch</PageTitle>
      {scopes.length === 0 ? <p>Sie sind keiner Kasse zugeordnet.</p> : null}
      <form
        className="filters"
        onSubmit={(e) => {
          e.preventDefault();
          const iso = dayInput.trim() ? parseGermanDate(dayInput) : 'today';
          if (iso !== 'today' && !/^\d{4}-\d{2}-\d{2}$/.test(iso))
            return setError('Tag: Bitte im Format TT.MM.JJJJ angeben.');
          if (iso === day) void load();
          else setDay(iso);
        }}
      >
        {scopes.length > 1 ? (
          <KolSelect
            id="feld-kasse"
            _label="Kasse"
            _options={scopes.map((s) => ({ value: s, label: scopeLabel(s) }))}
            _value={scope}
            _on={{ onInput: (_e, v) => setScope(selected(v)) }}
          />
        ) : null}
        {text('feld-tag', 'Kassentag (leer: heute)', dayInput, setDayInput, { _placeholder: 'TT.MM.JJJJ' })}
        <KolButton _label="Tag anzeigen" _type="submit" _variant="secondary" />
      </form>
      <ErrorAlert message={error} />
      <InfoAlert message={info} type={info === QUEUED_MESSAGE ? 'warning' : 'success'} />
      {!view && scope ? <Loading what="Kassenbuch" /> : null}
      {view ? (
        <>
          <h2>
            {scopeLabel(scope)} – {formatDate(view.businessDay)}
          </h2>
          <dl className="case-head cash-totals">
            <div>
              <dt>Anfangsbestand</dt>
              <dd>{formatEuroCents(view.openingBalanceCents)}</dd>
            </div>
            <div>
              <dt>Einnahmen</dt>
              <dd>{formatEuroCents(view.totalInCents)}</dd>
            </div>
            <div>
              <dt>Ausgaben</dt>
              <dd>{formatEuroCents(view.totalOutCents)}</dd>
            </div>
            <div>
              <dt>Bestand</dt>
              <dd>
                <strong className="cash-balance">{formatEuroCents(view.closingBalanceCents)}</strong>
              </dd>
            </div>
            <div>
              <dt>Abschluss</dt>
              <dd>
                {view.closing
                  ? `abgeschlossen ${formatDateTime(view.closing.closedAt)} von ${view.closing.closedByName}${view.closing.confirmation ? `, bestätigt von ${view.closing.confirmation.confirmedByName}` : ', Bestätigung durch zweite Person offen'}`
                  : 'offen'}
              </dd>
            </div>
          </dl>
          <p>
            <a
              href={`${base}/days/${view.businessDay}/report`}
              target="_blank"
              rel="noopener"
              className="print-link"
            >
              Kassenbericht öffnen und drucken (PDF, neues Fenster)
            </a>
          </p>
          {view.entries.length === 0 ? (
            <p>Keine Buchungen an diesem Tag.</p>
          ) : (
            <div className="table-wrap">
              <table className="cash-entries">
                <caption className="visually-hidden">Buchungen mit laufendem Bestand</caption>
                <thead>
                  <tr>
                    <th scope="col">Beleg</th>
                    <th scope="col">Zeit</th>
                    <th scope="col">Art</th>
                    <th scope="col">Zweck</th>
                    <th scope="col" className="num">
                      Betrag
                    </th>
                    <th scope="col" className="num">
                      Bestand
                    </th>
                    <th scope="col">Von</th>
                    <th scope="col">
                      <span className="visually-hidden">Aktionen</span>
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {view.entries.map((e) => (
                    <tr key={e.id}>
                      <td>{e.seq}</td>
                      <td>{formatDateTime(e.createdAt).slice(-5)}</td>
                      <td>{e.kindLabel}</td>
                      <td>
                        {e.purpose}
                        {e.reference?.type === 'case' ? (
                          <>
                            {' '}
                            (<a href={`/vorgaenge/${e.reference.id}`}>{e.reference.label ?? 'Vorgang'}</a>)
                          </>
                        ) : null}
                      </td>
                      <td className="num">{formatEuroCents(e.amountCents)}</td>
                      <td className="num">{formatEuroCents(e.balanceAfterCents)}</td>
                      <td>{e.createdByName}</td>
                      <td>
                        <a href={`/api/cashjournal/entries/${e.id}/receipt`} target="_blank" rel="noopener">
                          Quittung {e.seq} (PDF)
                        </a>
                        {isToday && !view.closing && e.kind !== 'storno' ? (
                          <>
                            {' '}
                            <button type="button" className="link-button" onClick={() => void storno(e)}>
                              Beleg {e.seq} stornieren
                            </button>
                          </>
                        ) : null}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
          {isToday && !view.closing ? (
            <>
              <section aria-labelledby="buchen-titel">
                <h2 id="buchen-titel">Barzahlung buchen</h2>
                <form
                  className="inline-form"
                  onSubmit={(e) => {
                    e.preventDefault();
                    void book();
                  }}
                >
                  <KolSelect
                    id="feld-art"
                    _label="Art"
                    _options={[
                      { value: 'einzahlung', label: 'Einzahlung' },
                      { value: 'auszahlung', label: 'Auszahlung' },
                    ]}
                    _value={kind}
                    _on={{
                      onInput: (_e, v) => setKind(selected(v) === 'auszahlung' ? 'auszahlung' : 'einzahlung'),
                    }}
                  />
                  {text('feld-betrag', 'Betrag in Euro', amount, setAmount, { _placeholder: '12,50' })}
                  {text('feld-zweck', 'Zweck', purpose, setPurpose, { _maxLength: 300 })}
                  <KolButton _label="Buchen" _type="submit" _disabled={busy} />
                </form>
              </section>
              <section aria-labelledby="abschluss-titel">
                <h2 id="abschluss-titel">Tagesabschluss</h2>
                <p>Nach dem Abschluss sind keine Buchungen auf diesen Tag mehr möglich.</p>
                <form
                  className="inline-form"
                  onSubmit={(e) => {
                    e.preventDefault();
                    void close();
                  }}
                >
                  {text('feld-gezaehlt', 'Gezählter Bargeldbestand in Euro (optional)', counted, setCounted)}
                  {text('feld-bemerkung', 'Bemerkung (optional)', note, setNote, { _maxLength: 500 })}
                  <KolButton _label="Tag abschließen" _type="submit" _variant="primary" _disabled={busy} />
                </form>
              </section>
            </>
          ) : null}
          {view.closing ? (
            <section aria-labelledby="abschluss-titel">
              <h2 id="abschluss-titel">Tagesabschluss</h2>
              <p>
                Gezählt:{' '}
                {view.closing.countedCents === null ? '–' : formatEuroCents(view.closing.countedCents)}
                {'; '}
                Differenz:{' '}
                {view.closing.differenceCents === null ? '–' : formatEuroCents(view.closing.differenceCents)}
                {view.closing.note ? `; ${view.closing.note}` : ''}
              </p>
              {!view.closing.confirmation ? (
                <KolButton
                  _label="Abschluss bestätigen (zweite Person)"
                  _disabled={busy}
                  _on={{ onClick: () => void confirm() }}
                />
              ) : null}
            </section>
          ) : null}
        </>
      ) : null}
    </>
  );
}
