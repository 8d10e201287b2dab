import { type Kysely, PostgresAdapter, sql } from 'kysely';

// Frozen migration: never edit after it has shipped. Uses Kysely<any> and no app imports.
// Krisenstab (issue 16): the situation of each authority (outage start, public notice and contact),
// its service catalogue with the append-only history of changes, the crisis team's log (reports,
// decisions, tasks; append-only, tasks are closed by an append-only row), the daily snapshots the
// Lagebericht is built from, and public appointment booking (released rooms, bookings, the
// per-address throttle).

const APP_ROLE = 'notbetrieb_app';
const APPEND_ONLY = ['krisenstab_dienst_aenderung', 'krisenstab_log', 'krisenstab_log_erledigt'];

// biome-ignore lint/suspicious/noExplicitAny: frozen migrations run on Kysely<any> (no app types)
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('krisenstab_lage')
    .addColumn('authority_ags', 'text', (c) => c.primaryKey().references('authority.ags'))
    // When the regular systems failed (ISO timestamp); the WAZ of every service counts from here.
    .addColumn('ausfall_seit', 'text')
    // Public notice shown on top of the status page.
    .addColumn('hinweis', 'text')
    .addColumn('buergertelefon', 'text')
    .addColumn('kontakt_email', 'text')
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('updated_by', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('krisenstab_dienst')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('authority_ags', 'text', (c) => c.notNull().references('authority.ags'))
    // Entry of a procedure family (unique per authority), or null for a free entry.
    .addColumn('family_id', 'text')
    .addColumn('office_type', 'text')
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('status', 'text')
    .addColumn('status_seit', 'text')
    // When emergency operation of this service started (first switch to notbetrieb/nachbarbehoerde).
    .addColumn('notbetrieb_seit', 'text')
    .addColumn('ort', 'text')
    .addColumn('zeiten', 'text')
    .addColumn('ausweich_ags', 'text')
    .addColumn('ausweich_name', 'text')
    .addColumn('hotline', 'text')
    .addColumn('hinweis', 'text')
    .addColumn('mta_stunden', 'integer')
    .addColumn('waz_stunden', 'integer')
    .addColumn('niveau_prozent', 'integer')
    .addColumn('oeffentlich', 'integer', (c) => c.notNull())
    .addColumn('position', 'integer', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('updated_by', 'text', (c) => c.notNull())
    .addUniqueConstraint('krisenstab_dienst_family_uq', ['authority_ags', 'family_id'])
    .execute();

  await db.schema
    .createTable('krisenstab_dienst_aenderung')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('dienst_id', 'text', (c) => c.notNull().references('krisenstab_dienst.id'))
    .addColumn('authority_ags', 'text', (c) => c.notNull())
    .addColumn('at', 'text', (c) => c.notNull())
    .addColumn('actor', 'text', (c) => c.notNull())
    .addColumn('actor_name', 'text', (c) => c.notNull())
    // JSON: { field: [before, after] }
    .addColumn('changes', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('krisenstab_dienst_aenderung_ags_idx')
    .on('krisenstab_dienst_aenderung')
    .columns(['authority_ags', 'at'])
    .execute();

  await db.schema
    .createTable('krisenstab_log')
    .addColumn('id', 'text', (c) => c.primaryKey())
    // null: the whole region.
    .addColumn('authority_ags', 'text')
    .addColumn('art', 'text', (c) => c.notNull())
    .addColumn('titel', 'text', (c) => c.notNull())
    .addColumn('text', 'text')
    .addColumn('zustaendig', 'text')
    .addColumn('faellig_am', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_by_name', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('krisenstab_log_created_idx')
    .on('krisenstab_log')
    .column('created_at')
    .execute();

  await db.schema
    .createTable('krisenstab_log_erledigt')
    .addColumn('log_id', 'text', (c) => c.primaryKey().references('krisenstab_log.id'))
    .addColumn('done_at', 'text', (c) => c.notNull())
    .addColumn('done_by', 'text', (c) => c.notNull())
    .addColumn('done_by_name', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('krisenstab_lagebild')
    // German calendar day of the snapshot; one per day (concurrent instances: the first wins).
    .addColumn('tag', 'text', (c) => c.primaryKey())
    .addColumn('taken_at', 'text', (c) => c.notNull())
    .addColumn('stunde', 'integer', (c) => c.notNull())
    .addColumn('inhalt', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('krisenstab_termin_freigabe')
    .addColumn('room_id', 'text', (c) => c.primaryKey().references('room.id'))
    .addColumn('authority_ags', 'text', (c) => c.notNull())
    .addColumn('office_type', 'text', (c) => c.notNull())
    .addColumn('oeffentlich', 'integer', (c) => c.notNull())
    .addColumn('hinweis', 'text')
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('updated_by', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('krisenstab_termin_freigabe_scope_idx')
    .on('krisenstab_termin_freigabe')
    .columns(['authority_ags', 'oeffentlich'])
    .execute();

  await db.schema
    .createTable('krisenstab_termin')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('slot_id', 'text', (c) => c.notNull().references('slot.id'))
    .addColumn('room_id', 'text', (c) => c.notNull())
    .addColumn('authority_ags', 'text', (c) => c.notNull())
    .addColumn('office_type', 'text', (c) => c.notNull())
    .addColumn('starts_at', 'text', (c) => c.notNull())
    .addColumn('ends_at', 'text', (c) => c.notNull())
    // Personal data: deleted when the booking is cancelled by the citizen and, for every booking,
    // a configurable number of days after the appointment (the whole row).
    .addColumn('name', 'text')
    .addColumn('email', 'text')
    .addColumn('telefon', 'text')
    // SHA-256 of the booking code; the code itself is shown once and never stored.
    .addColumn('code_hash', 'text', (c) => c.notNull().unique())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('cancelled_at', 'text')
    .execute();
  await db.schema
    .createIndex('krisenstab_termin_scope_idx')
    .on('krisenstab_termin')
    .columns(['authority_ags', 'office_type', 'starts_at'])
    .execute();
  await db.schema
    .createIndex('krisenstab_termin_ends_idx')
    .on('krisenstab_termin')
    .column('ends_at')
    .execute();

  await db.schema
    .createTable('krisenstab_termin_versuch')
    .addColumn('id', 'text', (c) => c.primaryKey())
    // 'buchung' (a booking made) | 'code' (a wrong booking code)
    .addColumn('art', 'text', (c) => c.notNull())
    // SHA-256 of the client address with the installation id: the address itself is not kept.
    .addColumn('subject', 'text', (c) => c.notNull())
    .addColumn('at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('krisenstab_termin_versuch_idx')
    .on('krisenstab_termin_versuch')
    .columns(['art', 'subject', 'at'])
    .execute();

  if (db.getExecutor().adapter instanceof PostgresAdapter) {
    for (const t of APPEND_ONLY) {
      await sql
        .raw(
          `CREATE TRIGGER ${t}_append_only BEFORE UPDATE OR DELETE ON ${t}
           FOR EACH ROW EXECUTE FUNCTION notbetrieb_refuse_change()`,
        )
        .execute(db);
    }
    const role = await sql<{ n: number }>`SELECT 1 AS n FROM pg_roles WHERE rolname = ${APP_ROLE}`.execute(
      db,
    );
    if (role.rows.length) {
      await sql
        .raw(`REVOKE UPDATE, DELETE, TRUNCATE ON ${APPEND_ONLY.join(', ')} FROM ${APP_ROLE}`)
        .execute(db);
    }
  } else {
    for (const t of APPEND_ONLY) {
      await sql
        .raw(
          `CREATE TRIGGER ${t}_no_update BEFORE UPDATE ON ${t}
           BEGIN SELECT RAISE(ABORT, 'append-only table ${t}: UPDATE refused'); END`,
        )
        .execute(db);
      await sql
        .raw(
          `CREATE TRIGGER ${t}_no_delete BEFORE DELETE ON ${t}
           BEGIN SELECT RAISE(ABORT, 'append-only table ${t}: DELETE refused'); END`,
        )
        .execute(db);
    }
  }
}

export async function down(): Promise<void> {
  throw new Error('Migrations are forward-only; restore a backup instead.');
}
