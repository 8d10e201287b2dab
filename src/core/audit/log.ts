import { createHash } from 'node:crypto';
import { type Kysely, PostgresAdapter, sql, type Transaction } from 'kysely';
import { BatchQueue } from '../../db/group-commit.js';
import { type Placeholder, placeholdersFor, precompiled } from '../../db/precompiled.js';
import type { Database } from '../../db/types.js';

/**
 * The audit log: a separate, append-only table whose rows form hash chains. Each row carries
 * SHA-256(previous hash + canonical content), so altering, inserting or deleting a row in the
 * middle breaks every later link of its chain; `verifyAuditChain` walks every chain and names the
 * first broken row of each.
 *
 * There is one chain per authority (its AGS) and the installation's own chain
 * (INSTALLATION_CHAIN: logins, admin acts, users without one authority). A case write goes to the
 * chain of the case's authority, another request to the chain of the user's authority when all
 * their grants are at one (`chainOf`). Appends to one chain are serialised (PostgreSQL: a
 * transaction-scoped advisory lock per chain, so several app instances keep one chain each; SQLite
 * has a single writer), so a chain has no forks and its seq no gaps, while appends of different
 * authorities do not wait for each other (issue 17). Appends outside a caller's transaction are
 * group-committed per database handle (AuditWriter).
 *
 * Entries hold ids only — user ids, case ids, AGS, route patterns — never names, addresses or
 * other personal data, and never request bodies.
 */
export const GENESIS_HASH = '0'.repeat(64);
/** The chain of entries that belong to no single authority (and of all rows before chains existed). */
export const INSTALLATION_CHAIN = 'installation';
/** First advisory lock key for chain appends ("NBAU"); the second is hashtext(chain). */
const AUDIT_LOCK_KEY = 0x4e424155;

export interface AuditEntry {
  action: string;
  /** The chain: an authority's AGS; absent: INSTALLATION_CHAIN. */
  chain?: string | null;
  actorId?: string | null;
  method?: string | null;
  route?: string | null;
  target?: Record<string, string> | null;
  status?: number | null;
  clientAddress?: string | null;
  /** Non-personal extra facts (reason codes, counts). */
  detail?: Record<string, string | number | boolean | null> | null;
}

/** The chain for a user's request: their authority when all grants are at one, else the installation's. */
export function chainOf(grants: ReadonlyArray<{ authorityAgs: string }> | undefined): string {
  const first = grants?.[0]?.authorityAgs;
  if (!first || grants.some((g) => g.authorityAgs !== first)) return INSTALLATION_CHAIN;
  return first;
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

/** The content of a row after its seq, as the JSON array the hash covers (without the leading seq). */
function contentTail(row: Omit<ChainRow, 'seq' | 'prev_hash'>): string {
  return JSON.stringify([
    row.at,
    row.actor_id,
    row.action,
    row.method,
    row.route,
    row.target,
    row.status === null ? null : Number(row.status),
    row.client_address,
    row.detail,
  ]).slice(1);
}

/**
 * The hash of a row: its content in a fixed order, chained to the previous hash. The chain's name
 * is not part of it (rows written before chains existed keep their hashes); a row moved to another
 * chain breaks the links of both.
 */
export function rowHash(row: ChainRow): string {
  const content = `[${Number(row.seq)},${contentTail(row)}`;
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

/**
 * The parameters of `nb_audit_append` (PostgreSQL, migration 2026-12-06T2100) for one entry: the
 * function takes the chain's lock, reads its head and computes the same hash as rowHash.
 */
export function appendParams(entry: AuditEntry, at: Date) {
  const row = chainRow(entry, at, 0, '');
  return {
    auditChain: entry.chain ?? INSTALLATION_CHAIN,
    auditAt: row.at,
    auditActorId: row.actor_id,
    auditAction: row.action,
    auditMethod: row.method,
    auditRoute: row.route,
    auditTarget: row.target,
    auditStatus: row.status,
    auditClientAddress: row.client_address,
    auditDetail: row.detail,
    auditContentTail: contentTail(row),
  };
}

/** `nb_audit_append(…)` with placeholders named as in appendParams, for statements built once. */
export function appendCall(p: Placeholder) {
  return sql<number>`nb_audit_append(${p('auditChain')}, ${p('auditAt')}, ${p('auditActorId')}, ${p('auditAction')}, ${p('auditMethod')}, ${p('auditRoute')}, ${p('auditTarget')}, ${p('auditStatus')}::integer, ${p('auditClientAddress')}, ${p('auditDetail')}, ${p('auditContentTail')})`;
}

// Built once (see src/db/precompiled.ts): every API request appends one entry.
const pgAppendOne = precompiled((_db, p) => sql<{ seq: number }>`SELECT ${appendCall(p)} AS seq`);
const chainLock = precompiled(
  (_db, p) => sql`SELECT pg_advisory_xact_lock(${AUDIT_LOCK_KEY}, hashtext(${p<string>('chain')}))`,
);
const chainHead = precompiled((db, p) =>
  db
    .selectFrom('audit_log')
    .select(['seq', 'hash'])
    .where('chain', '=', p<string>('chain'))
    .orderBy('seq', 'desc')
    .limit(1),
);
const insertEntry = precompiled((db, p) =>
  db
    .insertInto('audit_log')
    .values(
      placeholdersFor(p, [
        'chain',
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
 * Appends the entries, in order within each chain, as consecutive links of their chains inside the
 * given transaction (or the caller's). Chains are locked in name order (no deadlock between two
 * batches). Returns the entries' sequence numbers within their chains.
 */
async function appendIn(
  trx: Transaction<Database> | Kysely<Database>,
  entries: ReadonlyArray<{ entry: AuditEntry; at: Date }>,
): Promise<number[]> {
  const postgres = isPostgres(trx);
  if (postgres && entries.length === 1) {
    const { entry, at } = entries[0] as { entry: AuditEntry; at: Date };
    const row = await pgAppendOne.first(trx, appendParams(entry, at));
    return [Number(row?.seq)];
  }
  const byChain = new Map<string, number[]>();
  entries.forEach(({ entry }, i) => {
    const chain = entry.chain ?? INSTALLATION_CHAIN;
    const list = byChain.get(chain);
    if (list) list.push(i);
    else byChain.set(chain, [i]);
  });
  const seqs: number[] = new Array(entries.length);
  const values: Array<ChainRow & { chain: string; hash: string }> = [];
  for (const chain of [...byChain.keys()].sort()) {
    if (postgres) await chainLock.rows(trx, { chain });
    const last = await chainHead.first(trx, { chain });
    let seq = last ? Number(last.seq) : 0;
    let prevHash = last ? last.hash : GENESIS_HASH;
    for (const i of byChain.get(chain) ?? []) {
      const { entry, at } = entries[i] as { entry: AuditEntry; at: Date };
      const row = chainRow(entry, at, ++seq, prevHash);
      prevHash = rowHash(row);
      values.push({ chain, ...row, hash: prevHash });
      seqs[i] = seq;
    }
  }
  // One entry (a request's own write): the prebuilt statement; a group-commit batch: one insert.
  if (values.length === 1) await insertEntry.affected(trx, values[0] as object);
  else await trx.insertInto('audit_log').values(values).execute();
  return seqs;
}

/**
 * PostgreSQL: a group-commit batch as ONE statement in autocommit — `nb_audit_append` once per
 * entry — instead of BEGIN, lock, head and insert per chain, and COMMIT (5+ round trips). Each call
 * takes its chain's transaction lock, reads the head and inserts the next link; the locks are held
 * until the statement commits, so the batch is atomic and chains stay gapless across instances.
 * The entries go in chain-name order (PostgreSQL evaluates a select list from left to right), so
 * two batches lock their chains in the same order, as appendIn does.
 */
async function pgAppendBatch(
  db: Kysely<Database>,
  entries: ReadonlyArray<{ entry: AuditEntry; at: Date }>,
): Promise<number[]> {
  const chainOfEntry = (i: number) => (entries[i] as { entry: AuditEntry }).entry.chain ?? INSTALLATION_CHAIN;
  const order = entries
    .map((_e, i) => i)
    .sort((a, b) => chainOfEntry(a).localeCompare(chainOfEntry(b)) || a - b);
  const calls = order.map((i, k) => {
    const { entry, at } = entries[i] as { entry: AuditEntry; at: Date };
    const params: Record<string, unknown> = appendParams(entry, at);
    return sql`${appendCall((name) => sql.val(params[name]) as never)} AS ${sql.ref(`s${k}`)}`;
  });
  const result = await sql<Record<string, number | string>>`SELECT ${sql.join(calls)}`.execute(db);
  const row = result.rows[0];
  if (!row) throw new Error('audit: no sequence numbers returned');
  const seqs: number[] = new Array(entries.length);
  order.forEach((i, k) => {
    seqs[i] = Number(row[`s${k}`]);
  });
  return seqs;
}

/** At most this many entries per group-commit transaction (13 bound values per row). */
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
      let seqs: number[];
      if (isPostgres(this.#db)) {
        batch = take();
        seqs = await pgAppendBatch(this.#db, batch);
      } else {
        seqs = await this.#db.transaction().execute((trx) => {
          batch = take();
          return appendIn(trx, batch);
        });
      }
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

export interface ChainVerification {
  chain: string;
  ok: boolean;
  checked: number;
  /** Seq and hash of the last intact row: write them down elsewhere to detect a cut-off tail later. */
  lastSeq: number;
  lastHash: string;
  firstBroken?: { seq: number; reason: string };
}

export interface AuditVerification {
  ok: boolean;
  /** Rows checked in all chains. */
  checked: number;
  /** Every chain, by name. */
  chains: ChainVerification[];
  /**
   * One fingerprint of all chain heads (null without rows): the head hash itself when there is one
   * chain, else SHA-256 over "chain seq hash" lines in chain order (`headsFingerprint`).
   */
  head: string | null;
  /** The first broken row of the first broken chain. */
  firstBroken?: { chain: string; seq: number; reason: string };
}

/** The fingerprint of the chain heads (see AuditVerification.head); also used by backups. */
export function headsFingerprint(
  heads: ReadonlyArray<{ chain: string; seq: number; hash: string }>,
): string | null {
  if (heads.length === 0) return null;
  if (heads.length === 1) return (heads[0] as { hash: string }).hash;
  const sorted = [...heads].sort((a, b) => (a.chain < b.chain ? -1 : a.chain > b.chain ? 1 : 0));
  return createHash('sha256')
    .update(sorted.map((h) => `${h.chain} ${Number(h.seq)} ${h.hash}`).join('\n'))
    .digest('hex');
}

/** Walks one chain from the start and reports the first row whose link or content does not match. */
async function verifyChain(
  db: Kysely<Database>,
  chain: string,
  batchSize: number,
): Promise<ChainVerification> {
  let expectedSeq = 1;
  let prevHash = GENESIS_HASH;
  let checked = 0;
  for (;;) {
    const rows = await db
      .selectFrom('audit_log')
      .selectAll()
      .where('chain', '=', chain)
      .where('seq', '>=', expectedSeq)
      .orderBy('seq')
      .limit(batchSize)
      .execute();
    if (!rows.length) break;
    for (const r of rows) {
      const seq = Number(r.seq);
      const broken = (at: number, reason: string): ChainVerification => ({
        chain,
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
  return { chain, ok: true, checked, lastSeq: expectedSeq - 1, lastHash: prevHash };
}

/** Walks every chain (in name order) and reports each; `ok` only when all are intact. */
export async function verifyAuditChain(db: Kysely<Database>, batchSize = 1000): Promise<AuditVerification> {
  const names = await db.selectFrom('audit_log').select('chain').distinct().orderBy('chain').execute();
  const chains: ChainVerification[] = [];
  for (const { chain } of names) chains.push(await verifyChain(db, chain, batchSize));
  const broken = chains.find((c) => !c.ok);
  return {
    ok: !broken,
    checked: chains.reduce((n, c) => n + c.checked, 0),
    chains,
    head: headsFingerprint(chains.map((c) => ({ chain: c.chain, seq: c.lastSeq, hash: c.lastHash }))),
    ...(broken?.firstBroken ? { firstBroken: { chain: broken.chain, ...broken.firstBroken } } : {}),
  };
}
