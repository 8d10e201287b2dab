import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { canRead, hasRole, type Principal } from '../../../core/access.js';
import { todayInGermany } from '../../../core/dates.js';
import { AppError, forbidden, notFound } from '../../../core/errors.js';
import type { FamilyServices } from '../../../core/family.js';
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
import { isMonth, monthOf } from '../../../core/months.js';
import { text } from '../../../core/schema-helpers.js';
import { ASYL_ID, type AsylDaten, leistungsfallAus, nameOf, OFFICE } from '../definition.js';
import { AsylRegelError, type AsylRegeln, monatsanspruch, para2Wechsel } from '../saetze.js';
import { belegung, plaetzeAendern, unterkuenfte, unterkunftAnlegen } from './unterkunft.js';

/**
 * The AsylbLG family's routes (under /api/asyl): Unterkünfte with their places (set up by the head
 * of the Sozialamt, read by its staff), the occupancy of an Unterkunft (personal data: staff of
 * that Sozialamt only, audited with the ids it shows) and the calculation of a case for a month
 * (readers of the case, through CaseService.get). Every request is audited by the generic hook.
 */

function requireReader(p: Principal, authorityAgs: string) {
  if (!canRead(p, { authorityAgs, officeType: OFFICE })) {
    throw forbidden('Sie sind für die Unterkünfte dieses Sozialamts nicht berechtigt.');
  }
}

function requireLeitung(p: Principal, authorityAgs: string) {
  if (!hasRole(p, { authorityAgs, officeType: OFFICE }, ['leitung'])) {
    throw forbidden('Unterkünfte einrichten darf nur die Amtsleitung dieses Sozialamts.');
  }
}

const unterkunftView = z
  .object({
    id: z.string(),
    authorityAgs: z.string(),
    name: z.string(),
    anschrift: z.string(),
    plaetze: z.number(),
    belegt: z.number(),
    frei: z.number(),
  })
  .meta({ id: 'AsylUnterkunft' });

const plaetzeSchema = z
  .number({ error: 'Plätze: Bitte eine Zahl angeben.' })
  .int('Plätze: ganze Zahl.')
  .min(0, 'Plätze: nicht negativ.')
  .max(5000, 'Plätze: höchstens 5000.');

const positionSchema = z.object({
  person: z.number().nullable(),
  text: z.string(),
  grundlage: z.string(),
  tage: z.number(),
  monatsbetragCents: z.number(),
  betragCents: z.number(),
  quelle: z.string().optional(),
});

export function asylRoutes(regeln: () => AsylRegeln): FastifyPluginAsyncZod<FamilyServices> {
  return async (app, { db, now, cases }) => {
    app.get(
      '/asyl/unterkuenfte',
      {
        schema: {
          tags: ['AsylbLG'],
          summary: 'Unterkünfte eines Sozialamts mit Plätzen und Belegung (Anzahl)',
          querystring: z.object({ authorityAgs: agsSchema }),
          response: { 200: z.object({ items: z.array(unterkunftView) }), ...standardErrors },
        },
      },
      async (request, reply) => {
        const { authorityAgs } = request.query;
        requireReader(principalOf(request), authorityAgs);
        return reply
          .header('cache-control', 'no-store')
          .send({ items: await unterkuenfte(db, authorityAgs) });
      },
    );

    app.post(
      '/asyl/unterkuenfte',
      {
        schema: {
          tags: ['AsylbLG'],
          summary: 'Unterkunft anlegen (Amtsleitung)',
          headers: idempotencyHeaders,
          body: z
            .object({
              authorityAgs: agsSchema,
              name: text({ title: 'Name' }, { max: 120 }),
              anschrift: text({ title: 'Anschrift' }, { max: 200 }),
              plaetze: plaetzeSchema,
            })
            .strict(),
          response: { 201: z.object({ id: z.string() }), ...standardErrors, 422: problemSchema },
        },
      },
      async (request, reply) => {
        const principal = principalOf(request);
        const b = request.body;
        requireLeitung(principal, b.authorityAgs);
        const result = await runIdempotent(
          db,
          idempotencyOf(request, b),
          () => now().toISOString(),
          async (trx) => {
            const id = await unterkunftAnlegen(trx, { ...b, now: now() });
            return { statusCode: 201, body: { id } };
          },
        );
        request.auditTargets = { unterkunft: (result.body as { id: string }).id };
        return sendIdempotent(reply, result);
      },
    );

    app.put(
      '/asyl/unterkuenfte/:id/plaetze',
      {
        schema: {
          tags: ['AsylbLG'],
          summary: 'Anzahl der Plätze einer Unterkunft ändern (Amtsleitung)',
          headers: idempotencyHeaders,
          params: z.object({ id: z.string().max(64) }),
          body: z.object({ plaetze: plaetzeSchema }).strict(),
          response: { 200: unterkunftView, ...standardErrors, 422: problemSchema },
        },
      },
      async (request, reply) => {
        const principal = principalOf(request);
        const row = await db
          .selectFrom('asyl_unterkunft')
          .select(['id', 'authority_ags'])
          .where('id', '=', request.params.id)
          .executeTakeFirst();
        if (!row) throw notFound('Die Unterkunft');
        requireLeitung(principal, row.authority_ags);
        const result = await runIdempotent(
          db,
          idempotencyOf(request, { id: row.id, ...request.body }),
          () => now().toISOString(),
          async (trx) => {
            await plaetzeAendern(trx, {
              id: row.id,
              authorityAgs: row.authority_ags,
              plaetze: request.body.plaetze,
              now: now(),
            });
            const v = (await unterkuenfte(trx, row.authority_ags)).find((u) => u.id === row.id);
            return { statusCode: 200, body: v };
          },
        );
        request.auditTargets = { unterkunft: row.id };
        return sendIdempotent(reply, result);
      },
    );

    app.get(
      '/asyl/unterkuenfte/:id/belegung',
      {
        schema: {
          tags: ['AsylbLG'],
          summary: 'Belegung einer Unterkunft: Plätze mit Personen und Aktenzeichen',
          params: z.object({ id: z.string().max(64) }),
          response: {
            200: z.object({
              unterkunft: unterkunftView,
              plaetze: z.array(
                z.object({
                  platzNr: z.number(),
                  caseId: z.string().nullable(),
                  aktenzeichen: z.string().nullable(),
                  person: z.string().nullable(),
                  seit: z.string().nullable(),
                }),
              ),
            }),
            ...standardErrors,
          },
        },
      },
      async (request, reply) => {
        const b = await belegung(db, request.params.id);
        if (!b) throw notFound('Die Unterkunft');
        requireReader(principalOf(request), b.unterkunft.authority_ags);
        const byPlatz = new Map(b.rows.map((r) => [Number(r.platz_nr), r]));
        const plaetze = [];
        const n = Math.max(Number(b.unterkunft.plaetze), ...b.rows.map((r) => Number(r.platz_nr)));
        for (let i = 1; i <= n; i++) {
          const r = byPlatz.get(i);
          const p = r ? (JSON.parse(r.data) as AsylDaten).personen[Number(r.person_nr)] : undefined;
          plaetze.push({
            platzNr: i,
            caseId: r?.case_id ?? null,
            aktenzeichen: r?.aktenzeichen ?? null,
            person: p ? nameOf(p) : null,
            seit: r?.seit ?? null,
          });
        }
        const view = (await unterkuenfte(db, b.unterkunft.authority_ags)).find(
          (u) => u.id === b.unterkunft.id,
        );
        request.auditTargets = {
          unterkunft: b.unterkunft.id,
          cases: [...new Set(b.rows.map((r) => r.case_id))].join(',') || '-',
        };
        return reply
          .header('cache-control', 'no-store')
          .send({ unterkunft: view as NonNullable<typeof view>, plaetze });
      },
    );

    app.get(
      '/asyl/faelle/:caseId/berechnung',
      {
        schema: {
          tags: ['AsylbLG'],
          summary: 'Monatlicher Anspruch eines Falls, Zeile für Zeile, und Wechsel zu § 2 AsylbLG',
          params: z.object({ caseId: z.string().max(64) }),
          querystring: z.object({
            monat: z.string().refine(isMonth, 'Monat: Bitte im Format JJJJ-MM angeben.').optional(),
          }),
          response: {
            200: z.object({
              monat: z.string(),
              positionen: z.array(positionSchema),
              summeCents: z.number().nullable(),
              hinweise: z.array(z.string()),
              fehler: z.string().nullable(),
              wechsel: z.array(
                z.object({
                  person: z.string(),
                  ab: z.string().nullable(),
                  eigeneFristAb: z.string().nullable(),
                  reason: z.string(),
                }),
              ),
            }),
            ...standardErrors,
            409: problemSchema,
          },
        },
      },
      async (request, reply) => {
        const view = await cases.get(principalOf(request), request.params.caseId);
        if (view.procedureId !== ASYL_ID) throw notFound('Der AsylbLG-Fall');
        const d = view.data as AsylDaten;
        const rules = regeln();
        const wechsel = para2Wechsel(d.personen, rules).map((w, i) => ({
          person: d.personen[i] ? nameOf(d.personen[i]) : String(i + 1),
          ...w,
        }));
        const fall = leistungsfallAus(d);
        const monat = request.query.monat ?? monthOf(todayInGermany(now()));
        if (!fall) {
          throw new AppError(
            'ACTION_NOT_ALLOWED',
            'Noch nicht bewilligt',
            'Für diesen Fall liegt noch keine Bewilligung vor.',
          );
        }
        request.auditTargets = { case: view.id };
        try {
          const r = monatsanspruch(fall, monat, rules);
          return reply.header('cache-control', 'no-store').send({ ...r, fehler: null, wechsel });
        } catch (e) {
          if (!(e instanceof AsylRegelError)) throw e;
          return reply
            .header('cache-control', 'no-store')
            .send({ monat, positionen: [], summeCents: null, hinweise: [], fehler: e.message, wechsel });
        }
      },
    );
  };
}
