import type { Kysely } from 'kysely';
import type { Database } from '../db/types.js';
import { newId } from './ids.js';

/**
 * The id of this installation (site). Every case carries it, so that an embedded town-hall
 * instance can later hand its cases to a central instance without clashes. Made once, at the
 * first start, and kept in the database.
 */
export async function ensureInstallationId(db: Kysely<Database>): Promise<string> {
  const found = await db
    .selectFrom('installation')
    .select('value')
    .where('key', '=', 'installation_id')
    .executeTakeFirst();
  if (found) return found.value;
  await db
    .insertInto('installation')
    .values({ key: 'installation_id', value: newId() })
    .onConflict((oc) => oc.column('key').doNothing())
    .execute();
  const row = await db
    .selectFrom('installation')
    .select('value')
    .where('key', '=', 'installation_id')
    .executeTakeFirstOrThrow();
  return row.value;
}
