import { createHash, randomInt } from 'node:crypto';
import type { Kysely, Transaction } from 'kysely';
import { canRead, hasRole, type Principal } from '../../../core/access.js';
import { addDays, type IsoDate } from '../../../core/dates.js';
import { AppError, forbidden, notFound } from '../../../core/errors.js';
import {
  hashRequest,
  type IdempotentRequest,
  type IdempotentResult,
  runIdempotent,
} from '../../../core/idempotency.js';
import { newId } from '../../../core/ids.js';
import { isOfficeType, OFFICE_LABELS, type OfficeType } from '../../../core/offices.js';
import { bookSlot, releaseSlot } from '../../../core/rooms/service.js';
import type { DialectName } from '../../../db/database.js';
import { writeTransaction } from '../../../db/group-commit.js';
import type { Database } from '../../../db/types.js';
import { addressWait, lockAddress, recordAttempt } from './address-throttle.js';
import type { KrisenstabConfig } from './config.js';
import { berlinMidnightUtc } from './time.js';

/**
 * Appointments for citizens (Termine) on the shared slot mechanism (src/core/rooms): the
 * Amtsleitung creates rooms and slots of its office as the Standesamt does for ceremonies and
 * releases a room for public booking; citizens book a free slot without login, with a name and an
 * e-mail address or a phone number, and get a booking code to cancel with. No double booking: the
 * booking is the core's `bookSlot` (primary key on the slot) inside the same transaction as the
 * booking row. Bulk booking is throttled per client address in the database (shared by all
 * instances, like the login throttle): at most N bookings per address within a window; the count
 * and the insert run in one transaction, serialised per address (PostgreSQL: advisory lock;
 * SQLite: one writer), so parallel requests cannot overshoot. Booking data is deleted a
 * configurable number of days after the appointment (core/maintenance.ts, no cron needed).
 */

export const CODE_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';
const CODE_LENGTH = 12;

/** A booking code: 12 characters of an alphabet without 0/O, 1/I (60 bits), shown as XXXX-XXXX-XXXX. */
export function newBookingCode(): string {
  let code = '';
  for (let i = 0; i < CODE_LENGTH; i++) code += CODE_ALPHABET[randomInt(CODE_ALPHABET.length)];
  return `${code.slice(0, 4)}-${code.slice(4, 8)}-${code.slice(8)}`;
}

/** The code as typed (spaces, dashes, lower case) in its stored form, or null when it cannot be one. */
export function normaliseCode(input: string): string | null {
  const c = input.toUpperCase().replace(/[\s-]/g, '');
  if (c.length !== CODE_LENGTH) return null;
  for (const ch of c) if (!CODE_ALPHABET.includes(ch)) return null;
  return c;
}

export function codeHash(normalised: string): string {
  return createHash('sha256').update(`termin:${normalised}`).digest('hex');
}

/** The client address, hashed with the installation id: the throttle keeps no address in clear. */
export function addressSubject(installationId: string, address: string): string {
  return createHash('sha256').update(`termin-adresse:${installationId}:${address}`).digest('hex');
}

export interface PublicSlot {
  id: string;
  startsAt: string;
  endsAt: string;
  roomName: string;
  officeType: string;
  officeLabel: string;
  hinweis: string | null;
}

export interface BookingInput {
  name: string;
  email: string | null;
  telefon: string | null;
}

export interface BookingResult {
  bookingId: string;
  startsAt: string;
  endsAt: string;
  roomName: string;
  officeType: string;
  officeLabel: string;
}

const officeLabel = (o: string) => (isOfficeType(o) ? OFFICE_LABELS[o] : o);

export const rateLimited = (retryAfterS: number, what: string) => {
  const minutes = Math.max(1, Math.ceil(retryAfterS / 60));
  const err = new AppError(
    'RATE_LIMITED',
    'Zu viele Anfragen',
    `Von Ihrem Anschluss kamen in kurzer Zeit zu viele ${what}. Bitte versuchen Sie es in ${minutes} ${minutes === 1 ? 'Minute' : 'Minuten'} wieder oder rufen Sie das Bürgertelefon an.`,
  );
  return Object.assign(err, { retryAfterS });
};

type Db = Kysely<Database> | Transaction<Database>;

export class AppointmentService {
  constructor(
    private readonly deps: {
      db: Kysely<Database>;
      dialect: DialectName;
      now: () => Date;
      config: KrisenstabConfig;
      installationId: string;
    },
  ) {}

  // ---- public (no personal data is read here) ----

  /** Offices of an authority with at least one room released for public booking. */
  async publicOffices(ags: string): Promise<Array<{ officeType: string; officeLabel: string }>> {
    const rows = await this.deps.db
      .selectFrom('krisenstab_termin_freigabe as f')
      .innerJoin('room as r', 'r.id', 'f.room_id')
      .select('f.office_type')
      .distinct()
      .where('f.authority_ags', '=', ags)
      .where('f.oeffentlich', '=', 1)
      .where('r.active', '=', 1)
      .orderBy('f.office_type')
      .execute();
    return rows.map((r) => ({ officeType: r.office_type, officeLabel: officeLabel(r.office_type) }));
  }

  /** Free future slots of released rooms of an authority (optionally one office), from..to. */
  async freeSlots(
    ags: string,
    opts: { officeType?: string; from: Date; to: Date; limit?: number },
  ): Promise<PublicSlot[]> {
    const start = new Date(Math.max(opts.from.getTime(), this.deps.now().getTime())).toISOString();
    let q = this.deps.db
      .selectFrom('slot as s')
      .innerJoin('room as r', 'r.id', 's.room_id')
      .innerJoin('krisenstab_termin_freigabe as f', 'f.room_id', 'r.id')
      .leftJoin('slot_booking as b', 'b.slot_id', 's.id')
      .select(['s.id', 's.starts_at', 's.ends_at', 'r.name', 'f.office_type', 'f.hinweis'])
      .where('f.authority_ags', '=', ags)
      .where('f.oeffentlich', '=', 1)
      .where('r.active', '=', 1)
      .where('b.slot_id', 'is', null)
      .where('s.starts_at', '>', start)
      .where('s.starts_at', '<', opts.to.toISOString());
    if (opts.officeType) q = q.where('f.office_type', '=', opts.officeType);
    const rows = await q
      .orderBy('s.starts_at')
      .orderBy('r.name')
      .limit(opts.limit ?? 500)
      .execute();
    return rows.map((r) => ({
      id: r.id,
      startsAt: r.starts_at,
      endsAt: r.ends_at,
      roomName: r.name,
      officeType: r.office_type,
      officeLabel: officeLabel(r.office_type),
      hinweis: r.hinweis,
    }));
  }

  /** One slot for the booking form: bookable (released, future) and whether it is still free. */
  async publicSlot(ags: string, slotId: string): Promise<(PublicSlot & { free: boolean }) | undefined> {
    const r = await this.deps.db
      .selectFrom('slot as s')
      .innerJoin('room as r', 'r.id', 's.room_id')
      .innerJoin('krisenstab_termin_freigabe as f', 'f.room_id', 'r.id')
      .leftJoin('slot_booking as b', 'b.slot_id', 's.id')
      .select([
        's.id',
        's.starts_at',
        's.ends_at',
        'r.name',
        'f.office_type',
        'f.hinweis',
        'b.slot_id as booked',
      ])
      .where('s.id', '=', slotId)
      .where('f.authority_ags', '=', ags)
      .where('f.oeffentlich', '=', 1)
      .where('r.active', '=', 1)
      .executeTakeFirst();
    if (!r || Date.parse(r.starts_at) <= this.deps.now().getTime()) return undefined;
    return {
      id: r.id,
      startsAt: r.starts_at,
      endsAt: r.ends_at,
      roomName: r.name,
      officeType: r.office_type,
      officeLabel: officeLabel(r.office_type),
      hinweis: r.hinweis,
      free: r.booked === null,
    };
  }

  private throttleWait(db: Db, art: 'buchung' | 'code', subject: string, limit: number): Promise<number> {
    return addressWait(db, {
      art,
      subject,
      limit,
      windowMs: this.deps.config.drosselMinuten * 60_000,
      now: this.deps.now(),
    });
  }

  /**
   * Books a slot for a citizen. `formId` is the booking form's id: sending the same form twice
   * returns the first result (`replayed`), never a second booking. The code is returned once and
   * only its hash is stored.
   */
  async book(input: {
    ags: string;
    slotId: string;
    formId: string;
    booking: BookingInput;
    clientAddress: string;
  }): Promise<{ result: IdempotentResult; code: string | null }> {
    const subject = addressSubject(this.deps.installationId, input.clientAddress);
    const idem: IdempotentRequest = {
      key: input.formId.toLowerCase(),
      scope: `oeffentlich POST termin ${input.ags}`,
      requestHash: hashRequest({ slotId: input.slotId, booking: input.booking }),
    };
    const now = this.deps.now();
    const nowIso = now.toISOString();
    let code: string | null = null;
    const result = await runIdempotent(
      this.deps.db,
      idem,
      () => nowIso,
      async (trx) => {
        await lockAddress(trx, this.deps.dialect, subject);
        const wait = await this.throttleWait(trx, 'buchung', subject, this.deps.config.buchungenJeAdresse);
        if (wait > 0) throw rateLimited(wait, 'Terminbuchungen');
        const freigabe = await trx
          .selectFrom('slot as s')
          .innerJoin('krisenstab_termin_freigabe as f', 'f.room_id', 's.room_id')
          .select(['f.office_type', 'f.oeffentlich'])
          .where('s.id', '=', input.slotId)
          .where('f.authority_ags', '=', input.ags)
          .executeTakeFirst();
        if (freigabe?.oeffentlich !== 1) throw notFound('Der Termin');
        const id = newId();
        const slot = await bookSlot(trx, {
          slotId: input.slotId,
          caseId: id,
          authorityAgs: input.ags,
          officeType: freigabe.office_type,
          purpose: 'termin',
          actor: 'oeffentlich',
          now,
        });
        const issued = newBookingCode();
        await trx
          .insertInto('krisenstab_termin')
          .values({
            id,
            slot_id: slot.slotId,
            room_id: slot.roomId,
            authority_ags: input.ags,
            office_type: freigabe.office_type,
            starts_at: slot.startsAt,
            ends_at: slot.endsAt,
            name: input.booking.name,
            email: input.booking.email,
            telefon: input.booking.telefon,
            code_hash: codeHash(normaliseCode(issued) as string),
            status: 'gebucht',
            created_at: nowIso,
            cancelled_at: null,
          })
          .execute();
        await recordAttempt(trx, 'buchung', subject, nowIso);
        code = issued;
        const body: BookingResult = {
          bookingId: id,
          startsAt: slot.startsAt,
          endsAt: slot.endsAt,
          roomName: slot.roomName,
          officeType: freigabe.office_type,
          officeLabel: officeLabel(freigabe.office_type),
        };
        return { statusCode: 201, body };
      },
    );
    return { result, code: result.replayed ? null : code };
  }

  /**
   * Cancels a booking by its code (no login). The slot becomes free again and the citizen's data
   * is deleted at once. Wrong codes count against the address (throttled like logins).
   */
  async cancelByCode(input: { ags: string; code: string; clientAddress: string }): Promise<BookingResult> {
    const subject = addressSubject(this.deps.installationId, input.clientAddress);
    const wait = await this.throttleWait(this.deps.db, 'code', subject, this.deps.config.codeFehlversuche);
    if (wait > 0) throw rateLimited(wait, 'falsche Buchungscodes');
    const normalised = normaliseCode(input.code);
    const now = this.deps.now();
    const nowIso = now.toISOString();
    const wrong = async () => {
      await recordAttempt(this.deps.db, 'code', subject, nowIso);
      return new AppError(
        'NOT_FOUND',
        'Buchungscode nicht gefunden',
        'Zu diesem Buchungscode gibt es bei dieser Behörde keinen gebuchten Termin. Bitte prüfen Sie den Code (12 Zeichen, z. B. ABCD-EFGH-JKLM).',
      );
    };
    if (!normalised) throw await wrong();
    const booking = await this.deps.db
      .selectFrom('krisenstab_termin as t')
      .innerJoin('room as r', 'r.id', 't.room_id')
      .select(['t.id', 't.slot_id', 't.status', 't.starts_at', 't.ends_at', 't.office_type', 'r.name'])
      .where('t.code_hash', '=', codeHash(normalised))
      .where('t.authority_ags', '=', input.ags)
      .executeTakeFirst();
    if (!booking) throw await wrong();
    if (booking.status !== 'gebucht') {
      throw new AppError('ACTION_NOT_ALLOWED', 'Bereits abgesagt', 'Dieser Termin ist bereits abgesagt.');
    }
    if (Date.parse(booking.starts_at) <= now.getTime()) {
      throw new AppError(
        'ACTION_NOT_ALLOWED',
        'Termin hat schon begonnen',
        'Dieser Termin hat schon begonnen oder liegt in der Vergangenheit und kann nicht mehr abgesagt werden.',
      );
    }
    await writeTransaction(this.deps.db, async (trx) => {
      const r = await trx
        .updateTable('krisenstab_termin')
        .set({ status: 'abgesagt', cancelled_at: nowIso, name: null, email: null, telefon: null })
        .where('id', '=', booking.id)
        .where('status', '=', 'gebucht')
        .executeTakeFirst();
      if (Number(r.numUpdatedRows) !== 1) {
        throw new AppError('ACTION_NOT_ALLOWED', 'Bereits abgesagt', 'Dieser Termin ist bereits abgesagt.');
      }
      await releaseSlot(trx, { slotId: booking.slot_id, caseId: booking.id });
    });
    return {
      bookingId: booking.id,
      startsAt: booking.starts_at,
      endsAt: booking.ends_at,
      roomName: booking.name,
      officeType: booking.office_type,
      officeLabel: officeLabel(booking.office_type),
    };
  }

  // ---- the office (login, permissions checked here) ----

  /** Rooms of an office with their public release and the upcoming free and booked slots. */
  async rooms(principal: Principal, ags: string, officeType: OfficeType) {
    if (!canRead(principal, { authorityAgs: ags, officeType })) {
      throw forbidden('Sie sind für die Termine dieses Amtes nicht berechtigt.');
    }
    const nowIso = this.deps.now().toISOString();
    const rows = await this.deps.db
      .selectFrom('room as r')
      .leftJoin('krisenstab_termin_freigabe as f', 'f.room_id', 'r.id')
      .select([
        'r.id',
        'r.name',
        'r.active',
        'f.oeffentlich',
        'f.hinweis',
        (eb) =>
          eb
            .selectFrom('slot as s')
            .leftJoin('slot_booking as b', 'b.slot_id', 's.id')
            .select((e) => e.fn.countAll<number | string>().as('n'))
            .whereRef('s.room_id', '=', 'r.id')
            .where('s.starts_at', '>', nowIso)
            .where('b.slot_id', 'is', null)
            .as('free'),
        (eb) =>
          eb
            .selectFrom('slot as s')
            .innerJoin('slot_booking as b', 'b.slot_id', 's.id')
            .select((e) => e.fn.countAll<number | string>().as('n'))
            .whereRef('s.room_id', '=', 'r.id')
            .where('s.starts_at', '>', nowIso)
            .as('booked'),
      ])
      .where('r.authority_ags', '=', ags)
      .where('r.office_type', '=', officeType)
      .orderBy('r.name')
      .execute();
    return rows.map((r) => ({
      id: r.id,
      name: r.name,
      active: r.active === 1,
      oeffentlich: r.oeffentlich === 1,
      hinweis: r.hinweis ?? null,
      freieTermine: Number(r.free ?? 0),
      gebuchteTermine: Number(r.booked ?? 0),
    }));
  }

  /** Releases a room for public booking (or withdraws it): the Amtsleitung of the room's office. */
  async setRelease(
    principal: Principal,
    roomId: string,
    body: { oeffentlich: boolean; hinweis?: string | null | undefined },
    idem: IdempotentRequest,
  ): Promise<IdempotentResult> {
    const room = await this.deps.db
      .selectFrom('room')
      .select(['id', 'authority_ags', 'office_type'])
      .where('id', '=', roomId)
      .executeTakeFirst();
    if (!room) throw notFound('Der Raum');
    if (
      !isOfficeType(room.office_type) ||
      !hasRole(principal, { authorityAgs: room.authority_ags, officeType: room.office_type }, ['leitung'])
    ) {
      throw forbidden('Räume für die Terminbuchung freigeben darf nur die Amtsleitung des Amtes.');
    }
    const nowIso = this.deps.now().toISOString();
    const values = {
      oeffentlich: body.oeffentlich ? 1 : 0,
      hinweis: body.hinweis ?? null,
      updated_at: nowIso,
      updated_by: principal.userId,
    };
    return runIdempotent(
      this.deps.db,
      idem,
      () => nowIso,
      async (trx) => {
        await trx
          .insertInto('krisenstab_termin_freigabe')
          .values({
            room_id: room.id,
            authority_ags: room.authority_ags,
            office_type: room.office_type,
            ...values,
          })
          .onConflict((oc) => oc.column('room_id').doUpdateSet(values))
          .execute();
        return {
          statusCode: 200,
          body: { roomId: room.id, oeffentlich: body.oeffentlich, hinweis: values.hinweis },
        };
      },
    );
  }

  /** The day's appointments of an office, with the citizens' names and contacts (the office only). */
  async day(principal: Principal, ags: string, officeType: OfficeType, day: IsoDate) {
    if (!canRead(principal, { authorityAgs: ags, officeType })) {
      throw forbidden('Sie sind für die Termine dieses Amtes nicht berechtigt.');
    }
    const from = berlinMidnightUtc(day).toISOString();
    const to = berlinMidnightUtc(addDays(day, 1)).toISOString();
    const rows = await this.deps.db
      .selectFrom('krisenstab_termin as t')
      .innerJoin('room as r', 'r.id', 't.room_id')
      .select([
        't.id',
        't.starts_at',
        't.ends_at',
        'r.name as room_name',
        't.status',
        't.name',
        't.email',
        't.telefon',
        't.created_at',
        't.cancelled_at',
      ])
      .where('t.authority_ags', '=', ags)
      .where('t.office_type', '=', officeType)
      .where('t.starts_at', '>=', from)
      .where('t.starts_at', '<', to)
      .orderBy('t.starts_at')
      .orderBy('r.name')
      .execute();
    return rows.map((r) => ({
      id: r.id,
      startsAt: r.starts_at,
      endsAt: r.ends_at,
      roomName: r.room_name,
      status: r.status,
      name: r.name,
      email: r.email,
      telefon: r.telefon,
      createdAt: r.created_at,
      cancelledAt: r.cancelled_at,
    }));
  }

  /** The office cancels an appointment (e.g. the counter closes): the slot is released. */
  async cancelByOffice(principal: Principal, id: string, idem: IdempotentRequest): Promise<IdempotentResult> {
    const t = await this.deps.db
      .selectFrom('krisenstab_termin')
      .select(['id', 'slot_id', 'authority_ags', 'office_type', 'status', 'starts_at'])
      .where('id', '=', id)
      .executeTakeFirst();
    if (!t) throw notFound('Der Termin');
    if (
      !isOfficeType(t.office_type) ||
      !hasRole(principal, { authorityAgs: t.authority_ags, officeType: t.office_type }, ['sachbearbeitung'])
    ) {
      throw forbidden('Termine absagen darf nur das Amt, bei dem der Termin gebucht ist.');
    }
    const nowIso = this.deps.now().toISOString();
    return runIdempotent(
      this.deps.db,
      idem,
      () => nowIso,
      async (trx) => {
        const r = await trx
          .updateTable('krisenstab_termin')
          .set({ status: 'abgesagt_amt', cancelled_at: nowIso })
          .where('id', '=', id)
          .where('status', '=', 'gebucht')
          .executeTakeFirst();
        if (Number(r.numUpdatedRows) !== 1) {
          throw new AppError('ACTION_NOT_ALLOWED', 'Bereits abgesagt', 'Dieser Termin ist bereits abgesagt.');
        }
        await releaseSlot(trx, { slotId: t.slot_id, caseId: t.id });
        return { statusCode: 200, body: { id, status: 'abgesagt_amt', cancelledAt: nowIso } };
      },
    );
  }

  // ---- maintenance ----

  /**
   * Deletes the booking data of appointments that ended more than `loeschfristTage` days ago
   * (whole rows, cancelled ones too) and the throttle rows older than the window.
   */
  async purge(): Promise<{ termine: number; versuche: number }> {
    const now = this.deps.now().getTime();
    const cutoff = new Date(now - this.deps.config.loeschfristTage * 86_400_000).toISOString();
    const t = await this.deps.db
      .deleteFrom('krisenstab_termin')
      .where('ends_at', '<', cutoff)
      .executeTakeFirst();
    const v = await this.deps.db
      .deleteFrom('krisenstab_termin_versuch')
      .where('at', '<', new Date(now - this.deps.config.drosselMinuten * 60_000).toISOString())
      .executeTakeFirst();
    return { termine: Number(t.numDeletedRows), versuche: Number(v.numDeletedRows) };
  }
}
