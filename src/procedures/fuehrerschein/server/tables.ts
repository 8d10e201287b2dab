/**
 * Table types of the Fahrerlaubnisbehörde, joined to Kysely's Database by module augmentation so
 * that src/db/types.ts stays the core's (docs/ARCHITECTURE.md, "Adding a procedure family").
 */

/** Every Führerscheinnummer issued in emergency operation, once (append-only). */
export interface FahrerlaubnisNummerTable {
  nummer: string;
  case_id: string;
  aktenzeichen: string;
  authority_ags: string;
  procedure_id: string;
  created_at: string;
}

declare module '../../../db/types.js' {
  interface Database {
    fahrerlaubnis_nummer: FahrerlaubnisNummerTable;
  }
}
