import type { ColumnType } from 'kysely';

/**
 * Table types of the payment runs (migration src/db/migrations/2026-12-03T0900-payments.ts),
 * added to Kysely's Database by module augmentation so that src/db/types.ts stays as it is.
 * Money in integer cents; bigint columns come back as strings from PostgreSQL (convert with Number).
 */
type Cents = ColumnType<number | string, number, never>;

export interface PaymentAccountTable {
  authority_ags: string;
  office_type: string;
  name: string;
  iban: string;
  bic: string | null;
  town: string;
  country: string;
  updated_at: string;
  updated_by: string;
}

export interface PaymentRunTable {
  id: string;
  installation_id: string;
  authority_ags: string;
  office_type: string;
  period: string | null;
  due_until: string;
  execution_date: string;
  status: string;
  msg_id: string;
  debtor_name: string | null;
  debtor_iban: string | null;
  debtor_bic: string | null;
  debtor_town: string | null;
  debtor_country: string | null;
  transfer_count: number;
  transfer_sum_cents: ColumnType<number | string, number, number>;
  cash_count: number;
  cash_sum_cents: ColumnType<number | string, number, number>;
  skipped: string;
  prepared_at: string;
  prepared_by: string;
  prepared_by_name: string;
  decided_at: string | null;
  decided_by: string | null;
  decided_by_name: string | null;
  discard_reason: string | null;
}

export interface PaymentTable {
  id: string;
  run_id: string;
  seq: number;
  source: string;
  obligation_key: string;
  case_id: string;
  aktenzeichen: string;
  decision_ref: string;
  decision_label: string;
  period: string;
  due_on: string;
  purpose: string;
  amount_cents: Cents;
  method: string;
  payee_name: string;
  iban: string | null;
  bic: string | null;
  street: string | null;
  building_number: string | null;
  postcode: string | null;
  town: string | null;
  country: string | null;
  /** JSON array of up to two address lines (hybrid address), or null. */
  address_lines: string | null;
  remittance: string;
  end_to_end_id: string;
  created_at: string;
}

export interface PaymentClaimTable {
  obligation_key: string;
  payment_id: string;
  run_id: string;
}

export interface PaymentFileTable {
  run_id: string;
  file_name: string;
  content: string;
  sha256: string;
  bytes: number;
  created_at: string;
}

export interface PaymentReturnTable {
  payment_id: string;
  reason_code: string;
  note: string | null;
  recorded_at: string;
  recorded_by: string;
  recorded_by_name: string;
}

export interface PaymentRequeueTable {
  payment_id: string;
  requeued_at: string;
  requeued_by: string;
  requeued_by_name: string;
}

export interface PaymentCashTable {
  payment_id: string;
  cash_entry_id: string;
  paid_at: string;
  paid_by: string;
  paid_by_name: string;
}

declare module '../../db/types.js' {
  interface Database {
    payment_account: PaymentAccountTable;
    payment_run: PaymentRunTable;
    payment: PaymentTable;
    payment_claim: PaymentClaimTable;
    payment_file: PaymentFileTable;
    payment_return: PaymentReturnTable;
    payment_requeue: PaymentRequeueTable;
    payment_cash: PaymentCashTable;
  }
}
