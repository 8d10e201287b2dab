import { createHash } from 'node:crypto';
import type { Kysely, Transaction } from 'kysely';
import { isUniqueViolation } from '../db/database.js';
import { writeTransaction } from '../db/group-commit.js';
import { precompiled } from '../db/precompiled.js';
import type { Database } from '../db/types.js';
import { AppError } from './errors.js';

/**
 * Idempotent writes: every write carries a client-made key (UUID). The key is claimed in the same
 * transaction as the write and the response is stored with it, so the same key again returns the
 * first result and never performs the write twice — also when two requests with the same key race.
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
const claimKey = precompiled((db, p) =>
  db.insertInto('idempotency').values({
    key: p<string>('key'),
    scope: p<string>('scope'),
    request_hash: p<string>('requestHash'),
    status_code: null,
    response: null,
    created_at: p<string>('createdAt'),
  }),
);
const storeResult = precompiled((db, p) =>
  db
    .updateTable('idempotency')
    .set({ status_code: p<number>('statusCode'), response: p<string>('response') })
    .where('key', '=', p<string>('key')),
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

export async function runIdempotent(
  db: Kysely<Database>,
  req: IdempotentRequest,
  nowIso: () => string,
  work: (trx: Transaction<Database>) => Promise<{ statusCode: number; body: unknown }>,
): Promise<IdempotentResult> {
  const earlier = await lookup(db, req);
  if (earlier) return earlier;
  try {
    return await writeTransaction(db, async (trx) => {
      await claimKey.affected(trx, {
        key: req.key,
        scope: req.scope,
        requestHash: req.requestHash,
        createdAt: nowIso(),
      });
      const result = await work(trx);
      await storeResult.affected(trx, {
        statusCode: result.statusCode,
        response: JSON.stringify(result.body),
        key: req.key,
      });
      return { ...result, replayed: false };
    });
  } catch (err) {
    // A concurrent request with the same key won the race: return its result.
    if (isUniqueViolation(err)) {
      const winner = await lookup(db, req);
      if (winner) return winner;
    }
    throw err;
  }
}
