import type { ColumnType, Insertable, Selectable } from 'kysely';

/**
 * Table types. Data is stored portably on both dialects: UUID text keys, ISO dates/timestamps as
 * text, money as integer cents, booleans as 0/1, JSON as text. Conversion happens in the
 * repositories, nowhere else.
 */
export interface InstallationTable {
  key: string;
  value: string;
}

export interface AuthorityTable {
  ags: string;
  name: string;
  /** 'Kreis' | 'Stadt' | 'Gemeinde' (kreisfreie Stadt: 'Kreisfreie Stadt'). */
  kind: string;
  kreis_ags: string;
  /** Comma-separated Unterscheidungszeichen of the Kreis (e.g. "SI,BLB"). */
  plate_codes: string;
  source: string;
  created_at: string;
}

export interface OfficeTable {
  id: string;
  authority_ags: string;
  office_type: string;
  name: string;
}

export interface CasesTable {
  id: string;
  installation_id: string;
  procedure_id: string;
  procedure_version: number;
  authority_ags: string;
  office_type: string;
  year: number;
  seq: number;
  aktenzeichen: string;
  status: string;
  /** Number of accepted actions; the optimistic-concurrency version. */
  version: number;
  /** JSON of the current form data (snapshot, derived from the actions). */
  data: string;
  /** ISO date of the open deadline, null when none or when the case is closed. */
  deadline: string | null;
  deadline_label: string | null;
  /** Lower-cased, accent-folded text for free-text search. */
  search_text: string;
  /** 1 in a non-final state, 0 when closed; null only for old rows until the start-up reconcile. */
  is_open: number | null;
  created_at: string;
  updated_at: string;
  created_by: string;
}

export interface CaseActionTable {
  id: string;
  case_id: string;
  /** 1-based position in the case's action list; equals the case version after the action. */
  seq: number;
  action: string;
  payload: string;
  status_after: string;
  actor: string;
  /** Display name of the actor at the time of the action (history shows who it was then). */
  actor_name: string;
  idempotency_key: string | null;
  created_at: string;
}

export interface CaseNumberCounterTable {
  authority_ags: string;
  procedure_id: string;
  year: number;
  last_seq: number;
}

export interface IdempotencyTable {
  key: string;
  /** Who used the key and for which operation (method + route). */
  scope: string;
  request_hash: string;
  status_code: ColumnType<number | null, number | null, number | null>;
  response: string | null;
  created_at: string;
}

export interface AppUserTable {
  id: string;
  username: string;
  display_name: string;
  password_hash: string;
  must_change_password: number;
  totp_secret: string | null;
  totp_enrolled_at: string | null;
  is_admin: number;
  is_crisis_team: number;
  disabled_at: string | null;
  created_at: string;
  updated_at: string;
  /** Last accepted TOTP time step (replay guard); added by 2026-11-26T1800-security. */
  totp_last_step: ColumnType<number | null, number | null | undefined, number | null>;
}

export interface RecoveryCodeTable {
  id: string;
  user_id: string;
  code_hash: string;
  created_at: string;
  used_at: string | null;
}

export interface LoginAttemptTable {
  id: string;
  /** 'account' | 'address' */
  kind: string;
  subject: string;
  at: string;
}

export interface AuditLogTable {
  /** The chain: an authority's AGS, or 'installation' (src/core/audit/log.ts). */
  chain: string;
  /** Position within the chain, 1-based, gap-free. */
  seq: number;
  at: string;
  actor_id: string | null;
  action: string;
  method: string | null;
  route: string | null;
  target: string | null;
  status: number | null;
  client_address: string | null;
  detail: string | null;
  prev_hash: string;
  hash: string;
}

export interface UserGrantTable {
  user_id: string;
  authority_ags: string;
  office_type: string;
  role: string;
}

export interface SessionTable {
  id: string;
  token_hash: string;
  user_id: string;
  csrf_token: string;
  stage: string;
  created_at: string;
  last_seen_at: string;
  expires_at: string;
  ended_at: string | null;
  client_address: string;
}

export interface RegisterNumberCounterTable {
  authority_ags: string;
  /** Register code, e.g. 'G' (Geburtenregister), 'S' (Sterberegister), 'E' (Eheregister). */
  register: string;
  year: number;
  last_seq: number;
}

export interface RegisterEntryTable {
  authority_ags: string;
  register: string;
  year: number;
  seq: number;
  /** Display form, e.g. "G 12/2026". */
  number: string;
  case_id: string;
  created_at: string;
}

export interface RoomTable {
  id: string;
  authority_ags: string;
  office_type: string;
  name: string;
  description: string | null;
  capacity: number | null;
  /** 0/1 */
  active: number;
  created_at: string;
}

export interface SlotTable {
  id: string;
  room_id: string;
  /** ISO timestamps (UTC). */
  starts_at: string;
  ends_at: string;
  created_at: string;
}

export interface SlotBookingTable {
  slot_id: string;
  case_id: string;
  purpose: string;
  created_at: string;
  created_by: string;
}

export interface HandoverBatchTable {
  id: string;
  procedure_id: string;
  authority_ags: string;
  office_type: string;
  /** 'in_arbeit' | 'exportiert' | 'quittiert' | 'abgelehnt' | 'fehlgeschlagen' */
  status: string;
  case_count: number;
  /** JSON manifest (files with SHA-256), set when the files are written. */
  manifest: string | null;
  created_at: string;
  created_by: string;
  completed_at: string | null;
  acknowledged_at: string | null;
  rejected_at: string | null;
}

export interface HandoverBatchCaseTable {
  batch_id: string;
  case_id: string;
  position: number;
  /** 'exportiert' | 'uebergeben' | 'abgelehnt' */
  status: string;
  note: string | null;
  updated_at: string;
}

export interface HandoverClaimTable {
  case_id: string;
  batch_id: string;
}

export interface Database {
  app_user: AppUserTable;
  user_grant: UserGrantTable;
  session: SessionTable;
  installation: InstallationTable;
  authority: AuthorityTable;
  office: OfficeTable;
  cases: CasesTable;
  case_action: CaseActionTable;
  case_number_counter: CaseNumberCounterTable;
  idempotency: IdempotencyTable;
  recovery_code: RecoveryCodeTable;
  login_attempt: LoginAttemptTable;
  audit_log: AuditLogTable;
  register_number_counter: RegisterNumberCounterTable;
  register_entry: RegisterEntryTable;
  room: RoomTable;
  slot: SlotTable;
  slot_booking: SlotBookingTable;
  handover_batch: HandoverBatchTable;
  handover_batch_case: HandoverBatchCaseTable;
  handover_claim: HandoverClaimTable;
  register_snapshot: RegisterSnapshotTable;
  register_active: RegisterActiveTable;
  register_overlay: RegisterOverlayTable;
  cash_journal_counter: CashJournalCounterTable;
  cash_journal_entry: CashJournalEntryTable;
  cash_journal_day: CashJournalDayTable;
  cash_journal_day_confirmation: CashJournalDayConfirmationTable;
}

export type CaseRow = Selectable<CasesTable>;
export type NewCaseRow = Insertable<CasesTable>;
export type CaseActionRow = Selectable<CaseActionTable>;
export type AuthorityRow = Selectable<AuthorityTable>;
export type OfficeRow = Selectable<OfficeTable>;

// Resident register snapshots and the emergency overlay (issue 6, src/core/register).
export interface RegisterSnapshotTable {
  id: string;
  /** The persons live in table register_person_<table_no>. */
  table_no: number;
  /** 'loading' | 'active' | 'superseded' | 'failed' | 'dropped' */
  status: string;
  source_name: string;
  source_sha256: string;
  encoding: string;
  row_count: number;
  error_count: number;
  started_at: string;
  finished_at: string | null;
  activated_at: string | null;
  imported_by: string;
}

export interface RegisterActiveTable {
  id: string;
  snapshot_id: string;
  table_no: number;
  switched_at: string;
}

export interface RegisterOverlayTable {
  id: string;
  case_id: string;
  procedure_id: string;
  authority_ags: string;
  register_person_id: string | null;
  familienname: string;
  namensbestandteil: string | null;
  vornamen: string;
  geburtsname: string | null;
  geburtsdatum: string;
  geburtsort: string | null;
  geschlecht: string | null;
  staatsangehoerigkeit: string | null;
  strasse: string | null;
  hausnummer: string | null;
  plz: string | null;
  ort: string | null;
  moved_on: string;
  /** 'gemeldet' | 'abgemeldet' */
  status: string;
  fam_fold: string;
  fam_phon: string;
  fam_fold2: string | null;
  fam_phon2: string | null;
  vorname_fold: string;
  strasse_fold: string | null;
  recorded_at: string;
}

// Cash journal (Kassenbuch) per office (src/core/cashjournal). Money in integer cents.
export interface CashJournalCounterTable {
  authority_ags: string;
  office_type: string;
  last_seq: number;
  balance_cents: ColumnType<number | string, number, number>;
}

export interface CashJournalEntryTable {
  id: string;
  authority_ags: string;
  office_type: string;
  seq: number;
  business_day: string;
  kind: string;
  amount_cents: ColumnType<number | string, number, never>;
  balance_after_cents: ColumnType<number | string, number, never>;
  purpose: string;
  fee_code: string | null;
  reference_type: string | null;
  reference_id: string | null;
  reference_label: string | null;
  dedupe_key: string | null;
  reverses_entry_id: string | null;
  created_at: string;
  created_by: string;
  created_by_name: string;
}

export interface CashJournalDayTable {
  authority_ags: string;
  office_type: string;
  business_day: string;
  entry_count: number;
  first_seq: number | null;
  last_seq: number | null;
  total_in_cents: ColumnType<number | string, number, never>;
  total_out_cents: ColumnType<number | string, number, never>;
  balance_cents: ColumnType<number | string, number, never>;
  counted_cents: ColumnType<number | string | null, number | null, never>;
  closed_at: string;
  closed_by: string;
  closed_by_name: string;
  note: string | null;
}

export interface CashJournalDayConfirmationTable {
  authority_ags: string;
  office_type: string;
  business_day: string;
  confirmed_at: string;
  confirmed_by: string;
  confirmed_by_name: string;
}
