import { type Kysely, PostgresAdapter, sql } from 'kysely';

// Frozen migration: never edit after it has shipped. Uses Kysely<any> and no app imports.
// Accommodation places of the AsylbLG family: Unterkünfte with a number of places per authority;
// the current occupancy (one row per occupied place: primary key = place, unique person, so no
// place and no person is taken twice, whatever the concurrency); the append-only log of moves.

const APP_ROLE = 'notbetrieb_app';

// biome-ignore lint/suspicious/noExplicitAny: frozen migrations see the schema of their time only
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('asyl_unterkunft')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('authority_ags', 'text', (c) => c.notNull().references('authority.ags'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('anschrift', 'text', (c) => c.notNull())
    .addColumn('plaetze', 'integer', (c) => c.notNull().check(sql`plaetze >= 0 AND plaetze <= 5000`))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('asyl_unterkunft_name_uq', ['authority_ags', 'name'])
    .execute();

  await db.schema
    .createTable('asyl_platz_belegung')
    .addColumn('unterkunft_id', 'text', (c) => c.notNull().references('asyl_unterkunft.id'))
    .addColumn('platz_nr', 'integer', (c) => c.notNull())
    .addColumn('case_id', 'text', (c) => c.notNull().references('cases.id'))
    .addColumn('person_nr', 'integer', (c) => c.notNull())
    .addColumn('seit', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('asyl_platz_belegung_pk', ['unterkunft_id', 'platz_nr'])
    .addUniqueConstraint('asyl_platz_belegung_person_uq', ['case_id', 'person_nr'])
    .execute();

  await db.schema
    .createTable('asyl_belegung_log')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('unterkunft_id', 'text', (c) => c.notNull().references('asyl_unterkunft.id'))
    .addColumn('platz_nr', 'integer', (c) => c.notNull())
    .addColumn('case_id', 'text', (c) => c.notNull().references('cases.id'))
    .addColumn('person_nr', 'integer', (c) => c.notNull())
    .addColumn('ereignis', 'text', (c) => c.notNull().check(sql`ereignis IN ('einzug', 'auszug')`))
    .addColumn('datum', 'text', (c) => c.notNull())
    .addColumn('actor', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('asyl_belegung_log_case_idx')
    .on('asyl_belegung_log')
    .column('case_id')
    .execute();

  const TABLE = 'asyl_belegung_log';
  if (db.getExecutor().adapter instanceof PostgresAdapter) {
    await sql`CREATE TRIGGER ${sql.raw(`${TABLE}_append_only`)} BEFORE UPDATE OR DELETE ON ${sql.table(TABLE)}
      FOR EACH ROW EXECUTE FUNCTION notbetrieb_refuse_change()`.execute(db);
    await sql.raw(`REVOKE UPDATE, DELETE, TRUNCATE ON ${TABLE} FROM ${APP_ROLE}`).execute(db);
  } else {
    await sql`CREATE TRIGGER ${sql.raw(`${TABLE}_no_update`)} BEFORE UPDATE ON ${sql.table(TABLE)}
      BEGIN SELECT RAISE(ABORT, ${sql.lit(`append-only table ${TABLE}: UPDATE refused`)}); END`.execute(db);
    await sql`CREATE TRIGGER ${sql.raw(`${TABLE}_no_delete`)} BEFORE DELETE ON ${sql.table(TABLE)}
      BEGIN SELECT RAISE(ABORT, ${sql.lit(`append-only table ${TABLE}: DELETE refused`)}); END`.execute(db);
  }
}

export async function down(): Promise<void> {
  throw new Error('Migrations are forward-only; restore a backup instead.');
}
