import { type Kysely, PostgresAdapter, sql } from 'kysely';

// Frozen migration: never edit after it has shipped. Uses Kysely<any> and no app imports.
//
// Cases at region scale (issue 17): worklist, filters and free text over a million cases.
//
// - `is_open`: 1 while the case is in a non-final state, 0 once closed. Which states are final is
//   part of the procedure definitions, which a frozen migration cannot read: existing rows get NULL
//   here and the app sets them at start (src/core/cases/list.ts, reconcileOpenFlags), found
//   through the partial index on the NULL rows; every case write sets the flag itself.
// - List indexes per office scope (authority, office type) in the orders the worklist offers, so
//   a page is an index range read up to its LIMIT, never a sort of the whole scope. The deadline
//   sort key puts cases without a deadline last: coalesce(deadline, '9999-12-31'); the query uses
//   the very same expression.
// - Free text: the search key is search_text with the umlaut digraphs folded
//   (ae -> a, oe -> o, ue -> u; see foldForCaseSearch in src/core/text.ts), matched as a substring
//   per term. SQLite: a contentless FTS5 trigram index whose rowid carries the office scope in its
//   upper bits (scope number << 40 | cases.rowid), so one scope's matches are a rowid range;
//   triggers keep it in sync on every insert, update and delete. PostgreSQL: pg_trgm GIN index on
//   the same expression, used by LIKE '%term%'.
// The existing cases are indexed here (backfill).

const KEY_SQL = "replace(replace(replace(search_text, 'ae', 'a'), 'oe', 'o'), 'ue', 'u')";
const DEADLINE_KEY = "coalesce(deadline, '9999-12-31')";

export async function up(db: Kysely<any>): Promise<void> {
  const pg = db.getExecutor().adapter instanceof PostgresAdapter;
  const run = (text: string) => sql.raw(text).execute(db);

  await run('ALTER TABLE cases ADD COLUMN is_open integer');
  await run('CREATE INDEX cases_open_unknown_idx ON cases (id) WHERE is_open IS NULL');
  // Superseded by cases_list_status_idx (same leading columns).
  await run('DROP INDEX cases_scope_idx');
  await run(
    `CREATE INDEX cases_list_deadline_idx ON cases (authority_ags, office_type, is_open, (${DEADLINE_KEY}), id)`,
  );
  await run(
    `CREATE INDEX cases_list_procedure_idx ON cases (authority_ags, office_type, procedure_id, is_open, (${DEADLINE_KEY}), id)`,
  );
  await run(
    'CREATE INDEX cases_list_status_idx ON cases (authority_ags, office_type, status, created_at, id)',
  );
  await run('CREATE INDEX cases_list_created_idx ON cases (authority_ags, office_type, created_at, id)');
  await run('CREATE INDEX cases_list_updated_idx ON cases (authority_ags, office_type, updated_at, id)');
  await run(
    'CREATE INDEX cases_list_aktenzeichen_idx ON cases (authority_ags, office_type, aktenzeichen, id)',
  );

  if (pg) {
    await run('CREATE EXTENSION IF NOT EXISTS pg_trgm');
    await run(`CREATE INDEX cases_search_trgm_idx ON cases USING gin ((${KEY_SQL}) gin_trgm_ops)`);
    return;
  }

  await run(`CREATE TABLE case_search_scope (
    id integer PRIMARY KEY,
    authority_ags text NOT NULL,
    office_type text NOT NULL,
    UNIQUE (authority_ags, office_type))`);
  await run(
    "CREATE VIRTUAL TABLE cases_fts USING fts5(search_key, content='', contentless_delete=1, tokenize='trigram case_sensitive 1')",
  );
  const key = (row: 'new' | 'old') =>
    `(SELECT (s.id << 40) + ${row}.rowid FROM case_search_scope s WHERE s.authority_ags = ${row}.authority_ags AND s.office_type = ${row}.office_type)`;
  const insertNew = `
    INSERT OR IGNORE INTO case_search_scope (authority_ags, office_type) VALUES (new.authority_ags, new.office_type);
    INSERT INTO cases_fts (rowid, search_key) VALUES (${key('new')}, ${KEY_SQL.replace('search_text', 'new.search_text')});`;
  await run(`CREATE TRIGGER cases_search_ai AFTER INSERT ON cases BEGIN ${insertNew} END`);
  await run(`CREATE TRIGGER cases_search_au AFTER UPDATE OF search_text, authority_ags, office_type ON cases
    WHEN old.search_text IS NOT new.search_text OR old.authority_ags IS NOT new.authority_ags
      OR old.office_type IS NOT new.office_type
    BEGIN DELETE FROM cases_fts WHERE rowid = ${key('old')}; ${insertNew} END`);
  await run(`CREATE TRIGGER cases_search_ad AFTER DELETE ON cases
    BEGIN DELETE FROM cases_fts WHERE rowid = ${key('old')}; END`);

  // Backfill: the scopes that have cases, then every case's search key.
  await run(`INSERT INTO case_search_scope (authority_ags, office_type)
    SELECT DISTINCT authority_ags, office_type FROM cases ORDER BY 1, 2`);
  await run(`INSERT INTO cases_fts (rowid, search_key)
    SELECT (s.id << 40) + c.rowid, ${KEY_SQL.replace('search_text', 'c.search_text')}
    FROM cases c JOIN case_search_scope s ON s.authority_ags = c.authority_ags AND s.office_type = c.office_type`);
}

export async function down(): Promise<void> {
  throw new Error('Migrations are forward-only; restore a backup instead.');
}
