import type { Kysely, Transaction } from 'kysely';
import { newId } from '../../../../core/ids.js';
import type { Database } from '../../../../db/types.js';
import { searchKeysOf } from './format.js';

/**
 * The overlay of Meldevorgänge recorded in emergency operation. It never changes the imported
 * snapshot; search joins it so that a person is found at the new address, marked as recorded in
 * emergency operation. Rows are a projection of the Meldevorgang cases and are rewritten with
 * them (in the case's transaction), so they need not be append-only.
 */
export interface OverlayPerson {
  registerPersonId?: string | null | undefined;
  familienname: string;
  namensbestandteil?: string | null | undefined;
  vornamen: string;
  geburtsname?: string | null | undefined;
  geburtsdatum: string;
  geburtsort?: string | null | undefined;
  geschlecht?: string | null | undefined;
  staatsangehoerigkeit?: string | null | undefined;
}

export interface OverlayInput {
  caseId: string;
  procedureId: string;
  authorityAgs: string;
  persons: OverlayPerson[];
  address: { strasse: string; hausnummer: string; plz: string; ort: string } | null;
  movedOn: string;
  status: 'gemeldet' | 'abgemeldet';
  recordedAt: string;
}

export async function replaceOverlay(
  trx: Transaction<Database> | Kysely<Database>,
  input: OverlayInput,
): Promise<void> {
  await removeOverlay(trx, input.caseId);
  if (input.persons.length === 0) return;
  await trx
    .insertInto('register_overlay')
    .values(
      input.persons.map((p) => {
        const k = searchKeysOf({
          familienname: p.familienname,
          geburtsname: p.geburtsname ?? null,
          vornamen: p.vornamen,
          strasse: input.address?.strasse ?? null,
        });
        return {
          id: newId(),
          case_id: input.caseId,
          procedure_id: input.procedureId,
          authority_ags: input.authorityAgs,
          register_person_id: p.registerPersonId ?? null,
          familienname: p.familienname,
          namensbestandteil: p.namensbestandteil ?? null,
          vornamen: p.vornamen,
          geburtsname: p.geburtsname ?? null,
          geburtsdatum: p.geburtsdatum,
          geburtsort: p.geburtsort ?? null,
          geschlecht: p.geschlecht ?? null,
          staatsangehoerigkeit: p.staatsangehoerigkeit ?? null,
          strasse: input.address?.strasse ?? null,
          hausnummer: input.address?.hausnummer ?? null,
          plz: input.address?.plz ?? null,
          ort: input.address?.ort ?? null,
          moved_on: input.movedOn,
          status: input.status,
          fam_fold: k.famFold,
          fam_phon: k.famPhon,
          fam_fold2: k.famFold2,
          fam_phon2: k.famPhon2,
          vorname_fold: k.vornameFold,
          strasse_fold: input.address ? k.strasseFold : null,
          recorded_at: input.recordedAt,
        };
      }),
    )
    .execute();
}

export async function removeOverlay(
  trx: Transaction<Database> | Kysely<Database>,
  caseId: string,
): Promise<void> {
  await trx.deleteFrom('register_overlay').where('case_id', '=', caseId).execute();
}
