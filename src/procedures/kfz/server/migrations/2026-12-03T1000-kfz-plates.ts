import { type Kysely, PostgresAdapter, sql } from 'kysely';

// Frozen migration: never edit after it has shipped. Uses Kysely<any> and no app imports.
//
// Zulassungsstelle (issue 12): the plate pool of each office, one row per plate that was ever
// allocated, reserved or blocked (kfz_plate, primary key = the plate, so the database itself
// refuses a plate twice), the cursor of each series (its row is the lock that serialises drawing
// the next free plate), Wunschkennzeichen reservations, the append-only history of every plate
// (kfz_plate_event), the single use of eVB numbers (kfz_evb) and the office's dated fee table.

const APP_ROLE = 'notbetrieb_app';

// biome-ignore lint/suspicious/noExplicitAny: frozen migrations are written against Kysely<any>
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('kfz_plate_config')
    .addColumn('authority_ags', 'text', (c) => c.primaryKey())
    .addColumn('config', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('updated_by', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('kfz_plate')
    /** "SI-AB 123" (without E/H suffix). */
    .addColumn('kennzeichen', 'text', (c) => c.primaryKey())
    .addColumn('authority_ags', 'text', (c) => c.notNull())
    .addColumn('unterscheidungszeichen', 'text', (c) => c.notNull())
    /** 'standard' | 'kurzzeit' */
    .addColumn('art', 'text', (c) => c.notNull())
    /** Position in the legal order of its series. */
    .addColumn('rank', 'integer', (c) => c.notNull())
    /** 'zugeteilt' | 'reserviert' | 'gesperrt' | 'frei' */
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('suffix', 'text')
    .addColumn('case_id', 'text')
    .addColumn('reservation_id', 'text')
    /**
     * Day from which the plate may be issued again; null while it may not (allocated for good,
     * reserved). A released plate: '0001-01-01'; a blocked one: the end of its blocking period.
     */
    .addColumn('verfuegbar_ab', 'text')
    /** Last day of an active reservation. */
    .addColumn('reserviert_bis', 'text')
    /** 'serie' | 'wunsch' | 'bestand' (plate from before the outage) */
    .addColumn('herkunft', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('kfz_plate_series_idx')
    .on('kfz_plate')
    .columns(['authority_ags', 'unterscheidungszeichen', 'art', 'rank'])
    .execute();
  // The plates that come back to the pool: few, found without scanning the allocated ones.
  await db.schema
    .createIndex('kfz_plate_available_idx')
    .on('kfz_plate')
    .columns(['authority_ags', 'unterscheidungszeichen', 'art', 'verfuegbar_ab'])
    .execute();
  await db.schema.createIndex('kfz_plate_case_idx').on('kfz_plate').column('case_id').execute();

  await db.schema
    .createTable('kfz_plate_cursor')
    .addColumn('authority_ags', 'text', (c) => c.notNull())
    .addColumn('unterscheidungszeichen', 'text', (c) => c.notNull())
    .addColumn('art', 'text', (c) => c.notNull())
    /** Every plate of the series up to this rank has a row (or can never be issued). */
    .addColumn('last_rank', 'integer', (c) => c.notNull())
    .addColumn('config_version', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('kfz_plate_cursor_pk', ['authority_ags', 'unterscheidungszeichen', 'art'])
    .execute();

  await db.schema
    .createTable('kfz_reservation')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('authority_ags', 'text', (c) => c.notNull())
    .addColumn('kennzeichen', 'text', (c) => c.notNull())
    .addColumn('suffix', 'text')
    /** For whom (name as given; personal data, read only by the office). */
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('reserviert_bis', 'text', (c) => c.notNull())
    /** 'aktiv' | 'eingeloest' | 'storniert' (expiry is computed from reserviert_bis) */
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('case_id', 'text')
    /** The Außerbetriebsetzung that reserved the plate for its holder, if any. */
    .addColumn('source_case_id', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('kfz_reservation_scope_idx')
    .on('kfz_reservation')
    .columns(['authority_ags', 'status', 'reserviert_bis'])
    .execute();

  await db.schema
    .createTable('kfz_plate_event')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('kennzeichen', 'text', (c) => c.notNull())
    .addColumn('authority_ags', 'text', (c) => c.notNull())
    /** 'zugeteilt' | 'reserviert' | 'reservierung_storniert' | 'freigegeben' | 'gesperrt' */
    .addColumn('event', 'text', (c) => c.notNull())
    .addColumn('suffix', 'text')
    .addColumn('case_id', 'text')
    .addColumn('reservation_id', 'text')
    .addColumn('verfuegbar_ab', 'text')
    .addColumn('actor', 'text', (c) => c.notNull())
    .addColumn('at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('kfz_plate_event_scope_idx')
    .on('kfz_plate_event')
    .columns(['authority_ags', 'at'])
    .execute();
  await db.schema
    .createIndex('kfz_plate_event_plate_idx')
    .on('kfz_plate_event')
    .column('kennzeichen')
    .execute();

  // An eVB number serves one registration (FACTS.md §4): the primary key refuses it twice.
  await db.schema
    .createTable('kfz_evb')
    .addColumn('evb', 'text', (c) => c.primaryKey())
    .addColumn('case_id', 'text', (c) => c.notNull())
    .addColumn('authority_ags', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('kfz_evb_case_idx').on('kfz_evb').column('case_id').execute();

  await db.schema
    .createTable('kfz_fee_row')
    .addColumn('authority_ags', 'text', (c) => c.notNull())
    .addColumn('valid_from', 'text', (c) => c.notNull())
    .addColumn('positionen', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('kfz_fee_row_pk', ['authority_ags', 'valid_from'])
    .execute();

  // The plate history is append-only on both dialects; on PostgreSQL the app role may not change it either.
  if (db.getExecutor().adapter instanceof PostgresAdapter) {
    await sql`CREATE TRIGGER kfz_plate_event_append_only BEFORE UPDATE OR DELETE ON kfz_plate_event
      FOR EACH ROW EXECUTE FUNCTION notbetrieb_refuse_change()`.execute(db);
    await sql
      .raw(
        `DO $$ BEGIN
           IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '${APP_ROLE}') THEN
             REVOKE UPDATE, DELETE, TRUNCATE ON kfz_plate_event FROM ${APP_ROLE};
           END IF;
         END $$`,
      )
      .execute(db);
  } else {
    await sql`CREATE TRIGGER kfz_plate_event_no_update BEFORE UPDATE ON kfz_plate_event
      BEGIN SELECT RAISE(ABORT, 'append-only table kfz_plate_event: UPDATE refused'); END`.execute(db);
    await sql`CREATE TRIGGER kfz_plate_event_no_delete BEFORE DELETE ON kfz_plate_event
      BEGIN SELECT RAISE(ABORT, 'append-only table kfz_plate_event: DELETE refused'); END`.execute(db);
  }
}

export async function down(): Promise<void> {
  throw new Error('Migrations are forward-only; restore a backup instead.');
}
