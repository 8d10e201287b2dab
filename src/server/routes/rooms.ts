import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  agsSchema,
  idempotencyHeaders,
  idempotencyOf,
  principalOf,
  problemSchema,
  sendIdempotent,
  standardErrors,
} from '../../core/http.js';
import { OFFICE_TYPES } from '../../core/offices.js';
import type { RoomService } from '../../core/rooms/service.js';

const roomSchema = z
  .object({
    id: z.string(),
    authorityAgs: z.string(),
    officeType: z.string(),
    name: z.string(),
    description: z.string().nullable(),
    capacity: z.number().int().nullable(),
    active: z.boolean(),
  })
  .meta({ id: 'Room' });
const slotSchema = z
  .object({
    id: z.string(),
    roomId: z.string(),
    roomName: z.string(),
    startsAt: z.string(),
    endsAt: z.string(),
    booked: z.boolean(),
    bookedByCase: z.string().nullable(),
  })
  .meta({ id: 'Slot' });
const isoTimestamp = z.iso.datetime({
  offset: true,
  error: 'Bitte Datum und Uhrzeit im ISO-Format angeben.',
});

/** Rooms and bookable slots per office (Standesamt: ceremony rooms). Booking happens through a procedure action. */
export const roomRoutes: FastifyPluginAsyncZod<{ rooms: RoomService }> = async (app, { rooms }) => {
  app.get(
    '/rooms',
    {
      schema: {
        tags: ['Räume'],
        summary: 'Räume eines Amtes',
        querystring: z.object({
          authorityAgs: agsSchema,
          officeType: z.enum(OFFICE_TYPES).default('standesamt'),
        }),
        response: { 200: z.object({ items: z.array(roomSchema) }), ...standardErrors },
      },
    },
    async (request, reply) => {
      const { authorityAgs, officeType } = request.query;
      const items = await rooms.listRooms(principalOf(request), authorityAgs, officeType);
      return reply.header('cache-control', 'no-store').send({ items });
    },
  );

  app.post(
    '/rooms',
    {
      schema: {
        tags: ['Räume'],
        summary: 'Raum anlegen (Amtsleitung)',
        headers: idempotencyHeaders,
        body: z
          .object({
            authorityAgs: agsSchema,
            officeType: z.enum(OFFICE_TYPES).default('standesamt'),
            name: z.string().trim().min(1, 'Name: Bitte angeben.').max(100, 'Name: höchstens 100 Zeichen.'),
            description: z.string().trim().max(500).optional(),
            capacity: z.number().int().min(1).max(10_000).optional(),
          })
          .strict(),
        response: { 201: roomSchema, ...standardErrors, 409: problemSchema, 422: problemSchema },
      },
    },
    async (request, reply) => {
      const body = request.body;
      const result = await rooms.createRoom(principalOf(request), body, idempotencyOf(request, body));
      return sendIdempotent(reply, result);
    },
  );

  app.post(
    '/rooms/:id/slots',
    {
      schema: {
        tags: ['Räume'],
        summary: 'Termine (Zeitfenster) für einen Raum anlegen (Amtsleitung)',
        description: 'Bereits vorhandene Zeitfenster (gleicher Beginn) bleiben unverändert.',
        headers: idempotencyHeaders,
        params: z.object({ id: z.uuid('Keine gültige Raum-ID.') }),
        body: z
          .object({
            slots: z
              .array(z.object({ startsAt: isoTimestamp, endsAt: isoTimestamp }).strict())
              .min(1)
              .max(500, 'Höchstens 500 Zeitfenster auf einmal.'),
          })
          .strict(),
        response: {
          201: z.object({ created: z.number().int(), unchanged: z.number().int() }),
          ...standardErrors,
          409: problemSchema,
          422: problemSchema,
        },
      },
    },
    async (request, reply) => {
      const result = await rooms.createSlots(
        principalOf(request),
        request.params.id,
        request.body.slots,
        idempotencyOf(request, request.body),
      );
      return sendIdempotent(reply, result);
    },
  );

  app.get(
    '/rooms/:id/slots',
    {
      schema: {
        tags: ['Räume'],
        summary: 'Zeitfenster eines Raums mit Belegung',
        params: z.object({ id: z.uuid('Keine gültige Raum-ID.') }),
        querystring: z.object({
          from: isoTimestamp.optional(),
          to: isoTimestamp.optional(),
          free: z.enum(['true', 'false']).optional(),
        }),
        response: { 200: z.object({ items: z.array(slotSchema) }), ...standardErrors },
      },
    },
    async (request, reply) => {
      const q = request.query;
      const items = await rooms.listSlots(principalOf(request), request.params.id, {
        from: q.from,
        to: q.to,
        freeOnly: q.free === 'true',
      });
      return reply.header('cache-control', 'no-store').send({ items });
    },
  );
};
