import { type Kysely, PostgresAdapter, sql } from 'kysely';

// Frozen migration: never edit after it has shipped. Uses Kysely<any> and no app imports.
//
// Resident register snapshots (issue 6): the persons of one imported export live in their own
// table `register_person_<n>` that the importer creates, fills and indexes; the tables here only
// describe snapshots and point at the active one. Emergency registrations (Anmeldung, Ummeldung,
// Abmeldung) are an overlay that search joins, never a change of the imported snapshot.
// The cash journal (Kassenbuch) per office is append-only.

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('register_snapshot')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('table_no', 'integer', (c) => c.notNull().unique())
    /** 'loading' | 'active' | 'superseded' | 'failed' | 'dropped' */
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('source_name', 'text', (c) => c.notNull())
    .addColumn('source_sha256', 'text', (c) => c.notNull())
    .addColumn('encoding', 'text', (c) => c.notNull())
    .addColumn('row_count', 'integer', (c) => c.notNull())
    .addColumn('error_count', 'integer', (c) => c.notNull())
    .addColumn('started_at', 'text', (c) => c.notNull())
    .addColumn('finished_at', 'text')
    .addColumn('activated_at', 'text')
    .addColumn('imported_by', 'text', (c) => c.notNull())
    .execute();

  // One row (id = 'active'): the pointer that search reads. Switching it is one UPDATE.
  await db.schema
    .createTable('register_active')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('snapshot_id', 'text', (c) => c.notNull().references('register_snapshot.id'))
    .addColumn('table_no', 'integer', (c) => c.notNull())
    .addColumn('switched_at', 'text', (c) => c.notNull())
    .execute();

  // One row per person of a Meldevorgang recorded in emergency operation.
  await db.schema
    .createTable('register_overlay')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('case_id', 'text', (c) => c.notNull())
    .addColumn('procedure_id', 'text', (c) => c.notNull())
    .addColumn('authority_ags', 'text', (c) => c.notNull())
    /** Person id in the register snapshot, when the person was there. */
    .addColumn('register_person_id', 'text')
    .addColumn('familienname', 'text', (c) => c.notNull())
    .addColumn('namensbestandteil', 'text')
    .addColumn('vornamen', 'text', (c) => c.notNull())
    .addColumn('geburtsname', 'text')
    .addColumn('geburtsdatum', 'text', (c) => c.notNull())
    .addColumn('geburtsort', 'text')
    .addColumn('geschlecht', 'text')
    .addColumn('staatsangehoerigkeit', 'text')
    .addColumn('strasse', 'text')
    .addColumn('hausnummer', 'text')
    .addColumn('plz', 'text')
    .addColumn('ort', 'text')
    .addColumn('moved_on', 'text', (c) => c.notNull())
    /** 'gemeldet' (lives at the address) | 'abgemeldet' (moved away/abroad). */
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('fam_fold', 'text', (c) => c.notNull())
    .addColumn('fam_phon', 'text', (c) => c.notNull())
    .addColumn('fam_fold2', 'text')
    .addColumn('fam_phon2', 'text')
    .addColumn('vorname_fold', 'text', (c) => c.notNull())
    .addColumn('strasse_fold', 'text')
    .addColumn('recorded_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('register_overlay_case_idx').on('register_overlay').column('case_id').execute();
  await db.schema
    .createIndex('register_overlay_person_idx')
    .on('register_overlay')
    .column('register_person_id')
    .execute();
  await db.schema
    .createIndex('register_overlay_name_idx')
    .on('register_overlay')
    .columns(['authority_ags', 'fam_fold'])
    .execute();
  await db.schema
    .createIndex('register_overlay_phon_idx')
    .on('register_overlay')
    .columns(['authority_ags', 'fam_phon'])
    .execute();

  // Cash journal (Kassenbuch): one per office; entries are numbered without gaps per journal.
  await db.schema
    .createTable('cash_journal_counter')
    .addColumn('authority_ags', 'text', (c) => c.notNull())
    .addColumn('office_type', 'text', (c) => c.notNull())
    .addColumn('last_seq', 'integer', (c) => c.notNull())
    .addColumn('balance_cents', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('cash_journal_counter_pk', ['authority_ags', 'office_type'])
    .execute();

  await db.schema
    .createTable('cash_journal_entry')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('authority_ags', 'text', (c) => c.notNull())
    .addColumn('office_type', 'text', (c) => c.notNull())
    .addColumn('seq', 'integer', (c) => c.notNull())
    .addColumn('business_day', 'text', (c) => c.notNull())
    /** 'einzahlung' | 'auszahlung' | 'storno' */
    .addColumn('kind', 'text', (c) => c.notNull())
    /** Signed: + cash in, - cash out. */
    .addColumn('amount_cents', 'bigint', (c) => c.notNull())
    .addColumn('balance_after_cents', 'bigint', (c) => c.notNull())
    .addColumn('purpose', 'text', (c) => c.notNull())
    .addColumn('fee_code', 'text')
    .addColumn('reference_type', 'text')
    .addColumn('reference_id', 'text')
    .addColumn('reference_label', 'text')
    /** Guards against booking the same thing twice (e.g. "fee:<case id>"); null when free. */
    .addColumn('dedupe_key', 'text', (c) => c.unique())
    .addColumn('reverses_entry_id', 'text', (c) => c.unique())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_by_name', 'text', (c) => c.notNull())
    .addUniqueConstraint('cash_journal_entry_seq_uq', ['authority_ags', 'office_type', 'seq'])
    .execute();
  await db.schema
    .createIndex('cash_journal_entry_day_idx')
    .on('cash_journal_entry')
    .columns(['authority_ags', 'office_type', 'business_day'])
    .execute();
  await db.schema
    .createIndex('cash_journal_entry_ref_idx')
    .on('cash_journal_entry')
    .columns(['reference_type', 'reference_id'])
    .execute();

  await db.schema
    .createTable('cash_journal_day')
    .addColumn('authority_ags', 'text', (c) => c.notNull())
    .addColumn('office_type', 'text', (c) => c.notNull())
    .addColumn('business_day', 'text', (c) => c.notNull())
    .addColumn('entry_count', 'integer', (c) => c.notNull())
    .addColumn('first_seq', 'integer')
    .addColumn('last_seq', 'integer')
    .addColumn('total_in_cents', 'bigint', (c) => c.notNull())
    .addColumn('total_out_cents', 'bigint', (c) => c.notNull())
    .addColumn('balance_cents', 'bigint', (c) => c.notNull())
    .addColumn('counted_cents', 'bigint')
    .addColumn('closed_at', 'text', (c) => c.notNull())
    .addColumn('closed_by', 'text', (c) => c.notNull())
    .addColumn('closed_by_name', 'text', (c) => c.notNull())
    .addColumn('note', 'text')
    .addPrimaryKeyConstraint('cash_journal_day_pk', ['authority_ags', 'office_type', 'business_day'])
    .execute();

  // Second person's confirmation of a day closing (four eyes); separate so the day row stays frozen.
  await db.schema
    .createTable('cash_journal_day_confirmation')
    .addColumn('authority_ags', 'text', (c) => c.notNull())
    .addColumn('office_type', 'text', (c) => c.notNull())
    .addColumn('business_day', 'text', (c) => c.notNull())
    .addColumn('confirmed_at', 'text', (c) => c.notNull())
    .addColumn('confirmed_by', 'text', (c) => c.notNull())
    .addColumn('confirmed_by_name', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('cash_journal_day_conf_pk', ['authority_ags', 'office_type', 'business_day'])
    .execute();

  for (const table of ['cash_journal_entry', 'cash_journal_day', 'cash_journal_day_confirmation']) {
    if (isPostgres(db)) {
      // notbetrieb_refuse_change() exists since the initial migration.
      await sql`CREATE TRIGGER ${sql.raw(`${table}_append_only`)} BEFORE UPDATE OR DELETE ON ${sql.table(table)}
        FOR EACH ROW EXECUTE FUNCTION notbetrieb_refuse_change()`.execute(db);
    } else {
      await sql`CREATE TRIGGER ${sql.raw(`${table}_no_update`)} BEFORE UPDATE ON ${sql.table(table)}
        BEGIN SELECT RAISE(ABORT, ${sql.lit(`append-only table ${table}: UPDATE refused`)}); END`.execute(db);
      await sql`CREATE TRIGGER ${sql.raw(`${table}_no_delete`)} BEFORE DELETE ON ${sql.table(table)}
        BEGIN SELECT RAISE(ABORT, ${sql.lit(`append-only table ${table}: DELETE refused`)}); END`.execute(db);
    }
  }
}

function isPostgres(db: Kysely<any>): boolean {
  return db.getExecutor().adapter instanceof PostgresAdapter;
}

export async function down(): Promise<void> {
  throw new Error('Migrations are forward-only; restore a backup instead.');
}
