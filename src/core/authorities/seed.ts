import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Kysely } from 'kysely';
import type { Database } from '../../db/types.js';
import { type ImportResult, importAuthorities } from './import.js';

/** The project's own copy of the Südwestfalen list (5 Kreise, 59 Gemeinden). */
export const SUEDWESTFALEN_CSV = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '../../../resources/suedwestfalen-kommunen.csv',
);

/** Seeds the demo region unless authorities exist already. */
export async function seedDemoAuthorities(
  db: Kysely<Database>,
  now: Date,
): Promise<ImportResult | undefined> {
  const any = await db.selectFrom('authority').select('ags').limit(1).executeTakeFirst();
  if (any) return undefined;
  return importAuthorities(db, fs.readFileSync(SUEDWESTFALEN_CSV, 'utf8'), now);
}
