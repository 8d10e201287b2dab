import fs from 'node:fs';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import {
  type DatabaseConnection,
  type DialectAdapter,
  type Driver,
  Kysely,
  PostgresDialect,
  SqliteAdapter,
  type SqliteDatabase,
  SqliteDialect,
  type SqliteDialectConfig,
  SqliteDriver,
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
 * Kysely's SQLite driver guards its single connection with a lock that wakes every waiter on each
 * release and lets a newcomer overtake the woken ones. Under load (the 200-connection test in
 * bench/load) that starved single requests for more than 30 s and spent CPU on wake-ups. A FIFO
 * lock in front of it serves requests in arrival order.
 */
class FairSqliteDriver extends SqliteDriver {
  readonly #fifo = new FifoMutex();

  override async acquireConnection(): Promise<DatabaseConnection> {
    await this.#fifo.lock();
    try {
      return await super.acquireConnection();
    } catch (err) {
      this.#fifo.unlock();
      throw err;
    }
  }

  override async releaseConnection(): Promise<void> {
    await super.releaseConnection();
    this.#fifo.unlock();
  }
}

class TransactionalSqliteDialect extends SqliteDialect {
  readonly #sqliteConfig: SqliteDialectConfig;

  constructor(config: SqliteDialectConfig) {
    super(config);
    this.#sqliteConfig = config;
  }

  override createAdapter(): DialectAdapter {
    return new TransactionalSqliteAdapter();
  }

  override createDriver(): Driver {
    return new FairSqliteDriver(this.#sqliteConfig);
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

export function openDatabase(opts: OpenDatabaseOptions): DatabaseHandle {
  if (opts.databaseUrl) {
    const pool = new pg.Pool({ connectionString: opts.databaseUrl, max: opts.poolSize ?? 10 });
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
  const db = new Kysely<Database>({
    dialect: new TransactionalSqliteDialect({ database: withStatementCache(sqlite) }),
  });
  return {
    db,
    dialect: 'sqlite',
    poolStats: () => ({ total: 1, idle: 1, waiting: 0 }),
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
