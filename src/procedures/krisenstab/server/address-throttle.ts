import { type Kysely, sql, type Transaction } from 'kysely';
import { newId } from '../../../core/ids.js';
import type { DialectName } from '../../../db/database.js';
import type { Database } from '../../../db/types.js';

/**
 * The per-address throttle of the public pages, kept in the database like the login throttle
 * (src/core/auth/throttle.ts), so all instances share it: attempts of a kind ('buchung', 'code',
 * 'rueckmeldung') per hashed client address within a sliding window. Inside a write transaction,
 * `lockAddress` serialises requests of one address (PostgreSQL: advisory lock; SQLite has one
 * writer anyway), so that count and insert cannot be overtaken by a parallel request.
 */
type Db = Kysely<Database> | Transaction<Database>;

export async function lockAddress(
  trx: Transaction<Database>,
  dialect: DialectName,
  subject: string,
): Promise<void> {
  if (dialect === 'postgres') {
    await sql`SELECT pg_advisory_xact_lock(hashtext(${`termin:${subject}`}))`.execute(trx);
  }
}

/** Seconds until the address may try again (0: now). */
export async function addressWait(
  db: Db,
  opts: { art: string; subject: string; limit: number; windowMs: number; now: Date },
): Promise<number> {
  const since = new Date(opts.now.getTime() - opts.windowMs).toISOString();
  const row = await db
    .selectFrom('krisenstab_termin_versuch')
    .select((eb) => [eb.fn.countAll<number | string>().as('n'), eb.fn.min('at').as('first')])
    .where('art', '=', opts.art)
    .where('subject', '=', opts.subject)
    .where('at', '>', since)
    .executeTakeFirst();
  if (Number(row?.n ?? 0) < opts.limit || !row?.first) return 0;
  // Wait until the oldest counted attempt leaves the window.
  return Math.max(1, Math.ceil((Date.parse(row.first) + opts.windowMs - opts.now.getTime()) / 1000));
}

export async function recordAttempt(db: Db, art: string, subject: string, at: string): Promise<void> {
  await db.insertInto('krisenstab_termin_versuch').values({ id: newId(), art, subject, at }).execute();
}
