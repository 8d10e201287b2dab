import { createHash } from 'node:crypto';
import type { Kysely, Transaction } from 'kysely';
import { writeTransaction } from '../db/group-commit.js';
import { precompiled } from '../db/precompiled.js';
import type { Database } from '../db/types.js';
import { AppError } from './errors.js';

/**
 * Idempotent writes: every write carries a client-made key (UUID). The key is inserted with the
 * response in the same transaction as the write (its primary key decides a race), so the same key
 * again returns the first result and never performs the write twice — also when two requests with
 * the same key race: the second fails on the key and answers with the first's stored result.
 */
export interface IdempotentRequest {
  key: string;
  /** Who used the key for which operation, e.g. "user-id POST /api/cases". */
  scope: string;
  /** Hash of the request content; the same key with other content is refused. */
  requestHash: string;
}

export interface IdempotentResult {
  statusCode: number;
  body: unknown;
  /** True when this is the stored result of an earlier request with the same key. */
  replayed: boolean;
}

/**
 * JSON with object keys in sorted order, so that the same content hashes the same whatever the
 * key order. Written out directly (no sorted copy of the object first); the output is exactly
 * `JSON.stringify` of a key-sorted copy, so hashes stored by earlier versions still match.
 */
function canonicalJson(value: unknown): string | undefined {
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) {
    const items: string[] = [];
    for (let i = 0; i < value.length; i++) items.push(canonicalJson(value[i]) ?? 'null');
    return `[${items.join(',')}]`;
  }
  const record = value as Record<string, unknown>;
  const parts: string[] = [];
  for (const key of Object.keys(record).sort()) {
    const json = canonicalJson(record[key]);
    if (json !== undefined) parts.push(`${JSON.stringify(key)}:${json}`);
  }
  return `{${parts.join(',')}}`;
}

export function hashRequest(content: unknown): string {
  return createHash('sha256')
    .update(canonicalJson(content) ?? '')
    .digest('hex');
}

const reused = () =>
  new AppError(
    'IDEMPOTENCY_KEY_REUSED',
    'Idempotenzschlüssel bereits verwendet',
    'Dieser Idempotenzschlüssel wurde schon für eine andere Eingabe verwendet. Für einen neuen Vorgang bitte einen neuen Schlüssel erzeugen.',
  );

// Hot path (every write): built once, see src/db/precompiled.ts.
const keyRow = precompiled((db, p) =>
  db.selectFrom('idempotency').selectAll().where('key', '=', p<string>('key')),
);
const storeKey = precompiled((db, p) =>
  db.insertInto('idempotency').values({
    key: p<string>('key'),
    scope: p<string>('scope'),
    request_hash: p<string>('requestHash'),
    status_code: p<number>('statusCode'),
    response: p<string>('response'),
    created_at: p<string>('createdAt'),
  }),
);

async function lookup(db: Kysely<Database>, req: IdempotentRequest): Promise<IdempotentResult | undefined> {
  const row = await keyRow.first(db, { key: req.key });
  if (!row) return undefined;
  if (row.scope !== req.scope || row.request_hash !== req.requestHash) throw reused();
  if (row.status_code === null || row.response === null) {
    throw new AppError(
      'IDEMPOTENCY_IN_PROGRESS',
      'Anfrage wird noch bearbeitet',
      'Eine Anfrage mit diesem Schlüssel wird gerade bearbeitet. Bitte gleich noch einmal versuchen.',
    );
  }
  return { statusCode: row.status_code, body: JSON.parse(row.response), replayed: true };
}

/**
 * Runs a write that stores its result under the key in its own transaction (`attempt`). When the
 * write fails, and the key already holds a result (an earlier request, or a concurrent one with
 * the same key that committed first and made this one fail on the key), that result is returned
 * instead; the same key with other content is refused. So the key is looked up only when needed:
 * a write that goes through costs no extra round trip, and a retry of an action that already went
 * through returns its result even though the case has moved on since (version conflict).
 */
export async function withReplay(
  db: Kysely<Database>,
  req: IdempotentRequest,
  attempt: () => Promise<IdempotentResult>,
): Promise<IdempotentResult> {
  try {
    return await attempt();
  } catch (err) {
    let earlier: IdempotentResult | undefined;
    try {
      earlier = await lookup(db, req);
    } catch (lookupError) {
      // The key was used for other content: that is the answer. Anything else: the first error.
      if (lookupError instanceof AppError) throw lookupError;
      throw err;
    }
    if (earlier) return earlier;
    throw err;
  }
}

/**
 * The general idempotent write: `work` and the key with its result in one transaction
 * (writeTransaction: group commit on SQLite). See withReplay for retries and races.
 */
export async function runIdempotent(
  db: Kysely<Database>,
  req: IdempotentRequest,
  nowIso: () => string,
  work: (trx: Transaction<Database>) => Promise<{ statusCode: number; body: unknown }>,
): Promise<IdempotentResult> {
  return withReplay(db, req, () =>
    writeTransaction(db, async (trx) => {
      const result = await work(trx);
      await storeKey.affected(trx, {
        key: req.key,
        scope: req.scope,
        requestHash: req.requestHash,
        statusCode: result.statusCode,
        response: JSON.stringify(result.body),
        createdAt: nowIso(),
      });
      return { ...result, replayed: false };
    }),
  );
}
