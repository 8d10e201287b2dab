import { type Kysely, PostgresAdapter, sql } from 'kysely';

// Frozen migration: never edit after it has shipped. Uses Kysely<any> and no app imports.
// Führerscheinnummern issued in emergency operation: each at most once (primary key), never
// changed or deleted (append-only: triggers on both dialects, no UPDATE/DELETE for the app role).

const TABLE = 'fahrerlaubnis_nummer';
const APP_ROLE = 'notbetrieb_app';

// biome-ignore lint/suspicious/noExplicitAny: frozen migrations see the schema of their time only
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable(TABLE)
    .addColumn('nummer', 'text', (c) => c.primaryKey())
    .addColumn('case_id', 'text', (c) => c.notNull().references('cases.id'))
    .addColumn('aktenzeichen', 'text', (c) => c.notNull())
    .addColumn('authority_ags', 'text', (c) => c.notNull())
    .addColumn('procedure_id', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex(`${TABLE}_case_idx`).on(TABLE).column('case_id').execute();

  if (db.getExecutor().adapter instanceof PostgresAdapter) {
    // notbetrieb_refuse_change() and the app role exist since the core's first migrations.
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
