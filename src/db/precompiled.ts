import {
  type Compilable,
  type CompiledQuery,
  createQueryId,
  type Kysely,
  PostgresAdapter,
  type RawBuilder,
  type Transaction,
} from 'kysely';
import { prepareOnPostgres } from './database.js';
import type { Database } from './types.js';

/**
 * Statements built once with Kysely and then only re-bound.
 *
 * Building and compiling a query with Kysely's builder costs 10–30 µs of CPU each time (operation
 * node trees, immutable copies, the compiler walk) — more than SQLite needs to execute an indexed
 * lookup from the statement cache (2–5 µs). The requests on the hot path (session, permissions,
 * idempotency keys, case writes, audit chain) issue the same dozen statements over and over with
 * other values, so they are built here once per dialect, with named placeholders, and executed
 * with a fresh parameter list. The SQL still comes from Kysely (typed tables and columns, the
 * dialect's quoting and placeholders), so it stays one source for both dialects. On PostgreSQL
 * they also run as named prepared statements (parsed once per connection, database.ts).
 *
 *   const byId = precompiled((db, p) =>
 *     db.selectFrom('cases').selectAll().where('id', '=', p<string>('id')));
 *   const row = await byId.first(db, { id });
 *
 * A placeholder is a marker string that no input can contain (inputs with NUL are refused,
 * src/server/plugins/security.ts); every parameter of the compiled statement that is a marker is
 * replaced by the named value, all others (e.g. `limit(1)`) are kept. Only values may be
 * placeholders — never table or column names, operators or list lengths.
 */
const MARKER = '\u0000nb-param:';

type Slot = { name: string } | { value: unknown };

interface Template {
  sql: string;
  query: CompiledQuery['query'];
  slots: Slot[];
}

export type Placeholder = <T>(name: string) => T;

export interface Precompiled<O> {
  /** All rows. */
  rows(db: Kysely<Database> | Transaction<Database>, params: object): Promise<O[]>;
  /** The first row, if any. */
  first(db: Kysely<Database> | Transaction<Database>, params: object): Promise<O | undefined>;
  /** Rows affected by an insert, update or delete. */
  affected(db: Kysely<Database> | Transaction<Database>, params: object): Promise<number>;
}

export function precompiled<O>(
  build: (db: Kysely<Database>, p: Placeholder) => Compilable<O> | RawBuilder<O>,
): Precompiled<O> {
  // One template per dialect (adapter); a transaction shares its root's adapter.
  const templates = new WeakMap<object, Template>();
  const templateFor = (db: Kysely<Database>): Template => {
    const adapter = db.getExecutor().adapter;
    let t = templates.get(adapter);
    if (!t) {
      // A query builder compiles by itself, a raw `sql` template with the handle's dialect.
      const compiled = build(db, (name: string) => `${MARKER}${name}` as never).compile(db);
      t = {
        sql: compiled.sql,
        query: compiled.query,
        slots: compiled.parameters.map((v) =>
          typeof v === 'string' && v.startsWith(MARKER) ? { name: v.slice(MARKER.length) } : { value: v },
        ),
      };
      templates.set(adapter, t);
      // PostgreSQL: a named prepared statement per connection (database.ts).
      if (adapter instanceof PostgresAdapter) prepareOnPostgres(t.sql);
    }
    return t;
  };
  const execute = (db: Kysely<Database>, values: object) => {
    const params = values as Record<string, unknown>;
    const t = templateFor(db);
    const parameters = t.slots.map((s) => {
      if (!('name' in s)) return s.value;
      const v = params[s.name];
      if (v === undefined) throw new Error(`precompiled statement: no value for "${s.name}"`);
      return v;
    });
    const query: CompiledQuery<O> = { sql: t.sql, query: t.query, parameters, queryId: createQueryId() };
    return db.executeQuery<O>(query);
  };
  return {
    rows: async (db, params) => (await execute(db, params)).rows,
    first: async (db, params) => (await execute(db, params)).rows[0],
    affected: async (db, params) => Number((await execute(db, params)).numAffectedRows ?? 0n),
  };
}

/** Placeholders for the given columns, named like them: for inserts of whole rows. */
export function placeholdersFor<C extends string>(p: Placeholder, columns: readonly C[]): Record<C, never> {
  return Object.fromEntries(columns.map((c) => [c, p(c)])) as Record<C, never>;
}
