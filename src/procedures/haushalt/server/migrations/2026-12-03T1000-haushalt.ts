import { type Kysely, PostgresAdapter, sql } from 'kysely';

// Frozen migration: never edit after it has shipped. Uses Kysely<any> and no app imports.
//
// Kämmerei (issue 15): budget plans (one head row per case), their versions and lines
// (append-only: a version never changes, a new one is written), and the commitments of the
// vorläufige Haushaltsführung (append-only; a legal ground is required by the table itself).

const APPEND_ONLY = ['haushalt_version', 'haushalt_line', 'haushalt_commitment'];

// biome-ignore lint/suspicious/noExplicitAny: frozen migrations see the database untyped
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('haushalt_plan')
    // The case (no foreign key: the create hook writes this row before the core writes the case,
    // in the same transaction).
    .addColumn('case_id', 'text', (c) => c.primaryKey())
    .addColumn('authority_ags', 'text', (c) => c.notNull())
    .addColumn('haushaltsjahr', 'integer', (c) => c.notNull())
    .addColumn('latest_version', 'integer', (c) => c.notNull())
    .addColumn('frozen', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('haushalt_plan_year_uq', ['authority_ags', 'haushaltsjahr'])
    .execute();

  await db.schema
    .createTable('haushalt_version')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('case_id', 'text', (c) => c.notNull().references('haushalt_plan.case_id'))
    .addColumn('version_no', 'integer', (c) => c.notNull())
    .addColumn('based_on', 'integer', (c) => c.notNull())
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('source_name', 'text')
    .addColumn('source_sha256', 'text')
    .addColumn('note', 'text')
    .addColumn('line_count', 'integer', (c) => c.notNull())
    .addColumn('content_sha256', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_by_name', 'text', (c) => c.notNull())
    .addUniqueConstraint('haushalt_version_no_uq', ['case_id', 'version_no'])
    .execute();

  await db.schema
    .createTable('haushalt_line')
    .addColumn('version_id', 'text', (c) => c.notNull().references('haushalt_version.id'))
    .addColumn('seq', 'integer', (c) => c.notNull())
    .addColumn('produktbereich', 'text', (c) => c.notNull())
    .addColumn('produktgruppe', 'text', (c) => c.notNull())
    .addColumn('produktgruppe_name', 'text', (c) => c.notNull())
    .addColumn('produkt', 'text', (c) => c.notNull())
    .addColumn('produkt_name', 'text', (c) => c.notNull())
    .addColumn('plan', 'text', (c) => c.notNull().check(sql`plan IN ('E', 'F')`))
    .addColumn('position', 'integer', (c) => c.notNull())
    .addColumn('erlaeuterung', 'text')
    .addColumn('ergebnis_vorvorjahr', 'bigint', (c) => c.notNull())
    .addColumn('ansatz_vorjahr', 'bigint', (c) => c.notNull())
    .addColumn('ansatz', 'bigint', (c) => c.notNull())
    .addColumn('planung_1', 'bigint', (c) => c.notNull())
    .addColumn('planung_2', 'bigint', (c) => c.notNull())
    .addColumn('planung_3', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('haushalt_line_pk', ['version_id', 'seq'])
    .addUniqueConstraint('haushalt_line_key_uq', ['version_id', 'produkt', 'plan', 'position'])
    .execute();

  await db.schema
    .createTable('haushalt_commitment')
    .addColumn('case_id', 'text', (c) => c.primaryKey())
    .addColumn('authority_ags', 'text', (c) => c.notNull())
    .addColumn('haushaltsjahr', 'integer', (c) => c.notNull())
    .addColumn('datum', 'text', (c) => c.notNull())
    .addColumn('produktbereich', 'text', (c) => c.notNull())
    .addColumn('produkt', 'text', (c) => c.notNull())
    .addColumn('art', 'text', (c) => c.notNull().check(sql`art IN ('aufwand', 'investition')`))
    .addColumn('rechtsgrund', 'text', (c) =>
      c
        .notNull()
        .check(sql`rechtsgrund IN ('rechtliche_verpflichtung', 'unaufschiebbar', 'fortsetzung_investition')`),
    )
    .addColumn('nachweis', 'text', (c) => c.notNull().check(sql`length(trim(nachweis)) >= 10`))
    .addColumn('betrag_cents', 'bigint', (c) => c.notNull().check(sql`betrag_cents > 0`))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('haushalt_commitment_year_idx')
    .on('haushalt_commitment')
    .columns(['authority_ags', 'haushaltsjahr', 'produktbereich'])
    .execute();

  if (isPostgres(db)) {
    // notbetrieb_refuse_change() and the app role exist since the core's first migrations.
    for (const table of APPEND_ONLY) {
      await sql`CREATE TRIGGER ${sql.raw(`${table}_append_only`)} BEFORE UPDATE OR DELETE ON ${sql.table(table)}
        FOR EACH ROW EXECUTE FUNCTION notbetrieb_refuse_change()`.execute(db);
    }
    await sql
      .raw(`REVOKE UPDATE, DELETE, TRUNCATE ON ${APPEND_ONLY.join(', ')} FROM notbetrieb_app`)
      .execute(db);
  } else {
    for (const table of APPEND_ONLY) {
      await sql`CREATE TRIGGER ${sql.raw(`${table}_no_update`)} BEFORE UPDATE ON ${sql.table(table)}
        BEGIN SELECT RAISE(ABORT, ${sql.lit(`append-only table ${table}: UPDATE refused`)}); END`.execute(db);
      await sql`CREATE TRIGGER ${sql.raw(`${table}_no_delete`)} BEFORE DELETE ON ${sql.table(table)}
        BEGIN SELECT RAISE(ABORT, ${sql.lit(`append-only table ${table}: DELETE refused`)}); END`.execute(db);
    }
  }
}

// biome-ignore lint/suspicious/noExplicitAny: frozen migrations see the database untyped
function isPostgres(db: Kysely<any>): boolean {
  return db.getExecutor().adapter instanceof PostgresAdapter;
}

export async function down(): Promise<void> {
  throw new Error('Migrations are forward-only; restore a backup instead.');
}
