import type { Transaction } from 'kysely';
import type { Database } from '../../db/types.js';
import type { Anschrift, Zahlung } from '../benefits/zahlung.js';
import { formatGermanDate, todayInGermany } from '../dates.js';
import type { IsoMonth } from '../months.js';
import type { DuePayment, DueQuery } from './source.js';

/**
 * Shared parts of the payment sources of the monthly benefit families (Sozialhilfe, AsylbLG;
 * docs/PAYMENTS.md "Monthly benefits"): which decision a month rests on, what live runs already
 * hold for a month, and what is still to be paid for it — without ever changing the amount under
 * a claimed key. The pure functions carry the rules; the queries read what they need inside the
 * preparing transaction.
 */

/** A case action as the payment sources need it; `abMonat` is the start month of a decision. */
export interface CaseAction {
  id: string;
  seq: number;
  action: string;
  /** Start month of a decision (Bewilligung, Änderung); null for other actions (e.g. a Vorschuss). */
  abMonat: IsoMonth | null;
  created_at: string;
}

/** The case actions of the given kinds, in order, with the start month of their payload. */
export async function caseActionsOf(
  trx: Transaction<Database>,
  caseId: string,
  actions: readonly string[],
): Promise<CaseAction[]> {
  const rows = await trx
    .selectFrom('case_action')
    .select(['id', 'seq', 'action', 'payload', 'created_at'])
    .where('case_id', '=', caseId)
    .where('action', 'in', [...actions])
    .orderBy('seq')
    .execute();
  return rows.map((r) => ({
    id: r.id,
    seq: Number(r.seq),
    action: r.action,
    abMonat: (JSON.parse(r.payload) as { abMonat?: string }).abMonat || null,
    created_at: r.created_at,
  }));
}

/**
 * The decision in force for a month: of the actions with a start month on or before it, the one
 * with the latest start month (the latest of those on the same start month). Actions without a
 * start month are no decisions.
 */
export function decisionFor(actions: readonly CaseAction[], month: IsoMonth): CaseAction | undefined {
  let best: CaseAction | undefined;
  for (const a of actions) {
    if (a.abMonat === null || a.abMonat > month) continue;
    if (!best || a.abMonat > (best.abMonat as string) || (a.abMonat === best.abMonat && a.seq > best.seq))
      best = a;
  }
  return best;
}

/**
 * The amounts under the keys a case's payments of one source claim: payments in live runs
 * (prepared, approved) and returned payments that were not re-queued. A re-queued payment and a
 * discarded run give their key back (core/payments/service.ts).
 */
export async function claimedOf(
  trx: Transaction<Database>,
  source: string,
  caseId: string,
): Promise<Map<string, number>> {
  const rows = await trx
    .selectFrom('payment_claim')
    .innerJoin('payment', 'payment.id', 'payment_claim.payment_id')
    .select(['payment.obligation_key', 'payment.amount_cents'])
    .where('payment.case_id', '=', caseId)
    .where('payment.source', '=', source)
    .execute();
  return new Map(rows.map((r) => [r.obligation_key, Number(r.amount_cents)]));
}

/** What is still to be paid for a month, under which key. */
export interface MonthClaim {
  key: string;
  amountCents: number;
  /** True when the month itself is claimed already: the rest is a Nachzahlung of its own. */
  nachzahlung: boolean;
}

/**
 * What to pay for a month whose payable amount is `amountCents`, given the claimed keys of the
 * case (`claimedOf`). `monthKey` is the month's own key (`<source>:<case id>:<YYYY-MM>`); its
 * Nachzahlungen are `<monthKey>:nachzahlung:<decision action id>`.
 *
 * - Nothing claimed for the month: the whole amount under the month's key.
 * - The month's key claimed: the difference to all that is claimed for the month (the month and
 *   its Nachzahlungen) as a Nachzahlung under the decision's key; nothing when it is not more.
 * - The month's own payment came back and was re-queued (its key is free again) while a
 *   Nachzahlung is still claimed: the month's key again, for the amount minus that Nachzahlung
 *   (paying the whole amount would pay the Nachzahlung twice).
 *
 * A lower amount is never reclaimed here (a claim for repayment is the clerk's decision).
 */
export function monthClaim(
  monthKey: string,
  amountCents: number,
  claimed: ReadonlyMap<string, number>,
  decisionId: string,
): MonthClaim | null {
  let held = 0;
  for (const [k, v] of claimed) if (k === monthKey || k.startsWith(`${monthKey}:`)) held += v;
  if (amountCents <= held) return null;
  const nachzahlung = claimed.has(monthKey);
  return {
    key: nachzahlung ? `${monthKey}:nachzahlung:${decisionId}` : monthKey,
    amountCents: amountCents - held,
    nachzahlung,
  };
}

const DECISION_LABELS: Record<string, string> = { bewilligen: 'Bewilligung', aendern: 'Änderungsbescheid' };

/**
 * The decision a payment names: the case action and a label such as "Bewilligung vom 02.11.2026
 * (AS 1/2026)" (the day in Germany the action was recorded). `label` overrides the one of the
 * action kind (e.g. "Vorschuss").
 */
export function decisionRef(
  action: CaseAction,
  aktenzeichen: string,
  label = DECISION_LABELS[action.action] ?? action.action,
): DuePayment['decision'] {
  const day = formatGermanDate(todayInGermany(new Date(action.created_at)));
  return { actionId: action.id, label: `${label} vom ${day} (${aktenzeichen})` };
}

/**
 * The payee of a benefit case: the account holder (else `fallbackName`, e.g. the first person),
 * IBAN and BIC, and the household's address in the structured SEPA form.
 */
export function benefitPayee(
  zahlung: Zahlung,
  anschrift: Anschrift,
  fallbackName: string,
): DuePayment['payee'] {
  return {
    name: zahlung.kontoinhaber ?? fallbackName,
    iban: zahlung.iban ?? null,
    bic: zahlung.bic ?? null,
    address: {
      street: anschrift.strasse,
      buildingNumber: anschrift.hausnummer,
      postcode: anschrift.plz,
      town: anschrift.ort,
      country: 'DE',
    },
  };
}

/** The cases of a procedure at the run's office in the given states, in the order of their Aktenzeichen. */
export function casesForRun(
  trx: Transaction<Database>,
  procedureId: string,
  q: Pick<DueQuery, 'authorityAgs' | 'officeType'>,
  states: readonly string[],
) {
  return trx
    .selectFrom('cases')
    .select(['id', 'aktenzeichen', 'data', 'status'])
    .where('procedure_id', '=', procedureId)
    .where('authority_ags', '=', q.authorityAgs)
    .where('office_type', '=', q.officeType)
    .where('status', 'in', [...states])
    .orderBy('year')
    .orderBy('seq')
    .execute();
}
