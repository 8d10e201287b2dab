import { type Kysely, PostgresAdapter, sql } from 'kysely';

// Frozen migration: never edit after it has shipped. Uses Kysely<any> and no app imports.

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('installation')
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('value', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('authority')
    .addColumn('ags', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('kreis_ags', 'text', (c) => c.notNull())
    .addColumn('plate_codes', 'text', (c) => c.notNull())
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('office')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('authority_ags', 'text', (c) => c.notNull().references('authority.ags'))
    .addColumn('office_type', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addUniqueConstraint('office_authority_type_uq', ['authority_ags', 'office_type'])
    .execute();

  await db.schema
    .createTable('cases')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('installation_id', 'text', (c) => c.notNull())
    .addColumn('procedure_id', 'text', (c) => c.notNull())
    .addColumn('procedure_version', 'integer', (c) => c.notNull())
    .addColumn('authority_ags', 'text', (c) => c.notNull().references('authority.ags'))
    .addColumn('office_type', 'text', (c) => c.notNull())
    .addColumn('year', 'integer', (c) => c.notNull())
    .addColumn('seq', 'integer', (c) => c.notNull())
    .addColumn('aktenzeichen', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('data', 'text', (c) => c.notNull())
    .addColumn('deadline', 'text')
    .addColumn('deadline_label', 'text')
    .addColumn('search_text', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addUniqueConstraint('cases_number_uq', ['authority_ags', 'procedure_id', 'year', 'seq'])
    .execute();
  await db.schema
    .createIndex('cases_scope_idx')
    .on('cases')
    .columns(['authority_ags', 'office_type', 'status'])
    .execute();
  await db.schema.createIndex('cases_deadline_idx').on('cases').column('deadline').execute();
  await db.schema.createIndex('cases_created_idx').on('cases').column('created_at').execute();

  await db.schema
    .createTable('case_action')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('case_id', 'text', (c) => c.notNull().references('cases.id'))
    .addColumn('seq', 'integer', (c) => c.notNull())
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('payload', 'text', (c) => c.notNull())
    .addColumn('status_after', 'text', (c) => c.notNull())
    .addColumn('actor', 'text', (c) => c.notNull())
    .addColumn('actor_name', 'text', (c) => c.notNull())
    .addColumn('idempotency_key', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('case_action_seq_uq', ['case_id', 'seq'])
    .execute();

  await db.schema
    .createTable('case_number_counter')
    .addColumn('authority_ags', 'text', (c) => c.notNull())
    .addColumn('procedure_id', 'text', (c) => c.notNull())
    .addColumn('year', 'integer', (c) => c.notNull())
    .addColumn('last_seq', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('case_number_counter_pk', ['authority_ags', 'procedure_id', 'year'])
    .execute();

  await db.schema
    .createTable('idempotency')
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('scope', 'text', (c) => c.notNull())
    .addColumn('request_hash', 'text', (c) => c.notNull())
    .addColumn('status_code', 'integer')
    .addColumn('response', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();

  // Actions are append-only, also against mistakes in our own code: the database refuses
  // UPDATE and DELETE on case_action. (Issue: roles/grants on PostgreSQL add a second layer.)
  if (isPostgres(db)) {
    await sql`CREATE FUNCTION notbetrieb_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN RAISE EXCEPTION 'append-only table %: % refused', TG_TABLE_NAME, TG_OP; END $$`.execute(db);
    await sql`CREATE TRIGGER case_action_append_only BEFORE UPDATE OR DELETE ON case_action
      FOR EACH ROW EXECUTE FUNCTION notbetrieb_refuse_change()`.execute(db);
  } else {
    await sql`CREATE TRIGGER case_action_no_update BEFORE UPDATE ON case_action
      BEGIN SELECT RAISE(ABORT, 'append-only table case_action: UPDATE refused'); END`.execute(db);
    await sql`CREATE TRIGGER case_action_no_delete BEFORE DELETE ON case_action
      BEGIN SELECT RAISE(ABORT, 'append-only table case_action: DELETE refused'); END`.execute(db);
  }
}

function isPostgres(db: Kysely<any>): boolean {
  return db.getExecutor().adapter instanceof PostgresAdapter;
}

export async function down(): Promise<void> {
  throw new Error('Migrations are forward-only; restore a backup instead.');
}
