import { type Kysely, sql, type Transaction } from 'kysely';
import type { Database } from '../../db/types.js';
import { todayInGermany } from '../dates.js';
import { AppError } from '../errors.js';
import { newId } from '../ids.js';
import type { PrepareContext } from '../procedure.js';

/**
 * Cash journal (Kassenbuch) per office: during the outage card terminals are down and fees are
 * paid in cash; later procedures pay out benefits in cash. Every movement is one append-only
 * entry, numbered without gaps per journal, with the running balance after it. A day closing
 * (Tagesabschluss) freezes the day: no entry can be added to a closed day. The closing records who
 * closed; a second person can confirm it (four eyes). Money in integer cents.
 *
 * Bookings run inside the caller's transaction, so a fee payment and the case action that records
 * it commit together (procedure `prepare` hooks).
 */

export interface JournalScope {
  authorityAgs: string;
  officeType: string;
}

export interface Actor {
  userId: string;
  displayName: string;
}

export type EntryKind = 'einzahlung' | 'auszahlung' | 'storno';

export const ENTRY_KIND_LABELS: Record<EntryKind, string> = {
  einzahlung: 'Einzahlung',
  auszahlung: 'Auszahlung',
  storno: 'Storno',
};

export interface BookInput {
  scope: JournalScope;
  kind: 'einzahlung' | 'auszahlung';
  /** Positive amount in cents; the sign follows from the kind. */
  amountCents: number;
  purpose: string;
  feeCode?: string | null;
  reference?: { type: string; id: string; label?: string | null } | null;
  /** Refuses a second booking with the same key (e.g. `fee:<case id>`). */
  dedupeKey?: string | null;
  actor: Actor;
  now: Date;
}

export interface CashEntry {
  id: string;
  authorityAgs: string;
  officeType: string;
  seq: number;
  businessDay: string;
  kind: EntryKind;
  kindLabel: string;
  amountCents: number;
  balanceAfterCents: number;
  purpose: string;
  feeCode: string | null;
  reference: { type: string; id: string; label: string | null } | null;
  reversesEntryId: string | null;
  createdAt: string;
  createdBy: string;
  createdByName: string;
}

type Db = Kysely<Database> | Transaction<Database>;

/** Unique-constraint violation on either dialect (kept here so procedure hooks stay free of driver imports). */
function isUniqueViolation(err: unknown): boolean {
  const code = (err as { code?: string })?.code;
  return code === '23505' || code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
}

const notAllowed = (title: string, detail: string) => new AppError('ACTION_NOT_ALLOWED', title, detail);

export const MAX_AMOUNT_CENTS = 100_000_000; // 1 Mio. EUR: a typing error, not a cash payment

function presentEntry(r: {
  id: string;
  authority_ags: string;
  office_type: string;
  seq: number;
  business_day: string;
  kind: string;
  amount_cents: number | string;
  balance_after_cents: number | string;
  purpose: string;
  fee_code: string | null;
  reference_type: string | null;
  reference_id: string | null;
  reference_label: string | null;
  reverses_entry_id: string | null;
  created_at: string;
  created_by: string;
  created_by_name: string;
}): CashEntry {
  return {
    id: r.id,
    authorityAgs: r.authority_ags,
    officeType: r.office_type,
    seq: Number(r.seq),
    businessDay: r.business_day,
    kind: r.kind as EntryKind,
    kindLabel: ENTRY_KIND_LABELS[r.kind as EntryKind] ?? r.kind,
    amountCents: Number(r.amount_cents),
    balanceAfterCents: Number(r.balance_after_cents),
    purpose: r.purpose,
    feeCode: r.fee_code,
    reference:
      r.reference_type && r.reference_id
        ? { type: r.reference_type, id: r.reference_id, label: r.reference_label }
        : null,
    reversesEntryId: r.reverses_entry_id,
    createdAt: r.created_at,
    createdBy: r.created_by,
    createdByName: r.created_by_name,
  };
}

/**
 * Takes the journal's counter row (and with it the lock that serialises bookings and closings of
 * this journal) and advances the sequence by `step` (0 for closings).
 */
async function lockCounter(trx: Transaction<Database>, scope: JournalScope, step: 0 | 1) {
  const row = await trx
    .insertInto('cash_journal_counter')
    .values({
      authority_ags: scope.authorityAgs,
      office_type: scope.officeType,
      last_seq: step,
      balance_cents: 0,
    })
    .onConflict((oc) =>
      oc
        .columns(['authority_ags', 'office_type'])
        .doUpdateSet({ last_seq: sql`cash_journal_counter.last_seq + ${step}` }),
    )
    .returning(['last_seq', 'balance_cents'])
    .executeTakeFirstOrThrow();
  return { seq: Number(row.last_seq), balance: Number(row.balance_cents) };
}

async function refuseClosedDay(trx: Db, scope: JournalScope, day: string) {
  const closed = await trx
    .selectFrom('cash_journal_day')
    .select('closed_at')
    .where('authority_ags', '=', scope.authorityAgs)
    .where('office_type', '=', scope.officeType)
    .where('business_day', '=', day)
    .executeTakeFirst();
  if (closed) {
    throw notAllowed(
      'Kassentag abgeschlossen',
      `Der Kassentag ${day.split('-').reverse().join('.')} ist abgeschlossen; es kann nichts mehr gebucht werden.`,
    );
  }
}

async function append(
  trx: Transaction<Database>,
  scope: JournalScope,
  values: {
    kind: EntryKind;
    signedCents: number;
    purpose: string;
    feeCode: string | null;
    reference: BookInput['reference'];
    dedupeKey: string | null;
    reversesEntryId: string | null;
    actor: Actor;
    now: Date;
  },
): Promise<CashEntry> {
  const { seq, balance } = await lockCounter(trx, scope, 1);
  const day = todayInGermany(values.now);
  await refuseClosedDay(trx, scope, day);
  if (values.dedupeKey) {
    const dup = await trx
      .selectFrom('cash_journal_entry')
      .select('seq')
      .where('dedupe_key', '=', values.dedupeKey)
      .executeTakeFirst();
    if (dup) {
      throw notAllowed(
        'Bereits gebucht',
        `Diese Zahlung ist bereits im Kassenbuch gebucht (Buchung Nr. ${dup.seq}).`,
      );
    }
  }
  const after = balance + values.signedCents;
  if (after < 0) {
    throw notAllowed(
      'Kassenbestand reicht nicht',
      'Die Auszahlung ist höher als der Kassenbestand laut Kassenbuch. Bitte den Bestand prüfen.',
    );
  }
  await trx
    .updateTable('cash_journal_counter')
    .set({ balance_cents: after })
    .where('authority_ags', '=', scope.authorityAgs)
    .where('office_type', '=', scope.officeType)
    .execute();
  const row = {
    id: newId(),
    authority_ags: scope.authorityAgs,
    office_type: scope.officeType,
    seq,
    business_day: day,
    kind: values.kind,
    amount_cents: values.signedCents,
    balance_after_cents: after,
    purpose: values.purpose,
    fee_code: values.feeCode,
    reference_type: values.reference?.type ?? null,
    reference_id: values.reference?.id ?? null,
    reference_label: values.reference?.label ?? null,
    dedupe_key: values.dedupeKey,
    reverses_entry_id: values.reversesEntryId,
    created_at: values.now.toISOString(),
    created_by: values.actor.userId,
    created_by_name: values.actor.displayName,
  };
  try {
    await trx.insertInto('cash_journal_entry').values(row).execute();
  } catch (err) {
    if (isUniqueViolation(err)) {
      throw notAllowed(
        'Bereits gebucht',
        'Diese Buchung besteht bereits (doppelte Zahlung oder doppeltes Storno).',
      );
    }
    throw err;
  }
  return presentEntry(row);
}

/** Books a cash payment in or out, inside the caller's transaction. */
export async function bookEntry(trx: Transaction<Database>, input: BookInput): Promise<CashEntry> {
  if (
    !Number.isSafeInteger(input.amountCents) ||
    input.amountCents <= 0 ||
    input.amountCents > MAX_AMOUNT_CENTS
  ) {
    throw new AppError(
      'VALIDATION_FAILED',
      'Betrag ungültig',
      'Der Betrag muss größer als 0 sein (in Cent, ganzzahlig).',
      [{ path: 'amountCents', message: 'Betrag: bitte einen positiven Betrag angeben.' }],
    );
  }
  return append(trx, input.scope, {
    kind: input.kind,
    signedCents: input.kind === 'einzahlung' ? input.amountCents : -input.amountCents,
    purpose: input.purpose,
    feeCode: input.feeCode ?? null,
    reference: input.reference ?? null,
    dedupeKey: input.dedupeKey ?? null,
    reversesEntryId: null,
    actor: input.actor,
    now: input.now,
  });
}

/** Reverses an entry with a counter-entry on the current day (entries are never changed). */
export async function reverseEntry(
  trx: Transaction<Database>,
  input: { scope: JournalScope; entryId: string; reason: string; actor: Actor; now: Date },
): Promise<CashEntry> {
  const orig = await trx
    .selectFrom('cash_journal_entry')
    .selectAll()
    .where('id', '=', input.entryId)
    .where('authority_ags', '=', input.scope.authorityAgs)
    .where('office_type', '=', input.scope.officeType)
    .executeTakeFirst();
  if (!orig) throw new AppError('NOT_FOUND', 'Nicht gefunden', 'Die Buchung wurde nicht gefunden.');
  if (orig.kind === 'storno')
    throw notAllowed('Storno nicht möglich', 'Ein Storno kann nicht storniert werden.');
  return append(trx, input.scope, {
    kind: 'storno',
    signedCents: -Number(orig.amount_cents),
    purpose: `Storno Nr. ${orig.seq}: ${input.reason}`,
    feeCode: orig.fee_code,
    reference:
      orig.reference_type && orig.reference_id
        ? { type: orig.reference_type, id: orig.reference_id, label: orig.reference_label }
        : null,
    dedupeKey: null,
    reversesEntryId: orig.id,
    actor: input.actor,
    now: input.now,
  });
}

export interface DayClosing {
  closedAt: string;
  closedBy: string;
  closedByName: string;
  countedCents: number | null;
  differenceCents: number | null;
  note: string | null;
  confirmation: { confirmedAt: string; confirmedBy: string; confirmedByName: string } | null;
}

export interface JournalDayView {
  authorityAgs: string;
  officeType: string;
  businessDay: string;
  openingBalanceCents: number;
  totalInCents: number;
  totalOutCents: number;
  closingBalanceCents: number;
  entries: CashEntry[];
  closing: DayClosing | null;
}

export async function journalDay(db: Db, scope: JournalScope, day: string): Promise<JournalDayView> {
  const entries = (
    await db
      .selectFrom('cash_journal_entry')
      .selectAll()
      .where('authority_ags', '=', scope.authorityAgs)
      .where('office_type', '=', scope.officeType)
      .where('business_day', '=', day)
      .orderBy('seq')
      .execute()
  ).map(presentEntry);
  const before = await db
    .selectFrom('cash_journal_entry')
    .select('balance_after_cents')
    .where('authority_ags', '=', scope.authorityAgs)
    .where('office_type', '=', scope.officeType)
    .where('business_day', '<', day)
    .orderBy('seq', 'desc')
    .limit(1)
    .executeTakeFirst();
  const opening = Number(before?.balance_after_cents ?? 0);
  const totalIn = entries.filter((e) => e.amountCents > 0).reduce((s, e) => s + e.amountCents, 0);
  const totalOut = entries.filter((e) => e.amountCents < 0).reduce((s, e) => s - e.amountCents, 0);
  const closed = await db
    .selectFrom('cash_journal_day')
    .selectAll()
    .where('authority_ags', '=', scope.authorityAgs)
    .where('office_type', '=', scope.officeType)
    .where('business_day', '=', day)
    .executeTakeFirst();
  const conf = closed
    ? await db
        .selectFrom('cash_journal_day_confirmation')
        .selectAll()
        .where('authority_ags', '=', scope.authorityAgs)
        .where('office_type', '=', scope.officeType)
        .where('business_day', '=', day)
        .executeTakeFirst()
    : undefined;
  const closing = opening + totalIn - totalOut;
  return {
    authorityAgs: scope.authorityAgs,
    officeType: scope.officeType,
    businessDay: day,
    openingBalanceCents: opening,
    totalInCents: totalIn,
    totalOutCents: totalOut,
    closingBalanceCents: closed ? Number(closed.balance_cents) : closing,
    entries,
    closing: closed
      ? {
          closedAt: closed.closed_at,
          closedBy: closed.closed_by,
          closedByName: closed.closed_by_name,
          countedCents: closed.counted_cents === null ? null : Number(closed.counted_cents),
          differenceCents:
            closed.counted_cents === null
              ? null
              : Number(closed.counted_cents) - Number(closed.balance_cents),
          note: closed.note,
          confirmation: conf
            ? {
                confirmedAt: conf.confirmed_at,
                confirmedBy: conf.confirmed_by,
                confirmedByName: conf.confirmed_by_name,
              }
            : null,
        }
      : null,
  };
}

/** Day closing: freezes the day with its totals. A day in the future cannot be closed. */
export async function closeDay(
  trx: Transaction<Database>,
  input: {
    scope: JournalScope;
    day: string;
    countedCents?: number | null;
    note?: string | null;
    actor: Actor;
    now: Date;
  },
): Promise<JournalDayView> {
  const today = todayInGermany(input.now);
  if (input.day > today) {
    throw notAllowed(
      'Abschluss nicht möglich',
      'Ein Kassentag in der Zukunft kann nicht abgeschlossen werden.',
    );
  }
  {
    await lockCounter(trx, input.scope, 0);
    await refuseClosedDay(trx, input.scope, input.day);
    const view = await journalDay(trx, input.scope, input.day);
    const seqs = view.entries.map((e) => e.seq);
    try {
      await trx
        .insertInto('cash_journal_day')
        .values({
          authority_ags: input.scope.authorityAgs,
          office_type: input.scope.officeType,
          business_day: input.day,
          entry_count: view.entries.length,
          first_seq: seqs.length ? Math.min(...seqs) : null,
          last_seq: seqs.length ? Math.max(...seqs) : null,
          total_in_cents: view.totalInCents,
          total_out_cents: view.totalOutCents,
          balance_cents: view.closingBalanceCents,
          counted_cents: input.countedCents ?? null,
          closed_at: input.now.toISOString(),
          closed_by: input.actor.userId,
          closed_by_name: input.actor.displayName,
          note: input.note ?? null,
        })
        .execute();
    } catch (err) {
      if (isUniqueViolation(err))
        throw notAllowed('Bereits abgeschlossen', 'Dieser Kassentag ist bereits abgeschlossen.');
      throw err;
    }
    return journalDay(trx, input.scope, input.day);
  }
}

/** Second person confirms a closed day (four eyes): not the person who closed it. */
export async function confirmDay(
  trx: Transaction<Database>,
  input: { scope: JournalScope; day: string; actor: Actor; now: Date },
): Promise<JournalDayView> {
  {
    const closed = await trx
      .selectFrom('cash_journal_day')
      .select('closed_by')
      .where('authority_ags', '=', input.scope.authorityAgs)
      .where('office_type', '=', input.scope.officeType)
      .where('business_day', '=', input.day)
      .executeTakeFirst();
    if (!closed) throw notAllowed('Noch nicht abgeschlossen', 'Der Kassentag ist noch nicht abgeschlossen.');
    if (closed.closed_by === input.actor.userId) {
      throw notAllowed(
        'Vier-Augen-Prinzip',
        'Den Tagesabschluss muss eine andere Person bestätigen als die, die ihn durchgeführt hat.',
      );
    }
    try {
      await trx
        .insertInto('cash_journal_day_confirmation')
        .values({
          authority_ags: input.scope.authorityAgs,
          office_type: input.scope.officeType,
          business_day: input.day,
          confirmed_at: input.now.toISOString(),
          confirmed_by: input.actor.userId,
          confirmed_by_name: input.actor.displayName,
        })
        .execute();
    } catch (err) {
      if (isUniqueViolation(err))
        throw notAllowed('Bereits bestätigt', 'Der Tagesabschluss ist bereits bestätigt.');
      throw err;
    }
    return journalDay(trx, input.scope, input.day);
  }
}

export async function getEntry(db: Db, id: string): Promise<CashEntry | null> {
  const row = await db.selectFrom('cash_journal_entry').selectAll().where('id', '=', id).executeTakeFirst();
  return row ? presentEntry(row) : null;
}

export async function entriesFor(db: Db, referenceType: string, referenceId: string): Promise<CashEntry[]> {
  return (
    await db
      .selectFrom('cash_journal_entry')
      .selectAll()
      .where('reference_type', '=', referenceType)
      .where('reference_id', '=', referenceId)
      .orderBy('seq')
      .execute()
  ).map(presentEntry);
}

/** Display name of a user, for entries booked from hooks that know only the user id. */
export async function actorOf(db: Db, userId: string): Promise<Actor> {
  const u = await db
    .selectFrom('app_user')
    .select('display_name')
    .where('id', '=', userId)
    .executeTakeFirst();
  return { userId, displayName: u?.display_name ?? userId };
}

/** What a case records of its fee paid in cash (shown by the web app's FeeTable). */
export interface CaseFeePayment {
  kassenbuchungId: string;
  belegNr: number;
  betragCents: number;
  tag: string;
}

/**
 * Books the fee of a case, paid in cash, into the journal of the case's office, inside the case
 * action's transaction (a `prepare` hook): the booking and the action commit together, and a case
 * pays its fee once (dedupe key `fee:<case id>`).
 */
export async function bookCaseFee(
  ctx: PrepareContext,
  fee: { amountCents: number; purpose: string; feeCodes: readonly string[] },
): Promise<CaseFeePayment> {
  const entry = await bookEntry(ctx.trx, {
    scope: { authorityAgs: ctx.case.authorityAgs, officeType: ctx.case.officeType },
    kind: 'einzahlung',
    amountCents: fee.amountCents,
    purpose: fee.purpose,
    feeCode: fee.feeCodes.length > 0 ? fee.feeCodes.join('+') : null,
    reference: { type: 'case', id: ctx.case.id, label: ctx.case.aktenzeichen },
    dedupeKey: `fee:${ctx.case.id}`,
    actor: await actorOf(ctx.trx, ctx.actor),
    now: ctx.now,
  });
  return {
    kassenbuchungId: entry.id,
    belegNr: entry.seq,
    betragCents: entry.amountCents,
    tag: entry.businessDay,
  };
}

/** 1234 -> "12,34 EUR" */
export function formatEuro(cents: number): string {
  const sign = cents < 0 ? '-' : '';
  const abs = Math.abs(cents);
  const euros = Math.floor(abs / 100)
    .toString()
    .replace(/\B(?=(\d{3})+(?!\d))/g, '.');
  return `${sign}${euros},${String(abs % 100).padStart(2, '0')} EUR`;
}
