/**
 * Table types of the AsylbLG family, joined to Kysely's Database by module augmentation so that
 * src/db/types.ts stays the core's (docs/ARCHITECTURE.md, "Adding a procedure family").
 */

export interface AsylUnterkunftTable {
  id: string;
  authority_ags: string;
  name: string;
  anschrift: string;
  plaetze: number;
  created_at: string;
  updated_at: string;
}

/** The current occupancy: one row per occupied place; deleted on move-out (the log keeps it). */
export interface AsylPlatzBelegungTable {
  unterkunft_id: string;
  platz_nr: number;
  case_id: string;
  person_nr: number;
  seit: string;
  created_at: string;
}

/** Every move-in and move-out (append-only). */
export interface AsylBelegungLogTable {
  id: string;
  unterkunft_id: string;
  platz_nr: number;
  case_id: string;
  person_nr: number;
  ereignis: 'einzug' | 'auszug';
  datum: string;
  actor: string;
  created_at: string;
}

declare module '../../../db/types.js' {
  interface Database {
    asyl_unterkunft: AsylUnterkunftTable;
    asyl_platz_belegung: AsylPlatzBelegungTable;
    asyl_belegung_log: AsylBelegungLogTable;
  }
}
