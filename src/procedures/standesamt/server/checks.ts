import { sql } from 'kysely';
import { addDays } from '../../../core/dates.js';
import { AppError } from '../../../core/errors.js';
import { soundsAlike } from '../../../core/phonetik.js';
import type { PrepareContext } from '../../../core/procedure.js';
import { escapeLike, foldForSearch } from '../../../core/text.js';
import type {
  DuplikatKandidat,
  DuplikatPruefung,
  Ereignismerkmale,
  Registereintrag,
  StandesamtVerwaltung,
} from '../common.js';
import { allocateRegisterNumber } from './numbers.js';

/**
 * Checks that run inside the action's transaction (prepare hooks): duplicate search, completeness
 * of documents, and the register number.
 */

/** Cases that are closed without an entry do not count as duplicates. */
const IGNORED_STATES = ['storniert', 'zusammengefuehrt'];

/**
 * Cases of the same procedure at the same registry office that resemble the event: family name
 * and first names alike by Kölner Phonetik, date within ±2 days, same place (compared
 * accent- and case-folded). Issue 5 §6.
 */
export async function findDuplicateCandidates(
  ctx: PrepareContext,
  merkmale: (data: unknown) => Ereignismerkmale,
  summary: (data: unknown) => string,
): Promise<DuplikatKandidat[]> {
  const self = merkmale(ctx.case.data);
  const place = foldForSearch(self.ort);
  const rows = await ctx.trx
    .selectFrom('cases')
    .select(['id', 'aktenzeichen', 'data', 'status'])
    .where('procedure_id', '=', ctx.case.procedureId)
    .where('authority_ags', '=', ctx.case.authorityAgs)
    .where('id', '!=', ctx.case.id)
    .where('status', 'not in', IGNORED_STATES)
    // The place is part of the search text: a cheap pre-filter before the phonetic comparison.
    .where(sql<boolean>`search_text LIKE ${`%${escapeLike(place)}%`} ESCAPE '\\'`)
    .orderBy('created_at')
    .limit(2000)
    .execute();
  const from = addDays(self.datum, -2);
  const to = addDays(self.datum, 2);
  const out: DuplikatKandidat[] = [];
  for (const r of rows) {
    const data = JSON.parse(r.data) as unknown;
    const other = merkmale(data);
    if (other.datum < from || other.datum > to) continue;
    if (foldForSearch(other.ort) !== place) continue;
    if (!soundsAlike(self.familienname, other.familienname)) continue;
    if (!soundsAlike(self.vornamen, other.vornamen)) continue;
    out.push({ id: r.id, aktenzeichen: r.aktenzeichen, summary: summary(data) });
  }
  return out;
}

/** The duplicate state after a (new or corrected) report. */
export function duplikatNachPruefung(
  kandidaten: DuplikatKandidat[],
  previous: DuplikatPruefung | undefined,
): DuplikatPruefung {
  if (kandidaten.length === 0) return { status: 'keine', kandidaten: [] };
  // Candidates the clerk already confirmed stay confirmed; any new one reopens the check.
  if (previous?.status === 'kein_duplikat') {
    const confirmed = new Set(previous.kandidaten.map((k) => k.id));
    if (kandidaten.every((k) => confirmed.has(k.id))) return { ...previous, kandidaten };
  }
  return { status: 'offen', kandidaten };
}

export function refuse(title: string, detail: string): AppError {
  return new AppError('ACTION_NOT_ALLOWED', title, detail);
}

/** Refuses while required documents are missing. */
export function requireUnterlagen(data: StandesamtVerwaltung, what: string): void {
  const missing = data.unterlagen.filter((u) => !u.eingegangen);
  if (missing.length > 0) {
    throw refuse(
      'Unterlagen unvollständig',
      `${what} ist erst möglich, wenn alle erforderlichen Unterlagen vorliegen. Es fehlen noch: ${missing
        .map((u) => u.label)
        .join(', ')}.`,
    );
  }
}

/** Refuses while the duplicate check is unresolved (rechecked now, inside the transaction). */
export async function requireNoOpenDuplicate(
  ctx: PrepareContext,
  merkmale: (data: unknown) => Ereignismerkmale,
  summary: (data: unknown) => string,
): Promise<void> {
  const data = ctx.case.data as StandesamtVerwaltung;
  const state = duplikatNachPruefung(await findDuplicateCandidates(ctx, merkmale, summary), data.duplikat);
  if (state.status === 'offen') {
    throw refuse(
      'Mögliches Duplikat ungeklärt',
      `Es gibt ähnliche Vorgänge (${state.kandidaten
        .map((k) => k.aktenzeichen)
        .join(
          ', ',
        )}). Bitte zuerst prüfen: „Kein Duplikat" bestätigen oder mit dem bestehenden Vorgang verknüpfen.`,
    );
  }
}

/** Allocates the register number inside the action's transaction. */
export async function registerEntry(
  ctx: PrepareContext,
  register: 'G' | 'S' | 'E',
): Promise<Registereintrag> {
  const year = Number(ctx.today.slice(0, 4));
  const n = await allocateRegisterNumber(ctx.trx, {
    authorityAgs: ctx.case.authorityAgs,
    register,
    year,
    caseId: ctx.case.id,
    now: ctx.now,
  });
  return { nummer: n.number, eingetragenAm: ctx.today };
}
