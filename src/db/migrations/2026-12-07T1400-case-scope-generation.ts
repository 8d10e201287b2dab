import { type Kysely, PostgresAdapter, sql } from 'kysely';

// Frozen migration: never edit after it has shipped. Uses Kysely<any> and no app imports.
//
// Cases at region scale (issue 17), SQLite only: generation numbers per office scope (authority,
// office type), raised by triggers in the same transaction as the write of a case of that scope —
// whichever code path writes it: `n` with every insert, update and delete, `t` only when the set of
// search keys changes (insert, delete, a changed search_text). The worklist keeps the bounded counts
// it has computed under `n`, the free-text match counts under `t`, and counts again only after that
// number has moved (src/core/cases/list.ts); most case actions change the status, not the text. PostgreSQL gets no such table: its instances would all update one row
// per office on every case write, which serialises the writes of an office across the region.

export async function up(db: Kysely<any>): Promise<void> {
  if (db.getExecutor().adapter instanceof PostgresAdapter) return;
  const run = (text: string) => sql.raw(text).execute(db);
  await run(`CREATE TABLE case_scope_generation (
    authority_ags text NOT NULL,
    office_type text NOT NULL,
    n integer NOT NULL,
    t integer NOT NULL,
    PRIMARY KEY (authority_ags, office_type)) WITHOUT ROWID`);
  const bump = (
    row: 'new' | 'old',
    text: 0 | 1,
  ) => `INSERT INTO case_scope_generation (authority_ags, office_type, n, t)
    VALUES (${row}.authority_ags, ${row}.office_type, 1, 1)
    ON CONFLICT (authority_ags, office_type) DO UPDATE SET n = n + 1, t = t + ${text};`;
  await run(`CREATE TRIGGER cases_generation_ai AFTER INSERT ON cases BEGIN ${bump('new', 1)} END`);
  await run(`CREATE TRIGGER cases_generation_au AFTER UPDATE ON cases
    WHEN old.search_text IS new.search_text AND old.authority_ags IS new.authority_ags
      AND old.office_type IS new.office_type
    BEGIN ${bump('new', 0)} END`);
  // The text changed, or the case moved to another scope (not done by the app, but possible by
  // hand): the matches of both scopes change.
  await run(`CREATE TRIGGER cases_generation_au_text AFTER UPDATE ON cases
    WHEN old.search_text IS NOT new.search_text OR old.authority_ags IS NOT new.authority_ags
      OR old.office_type IS NOT new.office_type
    BEGIN ${bump('old', 1)} ${bump('new', 1)} END`);
  await run(`CREATE TRIGGER cases_generation_ad AFTER DELETE ON cases BEGIN ${bump('old', 1)} END`);
}

export async function down(): Promise<void> {
  throw new Error('Migrations are forward-only; restore a backup instead.');
}
