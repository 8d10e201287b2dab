import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../../db/types.js';
import { canRead, hasRole, type Principal } from '../access.js';
import { AppError, forbidden, notFound } from '../errors.js';
import { type IdempotentRequest, type IdempotentResult, runIdempotent } from '../idempotency.js';
import { newId } from '../ids.js';
import type { OfficeType } from '../offices.js';

/**
 * Rooms with bookable time slots, per office of an authority. Generic: the Standesamt books
 * ceremony rooms for weddings; later procedures book counters or appointments the same way.
 * A slot holds at most one booking — the primary key of slot_booking is the slot id, and a
 * booking is an INSERT … ON CONFLICT DO NOTHING, so two concurrent requests for the same slot
 * cannot both succeed (on PostgreSQL the second waits for the first and then finds the row).
 */

export interface RoomView {
  id: string;
  authorityAgs: string;
  officeType: string;
  name: string;
  description: string | null;
  capacity: number | null;
  active: boolean;
}

export interface SlotView {
  id: string;
  roomId: string;
  roomName: string;
  startsAt: string;
  endsAt: string;
  booked: boolean;
  /** Only for readers of the room's office. */
  bookedByCase: string | null;
}

export const slotTaken = () =>
  new AppError(
    'ACTION_NOT_ALLOWED',
    'Termin bereits vergeben',
    'Dieser Termin ist bereits vergeben. Bitte einen anderen freien Termin wählen.',
  );

type Db = Kysely<Database> | Transaction<Database>;

export class RoomService {
  constructor(private readonly deps: { db: Kysely<Database>; now: () => Date }) {}

  private scope(row: { authority_ags: string; office_type: string }) {
    return { authorityAgs: row.authority_ags, officeType: row.office_type as OfficeType };
  }

  async listRooms(principal: Principal, authorityAgs: string, officeType: OfficeType): Promise<RoomView[]> {
    if (!canRead(principal, { authorityAgs, officeType })) {
      throw forbidden('Sie sind für die Räume dieses Amtes nicht berechtigt.');
    }
    const rows = await this.deps.db
      .selectFrom('room')
      .selectAll()
      .where('authority_ags', '=', authorityAgs)
      .where('office_type', '=', officeType)
      .orderBy('name')
      .execute();
    return rows.map(presentRoom);
  }

  /** Creating rooms is for the head of office. */
  async createRoom(
    principal: Principal,
    input: {
      authorityAgs: string;
      officeType: OfficeType;
      name: string;
      description?: string;
      capacity?: number;
    },
    idem: IdempotentRequest,
  ): Promise<IdempotentResult> {
    if (
      !hasRole(principal, { authorityAgs: input.authorityAgs, officeType: input.officeType }, ['leitung'])
    ) {
      throw forbidden('Räume anlegen darf nur die Amtsleitung dieses Amtes.');
    }
    const office = await this.deps.db
      .selectFrom('office')
      .select('id')
      .where('authority_ags', '=', input.authorityAgs)
      .where('office_type', '=', input.officeType)
      .executeTakeFirst();
    if (!office) throw notFound('Das Amt');
    const id = newId();
    const row = {
      id,
      authority_ags: input.authorityAgs,
      office_type: input.officeType,
      name: input.name,
      description: input.description ?? null,
      capacity: input.capacity ?? null,
      active: 1,
      created_at: this.deps.now().toISOString(),
    };
    return runIdempotent(
      this.deps.db,
      idem,
      () => this.deps.now().toISOString(),
      async (trx) => {
        const inserted = await trx
          .insertInto('room')
          .values(row)
          .onConflict((oc) => oc.columns(['authority_ags', 'office_type', 'name']).doNothing())
          .returning('id')
          .executeTakeFirst();
        if (!inserted) {
          throw new AppError(
            'ACTION_NOT_ALLOWED',
            'Raum existiert bereits',
            'Einen Raum mit diesem Namen gibt es bei diesem Amt schon.',
          );
        }
        return { statusCode: 201, body: presentRoom(row) };
      },
    );
  }

  private async roomFor(principal: Principal, roomId: string, write: boolean) {
    const room = await this.deps.db
      .selectFrom('room')
      .selectAll()
      .where('id', '=', roomId)
      .executeTakeFirst();
    if (!room) throw notFound('Der Raum');
    const ok = write
      ? hasRole(principal, this.scope(room), ['leitung'])
      : canRead(principal, this.scope(room));
    if (!ok) {
      throw forbidden(
        write
          ? 'Termine anlegen darf nur die Amtsleitung des Amtes, zu dem der Raum gehört.'
          : 'Sie sind für die Räume dieses Amtes nicht berechtigt.',
      );
    }
    return room;
  }

  /** Adds slots; a slot that already exists (same room and start) is left as it is. */
  async createSlots(
    principal: Principal,
    roomId: string,
    slots: Array<{ startsAt: string; endsAt: string }>,
    idem: IdempotentRequest,
  ): Promise<IdempotentResult> {
    const room = await this.roomFor(principal, roomId, true);
    const nowIso = this.deps.now().toISOString();
    for (const s of slots) {
      if (!(Date.parse(s.endsAt) > Date.parse(s.startsAt))) {
        throw new AppError(
          'VALIDATION_FAILED',
          'Ungültiger Termin',
          'Ein Termin muss nach seinem Beginn enden.',
          [{ path: 'slots', message: 'Ende liegt nicht nach dem Beginn.' }],
        );
      }
    }
    return runIdempotent(
      this.deps.db,
      idem,
      () => nowIso,
      async (trx) => {
        let created = 0;
        for (const s of slots) {
          await trx
            .insertInto('slot')
            .values({
              id: newId(),
              room_id: room.id,
              starts_at: new Date(s.startsAt).toISOString(),
              ends_at: new Date(s.endsAt).toISOString(),
              created_at: nowIso,
            })
            .onConflict((oc) => oc.columns(['room_id', 'starts_at']).doNothing())
            .returning('id')
            .executeTakeFirst()
            .then((r) => {
              if (r) created++;
            });
        }
        return { statusCode: 201, body: { created, unchanged: slots.length - created } };
      },
    );
  }

  async listSlots(
    principal: Principal,
    roomId: string,
    range: { from?: string; to?: string; freeOnly?: boolean },
  ): Promise<SlotView[]> {
    const room = await this.roomFor(principal, roomId, false);
    let q = this.deps.db
      .selectFrom('slot')
      .leftJoin('slot_booking', 'slot_booking.slot_id', 'slot.id')
      .select(['slot.id', 'slot.starts_at', 'slot.ends_at', 'slot_booking.case_id'])
      .where('slot.room_id', '=', room.id);
    if (range.from) q = q.where('slot.starts_at', '>=', new Date(range.from).toISOString());
    if (range.to) q = q.where('slot.starts_at', '<', new Date(range.to).toISOString());
    if (range.freeOnly) q = q.where('slot_booking.case_id', 'is', null);
    const rows = await q.orderBy('slot.starts_at').limit(500).execute();
    return rows.map((r) => ({
      id: r.id,
      roomId: room.id,
      roomName: room.name,
      startsAt: r.starts_at,
      endsAt: r.ends_at,
      booked: r.case_id !== null,
      bookedByCase: r.case_id ?? null,
    }));
  }
}

function presentRoom(r: {
  id: string;
  authority_ags: string;
  office_type: string;
  name: string;
  description: string | null;
  capacity: number | null;
  active: number;
}): RoomView {
  return {
    id: r.id,
    authorityAgs: r.authority_ags,
    officeType: r.office_type,
    name: r.name,
    description: r.description,
    capacity: r.capacity,
    active: r.active === 1,
  };
}

/**
 * Books a slot for a case inside the caller's transaction (e.g. a procedure action's prepare
 * hook). The slot must belong to a room of the case's authority and office. Refuses a taken slot.
 */
export async function bookSlot(
  trx: Db,
  input: {
    slotId: string;
    caseId: string;
    authorityAgs: string;
    officeType: string;
    purpose: string;
    actor: string;
    now: Date;
  },
): Promise<{ slotId: string; roomId: string; roomName: string; startsAt: string; endsAt: string }> {
  const slot = await trx
    .selectFrom('slot')
    .innerJoin('room', 'room.id', 'slot.room_id')
    .select(['slot.id', 'slot.starts_at', 'slot.ends_at', 'room.id as room_id', 'room.name', 'room.active'])
    .where('slot.id', '=', input.slotId)
    .where('room.authority_ags', '=', input.authorityAgs)
    .where('room.office_type', '=', input.officeType)
    .executeTakeFirst();
  if (!slot) throw notFound('Der Termin');
  if (slot.active !== 1) {
    throw new AppError('ACTION_NOT_ALLOWED', 'Raum nicht verfügbar', 'Dieser Raum ist nicht mehr buchbar.');
  }
  if (Date.parse(slot.starts_at) <= input.now.getTime()) {
    throw new AppError(
      'ACTION_NOT_ALLOWED',
      'Termin liegt in der Vergangenheit',
      'Dieser Termin hat schon begonnen oder liegt in der Vergangenheit.',
    );
  }
  const inserted = await trx
    .insertInto('slot_booking')
    .values({
      slot_id: slot.id,
      case_id: input.caseId,
      purpose: input.purpose,
      created_at: input.now.toISOString(),
      created_by: input.actor,
    })
    .onConflict((oc) => oc.column('slot_id').doNothing())
    .returning('slot_id')
    .executeTakeFirst();
  if (!inserted) throw slotTaken();
  return {
    slotId: slot.id,
    roomId: slot.room_id,
    roomName: slot.name,
    startsAt: slot.starts_at,
    endsAt: slot.ends_at,
  };
}

/** Releases the booking of a case on a slot (cancelled appointment). */
export async function releaseSlot(trx: Db, input: { slotId: string; caseId: string }): Promise<void> {
  await trx
    .deleteFrom('slot_booking')
    .where('slot_id', '=', input.slotId)
    .where('case_id', '=', input.caseId)
    .execute();
}
