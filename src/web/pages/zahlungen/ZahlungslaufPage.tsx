import { KolButton, KolSelect } from '@public-ui/react-v19';
import { useCallback, useEffect, useState } from 'react';
import { RETURN_REASONS } from '../../../core/payments/labels.js';
import { api, messageOf } from '../../api.js';
import { formatDate, formatDateTime, formatEuroCents, formatIban, formatNumber } from '../../format.js';
import { selected } from '../../scope.js';
import { useSession } from '../../session.js';
import { ErrorAlert, InfoAlert, Loading, PageTitle, textInput } from '../../ui.js';
import { postOrQueue, QUEUED_MESSAGE } from '../../write.js';
import { type Payment, type Run, runPeriod, useHasRole } from './shared.js';

/**
 * One payment run: state and totals (control sum, counts), the warnings of preparation (payments
 * not taken, with the reasons), approval by a second person (the page says plainly when the
 * reader prepared the run and may therefore not approve it; the server enforces it for everyone),
 * discarding, the SEPA file with its SHA-256, and the payments page by page, each linked to its
 * case, with returns (Rückläufer), re-queueing and cash payouts through the cash journal.
 */

const PAGE_SIZE = 100;
type Filter = '' | 'zurueckgekommen' | 'bar';

export function ZahlungslaufPage({ runId }: { runId: string }) {
  const { session } = useSession();
  const hasRole = useHasRole();
  const [run, setRun] = useState<Run | null>(null);
  const [payments, setPayments] = useState<{ items: Payment[]; total: number } | null>(null);
  const [page, setPage] = useState(1);
  const [filter, setFilter] = useState<Filter>('');
  const [search, setSearch] = useState('');
  const [q, setQ] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [info, setInfo] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [grund, setGrund] = useState('');
  const [returning, setReturning] = useState<Payment | null>(null);

  const base = `/api/payment-runs/${encodeURIComponent(runId)}`;
  const load = useCallback(async () => {
    try {
      const params = new URLSearchParams({ page: String(page), pageSize: String(PAGE_SIZE) });
      if (q) params.set('q', q);
      if (filter) params.set('status', filter);
      const [r, p] = await Promise.all([
        api.get<Run>(base),
        api.get<{ items: Payment[]; total: number }>(`${base}/payments?${params}`),
      ]);
      setRun(r);
      setPayments(p);
    } catch (e) {
      setError(messageOf(e));
    }
  }, [base, page, q, filter]);
  useEffect(() => {
    void load();
  }, [load]);

  const write = async (path: string, body: unknown, label: string, success: string) => {
    if (busy) return false;
    setBusy(true);
    setError(null);
    setInfo(null);
    try {
      const r = await postOrQueue<unknown>(path, body, label);
      setInfo(r.queued ? QUEUED_MESSAGE : success);
      await load();
      return !r.queued;
    } catch (e) {
      setError(messageOf(e));
      return false;
    } finally {
      setBusy(false);
    }
  };

  if (!run) return error ? <ErrorAlert message={error} /> : <Loading what="Zahlungslauf" />;

  const title = `Zahlungslauf ${runPeriod(run)}`;
  const isClerk = hasRole(run.authorityAgs, run.officeType, 'sachbearbeitung');
  const isHead = hasRole(run.authorityAgs, run.officeType, 'leitung');
  const open = run.status === 'vorbereitet';
  const iPrepared = run.preparedBy === session.user.id;
  const approved = run.status === 'freigegeben';
  const pages = payments ? Math.max(1, Math.ceil(payments.total / PAGE_SIZE)) : 1;

  return (
    <>
      <PageTitle title="Zahlungslauf">{title}</PageTitle>
      <ErrorAlert message={error} />
      <InfoAlert message={info} type={info === QUEUED_MESSAGE ? 'warning' : 'success'} />
      <dl className="case-head payment-run-head">
        <div>
          <dt>Status</dt>
          <dd>
            <strong className="run-status">{run.statusLabel}</strong>
          </dd>
        </div>
        <div>
          <dt>Ausführungstag</dt>
          <dd>{formatDate(run.executionDate)}</dd>
        </div>
        <div>
          <dt>Überweisungen</dt>
          <dd className="run-transfers">
            {formatNumber(run.transferCount)}, Kontrollsumme {formatEuroCents(run.transferSumCents)}
          </dd>
        </div>
        <div>
          <dt>Barauszahlungen</dt>
          <dd className="run-cash">
            {formatNumber(run.cashCount)}, zusammen {formatEuroCents(run.cashSumCents)}
          </dd>
        </div>
        <div>
          <dt>Auftraggeberkonto</dt>
          <dd>{run.debtor ? `${run.debtor.name}, IBAN ${formatIban(run.debtor.iban)}` : 'keines'}</dd>
        </div>
        <div>
          <dt>Vorbereitet</dt>
          <dd className="run-prepared">
            {formatDateTime(run.preparedAt)} von {run.preparedByName}
            {iPrepared ? ' (Ihnen)' : ''}
          </dd>
        </div>
        <div>
          <dt>{run.status === 'verworfen' ? 'Verworfen' : 'Freigegeben'}</dt>
          <dd className="run-decided">
            {run.decidedAt
              ? `${formatDateTime(run.decidedAt)} von ${run.decidedByName ?? ''}${run.discardReason ? ` – Grund: ${run.discardReason}` : ''}`
              : 'noch nicht'}
          </dd>
        </div>
        <div>
          <dt>Rückläufer</dt>
          <dd>{formatNumber(run.returnedCount)}</dd>
        </div>
      </dl>

      {open ? (
        <section aria-labelledby="freigabe-titel">
          <h2 id="freigabe-titel">Freigabe (Vier-Augen-Prinzip)</h2>
          {iPrepared ? (
            <div className="four-eyes-notice">
              <InfoAlert
                type="warning"
                label="Sie können diesen Lauf nicht freigeben"
                message={`Sie haben diesen Zahlungslauf vorbereitet. Freigeben muss eine andere Person mit der Rolle Amtsleitung – das gilt für jede Rolle, auch wenn Sie selbst Amtsleitung sind.`}
              />
            </div>
          ) : run.mayApprove ? (
            <>
              <p>
                Bitte die Zahlungen unten prüfen. Mit der Freigabe entsteht die SEPA-Datei für die Bank; der
                Lauf ist danach unveränderlich.
              </p>
              <KolButton
                _label={`Zahlungslauf freigeben (${formatNumber(run.transferCount)} Überweisungen, ${formatEuroCents(run.transferSumCents)})`}
                _variant="primary"
                _disabled={busy}
                _on={{
                  onClick: () =>
                    void write(
                      `${base}/approval`,
                      {},
                      `Zahlungslauf freigeben: ${runPeriod(run)}`,
                      'Der Zahlungslauf ist freigegeben; die SEPA-Datei steht zum Herunterladen bereit.',
                    ),
                }}
              />
            </>
          ) : (
            <p>
              Freigeben kann nur eine andere Person als {run.preparedByName} mit der Rolle Amtsleitung
              {isHead ? '' : ' (Sie haben diese Rolle hier nicht)'}.
            </p>
          )}
          {isClerk ? (
            <form
              className="inline-form"
              onSubmit={(e) => {
                e.preventDefault();
                if (!grund.trim()) return setError('Grund: Bitte angeben, warum der Lauf verworfen wird.');
                void write(
                  `${base}/discard`,
                  { grund: grund.trim() },
                  `Zahlungslauf verwerfen: ${runPeriod(run)}`,
                  'Der Lauf ist verworfen; seine Zahlungen kommen in den nächsten Lauf.',
                );
              }}
            >
              {textInput('feld-verwerfen-grund', 'Grund für das Verwerfen', grund, setGrund, {
                _maxLength: 300,
              })}
              <KolButton _label="Lauf verwerfen" _type="submit" _variant="danger" _disabled={busy} />
            </form>
          ) : null}
        </section>
      ) : null}

      {run.file ? (
        <section aria-labelledby="datei-titel">
          <h2 id="datei-titel">SEPA-Datei (pain.001.001.09)</h2>
          <p>
            <a href={run.file.href} download={run.file.name} className="sepa-download">
              SEPA-Datei {run.file.name} herunterladen
            </a>{' '}
            ({formatNumber(run.file.bytes)} Byte)
          </p>
          <p>
            SHA-256: <code className="hash sepa-sha256">{run.file.sha256}</code>
            <br />
            Jeder Abruf liefert dieselbe Datei mit diesem SHA-256; bitte mit dem Wert im Bankprogramm
            vergleichen.
          </p>
        </section>
      ) : null}

      {run.skipped.length > 0 ? (
        <section aria-labelledby="nicht-aufgenommen-titel">
          <h2 id="nicht-aufgenommen-titel">Nicht aufgenommen: Angaben fehlerhaft</h2>
          <InfoAlert
            type="warning"
            label="Warnung"
            message={`${run.skipped.length} fällige Zahlung(en) sind nicht im Lauf, weil Angaben fehlen oder falsch sind (z. B. die IBAN). Sie bleiben fällig: bitte im Vorgang berichtigen, der nächste Lauf nimmt sie mit.`}
          />
          <div className="table-wrap">
            <table className="payments-skipped">
              <caption className="visually-hidden">Nicht aufgenommene Zahlungen mit Gründen</caption>
              <thead>
                <tr>
                  <th scope="col">Aktenzeichen</th>
                  <th scope="col">Zweck</th>
                  <th scope="col" className="num">
                    Betrag
                  </th>
                  <th scope="col">Grund</th>
                </tr>
              </thead>
              <tbody>
                {run.skipped.map((s) => (
                  <tr key={`${s.caseId}-${s.purpose}`}>
                    <td>
                      <a href={`/vorgaenge/${s.caseId}`}>{s.aktenzeichen}</a>
                    </td>
                    <td>{s.purpose}</td>
                    <td className="num">{formatEuroCents(s.amountCents)}</td>
                    <td>{s.reasons.join(' ')}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </section>
      ) : null}

      <section aria-labelledby="zahlungen-titel">
        <h2 id="zahlungen-titel">Zahlungen</h2>
        <form
          className="filters"
          onSubmit={(e) => {
            e.preventDefault();
            setPage(1);
            setQ(search.trim());
          }}
        >
          {textInput(
            'feld-suche',
            'Aktenzeichen oder EndToEnd-ID (aus der Rückmeldung der Bank)',
            search,
            setSearch,
            {
              _maxLength: 80,
            },
          )}
          <KolSelect
            id="feld-filter"
            _label="Zeigen"
            _options={[
              { value: '', label: 'Alle Zahlungen' },
              { value: 'zurueckgekommen', label: 'Zurückgekommene' },
              { value: 'bar', label: 'Barauszahlungen' },
            ]}
            _value={filter}
            _on={{
              onInput: (_e, v) => {
                const f = selected(v);
                setPage(1);
                setFilter(f === 'bar' || f === 'zurueckgekommen' ? f : '');
              },
            }}
          />
          <KolButton _label="Suchen" _type="submit" _variant="secondary" />
        </form>
        {!payments ? (
          <Loading what="Zahlungen" />
        ) : payments.items.length === 0 ? (
          <p>Keine Zahlungen gefunden.</p>
        ) : (
          <>
            <p className="payments-count">
              {formatNumber(payments.total)} Zahlung(en){pages > 1 ? `, Seite ${page} von ${pages}` : ''}
            </p>
            <div className="table-wrap">
              <table className="payments">
                <caption className="visually-hidden">Zahlungen des Laufs</caption>
                <thead>
                  <tr>
                    <th scope="col">Nr.</th>
                    <th scope="col">Aktenzeichen</th>
                    <th scope="col">Empfänger</th>
                    <th scope="col">Zweck</th>
                    <th scope="col" className="num">
                      Betrag
                    </th>
                    <th scope="col">Zahlweg</th>
                    <th scope="col">Status</th>
                    <th scope="col">
                      <span className="visually-hidden">Aktionen</span>
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {payments.items.map((p) => (
                    <tr key={p.id}>
                      <td>{p.seq}</td>
                      <td>
                        <a href={`/vorgaenge/${p.caseId}`}>{p.aktenzeichen}</a>
                        <br />
                        <small>{p.decisionLabel}</small>
                      </td>
                      <td>
                        {p.payeeName}
                        {p.iban ? (
                          <>
                            <br />
                            <small>IBAN {formatIban(p.iban)}</small>
                          </>
                        ) : null}
                      </td>
                      <td>
                        {p.purpose}
                        <br />
                        <small>
                          EndToEnd-ID <code>{p.endToEndId}</code>
                        </small>
                      </td>
                      <td className="num">{formatEuroCents(p.amountCents)}</td>
                      <td>{p.methodLabel}</td>
                      <td>
                        {p.statusLabel}
                        {p.returned ? (
                          <>
                            <br />
                            <small>
                              {p.returned.reasonCode} {p.returned.reasonLabel}
                              {p.returned.note ? ` (${p.returned.note})` : ''}, erfasst von{' '}
                              {p.returned.recordedByName}
                            </small>
                          </>
                        ) : null}
                        {p.cash ? (
                          <>
                            <br />
                            <a
                              href={`/api/cashjournal/entries/${encodeURIComponent(p.cash.cashEntryId)}/receipt`}
                              target="_blank"
                              rel="noopener"
                            >
                              Quittung (PDF, neues Fenster)
                            </a>
                          </>
                        ) : null}
                      </td>
                      <td>
                        {approved && isClerk ? (
                          <PaymentActions p={p} busy={busy} onReturn={setReturning} run={write} />
                        ) : null}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
            {pages > 1 ? (
              <div className="buttons">
                <KolButton
                  _label="Vorherige Seite"
                  _variant="secondary"
                  _disabled={page <= 1}
                  _on={{ onClick: () => setPage(page - 1) }}
                />
                <KolButton
                  _label="Nächste Seite"
                  _variant="secondary"
                  _disabled={page >= pages}
                  _on={{ onClick: () => setPage(page + 1) }}
                />
              </div>
            ) : null}
          </>
        )}
      </section>

      {returning ? (
        <ReturnForm
          key={returning.id}
          payment={returning}
          busy={busy}
          onCancel={() => setReturning(null)}
          onSubmit={async (body) => {
            if (
              await write(
                `/api/payments/${encodeURIComponent(returning.id)}/return`,
                body,
                `Rückläufer erfassen: ${returning.aktenzeichen}`,
                body.erneutZahlen
                  ? `Rückläufer erfasst; die Zahlung (${returning.aktenzeichen}) kommt in den nächsten Lauf.`
                  : `Rückläufer erfasst (${returning.aktenzeichen}).`,
              )
            )
              setReturning(null);
          }}
        />
      ) : null}
      <p>
        <a href="/zahlungen">Zurück zu den Zahlungsläufen</a>
      </p>
    </>
  );
}

type Write = (path: string, body: unknown, label: string, success: string) => Promise<boolean>;

function PaymentActions({
  p,
  busy,
  onReturn,
  run,
}: {
  p: Payment;
  busy: boolean;
  onReturn: (p: Payment) => void;
  run: Write;
}) {
  const path = `/api/payments/${encodeURIComponent(p.id)}`;
  if (p.method === 'bar' && p.status === 'freigegeben')
    return (
      <button
        type="button"
        className="link-button"
        disabled={busy}
        onClick={() =>
          void run(
            `${path}/cash-payout`,
            {},
            `Barauszahlung: ${p.aktenzeichen}`,
            `${formatEuroCents(p.amountCents)} an ${p.payeeName} ausgezahlt und im Kassenbuch gebucht.`,
          )
        }
      >
        {p.aktenzeichen} bar auszahlen (Kassenbuch)
      </button>
    );
  if (p.method === 'ueberweisung' && p.status === 'freigegeben')
    return (
      <button type="button" className="link-button" disabled={busy} onClick={() => onReturn(p)}>
        Rückläufer erfassen: {p.aktenzeichen}
      </button>
    );
  if (p.status === 'zurueckgekommen')
    return (
      <button
        type="button"
        className="link-button"
        disabled={busy}
        onClick={() =>
          void run(
            `${path}/requeue`,
            {},
            `Erneut vormerken: ${p.aktenzeichen}`,
            `Die Zahlung (${p.aktenzeichen}) kommt in den nächsten Lauf.`,
          )
        }
      >
        {p.aktenzeichen} erneut vormerken
      </button>
    );
  return null;
}

const REASON_OPTIONS = Object.entries(RETURN_REASONS).map(([code, label]) => ({
  value: code,
  label: `${code} – ${label}`,
}));

function ReturnForm({
  payment,
  busy,
  onCancel,
  onSubmit,
}: {
  payment: Payment;
  busy: boolean;
  onCancel: () => void;
  onSubmit: (body: { grund: string; notiz?: string; erneutZahlen: boolean }) => Promise<void>;
}) {
  const [grund, setGrund] = useState('AC04');
  const [notiz, setNotiz] = useState('');
  const [erneut, setErneut] = useState('ja');
  return (
    <section aria-labelledby="ruecklaeufer-titel">
      <h2 id="ruecklaeufer-titel">
        Rückläufer erfassen: {payment.aktenzeichen}, {formatEuroCents(payment.amountCents)}
      </h2>
      <form
        className="inline-form"
        onSubmit={(e) => {
          e.preventDefault();
          void onSubmit({
            grund,
            ...(notiz.trim() ? { notiz: notiz.trim() } : {}),
            erneutZahlen: erneut === 'ja',
          });
        }}
      >
        <KolSelect
          id="feld-rueckgabegrund"
          _label="Rückgabegrund der Bank"
          _options={REASON_OPTIONS}
          _value={grund}
          _on={{ onInput: (_e, v) => setGrund(selected(v)) }}
        />
        {textInput('feld-notiz', 'Notiz (optional)', notiz, setNotiz, { _maxLength: 300 })}
        <KolSelect
          id="feld-erneut"
          _label="Im nächsten Lauf erneut zahlen?"
          _options={[
            { value: 'ja', label: 'Ja, mit den dann gültigen Angaben des Vorgangs' },
            { value: 'nein', label: 'Nein, erst nach Klärung' },
          ]}
          _value={erneut}
          _on={{ onInput: (_e, v) => setErneut(selected(v) === 'nein' ? 'nein' : 'ja') }}
        />
        <KolButton _label="Rückläufer speichern" _type="submit" _variant="primary" _disabled={busy} />
        <KolButton _label="Abbrechen" _variant="secondary" _on={{ onClick: onCancel }} />
      </form>
    </section>
  );
}
