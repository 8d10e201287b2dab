import { type Kysely, PostgresAdapter, sql } from 'kysely';

// Frozen migration: never edit after it has shipped. Uses Kysely<any> and no app imports.
// Second factor (recovery codes, TOTP replay guard), brute-force counters kept in the database
// (shared by all app instances), and the hash-chained, append-only audit log. On PostgreSQL it
// also creates the group role `notbetrieb_app` for the running application: it may read and
// write everything except UPDATE/DELETE on the append-only tables audit_log and case_action.

export const APP_ROLE = 'notbetrieb_app';

export async function up(db: Kysely<any>): Promise<void> {
  // Last accepted TOTP time step: a code is accepted once only (RFC 6238 §5.2).
  await db.schema.alterTable('app_user').addColumn('totp_last_step', 'integer').execute();

  await db.schema
    .createTable('recovery_code')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'text', (c) => c.notNull().references('app_user.id'))
    // SHA-256 of an 80-bit random code: only the hash is stored.
    .addColumn('code_hash', 'text', (c) => c.notNull().unique())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('used_at', 'text')
    .execute();
  await db.schema.createIndex('recovery_code_user_idx').on('recovery_code').column('user_id').execute();

  await db.schema
    .createTable('login_attempt')
    .addColumn('id', 'text', (c) => c.primaryKey())
    // 'account' (SHA-256 of the lower-cased user name, also for unknown names) or 'address'.
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('subject', 'text', (c) => c.notNull())
    .addColumn('at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('login_attempt_subject_idx')
    .on('login_attempt')
    .columns(['kind', 'subject', 'at'])
    .execute();

  await db.schema
    .createTable('audit_log')
    // Position in the chain, 1-based, gap-free.
    .addColumn('seq', 'integer', (c) => c.primaryKey())
    .addColumn('at', 'text', (c) => c.notNull())
    .addColumn('actor_id', 'text')
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('method', 'text')
    .addColumn('route', 'text')
    // JSON object of target ids (never names or other personal data).
    .addColumn('target', 'text')
    .addColumn('status', 'integer')
    .addColumn('client_address', 'text')
    .addColumn('detail', 'text')
    .addColumn('prev_hash', 'text', (c) => c.notNull())
    .addColumn('hash', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('audit_log_actor_idx').on('audit_log').columns(['actor_id', 'at']).execute();

  if (db.getExecutor().adapter instanceof PostgresAdapter) {
    await sql`CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log
      FOR EACH ROW EXECUTE FUNCTION notbetrieb_refuse_change()`.execute(db);
    // Roles are cluster-wide: create once, tolerate a concurrent creator.
    await sql
      .raw(
        `DO $$ BEGIN
           IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '${APP_ROLE}') THEN
             CREATE ROLE ${APP_ROLE} NOLOGIN;
           END IF;
         EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL;
         END $$`,
      )
      .execute(db);
    await sql.raw(`GRANT USAGE ON SCHEMA public TO ${APP_ROLE}`).execute(db);
    await sql
      .raw(`GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO ${APP_ROLE}`)
      .execute(db);
    await sql.raw(`GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO ${APP_ROLE}`).execute(db);
    await sql.raw(`REVOKE UPDATE, DELETE, TRUNCATE ON audit_log, case_action FROM ${APP_ROLE}`).execute(db);
    // Tables of later migrations (created by the same owner) are granted automatically; a later
    // append-only table must revoke UPDATE/DELETE in its own migration.
    await sql
      .raw(
        `ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO ${APP_ROLE}`,
      )
      .execute(db);
    await sql
      .raw(`ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES TO ${APP_ROLE}`)
      .execute(db);
  } else {
    await sql`CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
      BEGIN SELECT RAISE(ABORT, 'append-only table audit_log: UPDATE refused'); END`.execute(db);
    await sql`CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
      BEGIN SELECT RAISE(ABORT, 'append-only table audit_log: DELETE refused'); END`.execute(db);
  }
}

export async function down(): Promise<void> {
  throw new Error('Migrations are forward-only; restore a backup instead.');
}
