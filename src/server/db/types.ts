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
}

export type CaseRow = Selectable<CasesTable>;
export type NewCaseRow = Insertable<CasesTable>;
export type CaseActionRow = Selectable<CaseActionTable>;
export type AuthorityRow = Selectable<AuthorityTable>;
export type OfficeRow = Selectable<OfficeTable>;
