import { type Kysely, PostgresAdapter, sql } from 'kysely';

// Frozen migration: never edit after it has shipped. Uses Kysely<any> and no app imports.
//
// Cases at region scale (issue 17), SQLite only: a generation number per office scope (authority,
// office type), raised by triggers in the same transaction as every insert, update and delete of a
// case of that scope — whichever code path writes it. The worklist keeps the bounded counts it has
// computed under the scope's generation and counts again only after the scope has changed
// (src/core/cases/list.ts). PostgreSQL gets no such table: its instances would all update one row
// per office on every case write, which serialises the writes of an office across the region.

export async function up(db: Kysely<any>): Promise<void> {
  if (db.getExecutor().adapter instanceof PostgresAdapter) return;
  const run = (text: string) => sql.raw(text).execute(db);
  await run(`CREATE TABLE case_scope_generation (
    authority_ags text NOT NULL,
    office_type text NOT NULL,
    n integer NOT NULL,
    PRIMARY KEY (authority_ags, office_type)) WITHOUT ROWID`);
  const bump = (row: 'new' | 'old') => `INSERT INTO case_scope_generation (authority_ags, office_type, n)
    VALUES (${row}.authority_ags, ${row}.office_type, 1)
    ON CONFLICT (authority_ags, office_type) DO UPDATE SET n = n + 1;`;
  await run(`CREATE TRIGGER cases_generation_ai AFTER INSERT ON cases BEGIN ${bump('new')} END`);
  await run(`CREATE TRIGGER cases_generation_au AFTER UPDATE ON cases BEGIN ${bump('new')} END`);
  // A case moved to another scope (not done by the app, but possible by hand) changes both.
  await run(`CREATE TRIGGER cases_generation_au_moved AFTER UPDATE OF authority_ags, office_type ON cases
    WHEN old.authority_ags IS NOT new.authority_ags OR old.office_type IS NOT new.office_type
    BEGIN ${bump('old')} END`);
  await run(`CREATE TRIGGER cases_generation_ad AFTER DELETE ON cases BEGIN ${bump('old')} END`);
}

export async function down(): Promise<void> {
  throw new Error('Migrations are forward-only; restore a backup instead.');
}
