import { type ReactNode, useEffect, useState } from 'react';
import { api, type CaseView, messageOf } from './api.js';
import { formatDate, formatDateTime, formatEuroCents } from './format.js';
import { QUEUED_MESSAGE, refusalText, runCaseAction } from './write.js';

/**
 * Building blocks of the case panels that procedure families add to the case page
 * (WebFamily.CasePanels): a titled panel, running an action from it, and the handover state that
 * every case shows.
 */

export type PanelDone = (view: CaseView | null, message: string) => void;

export function allowed(view: CaseView, action: string): boolean {
  return view.allowedActions.some((a) => a.id === action);
}

export function Panel({ id, title, children }: { id: string; title: string; children: ReactNode }) {
  return (
    <section aria-labelledby={`panel-${id}`} className={`case-panel panel-${id}`}>
      <h2 id={`panel-${id}`}>{title}</h2>
      {children}
    </section>
  );
}

/** Runs an action from a panel: busy state, refusal message, queued message. */
export function useAction(view: CaseView, onDone: PanelDone) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const run = async (action: string, label: string, payload: unknown, success: string) => {
    if (busy) return;
    setBusy(true);
    setError(null);
    try {
      const r = await runCaseAction(view, action, label, payload);
      onDone(r.queued ? null : r.result, r.queued ? QUEUED_MESSAGE : success);
    } catch (e) {
      setError(refusalText(e, messageOf));
    } finally {
      setBusy(false);
    }
  };
  return { busy, error, run };
}

/** Where the case was handed over (every procedure). */
export function HandoverState({ caseId }: { caseId: string }) {
  const [items, setItems] = useState<Array<{ batchId: string; createdAt: string; statusLabel: string }>>([]);
  useEffect(() => {
    api
      .get<{ items: typeof items }>(`/api/handover/cases/${encodeURIComponent(caseId)}`)
      .then((r) => setItems(r.items))
      .catch(() => setItems([]));
  }, [caseId]);
  if (items.length === 0) return null;
  return (
    <Panel id="uebergabe" title="Übergabe an das Fachverfahren">
      <ul>
        {items.map((i) => (
          <li key={i.batchId}>
            <a href={`/uebergabe/${i.batchId}`}>Übergabe vom {formatDateTime(i.createdAt)}</a>:{' '}
            {i.statusLabel}
          </li>
        ))}
      </ul>
    </Panel>
  );
}

/** What the case page shows of a payment (GET /api/payments/by-case/:caseId). */
interface CasePayment {
  id: string;
  runId: string;
  period: string;
  amountCents: number;
  methodLabel: string;
  statusLabel: string;
  decisionLabel: string;
  purpose: string;
}

/** The payments of a case in every payment run, each with its run and the decision it rests on. */
export function PaymentsState({ caseId }: { caseId: string }) {
  const [items, setItems] = useState<CasePayment[]>([]);
  useEffect(() => {
    api
      .get<{ items: CasePayment[] }>(`/api/payments/by-case/${encodeURIComponent(caseId)}`)
      .then((r) => setItems(r.items))
      .catch(() => setItems([]));
  }, [caseId]);
  if (items.length === 0) return null;
  return (
    <Panel id="zahlungen" title="Zahlungen">
      <div className="table-wrap">
        <table className="case-payments">
          <caption className="visually-hidden">Zahlungen des Vorgangs in den Zahlungsläufen</caption>
          <thead>
            <tr>
              <th scope="col">Zweck</th>
              <th scope="col" className="num">
                Betrag
              </th>
              <th scope="col">Zahlweg</th>
              <th scope="col">Status</th>
              <th scope="col">Grundlage</th>
            </tr>
          </thead>
          <tbody>
            {items.map((p) => (
              <tr key={p.id}>
                <td>
                  <a href={`/zahlungen/${encodeURIComponent(p.runId)}`}>{p.purpose}</a>
                </td>
                <td className="num">{formatEuroCents(p.amountCents)}</td>
                <td>{p.methodLabel}</td>
                <td>{p.statusLabel}</td>
                <td>{p.decisionLabel}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </Panel>
  );
}

/** A computed fee: positions with their legal basis and the sum (integer cents). */
export interface FeeLines {
  stichtag: string;
  positionen: ReadonlyArray<{ code: string; label: string; basis: string; amountCents: number }>;
  summeCents: number;
}

/** What a case records of a fee paid in cash (core/cashjournal bookCaseFee). */
export interface CashFeePayment {
  tag: string;
  betragCents: number;
  belegNr: number | null;
  kassenbuchungId: string | null;
}

/** The fee table of a case with its cash payment (or the hint how to book it). */
export function FeeTable({
  fees,
  payment,
  caption,
}: {
  fees: FeeLines;
  payment: CashFeePayment | null | undefined;
  /** Screen-reader caption; default "Gebühr nach Stand vom …". */
  caption?: string;
}) {
  return (
    <>
      <div className="table-wrap">
        <table className="fees">
          <caption className="visually-hidden">
            {caption ?? `Gebühr nach Stand vom ${formatDate(fees.stichtag)}`}
          </caption>
          <thead>
            <tr>
              <th scope="col">Position</th>
              <th scope="col">Rechtsgrundlage</th>
              <th scope="col" className="num">
                Betrag
              </th>
            </tr>
          </thead>
          <tbody>
            {fees.positionen.map((p) => (
              <tr key={p.code}>
                <td>{p.label}</td>
                <td>{p.basis}</td>
                <td className="num">{formatEuroCents(p.amountCents)}</td>
              </tr>
            ))}
          </tbody>
          <tfoot>
            <tr>
              <th scope="row" colSpan={2}>
                Zu zahlen
              </th>
              <td className="num fee-total">
                <strong>{formatEuroCents(fees.summeCents)}</strong>
              </td>
            </tr>
          </tfoot>
        </table>
      </div>
      {payment ? (
        <p className="payment">
          Bar bezahlt am {formatDate(payment.tag)}: {formatEuroCents(payment.betragCents)}
          {payment.belegNr !== null ? `, Beleg-Nr. ${payment.belegNr}` : ''}.{' '}
          {payment.kassenbuchungId ? (
            <a
              href={`/api/cashjournal/entries/${encodeURIComponent(payment.kassenbuchungId)}/receipt`}
              target="_blank"
              rel="noopener"
            >
              Kassenquittung öffnen und drucken (PDF, neues Fenster)
            </a>
          ) : null}
        </p>
      ) : (
        <p className="payment">Noch nicht bezahlt. Barzahlung mit der Aktion „Gebühr bar bezahlt“ buchen.</p>
      )}
    </>
  );
}
