import type { Transaction } from 'kysely';
import { AppError } from '../../../core/errors.js';
import type { Database } from '../../../db/types.js';
import './tables.js';

/**
 * The Führerscheinnummern issued in emergency operation (table fahrerlaubnis_nummer): a number is
 * given to one case only, also when two clerks enter the same number at the same time (primary
 * key; the second insert finds the first and is refused).
 */
export async function nummerVergeben(
  trx: Transaction<Database>,
  v: {
    nummer: string;
    caseId: string;
    aktenzeichen: string;
    authorityAgs: string;
    procedureId: string;
    now: Date;
  },
): Promise<void> {
  const inserted = await trx
    .insertInto('fahrerlaubnis_nummer')
    .values({
      nummer: v.nummer,
      case_id: v.caseId,
      aktenzeichen: v.aktenzeichen,
      authority_ags: v.authorityAgs,
      procedure_id: v.procedureId,
      created_at: v.now.toISOString(),
    })
    .onConflict((oc) => oc.column('nummer').doNothing())
    .returning('nummer')
    .executeTakeFirst();
  if (inserted) return;
  const holder = await trx
    .selectFrom('fahrerlaubnis_nummer')
    .select(['aktenzeichen', 'authority_ags', 'case_id'])
    .where('nummer', '=', v.nummer)
    .executeTakeFirstOrThrow();
  if (holder.case_id === v.caseId) return;
  // Another authority's Aktenzeichen is not this clerk's business.
  const where =
    holder.authority_ags === v.authorityAgs
      ? `im Vorgang ${holder.aktenzeichen}`
      : 'bei einer anderen Behörde';
  const message = `Neue Führerscheinnummer: ${v.nummer} ist bereits ${where} vergeben – bitte die Nummer prüfen.`;
  throw new AppError('ACTION_NOT_ALLOWED', 'Führerscheinnummer bereits vergeben', message, [
    { path: 'payload/fuehrerscheinnummer', message },
  ]);
}
