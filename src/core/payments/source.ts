import type { Transaction } from 'kysely';
import type { Database } from '../../db/types.js';
import type { IsoDate } from '../dates.js';
import type { OfficeType } from '../offices.js';
import type { PostalAddress } from './sepa.js';

/**
 * The extension point through which a procedure family contributes its due payments to the
 * payment runs (`ServerFamily.payments`, bound in src/server/platform.ts). The core asks every
 * source of the run's office for the payments due up to the run's day, keeps each obligation in at
 * most one live run (by its key), checks IBAN, BIC and address, and takes care of approval, the
 * SEPA file, returns and cash payouts. See docs/PAYMENTS.md.
 */

export const PAYMENT_METHODS = ['ueberweisung', 'bar'] as const;
export type PaymentMethod = (typeof PAYMENT_METHODS)[number];

export const PAYMENT_METHOD_LABELS: Record<PaymentMethod, string> = {
  ueberweisung: 'Überweisung (SEPA)',
  bar: 'Barauszahlung (Kasse)',
};

/** One payment a decided case owes. */
export interface DuePayment {
  /**
   * Stable key of the obligation, unique in the whole system and the same whenever it is asked
   * for again, e.g. `sozialhilfe:<case id>:2026-12`. An obligation is paid once: a run claims the
   * key; only a discarded run or a returned and re-queued payment gives it back.
   */
  key: string;
  caseId: string;
  aktenzeichen: string;
  /** The decision the payment rests on: the case action (id) and a German label. */
  decision: { actionId: string; label: string };
  /** Period the payment is for, e.g. the benefit month "2026-12". */
  period: string;
  /** Day the payment falls due. */
  dueOn: IsoDate;
  /** Positive amount in cents. */
  amountCents: number;
  method: PaymentMethod;
  /** German label, e.g. "Hilfe zum Lebensunterhalt Dezember 2026". */
  purpose: string;
  payee: {
    name: string;
    /** Required for transfers. */
    iban?: string | null;
    bic?: string | null;
    /** Structured or hybrid (town and country always): required for transfers. */
    address?: PostalAddress | null;
  };
  /** Verwendungszweck (at most 140 characters); default: purpose and Aktenzeichen. */
  remittance?: string;
}

export interface DueQuery {
  authorityAgs: string;
  officeType: OfficeType;
  /** Payments due on or before this day (the first day of the month for a monthly run). */
  dueUntil: IsoDate;
  /** The benefit month of a monthly run, null for a run by date. */
  period: string | null;
  today: IsoDate;
}

export interface PaymentSource {
  /** Id of the contributing family; stored with each payment. */
  id: string;
  /** Offices whose runs ask this source. */
  officeTypes: readonly OfficeType[];
  /**
   * The payments due for the query, read inside the preparing transaction (use `trx`). Return
   * every obligation that is due, also those already paid: the core skips claimed keys.
   */
  due(trx: Transaction<Database>, query: DueQuery): AsyncIterable<DuePayment> | Iterable<DuePayment>;
}
