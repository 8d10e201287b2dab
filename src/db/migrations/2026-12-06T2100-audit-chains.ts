import { type Kysely, PostgresAdapter, sql } from 'kysely';

// Frozen migration: never edit after it has shipped. Uses Kysely<any> and no app imports.
//
// Audit chains (issue 17, point 2): the audit log becomes several hash chains, one per authority
// (AGS) plus the installation's own chain ('installation': logins, admin acts, users without a
// single authority), so that appends of different authorities no longer wait for each other.
// `seq` is the position within its chain; the primary key becomes (chain, seq). The rows written
// before this migration form the one chain there was and become the 'installation' chain, unchanged:
// the hash of a row does not include its chain's name, so they stay verifiable as they are.
//
// PostgreSQL also gets `nb_audit_append`, which appends one entry to a chain in one round trip:
// it takes the chain's advisory lock (held until the transaction ends), reads the chain head with a
// fresh snapshot (a VOLATILE function takes one per statement), computes the row's hash exactly as
// the app does (SHA-256 over prev_hash, "\n", the JSON array of the content; the caller passes that
// array without its first element, the seq, which only the function knows) and inserts the row.

const HEX_ZERO = '0'.repeat(64);

export async function up(db: Kysely<any>): Promise<void> {
  if (db.getExecutor().adapter instanceof PostgresAdapter) {
    // A column with a constant default is added without rewriting rows (no row trigger fires).
    await sql`ALTER TABLE audit_log ADD COLUMN chain text NOT NULL DEFAULT 'installation'`.execute(db);
    await sql`ALTER TABLE audit_log ALTER COLUMN chain DROP DEFAULT`.execute(db);
    await sql`ALTER TABLE audit_log DROP CONSTRAINT audit_log_pkey`.execute(db);
    await sql`ALTER TABLE audit_log ADD CONSTRAINT audit_log_pkey PRIMARY KEY (chain, seq)`.execute(db);
    await sql
      .raw(
        `CREATE FUNCTION nb_audit_append(
           p_chain text, p_at text, p_actor_id text, p_action text, p_method text, p_route text,
           p_target text, p_status integer, p_client_address text, p_detail text, p_content_tail text)
         RETURNS integer LANGUAGE plpgsql VOLATILE AS $$
         DECLARE
           v_seq integer;
           v_prev text;
           v_hash text;
         BEGIN
           PERFORM pg_advisory_xact_lock(1312964949, hashtext(p_chain)); -- 0x4e424155, "NBAU", as in the app
           SELECT seq, hash INTO v_seq, v_prev FROM audit_log WHERE chain = p_chain ORDER BY seq DESC LIMIT 1;
           v_seq := coalesce(v_seq, 0) + 1;
           v_prev := coalesce(v_prev, '${HEX_ZERO}');
           v_hash := encode(sha256(convert_to(v_prev || E'\\n' || '[' || v_seq::text || ',' || p_content_tail, 'UTF8')), 'hex');
           INSERT INTO audit_log (chain, seq, at, actor_id, action, method, route, target, status,
                                  client_address, detail, prev_hash, hash)
           VALUES (p_chain, v_seq, p_at, p_actor_id, p_action, p_method, p_route, p_target, p_status,
                   p_client_address, p_detail, v_prev, v_hash);
           RETURN v_seq;
         END $$`,
      )
      .execute(db);
    return;
  }
  // SQLite cannot change a primary key: rebuild the table (inside the migration's transaction).
  // DROP TABLE does not fire the DELETE trigger; triggers and indexes are created again below.
  await sql`CREATE TABLE audit_log_chained (
    chain text NOT NULL,
    seq integer NOT NULL,
    at text NOT NULL,
    actor_id text,
    action text NOT NULL,
    method text,
    route text,
    target text,
    status integer,
    client_address text,
    detail text,
    prev_hash text NOT NULL,
    hash text NOT NULL,
    PRIMARY KEY (chain, seq)
  )`.execute(db);
  await sql`INSERT INTO audit_log_chained (chain, seq, at, actor_id, action, method, route, target,
      status, client_address, detail, prev_hash, hash)
    SELECT 'installation', seq, at, actor_id, action, method, route, target, status, client_address,
      detail, prev_hash, hash FROM audit_log ORDER BY seq`.execute(db);
  await sql`DROP TABLE audit_log`.execute(db);
  await sql`ALTER TABLE audit_log_chained RENAME TO audit_log`.execute(db);
  await sql`CREATE INDEX audit_log_actor_idx ON audit_log (actor_id, at)`.execute(db);
  await sql`CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
    BEGIN SELECT RAISE(ABORT, 'append-only table audit_log: UPDATE refused'); END`.execute(db);
  await sql`CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
    BEGIN SELECT RAISE(ABORT, 'append-only table audit_log: DELETE refused'); END`.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('Migrations are forward-only; restore a backup instead.');
}
