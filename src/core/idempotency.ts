import { createHash } from 'node:crypto';
import type { Kysely, Transaction } from 'kysely';
import { isUniqueViolation } from '../server/db/database.js';
import type { Database } from '../server/db/types.js';
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

function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.keys(value as object)
        .sort()
        .map((k) => [k, canonical((value as Record<string, unknown>)[k])]),
    );
  }
  return value;
}

export function hashRequest(content: unknown): string {
  return createHash('sha256')
    .update(JSON.stringify(canonical(content)) ?? '')
    .digest('hex');
}

const reused = () =>
  new AppError(
    'IDEMPOTENCY_KEY_REUSED',
    'Idempotenzschlüssel bereits verwendet',
    'Dieser Idempotenzschlüssel wurde schon für eine andere Eingabe verwendet. Für einen neuen Vorgang bitte einen neuen Schlüssel erzeugen.',
  );

async function lookup(db: Kysely<Database>, req: IdempotentRequest): Promise<IdempotentResult | undefined> {
  const row = await db.selectFrom('idempotency').selectAll().where('key', '=', req.key).executeTakeFirst();
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
    return await db.transaction().execute(async (trx) => {
      await trx
        .insertInto('idempotency')
        .values({
          key: req.key,
          scope: req.scope,
          request_hash: req.requestHash,
          status_code: null,
          response: null,
          created_at: nowIso(),
        })
        .execute();
      const result = await work(trx);
      await trx
        .updateTable('idempotency')
        .set({ status_code: result.statusCode, response: JSON.stringify(result.body) })
        .where('key', '=', req.key)
        .execute();
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
