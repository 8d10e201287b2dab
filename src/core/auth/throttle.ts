import { createHash } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../../db/types.js';
import { newId } from '../ids.js';

/**
 * Brute-force protection kept in the database, so that all app instances share it. Failures are
 * counted per account (also for names that do not exist, so the answer reveals nothing) and per
 * client address within a sliding window. The first FREE_FAILURES failures cost nothing; after
 * that each further try must wait BASE_DELAY_S · 2^(n − FREE_FAILURES) seconds after the last
 * failure, at most MAX_DELAY_S. Failures older than the window no longer count, so there is no
 * permanent lockout an attacker could use to block a clerk for good.
 */
export const THROTTLE_WINDOW_MS = 15 * 60 * 1000;
export const FREE_FAILURES = 10;
export const BASE_DELAY_S = 30;
export const MAX_DELAY_S = 15 * 60;
/** Rows older than this are deleted (the audit log keeps the history). */
const RETENTION_MS = 24 * 60 * 60 * 1000;

export interface ThrottleSubject {
  kind: 'account' | 'address';
  subject: string;
}

/** The user name is stored hashed: a password typed into the name field must not end up in clear. */
export function accountSubject(username: string): ThrottleSubject {
  const norm = username.trim().toLowerCase().normalize('NFC');
  return { kind: 'account', subject: createHash('sha256').update(`account:${norm}`).digest('hex') };
}

export function addressSubject(address: string): ThrottleSubject {
  return { kind: 'address', subject: address };
}

export function delaySeconds(failures: number): number {
  if (failures < FREE_FAILURES) return 0;
  return Math.min(MAX_DELAY_S, BASE_DELAY_S * 2 ** Math.min(failures - FREE_FAILURES, 16));
}

/** Seconds the caller must still wait before the next try (0: may try now). */
export async function throttleWait(
  db: Kysely<Database>,
  subjects: ThrottleSubject[],
  now: Date,
): Promise<number> {
  const since = new Date(now.getTime() - THROTTLE_WINDOW_MS).toISOString();
  let wait = 0;
  for (const s of subjects) {
    const row = await db
      .selectFrom('login_attempt')
      .select((eb) => [eb.fn.countAll<string | number>().as('n'), eb.fn.max('at').as('last')])
      .where('kind', '=', s.kind)
      .where('subject', '=', s.subject)
      .where('at', '>', since)
      .executeTakeFirst();
    const n = Number(row?.n ?? 0);
    const delay = delaySeconds(n);
    if (!delay || !row?.last) continue;
    const remaining = Math.ceil((Date.parse(row.last) + delay * 1000 - now.getTime()) / 1000);
    wait = Math.max(wait, remaining);
  }
  return wait;
}

export async function recordFailure(
  db: Kysely<Database>,
  subjects: ThrottleSubject[],
  now: Date,
): Promise<void> {
  const at = now.toISOString();
  await db
    .insertInto('login_attempt')
    .values(subjects.map((s) => ({ id: newId(), kind: s.kind, subject: s.subject, at })))
    .execute();
  await db
    .deleteFrom('login_attempt')
    .where('at', '<', new Date(now.getTime() - RETENTION_MS).toISOString())
    .execute();
}

/** A completed login clears the account's counter (not the address's). */
export async function clearFailures(db: Kysely<Database>, subject: ThrottleSubject): Promise<void> {
  await db
    .deleteFrom('login_attempt')
    .where('kind', '=', subject.kind)
    .where('subject', '=', subject.subject)
    .execute();
}
