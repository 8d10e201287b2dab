import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../../../db/types.js';
import { DEFAULT_FEES, type FeeRow, feeRowSchema } from '../fees.js';
import './tables.js';

type Db = Kysely<Database> | Transaction<Database>;

/**
 * The fee table of one office: its own dated rows (kfz_fee_row) before the defaults, so that on a
 * day both cover, the office's row wins (fees.ts, feeRowOn keeps the first of equal dates).
 */
export async function feeRowsFor(db: Db, authorityAgs: string): Promise<FeeRow[]> {
  const rows = await db
    .selectFrom('kfz_fee_row')
    .select(['valid_from', 'positionen'])
    .where('authority_ags', '=', authorityAgs)
    .orderBy('valid_from')
    .execute();
  const own = rows.map((r) =>
    feeRowSchema.parse({ validFrom: r.valid_from, positionen: JSON.parse(r.positionen) }),
  );
  return [...own, ...DEFAULT_FEES];
}

export async function officeFeeRows(
  db: Db,
  authorityAgs: string,
): Promise<Array<FeeRow & { createdAt: string }>> {
  const rows = await db
    .selectFrom('kfz_fee_row')
    .select(['valid_from', 'positionen', 'created_at'])
    .where('authority_ags', '=', authorityAgs)
    .orderBy('valid_from')
    .execute();
  return rows.map((r) => ({
    ...feeRowSchema.parse({ validFrom: r.valid_from, positionen: JSON.parse(r.positionen) }),
    createdAt: r.created_at,
  }));
}
