/**
 * Table types of the Zulassungsstelle; they join Kysely's Database by module augmentation (the
 * core's src/db/types.ts stays untouched). Stored portably: text keys and dates, JSON as text.
 */
export interface KfzPlateConfigTable {
  authority_ags: string;
  /** JSON of PlateConfig (plates.ts). */
  config: string;
  version: number;
  updated_at: string;
  updated_by: string;
}

export type PlateStatus = 'zugeteilt' | 'reserviert' | 'gesperrt' | 'frei';

export interface KfzPlateTable {
  kennzeichen: string;
  authority_ags: string;
  unterscheidungszeichen: string;
  art: string;
  rank: number;
  status: PlateStatus;
  suffix: string | null;
  case_id: string | null;
  reservation_id: string | null;
  verfuegbar_ab: string | null;
  reserviert_bis: string | null;
  herkunft: string;
  updated_at: string;
}

export interface KfzPlateCursorTable {
  authority_ags: string;
  unterscheidungszeichen: string;
  art: string;
  last_rank: number;
  config_version: number;
}

export interface KfzReservationTable {
  id: string;
  authority_ags: string;
  kennzeichen: string;
  suffix: string | null;
  name: string;
  reserviert_bis: string;
  status: 'aktiv' | 'eingeloest' | 'storniert';
  case_id: string | null;
  source_case_id: string | null;
  created_at: string;
  created_by: string;
  updated_at: string;
}

export interface KfzPlateEventTable {
  id: string;
  kennzeichen: string;
  authority_ags: string;
  event: string;
  suffix: string | null;
  case_id: string | null;
  reservation_id: string | null;
  verfuegbar_ab: string | null;
  actor: string;
  at: string;
}

export interface KfzEvbTable {
  evb: string;
  case_id: string;
  authority_ags: string;
  created_at: string;
}

export interface KfzFeeRowTable {
  authority_ags: string;
  valid_from: string;
  /** JSON of FeeRow['positionen'] (fees.ts). */
  positionen: string;
  created_at: string;
  created_by: string;
}

declare module '../../../db/types.js' {
  interface Database {
    kfz_plate_config: KfzPlateConfigTable;
    kfz_plate: KfzPlateTable;
    kfz_plate_cursor: KfzPlateCursorTable;
    kfz_reservation: KfzReservationTable;
    kfz_plate_event: KfzPlateEventTable;
    kfz_evb: KfzEvbTable;
    kfz_fee_row: KfzFeeRowTable;
  }
}
