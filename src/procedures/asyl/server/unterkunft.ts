import { type Kysely, PostgresAdapter, type Transaction } from 'kysely';
import { AppError, notFound, validationFailed } from '../../../core/errors.js';
import { newId } from '../../../core/ids.js';
import type { Database } from '../../../db/types.js';
import './tables.js';

/**
 * Accommodation places as capacity (issue 13, item 2). An Unterkunft has `plaetze` numbered places
 * 1..n. A person holds at most one place and a place at most one person: the occupancy table's
 * primary key is the place and (case, person) is unique, and an allocation is an
 * INSERT … ON CONFLICT DO NOTHING — like the slot bookings of core/rooms, generalised from one
 * booking per slot to n places per Unterkunft. On PostgreSQL the Unterkunft row is locked
 * (SELECT … FOR UPDATE) so that allocations to one Unterkunft and changes of its capacity queue;
 * SQLite has one writer anyway. A move-out deletes the occupancy row; the append-only log keeps
 * every move-in and move-out.
 */

type Db = Kysely<Database> | Transaction<Database>;

const isPg = (db: Db) => db.getExecutor().adapter instanceof PostgresAdapter;

export const keinPlatzFrei = (name: string) =>
  new AppError(
    'ACTION_NOT_ALLOWED',
    'Kein Platz frei',
    `In der Unterkunft „${name}" ist kein Platz mehr frei. Bitte eine andere Unterkunft wählen.`,
  );

export interface UnterkunftView {
  id: string;
  authorityAgs: string;
  name: string;
  anschrift: string;
  plaetze: number;
  belegt: number;
  frei: number;
}

async function lockUnterkunft(trx: Db, id: string) {
  let q = trx.selectFrom('asyl_unterkunft').selectAll().where('id', '=', id);
  if (isPg(trx)) q = q.forUpdate();
  return q.executeTakeFirst();
}

/**
 * Gives the person of the case the lowest free place of the Unterkunft (inside the action's
 * transaction). Refuses when the Unterkunft belongs to another authority, is full, or the person
 * already has a place.
 */
export async function platzZuweisen(
  trx: Transaction<Database>,
  input: {
    unterkunftId: string;
    authorityAgs: string;
    caseId: string;
    person: number;
    einzug: string;
    actor: string;
    now: Date;
  },
): Promise<{ unterkunftId: string; unterkunft: string; platzNr: number }> {
  const u = await lockUnterkunft(trx, input.unterkunftId);
  if (!u || u.authority_ags !== input.authorityAgs) {
    throw validationFailed([
      { path: 'payload/unterkunftId', message: 'Unterkunft: bei dieser Behörde nicht bekannt.' },
    ]);
  }
  const bereits = async () =>
    trx
      .selectFrom('asyl_platz_belegung')
      .innerJoin('asyl_unterkunft', 'asyl_unterkunft.id', 'asyl_platz_belegung.unterkunft_id')
      .select(['asyl_unterkunft.name', 'asyl_platz_belegung.platz_nr'])
      .where('case_id', '=', input.caseId)
      .where('person_nr', '=', input.person)
      .executeTakeFirst();
  const schonDa = (b: { name: string; platz_nr: number }) =>
    new AppError(
      'ACTION_NOT_ALLOWED',
      'Bereits untergebracht',
      `Die Person hat schon einen Platz (${b.name}, Platz ${b.platz_nr}). Bitte zuerst den Auszug erfassen.`,
    );
  const had = await bereits();
  if (had) throw schonDa(had);
  const nowIso = input.now.toISOString();
  for (let attempt = 0; attempt <= u.plaetze; attempt++) {
    const taken = await trx
      .selectFrom('asyl_platz_belegung')
      .select('platz_nr')
      .where('unterkunft_id', '=', u.id)
      .orderBy('platz_nr')
      .execute();
    const used = new Set(taken.map((t) => Number(t.platz_nr)));
    let platz = 0;
    for (let n = 1; n <= u.plaetze; n++) {
      if (!used.has(n)) {
        platz = n;
        break;
      }
    }
    if (platz === 0) throw keinPlatzFrei(u.name);
    const inserted = await trx
      .insertInto('asyl_platz_belegung')
      .values({
        unterkunft_id: u.id,
        platz_nr: platz,
        case_id: input.caseId,
        person_nr: input.person,
        seit: input.einzug,
        created_at: nowIso,
      })
      .onConflict((oc) => oc.doNothing())
      .returning('platz_nr')
      .executeTakeFirst();
    if (inserted) {
      await trx
        .insertInto('asyl_belegung_log')
        .values({
          id: newId(),
          unterkunft_id: u.id,
          platz_nr: platz,
          case_id: input.caseId,
          person_nr: input.person,
          ereignis: 'einzug',
          datum: input.einzug,
          actor: input.actor,
          created_at: nowIso,
        })
        .execute();
      return { unterkunftId: u.id, unterkunft: u.name, platzNr: platz };
    }
    // A concurrent allocation took the place (or the person) first: look again.
    const now = await bereits();
    if (now) throw schonDa(now);
  }
  throw keinPlatzFrei(u.name);
}

/** Frees the person's place (move-out); refuses when the person has none. */
export async function platzFreigeben(
  trx: Transaction<Database>,
  input: { caseId: string; person: number; auszug: string; actor: string; now: Date },
): Promise<{ unterkunftId: string; unterkunft: string; platzNr: number; seit: string }> {
  const row = await trx
    .selectFrom('asyl_platz_belegung')
    .innerJoin('asyl_unterkunft', 'asyl_unterkunft.id', 'asyl_platz_belegung.unterkunft_id')
    .select(['unterkunft_id', 'platz_nr', 'seit', 'asyl_unterkunft.name'])
    .where('case_id', '=', input.caseId)
    .where('person_nr', '=', input.person)
    .executeTakeFirst();
  if (!row) {
    throw new AppError(
      'ACTION_NOT_ALLOWED',
      'Nicht untergebracht',
      'Die Person hat derzeit keinen Platz in einer Unterkunft.',
    );
  }
  if (input.auszug < row.seit) {
    throw validationFailed([{ path: 'payload/auszug', message: 'Auszug am: liegt vor dem Einzug.' }]);
  }
  await trx
    .deleteFrom('asyl_platz_belegung')
    .where('unterkunft_id', '=', row.unterkunft_id)
    .where('platz_nr', '=', row.platz_nr)
    .execute();
  await trx
    .insertInto('asyl_belegung_log')
    .values({
      id: newId(),
      unterkunft_id: row.unterkunft_id,
      platz_nr: row.platz_nr,
      case_id: input.caseId,
      person_nr: input.person,
      ereignis: 'auszug',
      datum: input.auszug,
      actor: input.actor,
      created_at: input.now.toISOString(),
    })
    .execute();
  return {
    unterkunftId: row.unterkunft_id,
    unterkunft: row.name,
    platzNr: Number(row.platz_nr),
    seit: row.seit,
  };
}

export async function unterkuenfte(db: Db, authorityAgs: string): Promise<UnterkunftView[]> {
  const rows = await db
    .selectFrom('asyl_unterkunft as u')
    .leftJoin('asyl_platz_belegung as b', 'b.unterkunft_id', 'u.id')
    .select([
      'u.id',
      'u.authority_ags',
      'u.name',
      'u.anschrift',
      'u.plaetze',
      (eb) => eb.fn.count('b.platz_nr').as('belegt'),
    ])
    .where('u.authority_ags', '=', authorityAgs)
    .groupBy(['u.id', 'u.authority_ags', 'u.name', 'u.anschrift', 'u.plaetze'])
    .orderBy('u.name')
    .execute();
  return rows.map((r) => {
    const belegt = Number(r.belegt);
    return {
      id: r.id,
      authorityAgs: r.authority_ags,
      name: r.name,
      anschrift: r.anschrift,
      plaetze: Number(r.plaetze),
      belegt,
      frei: Math.max(0, Number(r.plaetze) - belegt),
    };
  });
}

export async function unterkunftAnlegen(
  trx: Transaction<Database>,
  input: { authorityAgs: string; name: string; anschrift: string; plaetze: number; now: Date },
): Promise<string> {
  const id = newId();
  const nowIso = input.now.toISOString();
  const inserted = await trx
    .insertInto('asyl_unterkunft')
    .values({
      id,
      authority_ags: input.authorityAgs,
      name: input.name,
      anschrift: input.anschrift,
      plaetze: input.plaetze,
      created_at: nowIso,
      updated_at: nowIso,
    })
    .onConflict((oc) => oc.columns(['authority_ags', 'name']).doNothing())
    .returning('id')
    .executeTakeFirst();
  if (!inserted) {
    throw validationFailed([
      { path: 'name', message: 'Name: Eine Unterkunft mit diesem Namen gibt es schon.' },
    ]);
  }
  return id;
}

/** Changes the number of places; refuses fewer places than the highest occupied place number. */
export async function plaetzeAendern(
  trx: Transaction<Database>,
  input: { id: string; authorityAgs: string; plaetze: number; now: Date },
): Promise<void> {
  const u = await lockUnterkunft(trx, input.id);
  if (!u || u.authority_ags !== input.authorityAgs) throw notFound('Die Unterkunft');
  const hoechster = await trx
    .selectFrom('asyl_platz_belegung')
    .select((eb) => eb.fn.max('platz_nr').as('n'))
    .where('unterkunft_id', '=', u.id)
    .executeTakeFirst();
  const max = Number(hoechster?.n ?? 0);
  if (input.plaetze < max) {
    throw validationFailed([
      {
        path: 'plaetze',
        message: `Plätze: Platz ${max} ist belegt; weniger als ${max} Plätze erst nach dem Auszug.`,
      },
    ]);
  }
  await trx
    .updateTable('asyl_unterkunft')
    .set({ plaetze: input.plaetze, updated_at: input.now.toISOString() })
    .where('id', '=', u.id)
    .execute();
}

export interface PlatzView {
  platzNr: number;
  caseId: string | null;
  aktenzeichen: string | null;
  person: number | null;
  seit: string | null;
}

/** The places of an Unterkunft with their occupants (case and person number; names come from the case). */
export async function belegung(db: Db, unterkunftId: string) {
  const u = await db
    .selectFrom('asyl_unterkunft')
    .selectAll()
    .where('id', '=', unterkunftId)
    .executeTakeFirst();
  if (!u) return null;
  const rows = await db
    .selectFrom('asyl_platz_belegung as b')
    .innerJoin('cases as c', 'c.id', 'b.case_id')
    .select(['b.platz_nr', 'b.case_id', 'b.person_nr', 'b.seit', 'c.aktenzeichen', 'c.data'])
    .where('b.unterkunft_id', '=', unterkunftId)
    .orderBy('b.platz_nr')
    .execute();
  return { unterkunft: u, rows };
}
