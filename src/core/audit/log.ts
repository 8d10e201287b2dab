import { createHash } from 'node:crypto';
import { type Kysely, PostgresAdapter, sql, type Transaction } from 'kysely';
import { BatchQueue } from '../../db/group-commit.js';
import { placeholdersFor, precompiled } from '../../db/precompiled.js';
import type { Database } from '../../db/types.js';

/**
 * The audit log: a separate, append-only table whose rows form a hash chain. Each row carries
 * SHA-256(previous hash + canonical content), so altering, inserting or deleting a row in the
 * middle breaks every later link; `verifyAuditChain` names the first broken row. Appends are
 * serialised (PostgreSQL: transaction-scoped advisory lock, so several app instances keep one
 * chain; SQLite has a single writer), so the chain has no forks and seq has no gaps. Appends
 * outside a caller's transaction are group-committed per database handle (AuditWriter).
 *
 * Entries hold ids only — user ids, case ids, AGS, route patterns — never names, addresses or
 * other personal data, and never request bodies.
 */
export const GENESIS_HASH = '0'.repeat(64);
/** Advisory lock key for chain appends ("NBAU"). */
const AUDIT_LOCK_KEY = 0x4e424155;

export interface AuditEntry {
  action: string;
  actorId?: string | null;
  method?: string | null;
  route?: string | null;
  target?: Record<string, string> | null;
  status?: number | null;
  clientAddress?: string | null;
  /** Non-personal extra facts (reason codes, counts). */
  detail?: Record<string, string | number | boolean | null> | null;
}

interface ChainRow {
  seq: number;
  at: string;
  actor_id: string | null;
  action: string;
  method: string | null;
  route: string | null;
  target: string | null;
  status: number | null;
  client_address: string | null;
  detail: string | null;
  prev_hash: string;
}

/** The hash of a row: its content in a fixed order, chained to the previous hash. */
export function rowHash(row: ChainRow): string {
  const content = JSON.stringify([
    Number(row.seq),
    row.at,
    row.actor_id,
    row.action,
    row.method,
    row.route,
    row.target,
    row.status === null ? null : Number(row.status),
    row.client_address,
    row.detail,
  ]);
  return createHash('sha256').update(`${row.prev_hash}\n${content}`).digest('hex');
}

function sortedJson(value: Record<string, unknown> | null | undefined): string | null {
  if (!value) return null;
  const keys = Object.keys(value).sort();
  if (!keys.length) return null;
  return JSON.stringify(Object.fromEntries(keys.map((k) => [k, value[k]])));
}

function isPostgres(db: Kysely<Database>): boolean {
  return db.getExecutor().adapter instanceof PostgresAdapter;
}

function chainRow(entry: AuditEntry, at: Date, seq: number, prevHash: string): ChainRow {
  return {
    seq,
    at: at.toISOString(),
    actor_id: entry.actorId ?? null,
    action: entry.action,
    method: entry.method ?? null,
    route: entry.route ?? null,
    target: sortedJson(entry.target),
    status: entry.status ?? null,
    client_address: entry.clientAddress ?? null,
    detail: sortedJson(entry.detail),
    prev_hash: prevHash,
  };
}

// Built once (see src/db/precompiled.ts): every API request appends one entry.
const chainLock = precompiled(() => sql`SELECT pg_advisory_xact_lock(${AUDIT_LOCK_KEY})`);
const chainHead = precompiled((db) =>
  db.selectFrom('audit_log').select(['seq', 'hash']).orderBy('seq', 'desc').limit(1),
);
const insertEntry = precompiled((db, p) =>
  db
    .insertInto('audit_log')
    .values(
      placeholdersFor(p, [
        'seq',
        'at',
        'actor_id',
        'action',
        'method',
        'route',
        'target',
        'status',
        'client_address',
        'detail',
        'prev_hash',
        'hash',
      ] as const),
    ),
);

/**
 * Appends the entries, in order, as consecutive links of the chain inside the given transaction
 * (or the caller's). Returns their sequence numbers.
 */
async function appendIn(
  trx: Transaction<Database> | Kysely<Database>,
  entries: ReadonlyArray<{ entry: AuditEntry; at: Date }>,
): Promise<number[]> {
  if (isPostgres(trx)) await chainLock.rows(trx, {});
  const last = await chainHead.first(trx, {});
  let seq = last ? Number(last.seq) : 0;
  let prevHash = last ? last.hash : GENESIS_HASH;
  const values = entries.map(({ entry, at }) => {
    const row = chainRow(entry, at, ++seq, prevHash);
    prevHash = rowHash(row);
    return { ...row, hash: prevHash };
  });
  // One entry (a request's own write): the prebuilt statement; a group-commit batch: one insert.
  if (values.length === 1) await insertEntry.affected(trx, values[0] as object);
  else await trx.insertInto('audit_log').values(values).execute();
  return values.map((v) => v.seq);
}

/** At most this many entries per group-commit transaction (12 bound values per row). */
const MAX_BATCH = 500;

interface Pending {
  entry: AuditEntry;
  at: Date;
  resolve: (seq: number) => void;
  reject: (err: unknown) => void;
}

/**
 * Group commit: one queue per database handle (BatchQueue, src/db/group-commit.ts). The
 * appends of requests that arrived together, and those that queue up while a batch is written,
 * are written together in ONE transaction, i.e. one fsync on SQLite (WAL, synchronous=FULL)
 * instead of one per request. Every caller's promise settles only after its transaction
 * committed, or rejects when it failed (nothing of that batch is written). No timers.
 */
class AuditWriter {
  readonly #db: Kysely<Database>;
  readonly #queue = new BatchQueue<Pending>(MAX_BATCH, (take) => this.#write(take));

  constructor(db: Kysely<Database>) {
    this.#db = db;
  }

  append(entry: AuditEntry, at: Date): Promise<number> {
    return new Promise<number>((resolve, reject) => {
      this.#queue.push({ entry, at, resolve, reject });
    });
  }

  async #write(take: () => Pending[]): Promise<void> {
    let batch: Pending[] = [];
    try {
      const seqs = await this.#db.transaction().execute((trx) => {
        batch = take();
        return appendIn(trx, batch);
      });
      batch.forEach((p, i) => {
        p.resolve(seqs[i] as number);
      });
    } catch (err) {
      if (batch.length === 0) throw err; // nothing taken: the queue rejects the waiting appends
      for (const p of batch) p.reject(err);
    }
  }
}

const writers = new WeakMap<Kysely<Database>, AuditWriter>();

/**
 * Appends one entry. Inside a given transaction it commits or rolls back with the caller's write
 * (admin acts); otherwise it joins the handle's group commit (see AuditWriter). Throws when it
 * cannot write: the caller must then not deliver data.
 */
export async function appendAudit(
  db: Kysely<Database> | Transaction<Database>,
  entry: AuditEntry,
  at: Date,
): Promise<number> {
  if (db.isTransaction) return (await appendIn(db, [{ entry, at }]))[0] as number;
  let writer = writers.get(db);
  if (!writer) {
    writer = new AuditWriter(db);
    writers.set(db, writer);
  }
  return writer.append(entry, at);
}

export interface AuditVerification {
  ok: boolean;
  checked: number;
  /** Seq and hash of the last intact row: write it down elsewhere to detect a cut-off tail later. */
  lastSeq: number;
  lastHash: string;
  firstBroken?: { seq: number; reason: string };
}

/** Walks the chain from the start and reports the first row whose link or content does not match. */
export async function verifyAuditChain(db: Kysely<Database>, batchSize = 1000): Promise<AuditVerification> {
  let expectedSeq = 1;
  let prevHash = GENESIS_HASH;
  let checked = 0;
  for (;;) {
    const rows = await db
      .selectFrom('audit_log')
      .selectAll()
      .where('seq', '>=', expectedSeq)
      .orderBy('seq')
      .limit(batchSize)
      .execute();
    if (!rows.length) break;
    for (const r of rows) {
      const seq = Number(r.seq);
      const broken = (at: number, reason: string): AuditVerification => ({
        ok: false,
        checked,
        lastSeq: expectedSeq - 1,
        lastHash: prevHash,
        firstBroken: { seq: at, reason },
      });
      if (seq !== expectedSeq) {
        return broken(expectedSeq, `Eintrag fehlt oder wurde gelöscht (nächster vorhandener: ${seq})`);
      }
      if (r.prev_hash !== prevHash) return broken(seq, 'Verkettung zum vorherigen Eintrag stimmt nicht');
      if (rowHash({ ...r, seq }) !== r.hash)
        return broken(seq, 'Inhalt wurde verändert (Prüfsumme stimmt nicht)');
      prevHash = r.hash;
      expectedSeq = seq + 1;
      checked++;
    }
    if (rows.length < batchSize) break;
  }
  return { ok: true, checked, lastSeq: expectedSeq - 1, lastHash: prevHash };
}
