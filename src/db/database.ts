import fs from 'node:fs';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import {
  type CompiledQuery,
  type DatabaseConnection,
  type DialectAdapter,
  type Driver,
  Kysely,
  PostgresDialect,
  type QueryResult,
  SelectQueryNode,
  SqliteAdapter,
  type SqliteDatabase,
  SqliteDialect,
  type SqliteStatement,
} from 'kysely';
import pg from 'pg';
import type { Database } from './types.js';

export type DialectName = 'sqlite' | 'postgres';

export interface DatabaseHandle {
  db: Kysely<Database>;
  dialect: DialectName;
  /** Pool statistics for /metrics (PostgreSQL); SQLite reports its single connection. */
  poolStats(): { total: number; idle: number; waiting: number };
  close(): Promise<void>;
  /**
   * The raw SQLite connection (SQLite only), for bulk loads that need prepared statements in one
   * big synchronous transaction (register import). Never use it while Kysely work is in flight.
   */
  sqlite?: SQLite.Database;
}

/**
 * SQLite does support transactional DDL; Kysely's adapter says it does not, which would make the
 * migrator run each migration outside a transaction. This adapter lets the migrator wrap every
 * migration together with its bookkeeping row in one transaction, as it does on PostgreSQL.
 */
class TransactionalSqliteAdapter extends SqliteAdapter {
  override get supportsTransactionalDdl(): boolean {
    return true;
  }
}

/** A lock that serves waiters in arrival order and wakes only the next one on release. */
class FifoMutex {
  #locked = false;
  readonly #waiters: Array<() => void> = [];

  lock(): Promise<void> {
    if (!this.#locked) {
      this.#locked = true;
      return Promise.resolve();
    }
    return new Promise((resolve) => this.#waiters.push(resolve));
  }

  unlock(): void {
    const next = this.#waiters.shift();
    if (next) next();
    else this.#locked = false;
  }
}

/**
 * The SQLite driver: one writing connection and, for a database file, one reading connection.
 *
 * Writes and transactions go through the writing connection, one at a time, served in arrival
 * order by a FIFO lock (Kysely's own lock woke every waiter on each release and let newcomers
 * overtake; under the 200-connection load test single requests starved for more than 30 s).
 *
 * Plain reads outside a transaction (a `SELECT`/`WITH` statement that SQLite reports read-only)
 * run on the reading connection without taking the lock: in WAL mode a reader sees the last
 * committed state and never waits for a writer. Before this, every request's session, permission
 * and key lookups queued behind whatever write transaction held the single connection — so
 * concurrent writes could never meet in one group commit (src/db/group-commit.ts) and every
 * request waited for each other request's fsync. A read never sees uncommitted data of a running
 * transaction; a request that committed a write sees it in its next read (same process, the
 * commit has happened). Streams (large exports) stay on the writing connection under the lock, as
 * better-sqlite3 allows no other statement on a connection while one iterates.
 *
 * `:memory:` databases have no second connection (it would be another database); everything
 * then runs on the one connection under the lock.
 */
class NotbetriebSqliteDriver implements Driver {
  readonly #rawWriter: SQLite.Database;
  readonly #writer: SqliteDatabase;
  readonly #reader: SqliteDatabase | undefined;
  readonly #lock = new FifoMutex();

  constructor(writer: SQLite.Database, reader: SQLite.Database | undefined) {
    this.#rawWriter = writer;
    this.#writer = withStatementCache(writer);
    this.#reader = reader ? withStatementCache(reader) : undefined;
  }

  async init(): Promise<void> {}

  async acquireConnection(): Promise<DatabaseConnection> {
    return new RoutedSqliteConnection(this.#rawWriter, this.#writer, this.#reader, this.#lock);
  }

  async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await (connection as RoutedSqliteConnection).begin();
  }

  async commitTransaction(connection: DatabaseConnection): Promise<void> {
    await (connection as RoutedSqliteConnection).end('commit');
  }

  async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    await (connection as RoutedSqliteConnection).end('rollback');
  }

  async releaseConnection(connection: DatabaseConnection): Promise<void> {
    (connection as RoutedSqliteConnection).release();
  }

  async destroy(): Promise<void> {
    this.#reader?.close();
    this.#writer.close();
  }
}

/** SELECT or WITH at the start (after whitespace and comments Kysely never emits). */
const READ_STATEMENT = /^\s*(select|with)\b/i;

class RoutedSqliteConnection implements DatabaseConnection {
  readonly #rawWriter: SQLite.Database;
  readonly #writer: SqliteDatabase;
  readonly #reader: SqliteDatabase | undefined;
  readonly #lock: FifoMutex;
  /** True from BEGIN to COMMIT/ROLLBACK: this connection holds the writing connection. */
  #inTransaction = false;

  constructor(
    rawWriter: SQLite.Database,
    writer: SqliteDatabase,
    reader: SqliteDatabase | undefined,
    lock: FifoMutex,
  ) {
    this.#rawWriter = rawWriter;
    this.#writer = writer;
    this.#reader = reader;
    this.#lock = lock;
  }

  async begin(): Promise<void> {
    await this.#lock.lock();
    try {
      // IMMEDIATE: the write lock at the start, waiting (busy_timeout) for another process's
      // writer (a CLI import, a second tool on the file). A deferred transaction that first reads
      // and then writes fails at once with SQLITE_BUSY when another connection committed meanwhile.
      run(this.#writer.prepare('begin immediate'), []);
    } catch (err) {
      this.#lock.unlock();
      throw err;
    }
    this.#inTransaction = true;
  }

  async end(command: 'commit' | 'rollback'): Promise<void> {
    if (!this.#inTransaction) throw new Error(`SQLite: ${command} without a transaction`);
    if (command === 'commit') {
      // A failed COMMIT leaves the transaction open; Kysely then rolls back on this connection.
      run(this.#writer.prepare('commit'), []);
      this.#done();
      return;
    }
    try {
      // Some errors (e.g. a full disk) make SQLite roll back by itself.
      if (this.#rawWriter.inTransaction) run(this.#writer.prepare('rollback'), []);
    } finally {
      this.#done();
    }
  }

  #done(): void {
    this.#inTransaction = false;
    this.#lock.unlock();
  }

  /** Kysely releases the connection after the transaction (or the single query) ended. */
  release(): void {
    if (!this.#inTransaction) return;
    // Never left holding the lock or an open transaction, whatever happened in between.
    try {
      if (this.#rawWriter.inTransaction) run(this.#writer.prepare('rollback'), []);
    } finally {
      this.#done();
    }
  }

  async executeQuery<R>(compiledQuery: CompiledQuery): Promise<QueryResult<R>> {
    const { sql: text, parameters } = compiledQuery;
    if (this.#inTransaction) return run(this.#writer.prepare(text), parameters) as QueryResult<R>;
    if (this.#reader && READ_STATEMENT.test(text)) {
      const stmt = this.#reader.prepare(text) as SqliteStatement & { readonly?: boolean };
      if (stmt.reader && stmt.readonly === true) return run(stmt, parameters) as QueryResult<R>;
    }
    await this.#lock.lock();
    try {
      return run(this.#writer.prepare(text), parameters) as QueryResult<R>;
    } finally {
      this.#lock.unlock();
    }
  }

  async *streamQuery<R>(compiledQuery: CompiledQuery): AsyncIterableIterator<QueryResult<R>> {
    const { sql: text, parameters, query } = compiledQuery;
    if (!SelectQueryNode.is(query)) throw new Error('SQLite: only SELECT queries can be streamed');
    const locked = !this.#inTransaction;
    if (locked) await this.#lock.lock();
    try {
      for (const row of this.#writer.prepare(text).iterate(parameters)) yield { rows: [row as R] };
    } finally {
      if (locked) this.#lock.unlock();
    }
  }
}

function run(stmt: SqliteStatement, parameters: ReadonlyArray<unknown>): QueryResult<unknown> {
  if (stmt.reader) return { rows: stmt.all(parameters) };
  const { changes, lastInsertRowid } = stmt.run(parameters);
  return {
    numAffectedRows: changes !== undefined && changes !== null ? BigInt(changes) : undefined,
    insertId: lastInsertRowid !== undefined && lastInsertRowid !== null ? BigInt(lastInsertRowid) : undefined,
    rows: [],
  };
}

class TransactionalSqliteDialect extends SqliteDialect {
  readonly #writer: SQLite.Database;
  readonly #reader: SQLite.Database | undefined;

  constructor(writer: SQLite.Database, reader: SQLite.Database | undefined) {
    super({ database: writer });
    this.#writer = writer;
    this.#reader = reader;
  }

  override createAdapter(): DialectAdapter {
    return new TransactionalSqliteAdapter();
  }

  override createDriver(): Driver {
    return new NotbetriebSqliteDriver(this.#writer, this.#reader);
  }
}

export interface OpenDatabaseOptions {
  databaseUrl?: string | undefined;
  /** Directory of the SQLite file (`notbetrieb.sqlite`); ignored for PostgreSQL. */
  dataDir?: string;
  /** Full path of the SQLite file; overrides dataDir. `:memory:` for throw-away databases. */
  sqliteFile?: string;
  poolSize?: number;
}

export function openSqlite(file: string): SQLite.Database {
  if (file !== ':memory:') fs.mkdirSync(path.dirname(file), { recursive: true });
  const sqlite = new SQLite(file);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = FULL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  return sqlite;
}

function openSqliteReader(file: string): SQLite.Database {
  const reader = new SQLite(file, { readonly: true, fileMustExist: true });
  reader.pragma('busy_timeout = 5000');
  // Lists and searches read rows all over a large file (issue 17: 1 M cases, 2.5 GB): a larger
  // page cache. No memory-mapped reads: every request that reads personal data commits an audit
  // entry, and at the next read after any commit SQLite drops this connection's whole page cache
  // and unmaps the file (pager.c, pagerBeginReadTransaction), so every page faults in anew; with mmap the register search cost 2.7–3.4
  // instead of 1.7–1.9 ms of CPU per request at one connection (docs/PERFORMANCE.md, 7/8 Dec).
  reader.pragma('cache_size = -131072');
  return reader;
}

/**
 * Kysely's SQLite driver prepares every query anew. In the register search (five queries per
 * search) preparing took about a third of the CPU time of a search; the app issues a limited set of
 * distinct statements (values are bound parameters), so a small LRU cache of prepared statements
 * per connection removes that. A statement still iterating (a stream) is never handed out twice:
 * a busy one gets a fresh, uncached statement. SQLite re-prepares a cached statement by itself
 * after a schema change.
 */
export function withStatementCache(sqlite: SQLite.Database, max = 256): SqliteDatabase {
  const cache = new Map<string, SQLite.Statement>();
  return {
    close: () => {
      cache.clear();
      sqlite.close();
    },
    prepare(text: string) {
      const hit = cache.get(text);
      if (hit) {
        if (hit.busy) return sqlite.prepare(text);
        cache.delete(text); // re-insert: most recently used last
        cache.set(text, hit);
        return hit;
      }
      const stmt = sqlite.prepare(text);
      cache.set(text, stmt);
      if (cache.size > max) {
        const oldest = cache.keys().next().value;
        if (oldest !== undefined) cache.delete(oldest);
      }
      return stmt;
    },
  };
}

export function sqliteFileFor(dataDir: string): string {
  return path.join(dataDir, 'notbetrieb.sqlite');
}

/**
 * PostgreSQL: SQL texts run as named prepared statements (text -> name). The hot statements
 * (db/precompiled.ts) register here: each connection then parses and plans them once and later
 * only binds values, instead of sending and parsing the full text on every request (the case
 * write's single statement is about 2.5 kB of SQL). Only registered texts are prepared, so the
 * number of prepared statements per connection stays bounded; builder-made queries with changing
 * shapes run unnamed as before. (Behind PgBouncer this needs session pooling, or PgBouncer 1.21+
 * with max_prepared_statements: docs/OPERATIONS.md.)
 */
const preparedNames = new Map<string, string>();

export function prepareOnPostgres(text: string): void {
  if (!preparedNames.has(text)) preparedNames.set(text, `nb_${preparedNames.size + 1}`);
}

class PreparingClient extends pg.Client {
  // pg's overloads: query(text, values) is what Kysely calls; everything else passes through.
  override query(...args: unknown[]): never {
    const [text, values] = args;
    if (typeof text === 'string' && Array.isArray(values) && args.length === 2) {
      const name = preparedNames.get(text);
      if (name) return (super.query as (c: unknown) => never)({ name, text, values });
    }
    return (super.query as (...a: unknown[]) => never)(...args);
  }
}

export function openDatabase(opts: OpenDatabaseOptions): DatabaseHandle {
  if (opts.databaseUrl) {
    const pool = new pg.Pool({
      connectionString: opts.databaseUrl,
      max: opts.poolSize ?? 10,
      Client: PreparingClient as unknown as typeof pg.Client,
    });
    // An idle client that loses its connection must not crash the process.
    pool.on('error', () => {});
    const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
    return {
      db,
      dialect: 'postgres',
      poolStats: () => ({ total: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount }),
      close: () => db.destroy(),
    };
  }
  const file = opts.sqliteFile ?? sqliteFileFor(opts.dataDir ?? './data');
  const sqlite = openSqlite(file);
  // The reading connection (see NotbetriebSqliteDriver); read-only, so a misrouted write fails.
  const reader = file === ':memory:' ? undefined : openSqliteReader(file);
  const db = new Kysely<Database>({ dialect: new TransactionalSqliteDialect(sqlite, reader) });
  const connections = reader ? 2 : 1;
  return {
    db,
    dialect: 'sqlite',
    poolStats: () => ({ total: connections, idle: connections, waiting: 0 }),
    close: () => db.destroy(),
    sqlite,
  };
}

/** True when the error is a unique-constraint violation on either dialect. */
export function isUniqueViolation(err: unknown): boolean {
  const e = err as { code?: string; message?: string };
  return (
    e?.code === '23505' ||
    e?.code === 'SQLITE_CONSTRAINT_UNIQUE' ||
    e?.code === 'SQLITE_CONSTRAINT_PRIMARYKEY'
  );
}
