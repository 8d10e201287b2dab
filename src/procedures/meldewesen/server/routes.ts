import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import { forbidden } from '../../../core/errors.js';
import { agsSchema, principalOf, standardErrors } from '../../../core/http.js';
import type { Database } from '../../../db/types.js';
import type { RegisterService } from './register/search.js';
import { registerScopes } from './register/search.js';
import { activeSnapshot } from './register/snapshot.js';

const personId = z.string().regex(/^[A-Za-z0-9._-]{1,40}$/, 'Keine gültige Personen-ID.');
const noControl = /^[^\p{Cc}]*$/u;
const term = (title: string, max = 100) =>
  z
    .string()
    .trim()
    .max(max, `${title}: höchstens ${max} Zeichen.`)
    .regex(noControl, `${title}: enthält unzulässige Steuerzeichen.`)
    .optional();

const anschrift = z.object({
  strasse: z.string().nullable(),
  hausnummer: z.string().nullable(),
  plz: z.string().nullable(),
  ort: z.string().nullable(),
});
const mark = z
  .object({
    caseId: z.string(),
    procedureId: z.string(),
    status: z.string(),
    movedOn: z.string(),
    recordedAt: z.string(),
    label: z.string(),
  })
  .meta({ id: 'NotbetriebMarkierung' });
const hit = z
  .object({
    id: z.string(),
    source: z.enum(['register', 'notbetrieb']),
    familienname: z.string(),
    namensbestandteil: z.string().nullable(),
    vornamen: z.string(),
    geburtsname: z.string().nullable(),
    geburtsdatum: z.string(),
    geschlecht: z.string(),
    anschrift,
    ags: z.string(),
    score: z.number(),
    match: z.enum(['exakt', 'praefix', 'phonetisch', 'geburtsdatum', 'anschrift']),
    imNotbetriebErfasst: mark.nullable(),
  })
  .meta({ id: 'RegisterTreffer' });
const snapshotInfo = z
  .object({
    id: z.string(),
    sourceName: z.string(),
    activatedAt: z.string().nullable(),
    rowCount: z.number(),
  })
  .nullable();

export interface RegisterRoutesOptions {
  register: RegisterService;
  db: Kysely<Database>;
}

export const registerRoutes: FastifyPluginAsyncZod<RegisterRoutesOptions> = async (app, { register, db }) => {
  app.post(
    '/register/search',
    {
      schema: {
        tags: ['Melderegister'],
        summary: 'Im Melderegister suchen',
        description:
          'Sucht im zuletzt geladenen Registerstand und in den im Notbetrieb erfassten Meldevorgängen: Familienname exakt, Anfang oder ähnlich klingend (Kölner Phonetik), Geburtsdatum, Anschrift; nach Übereinstimmung sortiert. Nur Personen der eigenen Gemeinde(n). POST, damit Namen nicht in URLs stehen. Jede Suche wird protokolliert.',
        body: z
          .object({
            familienname: term('Familienname'),
            vornamen: term('Vornamen'),
            geburtsdatum: z
              .string()
              .regex(/^\d{4}-\d{2}-\d{2}$/, 'Geburtsdatum: Bitte im Format JJJJ-MM-TT angeben.')
              .optional(),
            strasse: term('Straße'),
            hausnummer: term('Hausnummer', 10),
            authorityAgs: agsSchema.optional(),
            limit: z.number().int().min(1).max(100).default(25),
          })
          .strict(),
        response: {
          200: z.object({ items: z.array(hit), truncated: z.boolean(), snapshot: snapshotInfo }),
          ...standardErrors,
        },
      },
    },
    async (request, reply) => {
      const principal = principalOf(request);
      const result = await register.search(principal, request.body);
      const criteria = Object.keys(request.body)
        .filter((k) => k !== 'limit' && (request.body as Record<string, unknown>)[k])
        .sort()
        .join(',');
      // Which persons were shown to whom: ids only, never the search terms. The generic audit
      // hook writes this as the request's one entry before the response leaves.
      request.auditAction = 'register.search';
      request.auditTargets = { persons: result.items.map((i) => i.id).join(',') || '-' };
      request.auditDetail = { criteria, hits: result.items.length, truncated: result.truncated };
      return reply.header('cache-control', 'no-store').send(result);
    },
  );

  app.get(
    '/register/persons/:id',
    {
      schema: {
        tags: ['Melderegister'],
        summary: 'Person aus dem Melderegister öffnen',
        description:
          'Person mit Haushalt und den im Notbetrieb erfassten Meldevorgängen. Das Öffnen wird protokolliert.',
        params: z.object({ id: personId }),
        response: {
          200: hit.extend({
            geburtsort: z.string().nullable(),
            staatsangehoerigkeit: z.array(z.string()),
            geschlechtLabel: z.string(),
            einzugsdatum: z.string().nullable(),
            haushaltId: z.string().nullable(),
            registerAnschrift: anschrift.nullable(),
            haushalt: z.array(
              z.object({
                id: z.string(),
                familienname: z.string(),
                vornamen: z.string(),
                geburtsdatum: z.string(),
                beziehung: z.string(),
              }),
            ),
            notbetriebVorgaenge: z.array(mark),
          }),
          ...standardErrors,
        },
      },
    },
    async (request, reply) => {
      // The generic API audit records this read with the person id from the path (target {id}).
      const person = await register.person(principalOf(request), request.params.id);
      return reply.header('cache-control', 'no-store').send(person);
    },
  );

  app.get(
    '/register/snapshot',
    {
      schema: {
        tags: ['Melderegister'],
        summary: 'Stand des geladenen Melderegisters',
        description: 'Welcher Registerstand aktiv ist (Datei, Zeilen, Zeitpunkt); keine Personendaten.',
        response: { 200: snapshotInfo, ...standardErrors },
      },
    },
    async (request, reply) => {
      if (registerScopes(principalOf(request)).length === 0) {
        throw forbidden('Nur für die Meldebehörde.');
      }
      const snap = await activeSnapshot(db);
      return reply.header('cache-control', 'no-store').send(
        snap
          ? {
              id: snap.id,
              sourceName: snap.sourceName,
              activatedAt: snap.activatedAt,
              rowCount: snap.rowCount,
            }
          : null,
      );
    },
  );
};
