import { type Kysely, PostgresAdapter, sql } from 'kysely';

// Frozen migration: never edit after it has shipped. Uses Kysely<any> and no app imports.
//
// Cases at region scale (issue 17), PostgreSQL: the same generation numbers per office scope as on
// SQLite (migration 2026-12-07T1400-case-scope-generation: `n` moves with every insert, update and
// delete of a case of the scope, `t` only when search keys change), raised by one row trigger in
// the transaction of the write and so seen by every instance exactly when the write is. The
// worklists of all instances keep their bounded counts under them (src/core/cases/list.ts).
// The cost: a write takes the row lock of its office's generation until it commits, so the writes
// of one office follow one another at commit; a case create already waits so for its counter row
// (numbering), case actions of one office now do as well.

export async function up(db: Kysely<any>): Promise<void> {
  if (!(db.getExecutor().adapter instanceof PostgresAdapter)) return;
  const run = (text: string) => sql.raw(text).execute(db);
  await run(`CREATE TABLE case_scope_generation (
    authority_ags text NOT NULL,
    office_type text NOT NULL,
    n bigint NOT NULL,
    t bigint NOT NULL,
    PRIMARY KEY (authority_ags, office_type))`);
  await run(`CREATE FUNCTION nb_case_scope_bump(ags text, office text, text_changed integer) RETURNS void
    LANGUAGE sql AS $$
      INSERT INTO case_scope_generation AS g (authority_ags, office_type, n, t) VALUES (ags, office, 1, 1)
      ON CONFLICT (authority_ags, office_type) DO UPDATE SET n = g.n + 1, t = g.t + text_changed
    $$`);
  await run(`CREATE FUNCTION nb_cases_generation() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF TG_OP = 'INSERT' THEN
        PERFORM nb_case_scope_bump(NEW.authority_ags, NEW.office_type, 1);
      ELSIF TG_OP = 'DELETE' THEN
        PERFORM nb_case_scope_bump(OLD.authority_ags, OLD.office_type, 1);
      ELSIF OLD.search_text IS DISTINCT FROM NEW.search_text OR OLD.authority_ags IS DISTINCT FROM NEW.authority_ags
          OR OLD.office_type IS DISTINCT FROM NEW.office_type THEN
        PERFORM nb_case_scope_bump(OLD.authority_ags, OLD.office_type, 1);
        PERFORM nb_case_scope_bump(NEW.authority_ags, NEW.office_type, 1);
      ELSE
        PERFORM nb_case_scope_bump(NEW.authority_ags, NEW.office_type, 0);
      END IF;
      RETURN NULL;
    END $$`);
  await run(`CREATE TRIGGER cases_generation AFTER INSERT OR UPDATE OR DELETE ON cases
    FOR EACH ROW EXECUTE FUNCTION nb_cases_generation()`);
}

export async function down(): Promise<void> {
  throw new Error('Migrations are forward-only; restore a backup instead.');
}
