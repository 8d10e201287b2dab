import { type Kysely, PostgresAdapter, sql } from 'kysely';

// Frozen migration: never edit after it has shipped. Uses Kysely<any> and no app imports.
//
// Payment runs (Zahlungsläufe, src/core/payments, docs/PAYMENTS.md): the paying account of an
// office, runs that collect the due payments of decided cases, one row per payment, the claim that
// keeps an obligation in at most one live run, the SEPA file of an approved run, returned
// payments (Rückläufer) and their re-queueing, and cash payouts through the cash journal.
// Four eyes in the database too: an approved run must have been approved by another person than
// the one who prepared it (CHECK), and a run is frozen once it left the state 'vorbereitet'
// (trigger). Payments, files, returns and cash payouts are append-only (triggers; on PostgreSQL the
// app role loses UPDATE/DELETE on them).

const APPEND_ONLY = ['payment', 'payment_file', 'payment_return', 'payment_requeue', 'payment_cash'];

export async function up(db: Kysely<any>): Promise<void> {
  // The office's own account (Auftraggeberkonto): the debtor of its SEPA files.
  await db.schema
    .createTable('payment_account')
    .addColumn('authority_ags', 'text', (c) => c.notNull())
    .addColumn('office_type', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('iban', 'text', (c) => c.notNull())
    .addColumn('bic', 'text')
    .addColumn('town', 'text', (c) => c.notNull())
    .addColumn('country', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('updated_by', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('payment_account_pk', ['authority_ags', 'office_type'])
    .execute();

  await db.schema
    .createTable('payment_run')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('installation_id', 'text', (c) => c.notNull())
    .addColumn('authority_ags', 'text', (c) => c.notNull())
    .addColumn('office_type', 'text', (c) => c.notNull())
    /** Benefit month "YYYY-MM" of a monthly run, null for a run by date. */
    .addColumn('period', 'text')
    /** Payments due on or before this day are collected. */
    .addColumn('due_until', 'text', (c) => c.notNull())
    /** Requested execution date of the transfers (ReqdExctnDt). */
    .addColumn('execution_date', 'text', (c) => c.notNull())
    /** 'vorbereitet' | 'freigegeben' | 'verworfen' */
    .addColumn('status', 'text', (c) => c.notNull())
    /** SEPA message id (GrpHdr/MsgId), unique. */
    .addColumn('msg_id', 'text', (c) => c.notNull().unique())
    .addColumn('debtor_name', 'text')
    .addColumn('debtor_iban', 'text')
    .addColumn('debtor_bic', 'text')
    .addColumn('debtor_town', 'text')
    .addColumn('debtor_country', 'text')
    .addColumn('transfer_count', 'integer', (c) => c.notNull())
    .addColumn('transfer_sum_cents', 'bigint', (c) => c.notNull())
    .addColumn('cash_count', 'integer', (c) => c.notNull())
    .addColumn('cash_sum_cents', 'bigint', (c) => c.notNull())
    /** JSON array of due payments that could not be taken (with the reason). */
    .addColumn('skipped', 'text', (c) => c.notNull())
    .addColumn('prepared_at', 'text', (c) => c.notNull())
    .addColumn('prepared_by', 'text', (c) => c.notNull())
    .addColumn('prepared_by_name', 'text', (c) => c.notNull())
    .addColumn('decided_at', 'text')
    .addColumn('decided_by', 'text')
    .addColumn('decided_by_name', 'text')
    .addColumn('discard_reason', 'text')
    .addCheckConstraint(
      'payment_run_four_eyes',
      sql`status <> 'freigegeben' OR (decided_by IS NOT NULL AND decided_by <> prepared_by)`,
    )
    .addCheckConstraint('payment_run_status', sql`status IN ('vorbereitet', 'freigegeben', 'verworfen')`)
    .execute();
  await db.schema
    .createIndex('payment_run_scope_idx')
    .on('payment_run')
    .columns(['authority_ags', 'office_type', 'prepared_at'])
    .execute();

  await db.schema
    .createTable('payment')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('run_id', 'text', (c) => c.notNull().references('payment_run.id'))
    .addColumn('seq', 'integer', (c) => c.notNull())
    /** The contributing family (ServerFamily.payments). */
    .addColumn('source', 'text', (c) => c.notNull())
    /** The obligation this payment settles; the same obligation again has the same key. */
    .addColumn('obligation_key', 'text', (c) => c.notNull())
    .addColumn('case_id', 'text', (c) => c.notNull())
    .addColumn('aktenzeichen', 'text', (c) => c.notNull())
    /** The decision the payment rests on: id of the case action and its German label. */
    .addColumn('decision_ref', 'text', (c) => c.notNull())
    .addColumn('decision_label', 'text', (c) => c.notNull())
    .addColumn('period', 'text', (c) => c.notNull())
    .addColumn('due_on', 'text', (c) => c.notNull())
    .addColumn('purpose', 'text', (c) => c.notNull())
    .addColumn('amount_cents', 'bigint', (c) => c.notNull())
    /** 'ueberweisung' | 'bar' */
    .addColumn('method', 'text', (c) => c.notNull())
    .addColumn('payee_name', 'text', (c) => c.notNull())
    .addColumn('iban', 'text')
    .addColumn('bic', 'text')
    .addColumn('street', 'text')
    .addColumn('building_number', 'text')
    .addColumn('postcode', 'text')
    .addColumn('town', 'text')
    .addColumn('country', 'text')
    .addColumn('address_lines', 'text')
    .addColumn('remittance', 'text', (c) => c.notNull())
    .addColumn('end_to_end_id', 'text', (c) => c.notNull().unique())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('payment_run_seq_uq', ['run_id', 'seq'])
    .addCheckConstraint('payment_amount_positive', sql`amount_cents > 0`)
    .execute();
  await db.schema.createIndex('payment_case_idx').on('payment').column('case_id').execute();
  await db.schema.createIndex('payment_obligation_idx').on('payment').column('obligation_key').execute();

  // An obligation is in at most one live run: claimed on preparation, released when the run is
  // discarded or the payment comes back and is re-queued.
  await db.schema
    .createTable('payment_claim')
    .addColumn('obligation_key', 'text', (c) => c.primaryKey())
    .addColumn('payment_id', 'text', (c) => c.notNull())
    .addColumn('run_id', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('payment_claim_run_idx').on('payment_claim').column('run_id').execute();

  // The SEPA file of an approved run, kept as written: the same bytes (same SHA-256) on every download.
  await db.schema
    .createTable('payment_file')
    .addColumn('run_id', 'text', (c) => c.primaryKey())
    .addColumn('file_name', 'text', (c) => c.notNull())
    .addColumn('content', 'text', (c) => c.notNull())
    .addColumn('sha256', 'text', (c) => c.notNull())
    .addColumn('bytes', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();

  // A transfer the bank returned (Rücklastschrift/Rücküberweisung, R-transaction).
  await db.schema
    .createTable('payment_return')
    .addColumn('payment_id', 'text', (c) => c.primaryKey())
    .addColumn('reason_code', 'text', (c) => c.notNull())
    .addColumn('note', 'text')
    .addColumn('recorded_at', 'text', (c) => c.notNull())
    .addColumn('recorded_by', 'text', (c) => c.notNull())
    .addColumn('recorded_by_name', 'text', (c) => c.notNull())
    .execute();

  // A returned payment put back for the next run (its claim released).
  await db.schema
    .createTable('payment_requeue')
    .addColumn('payment_id', 'text', (c) => c.primaryKey())
    .addColumn('requeued_at', 'text', (c) => c.notNull())
    .addColumn('requeued_by', 'text', (c) => c.notNull())
    .addColumn('requeued_by_name', 'text', (c) => c.notNull())
    .execute();

  // A cash payment paid out at the counter: its entry in the office's cash journal.
  await db.schema
    .createTable('payment_cash')
    .addColumn('payment_id', 'text', (c) => c.primaryKey())
    .addColumn('cash_entry_id', 'text', (c) => c.notNull().unique())
    .addColumn('paid_at', 'text', (c) => c.notNull())
    .addColumn('paid_by', 'text', (c) => c.notNull())
    .addColumn('paid_by_name', 'text', (c) => c.notNull())
    .execute();

  if (isPostgres(db)) {
    for (const table of APPEND_ONLY) {
      // notbetrieb_refuse_change() exists since the initial migration.
      await sql`CREATE TRIGGER ${sql.raw(`${table}_append_only`)} BEFORE UPDATE OR DELETE ON ${sql.table(table)}
        FOR EACH ROW EXECUTE FUNCTION notbetrieb_refuse_change()`.execute(db);
    }
    await sql`CREATE FUNCTION notbetrieb_payment_run_frozen() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP = 'DELETE' THEN RAISE EXCEPTION 'payment_run: DELETE refused'; END IF;
        IF OLD.status <> 'vorbereitet' THEN
          RAISE EXCEPTION 'payment_run %: frozen in status %', OLD.id, OLD.status;
        END IF;
        IF NEW.prepared_by IS DISTINCT FROM OLD.prepared_by OR NEW.id IS DISTINCT FROM OLD.id THEN
          RAISE EXCEPTION 'payment_run %: preparer and id cannot change', OLD.id;
        END IF;
        RETURN NEW;
      END $$`.execute(db);
    await sql`CREATE TRIGGER payment_run_frozen BEFORE UPDATE OR DELETE ON payment_run
      FOR EACH ROW EXECUTE FUNCTION notbetrieb_payment_run_frozen()`.execute(db);
    // The app role (2026-11-26T1800-security) keeps SELECT and INSERT only on the append-only tables.
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
    await sql`CREATE TRIGGER payment_run_frozen BEFORE UPDATE ON payment_run
      WHEN OLD.status <> 'vorbereitet' OR NEW.prepared_by IS NOT OLD.prepared_by OR NEW.id IS NOT OLD.id
      BEGIN SELECT RAISE(ABORT, 'payment_run: frozen once approved or discarded'); END`.execute(db);
    await sql`CREATE TRIGGER payment_run_no_delete BEFORE DELETE ON payment_run
      BEGIN SELECT RAISE(ABORT, 'payment_run: DELETE refused'); END`.execute(db);
  }
}

function isPostgres(db: Kysely<any>): boolean {
  return db.getExecutor().adapter instanceof PostgresAdapter;
}

export async function down(): Promise<void> {
  throw new Error('Migrations are forward-only; restore a backup instead.');
}
