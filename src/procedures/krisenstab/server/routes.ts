import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { isValidIsoDate } from '../../../core/dates.js';
import { notFound } from '../../../core/errors.js';
import {
  agsSchema,
  idempotencyHeaders,
  idempotencyOf,
  principalOf,
  problemSchema,
  sendIdempotent,
  standardErrors,
} from '../../../core/http.js';
import { OFFICE_TYPES } from '../../../core/offices.js';
import { dienstInputSchema, hasControlCharacter, lageInputSchema, logInputSchema } from '../katalog.js';
import { requireCrisisTeam } from './access.js';
import type { AppointmentService } from './appointments.js';
import type { BoardService } from './board.js';
import type { CatalogueService } from './catalogue.js';
import { backlogChartSvg } from './chart.js';
import type { FeedbackService } from './feedback.js';
import { lageberichtCsv, lageberichtPdf, listSnapshots, readSnapshot } from './lagebericht.js';
import type { LogService } from './log.js';
import {
  authorityBoardSchema,
  catalogueSchema,
  dienstSchema,
  lageSchema,
  logSchema,
  regionSchema,
} from './schemas.js';

export interface KrisenstabRouteDeps {
  db: import('kysely').Kysely<import('../../../db/types.js').Database>;
  board: BoardService;
  catalogue: CatalogueService;
  log: LogService;
  appointments: AppointmentService;
  feedback: FeedbackService;
  /** Called after every successful write (clears the public pages' cache of this process). */
  onChange: () => void;
}

const TAGS = ['Krisenstab'];
const days = z.coerce
  .number({ error: 'Tage: Bitte eine Zahl angeben.' })
  .int('Tage: Bitte eine ganze Zahl angeben.')
  .min(1, 'Tage: mindestens 1.')
  .max(92, 'Tage: höchstens 92.')
  .default(14);
const isoDay = (label: string) =>
  z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/, `${label}: Bitte ein Datum im Format JJJJ-MM-TT angeben.`)
    .refine(isValidIsoDate, `${label}: Dieses Datum gibt es nicht.`);
const dienstKey = z
  .string()
  .regex(/^[a-z0-9-]{1,64}$/, 'Unbekannter Dienst.')
  .meta({
    description: 'ID des Eintrags oder (für einen noch nicht gespeicherten Familieneintrag) die Familie',
  });
const expectedVersion = z
  .number({ error: 'expectedVersion: Bitte die Version angeben, auf der die Änderung beruht.' })
  .int()
  .min(0);

/** The crisis team's board, catalogue, log and Lageberichte, and the offices' appointment lists (under /api). */
export const krisenstabRoutes: FastifyPluginAsync<KrisenstabRouteDeps> = async (plain, deps) => {
  const app = plain.withTypeProvider<ZodTypeProvider>();
  const { board, catalogue, log, appointments } = deps;
  app.addHook('onResponse', async (request, reply) => {
    if (request.method !== 'GET' && request.method !== 'HEAD' && reply.statusCode < 400) deps.onChange();
  });

  app.get(
    '/krisenstab/lage',
    {
      schema: {
        tags: TAGS,
        summary: 'Lagebild der Region (nur Krisenstab): Kennzahlen je Behörde und Amt, keine Personendaten',
        querystring: z.object({ tage: days }),
        response: { 200: regionSchema, ...standardErrors },
      },
    },
    async (request, reply) => {
      const result = await board.region(principalOf(request), request.query.tage);
      return reply.header('cache-control', 'no-store').send(result);
    },
  );

  app.get(
    '/krisenstab/lage/:ags',
    {
      schema: {
        tags: TAGS,
        summary: 'Lagebild einer Behörde (nur Krisenstab): Ämter, Verlauf, Dienste mit WAZ, Lagelog',
        params: z.object({ ags: agsSchema }),
        querystring: z.object({ tage: days }),
        response: { 200: authorityBoardSchema, ...standardErrors },
      },
    },
    async (request, reply) => {
      const result = await board.authority(principalOf(request), request.params.ags, request.query.tage);
      return reply.header('cache-control', 'no-store').send(result);
    },
  );

  app.get(
    '/krisenstab/verlauf.svg',
    {
      schema: {
        tags: TAGS,
        summary: 'Rückstand im Zeitverlauf als SVG-Grafik (Region, Behörde oder Amt; nur Krisenstab)',
        querystring: z.object({
          authorityAgs: agsSchema.optional(),
          officeType: z.enum(OFFICE_TYPES, { error: 'Unbekanntes Amt.' }).optional(),
          tage: days,
        }),
        response: { 200: z.any().meta({ description: 'SVG (image/svg+xml)' }), ...standardErrors },
      },
    },
    async (request, reply) => {
      const q = request.query;
      const s = await board.series(principalOf(request), {
        days: q.tage,
        ...(q.authorityAgs ? { authorityAgs: q.authorityAgs } : {}),
        ...(q.officeType ? { officeType: q.officeType } : {}),
      });
      return reply
        .header('content-type', 'image/svg+xml; charset=utf-8')
        .header('cache-control', 'no-store')
        .send(backlogChartSvg(s.points, s.title));
    },
  );

  app.get(
    '/krisenstab/log',
    {
      schema: {
        tags: TAGS,
        summary: 'Lagelog: Meldungen, Entscheidungen, Aufgaben (nur Krisenstab)',
        querystring: z.object({
          authorityAgs: agsSchema.optional(),
          offen: z.enum(['true', 'false']).optional(),
        }),
        response: { 200: z.object({ items: z.array(logSchema) }), ...standardErrors },
      },
    },
    async (request, reply) => {
      const items = await log.list(principalOf(request), {
        authorityAgs: request.query.authorityAgs,
        nurOffen: request.query.offen === 'true',
      });
      return reply.header('cache-control', 'no-store').send({ items });
    },
  );

  app.post(
    '/krisenstab/log',
    {
      schema: {
        tags: TAGS,
        summary: 'Eintrag ins Lagelog (nur Krisenstab)',
        headers: idempotencyHeaders,
        body: logInputSchema,
        response: {
          201: z.object({ id: z.string() }),
          ...standardErrors,
          409: problemSchema,
          422: problemSchema,
        },
      },
    },
    async (request, reply) => {
      const result = await log.add(principalOf(request), request.body, idempotencyOf(request, request.body));
      return sendIdempotent(reply, result);
    },
  );

  app.post(
    '/krisenstab/log/:id/erledigt',
    {
      schema: {
        tags: TAGS,
        summary: 'Aufgabe als erledigt vermerken (nur Krisenstab)',
        headers: idempotencyHeaders,
        params: z.object({ id: z.uuid('Keine gültige ID.') }),
        body: z.object({}).strict().optional(),
        response: {
          200: z.object({ id: z.string(), erledigtAm: z.string() }),
          ...standardErrors,
          409: problemSchema,
          422: problemSchema,
        },
      },
    },
    async (request, reply) => {
      const result = await log.complete(principalOf(request), request.params.id, idempotencyOf(request, {}));
      return sendIdempotent(reply, result);
    },
  );

  app.get(
    '/krisenstab/lageberichte',
    {
      schema: {
        tags: TAGS,
        summary: 'Tägliche Lageberichte (Stichtagsaufnahmen; nur Krisenstab)',
        response: {
          200: z.object({
            items: z.array(z.object({ tag: z.string(), erstelltAm: z.string(), stunde: z.number().int() })),
          }),
          ...standardErrors,
        },
      },
    },
    async (request, reply) => {
      requireCrisisTeam(principalOf(request));
      return reply.header('cache-control', 'no-store').send({ items: await listSnapshots(deps.db) });
    },
  );

  const snapshotOf = async (tag: string) => {
    const s = await readSnapshot(deps.db, tag);
    if (!s) throw notFound('Der Lagebericht dieses Tages');
    return s;
  };
  const tagParam = z.object({ tag: isoDay('Tag') });

  app.get(
    '/krisenstab/lageberichte/:tag',
    {
      schema: {
        tags: TAGS,
        summary: 'Lagebericht eines Tages (Inhalt der Stichtagsaufnahme; nur Krisenstab)',
        params: tagParam,
        response: { 200: z.any().meta({ description: 'Lagebild (JSON)' }), ...standardErrors },
      },
    },
    async (request, reply) => {
      requireCrisisTeam(principalOf(request));
      return reply.header('cache-control', 'no-store').send(await snapshotOf(request.params.tag));
    },
  );

  app.get(
    '/krisenstab/lageberichte/:tag/lagebericht.pdf',
    {
      schema: {
        tags: TAGS,
        summary: 'Lagebericht eines Tages als PDF (nur Krisenstab)',
        params: tagParam,
        response: { 200: z.any().meta({ description: 'PDF (application/pdf)' }), ...standardErrors },
      },
    },
    async (request, reply) => {
      requireCrisisTeam(principalOf(request));
      const pdf = await lageberichtPdf(await snapshotOf(request.params.tag));
      request.auditAction = 'krisenstab.lagebericht';
      return reply
        .header('content-type', 'application/pdf')
        .header('content-disposition', `inline; filename="lagebericht-${request.params.tag}.pdf"`)
        .header('cache-control', 'no-store')
        .send(pdf);
    },
  );

  app.get(
    '/krisenstab/lageberichte/:tag/lagebericht.csv',
    {
      schema: {
        tags: TAGS,
        summary: 'Lagebericht eines Tages als CSV (Semikolon, UTF-8; nur Krisenstab)',
        params: tagParam,
        response: { 200: z.any().meta({ description: 'CSV (text/csv)' }), ...standardErrors },
      },
    },
    async (request, reply) => {
      requireCrisisTeam(principalOf(request));
      const csv = lageberichtCsv(await snapshotOf(request.params.tag));
      request.auditAction = 'krisenstab.lagebericht';
      return reply
        .header('content-type', 'text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="lagebericht-${request.params.tag}.csv"`)
        .header('cache-control', 'no-store')
        .send(csv);
    },
  );

  // ---- service catalogue ----

  app.get(
    '/krisenstab/katalog/:ags',
    {
      schema: {
        tags: TAGS,
        summary: 'Dienstekatalog einer Behörde mit Status, Zeiten, Ausweichbehörde und BSI-200-4-Zielen',
        params: z.object({ ags: agsSchema }),
        response: { 200: catalogueSchema, ...standardErrors },
      },
    },
    async (request, reply) => {
      const result = await catalogue.catalogue(principalOf(request), request.params.ags);
      return reply.header('cache-control', 'no-store').send(result);
    },
  );

  app.put(
    '/krisenstab/katalog/:ags/dienste/:key',
    {
      schema: {
        tags: TAGS,
        summary: 'Dienst ändern (Krisenstab; Amtsleitung für das eigene Amt)',
        headers: idempotencyHeaders,
        params: z.object({ ags: agsSchema, key: dienstKey }),
        body: z.object({ expectedVersion, dienst: dienstInputSchema }).strict(),
        response: {
          200: dienstSchema,
          201: dienstSchema,
          ...standardErrors,
          409: problemSchema,
          422: problemSchema,
        },
      },
    },
    async (request, reply) => {
      const result = await catalogue.save(
        principalOf(request),
        request.params.ags,
        request.params.key,
        request.body,
        idempotencyOf(request, request.body),
      );
      return sendIdempotent(reply, result);
    },
  );

  app.post(
    '/krisenstab/katalog/:ags/dienste',
    {
      schema: {
        tags: TAGS,
        summary: 'Weiteren Dienst aufnehmen (Krisenstab; Amtsleitung für das eigene Amt)',
        headers: idempotencyHeaders,
        params: z.object({ ags: agsSchema }),
        body: z
          .object({
            officeType: z.enum(OFFICE_TYPES, { error: 'Unbekanntes Amt.' }).nullable().optional(),
            dienst: dienstInputSchema,
          })
          .strict(),
        response: { 201: dienstSchema, ...standardErrors, 409: problemSchema, 422: problemSchema },
      },
    },
    async (request, reply) => {
      const result = await catalogue.create(
        principalOf(request),
        request.params.ags,
        request.body,
        idempotencyOf(request, request.body),
      );
      return sendIdempotent(reply, result);
    },
  );

  app.put(
    '/krisenstab/katalog/:ags/lage',
    {
      schema: {
        tags: TAGS,
        summary: 'Ausfallzeitpunkt, Bürgerhinweis und Kontakt einer Behörde (nur Krisenstab)',
        headers: idempotencyHeaders,
        params: z.object({ ags: agsSchema }),
        body: z.object({ expectedVersion, lage: lageInputSchema }).strict(),
        response: { 200: lageSchema, ...standardErrors, 409: problemSchema, 422: problemSchema },
      },
    },
    async (request, reply) => {
      const result = await catalogue.saveLage(
        principalOf(request),
        request.params.ags,
        request.body,
        idempotencyOf(request, request.body),
      );
      return sendIdempotent(reply, result);
    },
  );

  app.get(
    '/barrierefreiheit/rueckmeldungen',
    {
      schema: {
        tags: ['Barrierefreiheit'],
        summary: 'Rückmeldungen zur Barrierefreiheit der öffentlichen Seiten einer Behörde (Amtsleitung)',
        querystring: z.object({ authorityAgs: agsSchema }),
        response: {
          200: z.object({
            items: z.array(
              z.object({
                id: z.string(),
                seite: z.string().nullable(),
                nachricht: z.string(),
                kontakt: z.string().nullable(),
                createdAt: z.string(),
              }),
            ),
          }),
          ...standardErrors,
        },
      },
    },
    async (request, reply) => {
      const items = await deps.feedback.list(principalOf(request), request.query.authorityAgs);
      request.auditTargets = { authorityAgs: request.query.authorityAgs };
      request.auditDetail = { anzahl: items.length };
      return reply.header('cache-control', 'no-store').send({ items });
    },
  );

  // ---- appointments (the office) ----

  const officeQuery = z.object({
    authorityAgs: agsSchema,
    officeType: z.enum(OFFICE_TYPES, { error: 'Unbekanntes Amt.' }),
  });

  app.get(
    '/termine/raeume',
    {
      schema: {
        tags: ['Termine'],
        summary: 'Räume eines Amtes mit Freigabe für die Online-Terminbuchung',
        querystring: officeQuery,
        response: {
          200: z.object({
            items: z.array(
              z.object({
                id: z.string(),
                name: z.string(),
                active: z.boolean(),
                oeffentlich: z.boolean(),
                hinweis: z.string().nullable(),
                freieTermine: z.number().int(),
                gebuchteTermine: z.number().int(),
              }),
            ),
          }),
          ...standardErrors,
        },
      },
    },
    async (request, reply) => {
      const q = request.query;
      const items = await appointments.rooms(principalOf(request), q.authorityAgs, q.officeType);
      return reply.header('cache-control', 'no-store').send({ items });
    },
  );

  app.put(
    '/termine/raeume/:roomId/freigabe',
    {
      schema: {
        tags: ['Termine'],
        summary: 'Raum für die Online-Terminbuchung freigeben oder sperren (Amtsleitung)',
        headers: idempotencyHeaders,
        params: z.object({ roomId: z.uuid('Keine gültige Raum-ID.') }),
        body: z
          .object({
            oeffentlich: z.boolean({ error: 'oeffentlich: ja (true) oder nein (false).' }),
            hinweis: z.preprocess(
              (v) => (typeof v === 'string' && v.trim() === '' ? null : v),
              z
                .string()
                .trim()
                .max(300, 'Hinweis: höchstens 300 Zeichen.')
                .refine((v) => !hasControlCharacter(v), 'Hinweis: enthält unzulässige Steuerzeichen.')
                .nullable()
                .optional(),
            ),
          })
          .strict(),
        response: {
          200: z.object({ roomId: z.string(), oeffentlich: z.boolean(), hinweis: z.string().nullable() }),
          ...standardErrors,
          409: problemSchema,
          422: problemSchema,
        },
      },
    },
    async (request, reply) => {
      const result = await appointments.setRelease(
        principalOf(request),
        request.params.roomId,
        request.body,
        idempotencyOf(request, request.body),
      );
      return sendIdempotent(reply, result);
    },
  );

  app.get(
    '/termine',
    {
      schema: {
        tags: ['Termine'],
        summary: 'Die Termine eines Tages bei einem Amt, mit Namen und Kontakt (nur das Amt)',
        querystring: officeQuery.extend({ tag: isoDay('Tag') }),
        response: {
          200: z.object({
            items: z.array(
              z.object({
                id: z.string(),
                startsAt: z.string(),
                endsAt: z.string(),
                roomName: z.string(),
                status: z.string(),
                name: z.string().nullable(),
                email: z.string().nullable(),
                telefon: z.string().nullable(),
                createdAt: z.string(),
                cancelledAt: z.string().nullable(),
              }),
            ),
          }),
          ...standardErrors,
        },
      },
    },
    async (request, reply) => {
      const q = request.query;
      const items = await appointments.day(principalOf(request), q.authorityAgs, q.officeType, q.tag);
      // One audit entry for the read of the day's list: which office and day, how many (no names).
      request.auditAction = 'termine.tagesliste';
      request.auditTargets = { authorityAgs: q.authorityAgs, officeType: q.officeType, tag: q.tag };
      request.auditDetail = { anzahl: items.length };
      return reply.header('cache-control', 'no-store').send({ items });
    },
  );

  app.post(
    '/termine/:id/absage',
    {
      schema: {
        tags: ['Termine'],
        summary: 'Termin durch das Amt absagen (der Zeitraum wird wieder frei)',
        headers: idempotencyHeaders,
        params: z.object({ id: z.uuid('Keine gültige Termin-ID.') }),
        body: z.object({}).strict().optional(),
        response: {
          200: z.object({ id: z.string(), status: z.string(), cancelledAt: z.string() }),
          ...standardErrors,
          409: problemSchema,
          422: problemSchema,
        },
      },
    },
    async (request, reply) => {
      const result = await appointments.cancelByOffice(
        principalOf(request),
        request.params.id,
        idempotencyOf(request, {}),
      );
      return sendIdempotent(reply, result);
    },
  );
};
