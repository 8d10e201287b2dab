import { type Kysely, sql } from 'kysely';

// Frozen migration: never edit after it has shipped. Uses Kysely<any> and no app imports.
//
// Cases at region scale (issue 17): the crisis team's situation board (krisenstab figures) reads
// aggregates over every case. At 1 M cases its three queries scanned the table (SQLite: 9-11 s per
// region view, during which the single-threaded server answered nobody; PostgreSQL 2.2-2.7 s).
// Covering indexes make each an index-only read:
// - the backlog now, grouped by office, procedure and status (with the deadline for "overdue");
// - the cases changed since the first day of the series (closed per day), keyed by updated_at;
// - the cases created since then: cases_created_idx gets the office columns (same leading column,
//   so every query that used it still can).

export async function up(db: Kysely<any>): Promise<void> {
  const run = (text: string) => sql.raw(text).execute(db);
  await run(
    'CREATE INDEX cases_board_idx ON cases (authority_ags, office_type, procedure_id, status, deadline)',
  );
  await run(
    'CREATE INDEX cases_board_updated_idx ON cases (updated_at, authority_ags, office_type, procedure_id, status)',
  );
  await run('DROP INDEX cases_created_idx');
  await run('CREATE INDEX cases_created_idx ON cases (created_at, authority_ags, office_type)');
}

export async function down(): Promise<void> {
  throw new Error('Migrations are forward-only; restore a backup instead.');
}
