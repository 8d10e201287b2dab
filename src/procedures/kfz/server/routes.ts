import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { type Kysely, sql } from 'kysely';
import { z } from 'zod';
import { canRead, hasRole, type Principal } from '../../../core/access.js';
import { todayInGermany } from '../../../core/dates.js';
import { forbidden, notFound } from '../../../core/errors.js';
import {
  agsSchema,
  idempotencyHeaders,
  idempotencyOf,
  principalOf,
  problemSchema,
  sendIdempotent,
  standardErrors,
} from '../../../core/http.js';
import { runIdempotent } from '../../../core/idempotency.js';
import { text } from '../../../core/schema-helpers.js';
import type { Database } from '../../../db/types.js';
import { DEFAULT_FEES, feeRowOn, feeRowSchema } from '../fees.js';
import { plateConfigSchema } from '../plates.js';
import { feeRowsFor, officeFeeRows } from './fees.js';
import {
  cancelReservation,
  checkWish,
  invalid,
  kreisCodes,
  loadConfig,
  previewNext,
  reservePlate,
  saveConfig,
} from './plates.js';
import './tables.js';

/**
 * The Zulassungsstelle's own routes (under /api/kfz): the plate pool (configuration by the head of
 * office, overview, Wunschkennzeichen reservations, allocations) and the office's fee table.
 * Everything is for the staff of the office at that authority; personal data (names of
 * reservations, allocations with their cases) is read only by them, and every request is audited
 * by the generic hook with the ids it concerns.
 */

const OFFICE = 'zulassungsstelle' as const;

function requireReader(p: Principal, authorityAgs: string) {
  if (!canRead(p, { authorityAgs, officeType: OFFICE })) {
    throw forbidden('Sie sind für diese Zulassungsstelle nicht berechtigt.');
  }
}

function requireRole(p: Principal, authorityAgs: string, role: 'sachbearbeitung' | 'leitung', what: string) {
  if (!hasRole(p, { authorityAgs, officeType: OFFICE }, [role])) {
    throw forbidden(
      `${what} darf nur ${role === 'leitung' ? 'die Amtsleitung' : 'die Sachbearbeitung'} dieser Zulassungsstelle.`,
    );
  }
}

const reservation = z
  .object({
    id: z.string(),
    kennzeichen: z.string(),
    text: z.string(),
    name: z.string(),
    reserviertBis: z.string(),
    status: z.enum(['aktiv', 'abgelaufen', 'eingeloest', 'storniert']),
    statusLabel: z.string(),
    caseId: z.string().nullable(),
    aktenzeichen: z.string().nullable(),
    createdAt: z.string(),
  })
  .meta({ id: 'KfzReservierung' });

const STATUS_LABELS = {
  aktiv: 'aktiv',
  abgelaufen: 'abgelaufen',
  eingeloest: 'eingelöst',
  storniert: 'storniert',
} as const;

const EVENT_LABELS: Record<string, string> = {
  zugeteilt: 'zugeteilt',
  reserviert: 'reserviert',
  reservierung_storniert: 'Reservierung storniert',
  freigegeben: 'zurückgegeben',
  gesperrt: 'gesperrt',
};

export const kfzRoutes: FastifyPluginAsyncZod<{ db: Kysely<Database>; now: () => Date }> = async (
  app,
  { db, now },
) => {
  const today = () => todayInGermany(now());

  app.get(
    '/kfz/kennzeichen/einstellungen',
    {
      schema: {
        tags: ['Zulassungsstelle'],
        summary: 'Kennzeichenserien und Regeln des Notbetriebs einer Zulassungsstelle',
        querystring: z.object({ authorityAgs: agsSchema }),
        response: {
          200: z.object({
            config: z.unknown(),
            version: z.number().int(),
            updatedAt: z.string().nullable(),
            unterscheidungszeichen: z.array(z.string()),
          }),
          ...standardErrors,
        },
      },
    },
    async (request, reply) => {
      const { authorityAgs } = request.query;
      requireReader(principalOf(request), authorityAgs);
      const stored = await loadConfig(db, authorityAgs);
      return reply.header('cache-control', 'no-store').send({
        config: stored?.config ?? plateConfigSchema.parse({ serien: [] }),
        version: stored?.version ?? 0,
        updatedAt: stored?.updatedAt ?? null,
        unterscheidungszeichen: await kreisCodes(db, authorityAgs),
      });
    },
  );

  app.put(
    '/kfz/kennzeichen/einstellungen',
    {
      schema: {
        tags: ['Zulassungsstelle'],
        summary: 'Kennzeichenserien einrichten (Amtsleitung)',
        description:
          'Serien in der gesetzlichen Reihenfolge, Sperrfrist nach Außerbetriebsetzung, Reservierungsdauer, Wunschkennzeichen, landesweit gesperrte Kombinationen.',
        headers: idempotencyHeaders,
        body: z
          .object({
            authorityAgs: agsSchema,
            expectedVersion: z.number().int().min(0).optional(),
            config: plateConfigSchema,
          })
          .strict(),
        response: {
          200: z.object({ version: z.number().int(), config: z.unknown() }),
          ...standardErrors,
          409: problemSchema,
          422: problemSchema,
        },
      },
    },
    async (request, reply) => {
      const principal = principalOf(request);
      const { authorityAgs, config, expectedVersion } = request.body;
      requireRole(principal, authorityAgs, 'leitung', 'Kennzeichenserien einrichten');
      const result = await runIdempotent(
        db,
        idempotencyOf(request, request.body),
        () => now().toISOString(),
        async (trx) => {
          const saved = await saveConfig(trx, {
            authorityAgs,
            config,
            expectedVersion,
            actor: principal.userId,
            now: now(),
          });
          return { statusCode: 200, body: { version: saved.version, config: saved.config } };
        },
      );
      return sendIdempotent(reply, result);
    },
  );

  app.get(
    '/kfz/kennzeichen/vorrat',
    {
      schema: {
        tags: ['Zulassungsstelle'],
        summary: 'Kennzeichenvorrat: Bestand nach Status und nächstes freies Kennzeichen je Serie',
        querystring: z.object({ authorityAgs: agsSchema }),
        response: {
          200: z.object({
            naechste: z.array(
              z.object({
                unterscheidungszeichen: z.string(),
                art: z.string(),
                naechstes: z.string().nullable(),
              }),
            ),
            bestand: z.array(
              z.object({
                unterscheidungszeichen: z.string(),
                art: z.string(),
                status: z.string(),
                anzahl: z.number(),
              }),
            ),
          }),
          ...standardErrors,
        },
      },
    },
    async (request, reply) => {
      const { authorityAgs } = request.query;
      requireReader(principalOf(request), authorityAgs);
      const rows = await db
        .selectFrom('kfz_plate')
        .select([
          'unterscheidungszeichen',
          'art',
          'status',
          (eb) => eb.fn.countAll<number | string>().as('n'),
        ])
        .where('authority_ags', '=', authorityAgs)
        .groupBy(['unterscheidungszeichen', 'art', 'status'])
        .orderBy('unterscheidungszeichen')
        .execute();
      return reply.header('cache-control', 'no-store').send({
        naechste: await previewNext(db, authorityAgs, today()),
        bestand: rows.map((r) => ({
          unterscheidungszeichen: r.unterscheidungszeichen,
          art: r.art,
          status: r.status,
          anzahl: Number(r.n),
        })),
      });
    },
  );

  app.get(
    '/kfz/kennzeichen/pruefen',
    {
      schema: {
        tags: ['Zulassungsstelle'],
        summary: 'Prüfen, ob ein Wunschkennzeichen zulässig und frei ist',
        querystring: z.object({ authorityAgs: agsSchema, kennzeichen: z.string().max(20) }),
        response: {
          200: z.object({ frei: z.boolean(), kennzeichen: z.string().nullable(), hinweis: z.string() }),
          ...standardErrors,
        },
      },
    },
    async (request, reply) => {
      const { authorityAgs, kennzeichen } = request.query;
      requireReader(principalOf(request), authorityAgs);
      let result: { frei: boolean; kennzeichen: string | null; hinweis: string };
      try {
        const { plate } = await checkWish(db, authorityAgs, kennzeichen, 'kennzeichen');
        const key = `${plate.unterscheidungszeichen}-${plate.buchstaben} ${plate.ziffern}`;
        const row = await db
          .selectFrom('kfz_plate')
          .select(['status', 'verfuegbar_ab', 'reserviert_bis'])
          .where('kennzeichen', '=', key)
          .executeTakeFirst();
        const free = !row || (row.verfuegbar_ab !== null && row.verfuegbar_ab <= today());
        result = {
          frei: free,
          kennzeichen: key,
          hinweis: free
            ? `${key} ist frei.`
            : row?.status === 'reserviert'
              ? `${key} ist reserviert.`
              : row?.status === 'gesperrt'
                ? `${key} ist gesperrt.`
                : `${key} ist bereits zugeteilt.`,
        };
      } catch (e) {
        const err = e as { detail?: string; code?: string };
        if (err.code === 'FORBIDDEN' || !err.detail) throw e;
        result = { frei: false, kennzeichen: null, hinweis: err.detail };
      }
      return reply.header('cache-control', 'no-store').send(result);
    },
  );

  app.get(
    '/kfz/kennzeichen/reservierungen',
    {
      schema: {
        tags: ['Zulassungsstelle'],
        summary: 'Reservierte Wunschkennzeichen (aktive, abgelaufene, eingelöste der letzten Zeit)',
        querystring: z.object({ authorityAgs: agsSchema, alle: z.enum(['true', 'false']).optional() }),
        response: { 200: z.object({ items: z.array(reservation) }), ...standardErrors },
      },
    },
    async (request, reply) => {
      const { authorityAgs, alle } = request.query;
      requireReader(principalOf(request), authorityAgs);
      let q = db
        .selectFrom('kfz_reservation')
        .leftJoin('cases', 'cases.id', 'kfz_reservation.case_id')
        .select([
          'kfz_reservation.id',
          'kfz_reservation.kennzeichen',
          'kfz_reservation.suffix',
          'kfz_reservation.name',
          'kfz_reservation.reserviert_bis',
          'kfz_reservation.status',
          'kfz_reservation.case_id',
          'kfz_reservation.created_at',
          'cases.aktenzeichen',
        ])
        .where('kfz_reservation.authority_ags', '=', authorityAgs);
      if (alle !== 'true') q = q.where('kfz_reservation.status', '=', 'aktiv');
      const rows = await q
        .orderBy('kfz_reservation.reserviert_bis')
        .orderBy('kfz_reservation.id')
        .limit(1000)
        .execute();
      const t = today();
      const items = rows.map((r) => {
        const status: keyof typeof STATUS_LABELS =
          r.status === 'aktiv' && r.reserviert_bis < t ? 'abgelaufen' : r.status;
        return {
          id: r.id,
          kennzeichen: r.kennzeichen,
          text: `${r.kennzeichen}${r.suffix ?? ''}`,
          name: r.name,
          reserviertBis: r.reserviert_bis,
          status,
          statusLabel: STATUS_LABELS[status],
          caseId: r.case_id,
          aktenzeichen: r.aktenzeichen ?? null,
          createdAt: r.created_at,
        };
      });
      request.auditTargets = { reservations: items.map((i) => i.id).join(',') || '-' };
      return reply.header('cache-control', 'no-store').send({ items });
    },
  );

  app.post(
    '/kfz/kennzeichen/reservierungen',
    {
      schema: {
        tags: ['Zulassungsstelle'],
        summary: 'Wunschkennzeichen reservieren',
        headers: idempotencyHeaders,
        body: z
          .object({
            authorityAgs: agsSchema,
            kennzeichen: z.string({ error: 'Kennzeichen: Bitte angeben.' }).max(20, 'Kennzeichen: zu lang.'),
            name: text({ title: 'Reserviert für' }, { max: 140 }),
          })
          .strict(),
        response: {
          201: z.object({
            id: z.string(),
            kennzeichen: z.string(),
            text: z.string(),
            reserviertBis: z.string(),
          }),
          ...standardErrors,
          409: problemSchema,
          422: problemSchema,
        },
      },
    },
    async (request, reply) => {
      const principal = principalOf(request);
      const { authorityAgs, kennzeichen, name } = request.body;
      requireRole(principal, authorityAgs, 'sachbearbeitung', 'Kennzeichen reservieren');
      const result = await runIdempotent(
        db,
        idempotencyOf(request, request.body),
        () => now().toISOString(),
        async (trx) => {
          const r = await reservePlate(trx, {
            authorityAgs,
            kennzeichen,
            name,
            actor: principal.userId,
            now: now(),
            today: today(),
          });
          return { statusCode: 201, body: r };
        },
      );
      request.auditTargets = { reservation: (result.body as { id: string }).id };
      return sendIdempotent(reply, result);
    },
  );

  app.post(
    '/kfz/kennzeichen/reservierungen/:id/stornierung',
    {
      schema: {
        tags: ['Zulassungsstelle'],
        summary: 'Reservierung stornieren (das Kennzeichen ist sofort wieder frei)',
        headers: idempotencyHeaders,
        params: z.object({ id: z.uuid('Keine gültige Reservierungs-ID.') }),
        body: z.object({}).strict(),
        response: {
          200: z.object({ ok: z.literal(true) }),
          ...standardErrors,
          409: problemSchema,
          422: problemSchema,
        },
      },
    },
    async (request, reply) => {
      const principal = principalOf(request);
      const r = await db
        .selectFrom('kfz_reservation')
        .select('authority_ags')
        .where('id', '=', request.params.id)
        .executeTakeFirst();
      if (!r) throw notFound('Die Reservierung');
      requireRole(principal, r.authority_ags, 'sachbearbeitung', 'Reservierungen stornieren');
      const result = await runIdempotent(
        db,
        idempotencyOf(request, request.body),
        () => now().toISOString(),
        async (trx) => {
          await cancelReservation(trx, {
            authorityAgs: r.authority_ags,
            id: request.params.id,
            actor: principal.userId,
            now: now(),
          });
          return { statusCode: 200, body: { ok: true } };
        },
      );
      return sendIdempotent(reply, result);
    },
  );

  app.get(
    '/kfz/kennzeichen/zuteilungen',
    {
      schema: {
        tags: ['Zulassungsstelle'],
        summary: 'Zuteilungen, Sperren und Rückgaben von Kennzeichen (neueste zuerst)',
        querystring: z.object({
          authorityAgs: agsSchema,
          limit: z.coerce.number().int().min(1).max(1000).default(200),
        }),
        response: {
          200: z.object({
            items: z.array(
              z.object({
                kennzeichen: z.string(),
                ereignis: z.string(),
                ereignisLabel: z.string(),
                zusatz: z.string().nullable(),
                caseId: z.string().nullable(),
                aktenzeichen: z.string().nullable(),
                verfuegbarAb: z.string().nullable(),
                at: z.string(),
              }),
            ),
          }),
          ...standardErrors,
        },
      },
    },
    async (request, reply) => {
      const { authorityAgs, limit } = request.query;
      requireReader(principalOf(request), authorityAgs);
      const rows = await db
        .selectFrom('kfz_plate_event')
        .leftJoin('cases', 'cases.id', 'kfz_plate_event.case_id')
        .select([
          'kfz_plate_event.kennzeichen',
          'kfz_plate_event.event',
          'kfz_plate_event.suffix',
          'kfz_plate_event.case_id',
          'kfz_plate_event.verfuegbar_ab',
          'kfz_plate_event.at',
          'cases.aktenzeichen',
        ])
        .where('kfz_plate_event.authority_ags', '=', authorityAgs)
        .orderBy('kfz_plate_event.at', 'desc')
        .orderBy('kfz_plate_event.id', 'desc')
        .limit(limit)
        .execute();
      const items = rows.map((r) => ({
        kennzeichen: r.kennzeichen,
        ereignis: r.event,
        ereignisLabel: EVENT_LABELS[r.event] ?? r.event,
        zusatz: r.suffix,
        caseId: r.case_id,
        aktenzeichen: r.aktenzeichen ?? null,
        verfuegbarAb: r.verfuegbar_ab === '0001-01-01' ? null : r.verfuegbar_ab,
        at: r.at,
      }));
      request.auditTargets = {
        cases: [...new Set(items.map((i) => i.caseId).filter(Boolean))].join(',').slice(0, 2000) || '-',
      };
      return reply.header('cache-control', 'no-store').send({ items });
    },
  );

  app.get(
    '/kfz/gebuehren',
    {
      schema: {
        tags: ['Zulassungsstelle'],
        summary: 'Gebührentabelle der Zulassungsstelle (eigene Zeilen, Vorgaben, heute gültig)',
        querystring: z.object({ authorityAgs: agsSchema }),
        response: {
          200: z.object({ eigene: z.array(z.unknown()), vorgaben: z.array(z.unknown()), heute: z.unknown() }),
          ...standardErrors,
        },
      },
    },
    async (request, reply) => {
      const { authorityAgs } = request.query;
      requireReader(principalOf(request), authorityAgs);
      return reply.header('cache-control', 'no-store').send({
        eigene: await officeFeeRows(db, authorityAgs),
        vorgaben: DEFAULT_FEES,
        heute: feeRowOn(await feeRowsFor(db, authorityAgs), today()),
      });
    },
  );

  app.put(
    '/kfz/gebuehren',
    {
      schema: {
        tags: ['Zulassungsstelle'],
        summary: 'Gebührenzeile ab einem Datum festlegen (Amtsleitung)',
        description:
          'Eine Zeile gilt ab ihrem Datum für alle Anträge mit diesem oder einem späteren Antragsdatum; rückwirkende Zeilen sind nicht möglich.',
        headers: idempotencyHeaders,
        body: z.object({ authorityAgs: agsSchema, row: feeRowSchema }).strict(),
        response: {
          200: z.object({ validFrom: z.string() }),
          ...standardErrors,
          409: problemSchema,
          422: problemSchema,
        },
      },
    },
    async (request, reply) => {
      const principal = principalOf(request);
      const { authorityAgs, row } = request.body;
      requireRole(principal, authorityAgs, 'leitung', 'Gebühren festlegen');
      if (row.validFrom < today()) {
        throw invalid(
          'row/validFrom',
          'Gültig ab: nicht in der Vergangenheit – bereits erfasste Anträge behalten ihre Gebühr.',
        );
      }
      const result = await runIdempotent(
        db,
        idempotencyOf(request, request.body),
        () => now().toISOString(),
        async (trx) => {
          await trx
            .insertInto('kfz_fee_row')
            .values({
              authority_ags: authorityAgs,
              valid_from: row.validFrom,
              positionen: JSON.stringify(row.positionen),
              created_at: now().toISOString(),
              created_by: principal.userId,
            })
            .onConflict((oc) =>
              oc.columns(['authority_ags', 'valid_from']).doUpdateSet({
                positionen: sql`excluded.positionen`,
                created_at: sql`excluded.created_at`,
                created_by: sql`excluded.created_by`,
              }),
            )
            .execute();
          return { statusCode: 200, body: { validFrom: row.validFrom } };
        },
      );
      return sendIdempotent(reply, result);
    },
  );
};
