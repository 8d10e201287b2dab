import type { Kysely } from 'kysely';
import type { Database } from '../../db/types.js';
import { CSV_BOM, csvLine } from '../handover/csv.js';
import { PAYMENT_STATUS_LABELS, paymentStatusOf, RETURN_REASONS, type ReturnReason } from './labels.js';
import './tables.js';

/**
 * The payments of a handover batch (issue 13 point 4, docs/HANDOVER.md "Payments"): one CSV per
 * batch, `zahlungen-<AGS>.csv`, with every payment of the batch's cases in every run that is not
 * discarded — run, obligation key, case, decision, amount, state, return, re-queueing, cash
 * payout — so that the specialist system can match each euro paid in emergency operation to its
 * case and decision. Written by the handover service (core/handover/service.ts) beside the
 * family's own files for every procedure, whenever a case of the batch has payments; the manifest
 * lists it with its SHA-256 like every other file (`formatId: 'zahlungen'`). Read page by page
 * (keyset on the payment id), so a large batch never sits in memory.
 */

export const PAYMENTS_FORMAT_ID = 'zahlungen';
export const PAYMENTS_CONTENT_TYPE = 'text/csv; charset=utf-8';

export const PAYMENT_CSV_COLUMNS = [
  'aktenzeichen',
  'vorgangs_id',
  'lauf_id',
  'lauf_status',
  'ausfuehrungstag',
  'freigegeben_am',
  'zahlungs_id',
  'schluessel',
  'zeitraum',
  'faellig_am',
  'betrag_cent',
  'zahlweg',
  'empfaenger',
  'iban',
  'bic',
  'verwendungszweck',
  'end_to_end_id',
  'bescheid_aktion_id',
  'bescheid',
  'status',
  'status_text',
  'rueckgabe_grund',
  'rueckgabe_text',
  'rueckgabe_notiz',
  'rueckgabe_erfasst_am',
  'erneut_vorgemerkt_am',
  'bar_ausgezahlt_am',
  'kassenbuchung_id',
] as const;

export function paymentsFileName(authorityAgs: string): string {
  return `zahlungen-${authorityAgs}.csv`;
}

const PAGE = 500;

function paymentsOfBatch(db: Kysely<Database>, batchId: string) {
  return db
    .selectFrom('payment')
    .innerJoin('handover_batch_case as hbc', 'hbc.case_id', 'payment.case_id')
    .innerJoin('payment_run as run', 'run.id', 'payment.run_id')
    .where('hbc.batch_id', '=', batchId)
    .where('run.status', '<>', 'verworfen');
}

/** Whether any case of the batch has payments (then the batch gets the payments file). */
export async function batchHasPayments(db: Kysely<Database>, batchId: string): Promise<boolean> {
  const row = await paymentsOfBatch(db, batchId).select('payment.id').limit(1).executeTakeFirst();
  return row !== undefined;
}

/** The payments file of a batch: BOM and header, then one line per payment. */
export async function* paymentsCsv(db: Kysely<Database>, batchId: string): AsyncGenerator<string> {
  yield CSV_BOM + csvLine(PAYMENT_CSV_COLUMNS);
  let after = '';
  for (;;) {
    const rows = await paymentsOfBatch(db, batchId)
      .leftJoin('payment_return as ret', 'ret.payment_id', 'payment.id')
      .leftJoin('payment_requeue as req', 'req.payment_id', 'payment.id')
      .leftJoin('payment_cash as cash', 'cash.payment_id', 'payment.id')
      .selectAll('payment')
      .select([
        'run.status as run_status',
        'run.execution_date',
        'run.decided_at',
        'ret.reason_code',
        'ret.note as return_note',
        'ret.recorded_at as returned_at',
        'req.requeued_at',
        'cash.paid_at',
        'cash.cash_entry_id',
      ])
      .where('payment.id', '>', after)
      .orderBy('payment.id')
      .limit(PAGE)
      .execute();
    for (const p of rows) {
      const status = paymentStatusOf(p.run_status, {
        returned: p.reason_code !== null,
        requeued: p.requeued_at !== null,
        paidInCash: p.cash_entry_id !== null,
      });
      const line: Record<(typeof PAYMENT_CSV_COLUMNS)[number], unknown> = {
        aktenzeichen: p.aktenzeichen,
        vorgangs_id: p.case_id,
        lauf_id: p.run_id,
        lauf_status: p.run_status,
        ausfuehrungstag: p.execution_date,
        freigegeben_am: p.run_status === 'freigegeben' ? p.decided_at : '',
        zahlungs_id: p.id,
        schluessel: p.obligation_key,
        zeitraum: p.period,
        faellig_am: p.due_on,
        betrag_cent: Number(p.amount_cents),
        zahlweg: p.method,
        empfaenger: p.payee_name,
        iban: p.iban,
        bic: p.bic,
        verwendungszweck: p.remittance,
        end_to_end_id: p.end_to_end_id,
        bescheid_aktion_id: p.decision_ref,
        bescheid: p.decision_label,
        status,
        status_text: PAYMENT_STATUS_LABELS[status],
        rueckgabe_grund: p.reason_code,
        rueckgabe_text: p.reason_code ? (RETURN_REASONS[p.reason_code as ReturnReason] ?? '') : '',
        rueckgabe_notiz: p.return_note,
        rueckgabe_erfasst_am: p.returned_at,
        erneut_vorgemerkt_am: p.requeued_at,
        bar_ausgezahlt_am: p.paid_at,
        kassenbuchung_id: p.cash_entry_id,
      };
      yield csvLine(PAYMENT_CSV_COLUMNS.map((c) => line[c]));
    }
    const last = rows[rows.length - 1];
    if (rows.length < PAGE || !last) return;
    after = last.id;
  }
}
