import { type Kysely, PostgresAdapter, sql } from 'kysely';

// Frozen migration: never edit after it has shipped. Uses Kysely<any> and no app imports.
//
// Cases at region scale (issue 17), PostgreSQL only: the two list indexes keyed by the deadline
// expression coalesce(deadline, '9999-12-31') also carry the plain `deadline` column (INCLUDE).
// PostgreSQL plans an index-only scan only when every column a query refers to is in the index,
// and it counts the expression as a use of `deadline`; without it the bounded count of the
// "overdue" filter read ~9 000 heap pages per request at 1 M cases (bitmap heap scan, 14-20 ms)
// instead of the index alone (~2-5 ms). SQLite reads expression values from the index already.

const DEADLINE_KEY = "coalesce(deadline, '9999-12-31')";

export async function up(db: Kysely<any>): Promise<void> {
  if (!(db.getExecutor().adapter instanceof PostgresAdapter)) return;
  const run = (text: string) => sql.raw(text).execute(db);
  const rebuild = async (name: string, columns: string) => {
    await run(`CREATE INDEX ${name}_new ON cases (${columns}) INCLUDE (deadline)`);
    await run(`DROP INDEX ${name}`);
    await run(`ALTER INDEX ${name}_new RENAME TO ${name}`);
  };
  await rebuild('cases_list_deadline_idx', `authority_ags, office_type, is_open, (${DEADLINE_KEY}), id`);
  await rebuild(
    'cases_list_procedure_idx',
    `authority_ags, office_type, procedure_id, is_open, (${DEADLINE_KEY}), id`,
  );
}

export async function down(): Promise<void> {
  throw new Error('Migrations are forward-only; restore a backup instead.');
}
