import { type Kysely, PostgresAdapter, sql, type Transaction } from 'kysely';
import type { Database } from './types.js';

/**
 * Group commit of write transactions on SQLite.
 *
 * SQLite has one connection per process and, with WAL and `synchronous=FULL`, every COMMIT waits
 * for an fsync while it blocks the event loop. Under concurrent writes that fsync, not the work,
 * bounded the throughput (a CPU profile of 50 concurrent case writes: ~26 % of the busy time in
 * COMMIT). So writes that queue up while one runs are executed one after the other inside ONE
 * transaction, each in its own SAVEPOINT, and committed together:
 *
 * - Each write is isolated: if it throws, `ROLLBACK TO` its savepoint undoes exactly its changes
 *   (a refused request changes nothing), the others of the batch go on.
 * - No caller hears of success before the COMMIT of its batch is durable; if the COMMIT fails,
 *   every write of the batch fails (none is reported done, none is stored).
 * - Writes run in arrival order, so Aktenzeichen, register numbers and the audit chain keep
 *   their order and stay gapless.
 * - A batch starts in the "check" phase of the event loop (setImmediate), i.e. after the I/O
 *   callbacks of the current turn: the requests that arrived together have all queued their
 *   writes by then. (With better-sqlite3 a whole transaction runs without ever yielding to I/O,
 *   so waiting only for the next microtask never found a second write.) No timers: a lone write
 *   is not delayed beyond the current turn.
 *
 * On PostgreSQL each write keeps its own transaction: the pool runs them concurrently and the
 * server groups commits itself.
 *
 * Like any transaction on the single SQLite connection, a write must not use the root handle
 * (`db`) inside `work`: that would wait for the connection it holds.
 */
export type WriteWork<T> = (trx: Transaction<Database>) => Promise<T>;

/**
 * A queue whose items are handled in batches, one batch at a time. A batch starts in the "check"
 * phase of the event loop (setImmediate), after the I/O callbacks of the current turn, so the
 * requests that arrived together are all in it; items that arrive while a batch runs form the
 * next one. The handler takes its items (`take`) only once it holds what it needs (e.g. the
 * connection), so items that queued up meanwhile join. No timers: a lone item waits for nothing
 * but the current turn. The handler settles the items it took; if it fails before taking any,
 * every waiting item is rejected with its error (never retried forever).
 */
export class BatchQueue<T extends { reject: (err: unknown) => void }> {
  readonly #handle: (take: () => T[]) => Promise<void>;
  readonly #max: number;
  #pending: T[] = [];
  #running = false;

  constructor(max: number, handle: (take: () => T[]) => Promise<void>) {
    this.#max = max;
    this.#handle = handle;
  }

  push(item: T): void {
    this.#pending.push(item);
    if (!this.#running) {
      this.#running = true;
      setImmediate(() => void this.#drain());
    }
  }

  async #drain(): Promise<void> {
    try {
      while (this.#pending.length) {
        let took = false;
        try {
          await this.#handle(() => {
            took = true;
            return this.#pending.splice(0, this.#max);
          });
        } catch (err) {
          if (!took) for (const item of this.#pending.splice(0)) item.reject(err);
        }
      }
    } finally {
      this.#running = false;
    }
  }
}

/** At most this many writes share one commit (bounds the time a batch holds the connection). */
const MAX_BATCH = 64;

interface Pending {
  work: WriteWork<unknown>;
  resolve: (value: unknown) => void;
  reject: (err: unknown) => void;
}

type Outcome = { ok: true; value: unknown } | { ok: false; error: unknown };

class GroupCommitter {
  readonly #db: Kysely<Database>;
  readonly #queue = new BatchQueue<Pending>(MAX_BATCH, (take) => this.#commit(take));
  /** Committed (or failed) shared transactions, and the writes they carried. */
  readonly stats = { transactions: 0, writes: 0 };

  constructor(db: Kysely<Database>) {
    this.#db = db;
  }

  run<T>(work: WriteWork<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.#queue.push({ work, resolve: resolve as (value: unknown) => void, reject });
    });
  }

  async #commit(take: () => Pending[]): Promise<void> {
    let batch: Pending[] = [];
    const outcomes: Outcome[] = [];
    try {
      await this.#db.transaction().execute(async (trx) => {
        batch = take();
        this.stats.transactions++;
        this.stats.writes += batch.length;
        if (batch.length === 1) {
          // Nothing to share the commit with: no savepoint; an error rolls back the transaction.
          const [only] = batch as [Pending];
          outcomes.push({ ok: true, value: await only.work(trx) });
          return;
        }
        for (const item of batch) outcomes.push(await runInSavepoint(trx, item.work));
      });
    } catch (err) {
      if (batch.length === 0) throw err; // nothing taken: the queue rejects the waiting writes
      // The batch did not commit: nothing of it is stored. Writes that had failed on their own
      // keep their own error; the others fail with the commit's error.
      batch.forEach((p, i) => {
        const o = outcomes[i];
        p.reject(o && !o.ok ? o.error : err);
      });
      return;
    }
    batch.forEach((p, i) => {
      const o = outcomes[i] as Outcome;
      if (o.ok) p.resolve(o.value);
      else p.reject(o.error);
    });
  }
}

async function runInSavepoint(trx: Transaction<Database>, work: WriteWork<unknown>): Promise<Outcome> {
  await sql`SAVEPOINT nb_write`.execute(trx);
  try {
    const value = await work(trx);
    await sql`RELEASE nb_write`.execute(trx);
    return { ok: true, value };
  } catch (error) {
    // Undo exactly this write; if even that fails, the whole batch must fail (rethrow).
    await sql`ROLLBACK TO nb_write`.execute(trx);
    await sql`RELEASE nb_write`.execute(trx);
    return { ok: false, error };
  }
}

const committers = new WeakMap<Kysely<Database>, GroupCommitter>();

/**
 * Runs `work` in a write transaction: on SQLite group-committed with the writes queued at the same
 * time (see above), on PostgreSQL in a transaction of its own. Resolves after the commit.
 */
export function writeTransaction<T>(db: Kysely<Database>, work: WriteWork<T>): Promise<T> {
  if (db.getExecutor().adapter instanceof PostgresAdapter) return db.transaction().execute(work);
  let committer = committers.get(db);
  if (!committer) {
    committer = new GroupCommitter(db);
    committers.set(db, committer);
  }
  return committer.run(work);
}

/** How many transactions carried how many writes on this handle so far (SQLite; zeros on PostgreSQL). */
export function groupCommitStats(db: Kysely<Database>): { transactions: number; writes: number } {
  return { ...(committers.get(db)?.stats ?? { transactions: 0, writes: 0 }) };
}
