import { sql, type Transaction } from 'kysely';
import type { Database } from '../../server/db/types.js';

/**
 * Register numbers per registry office (authority), register and year, e.g. `G 12/2026`
 * (FACTS.md §2: "unique and without gaps per registry office"). The number is taken inside the
 * transaction that records the registration: the counter row is upserted (atomic on both
 * dialects; on PostgreSQL it stays locked until the transaction ends) and rolls back with it, so
 * a refused or failed registration leaves no gap. The register_entry row repeats the number with
 * its case, so the database itself refuses a duplicate.
 */
export interface RegisterNumber {
  register: string;
  year: number;
  seq: number;
  /** "G 12/2026" */
  number: string;
}

export function formatRegisterNumber(register: string, seq: number, year: number): string {
  return `${register} ${seq}/${year}`;
}

export async function allocateRegisterNumber(
  trx: Transaction<Database>,
  input: { authorityAgs: string; register: string; year: number; caseId: string; now: Date },
): Promise<RegisterNumber> {
  if (!/^[A-Z]{1,3}$/.test(input.register)) throw new Error(`invalid register code ${input.register}`);
  const row = await trx
    .insertInto('register_number_counter')
    .values({ authority_ags: input.authorityAgs, register: input.register, year: input.year, last_seq: 1 })
    .onConflict((oc) =>
      oc
        .columns(['authority_ags', 'register', 'year'])
        .doUpdateSet({ last_seq: sql`register_number_counter.last_seq + 1` }),
    )
    .returning('last_seq')
    .executeTakeFirstOrThrow();
  const seq = Number(row.last_seq);
  const number = formatRegisterNumber(input.register, seq, input.year);
  await trx
    .insertInto('register_entry')
    .values({
      authority_ags: input.authorityAgs,
      register: input.register,
      year: input.year,
      seq,
      number,
      case_id: input.caseId,
      created_at: input.now.toISOString(),
    })
    .execute();
  return { register: input.register, year: input.year, seq, number };
}
