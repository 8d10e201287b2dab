/**
 * Table types of the Krisenstab family (migrations 2026-12-03T1100-krisenstab, …T1200-krisenstab-rueckmeldung), joined to Kysely's
 * Database by module augmentation so that src/db/types.ts stays the core's. Storage as everywhere:
 * UUIDv7 text keys, ISO timestamps as text, booleans 0/1, JSON as text.
 */
export interface KrisenstabLageTable {
  authority_ags: string;
  ausfall_seit: string | null;
  hinweis: string | null;
  buergertelefon: string | null;
  kontakt_email: string | null;
  version: number;
  updated_at: string;
  updated_by: string;
}

export interface KrisenstabDienstTable {
  id: string;
  authority_ags: string;
  family_id: string | null;
  office_type: string | null;
  title: string;
  status: string | null;
  status_seit: string | null;
  notbetrieb_seit: string | null;
  ort: string | null;
  zeiten: string | null;
  ausweich_ags: string | null;
  ausweich_name: string | null;
  hotline: string | null;
  hinweis: string | null;
  mta_stunden: number | null;
  waz_stunden: number | null;
  niveau_prozent: number | null;
  oeffentlich: number;
  position: number;
  version: number;
  created_at: string;
  updated_at: string;
  updated_by: string;
}

export interface KrisenstabDienstAenderungTable {
  id: string;
  dienst_id: string;
  authority_ags: string;
  at: string;
  actor: string;
  actor_name: string;
  changes: string;
}

export interface KrisenstabLogTable {
  id: string;
  authority_ags: string | null;
  art: string;
  titel: string;
  text: string | null;
  zustaendig: string | null;
  faellig_am: string | null;
  created_at: string;
  created_by: string;
  created_by_name: string;
}

export interface KrisenstabLogErledigtTable {
  log_id: string;
  done_at: string;
  done_by: string;
  done_by_name: string;
}

export interface KrisenstabLagebildTable {
  tag: string;
  taken_at: string;
  stunde: number;
  inhalt: string;
}

export interface KrisenstabTerminFreigabeTable {
  room_id: string;
  authority_ags: string;
  office_type: string;
  oeffentlich: number;
  hinweis: string | null;
  updated_at: string;
  updated_by: string;
}

export interface KrisenstabTerminTable {
  id: string;
  slot_id: string;
  room_id: string;
  authority_ags: string;
  office_type: string;
  starts_at: string;
  ends_at: string;
  name: string | null;
  email: string | null;
  telefon: string | null;
  code_hash: string;
  /** 'gebucht' | 'abgesagt' (by the citizen) | 'abgesagt_amt' (by the office) */
  status: string;
  created_at: string;
  cancelled_at: string | null;
}

export interface KrisenstabTerminVersuchTable {
  id: string;
  /** 'buchung' | 'code' */
  art: string;
  subject: string;
  at: string;
}

export interface KrisenstabRueckmeldungTable {
  id: string;
  authority_ags: string;
  seite: string | null;
  nachricht: string;
  kontakt: string | null;
  created_at: string;
}

declare module '../../../db/types.js' {
  interface Database {
    krisenstab_lage: KrisenstabLageTable;
    krisenstab_dienst: KrisenstabDienstTable;
    krisenstab_dienst_aenderung: KrisenstabDienstAenderungTable;
    krisenstab_log: KrisenstabLogTable;
    krisenstab_log_erledigt: KrisenstabLogErledigtTable;
    krisenstab_lagebild: KrisenstabLagebildTable;
    krisenstab_termin_freigabe: KrisenstabTerminFreigabeTable;
    krisenstab_termin: KrisenstabTerminTable;
    krisenstab_termin_versuch: KrisenstabTerminVersuchTable;
    krisenstab_rueckmeldung: KrisenstabRueckmeldungTable;
  }
}
