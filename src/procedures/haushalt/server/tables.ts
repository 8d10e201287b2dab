import type { ColumnType } from 'kysely';

/**
 * The Kämmerei's own tables (migrations/2026-12-03T1000-haushalt.ts). Money in integer cents
 * (bigint: PostgreSQL returns it as text, hence `number | string` on read). Versions, their lines
 * and the commitments are append-only; haushalt_plan is the one mutable row per plan (the head
 * pointer: latest version and whether it is frozen by the approval chain).
 */
type Cents = ColumnType<number | string, number, never>;

export interface HaushaltPlanTable {
  /** The plan's case (procedure haushaltsplan). */
  case_id: string;
  authority_ags: string;
  haushaltsjahr: number;
  /** Number of the newest version, 0 before the first import. */
  latest_version: number;
  /** 1 while an approval step holds the pinned version: no new versions. */
  frozen: number;
  created_at: string;
}

export interface HaushaltVersionTable {
  id: string;
  case_id: string;
  version_no: number;
  based_on: number;
  /** 'xlsx' | 'csv' | 'bearbeitung' */
  source: string;
  source_name: string | null;
  source_sha256: string | null;
  note: string | null;
  line_count: number;
  /** SHA-256 of the canonical content (lines in order), what the approval steps pin. */
  content_sha256: string;
  created_at: string;
  created_by: string;
  created_by_name: string;
}

export interface HaushaltLineTable {
  version_id: string;
  seq: number;
  produktbereich: string;
  produktgruppe: string;
  produktgruppe_name: string;
  produkt: string;
  produkt_name: string;
  /** 'E' | 'F' */
  plan: string;
  position: number;
  erlaeuterung: string | null;
  ergebnis_vorvorjahr: Cents;
  ansatz_vorjahr: Cents;
  ansatz: Cents;
  planung_1: Cents;
  planung_2: Cents;
  planung_3: Cents;
}

export interface HaushaltCommitmentTable {
  case_id: string;
  authority_ags: string;
  haushaltsjahr: number;
  datum: string;
  produktbereich: string;
  produkt: string;
  /** 'aufwand' | 'investition' */
  art: string;
  /** One of RECHTSGRUENDE; the table refuses anything else (CHECK). */
  rechtsgrund: string;
  nachweis: string;
  betrag_cents: Cents;
  created_at: string;
}

declare module '../../../db/types.js' {
  interface Database {
    haushalt_plan: HaushaltPlanTable;
    haushalt_version: HaushaltVersionTable;
    haushalt_line: HaushaltLineTable;
    haushalt_commitment: HaushaltCommitmentTable;
  }
}
