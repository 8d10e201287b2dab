import { type Kysely, sql, type Transaction } from 'kysely';
import { canRead, type Principal } from '../../../core/access.js';
import { AppError, notFound } from '../../../core/errors.js';
import type { OfficeType } from '../../../core/offices.js';
import type { Database } from '../../../db/types.js';

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

/** Which office keeps which register (Personenstandsregister: Standesamt, § 3 PStG). */
export const REGISTER_OFFICES: Record<string, OfficeType> = {
  G: 'standesamt',
  S: 'standesamt',
  E: 'standesamt',
};

export const REGISTER_LABELS: Record<string, string> = {
  G: 'Geburtenregister',
  S: 'Sterberegister',
  E: 'Eheregister',
};

/** The entries of one register and year (the register book), for readers of the keeping office. */
export async function listRegisterEntries(
  db: Kysely<Database>,
  principal: Principal,
  input: { authorityAgs: string; register: string; year: number },
) {
  const office = REGISTER_OFFICES[input.register];
  if (!office) throw notFound('Das Register');
  if (!canRead(principal, { authorityAgs: input.authorityAgs, officeType: office })) {
    throw new AppError(
      'FORBIDDEN',
      'Keine Berechtigung',
      'Sie sind für die Register dieses Standesamts nicht berechtigt.',
    );
  }
  const rows = await db
    .selectFrom('register_entry')
    .innerJoin('cases', 'cases.id', 'register_entry.case_id')
    .select([
      'register_entry.seq',
      'register_entry.number',
      'register_entry.created_at',
      'cases.id as case_id',
      'cases.aktenzeichen',
      'cases.procedure_id',
    ])
    .where('register_entry.authority_ags', '=', input.authorityAgs)
    .where('register_entry.register', '=', input.register)
    .where('register_entry.year', '=', input.year)
    .orderBy('register_entry.seq')
    .limit(10_000)
    .execute();
  return {
    register: input.register,
    registerLabel: REGISTER_LABELS[input.register] ?? input.register,
    year: input.year,
    items: rows.map((r) => ({
      seq: Number(r.seq),
      number: r.number,
      caseId: r.case_id,
      aktenzeichen: r.aktenzeichen,
      procedureId: r.procedure_id,
      createdAt: r.created_at,
    })),
  };
}
