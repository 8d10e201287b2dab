import type { Kysely } from 'kysely';
import { precompiled } from '../../../../db/precompiled.js';
import type { Database } from '../../../../db/types.js';

/** Name of the table holding the persons of snapshot number `n` (an integer: safe in SQL). */
export function personTable(n: number): string {
  if (!Number.isInteger(n) || n < 1) throw new RangeError('invalid snapshot table number');
  return `register_person_${n}`;
}

export interface ActiveSnapshot {
  id: string;
  tableNo: number;
  table: string;
  rowCount: number;
  sourceName: string;
  activatedAt: string | null;
  sha256: string;
}

// Every search reads it first: built once (src/db/precompiled.ts), one indexed lookup.
const activeRow = precompiled((db) =>
  db
    .selectFrom('register_active')
    .innerJoin('register_snapshot', 'register_snapshot.id', 'register_active.snapshot_id')
    .select([
      'register_snapshot.id',
      'register_active.table_no',
      'register_snapshot.row_count',
      'register_snapshot.source_name',
      'register_snapshot.activated_at',
      'register_snapshot.source_sha256',
    ])
    .where('register_active.id', '=', 'active'),
);

/** The snapshot searches read now, or null before the first import. */
export async function activeSnapshot(db: Kysely<Database>): Promise<ActiveSnapshot | null> {
  const row = await activeRow.first(db, {});
  if (!row) return null;
  return {
    id: row.id,
    tableNo: Number(row.table_no),
    table: personTable(Number(row.table_no)),
    rowCount: Number(row.row_count),
    sourceName: row.source_name,
    activatedAt: row.activated_at,
    sha256: row.source_sha256,
  };
}
