import type { FastifyReply } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import { todayInGermany } from '../../../core/dates.js';
import {
  agsSchema,
  auditWriteIn,
  idempotencyHeaders,
  idempotencyOf,
  principalOf,
  problemSchema,
  sendIdempotent,
  standardErrors,
} from '../../../core/http.js';
import { noControlCharsExceptLineBreaks } from '../../../core/schema-helpers.js';
import type { Database } from '../../../db/types.js';
import {
  BETRAG_SPALTEN,
  CODE_PATTERN,
  MAX_BETRAG_CENTS,
  PRODUKTBEREICH_CODES,
  type Produktbereich,
} from '../katalog.js';
import { renderVorlaeufigPdf } from './pdf.js';
import { vorlaeufigReport } from './report.js';
import { HaushaltService, requireRead } from './service.js';

/**
 * The Kämmerei's routes under /api/haushalt (thin: validate, call the service, present). The plan
 * itself is a case (procedure haushaltsplan): it is created and approved through /api/cases.
 */

const planParams = z.object({ planId: z.uuid('Keine gültige ID eines Haushaltsplans.') });
const versionParam = z.coerce
  .number({ error: 'Fassung: Bitte die Nummer der Fassung angeben.' })
  .int('Fassung: Bitte die Nummer der Fassung angeben.')
  .min(1, 'Fassung: Bitte die Nummer der Fassung angeben.')
  .max(1_000_000, 'Fassung: Bitte die Nummer der Fassung angeben.');
const jahrParam = z.coerce
  .number({ error: 'Haushaltsjahr: Bitte als Jahreszahl angeben.' })
  .int('Haushaltsjahr: Bitte als Jahreszahl angeben.')
  .min(2000, 'Haushaltsjahr: Bitte als Jahreszahl angeben.')
  .max(2100, 'Haushaltsjahr: Bitte als Jahreszahl angeben.');
const pbSchema = z.enum(PRODUKTBEREICH_CODES as [Produktbereich, ...Produktbereich[]], {
  error: 'Produktbereich: 01 bis 17.',
});
const codeSchema = (title: string) =>
  z
    .string({ error: `${title}: Bitte angeben.` })
    .trim()
    .regex(
      CODE_PATTERN,
      `${title}: höchstens 20 Zeichen aus Ziffern, Buchstaben, Punkt, Bindestrich oder Unterstrich.`,
    );
const nameSchema = (title: string) =>
  z
    .string({ error: `${title}: Bitte angeben.` })
    .trim()
    .min(1, `${title}: Bitte angeben.`)
    .max(120, `${title}: höchstens 120 Zeichen.`)
    .regex(/^[^\p{Cc}]*$/u, `${title}: enthält unzulässige Steuerzeichen.`);
const cents = (title: string) =>
  z
    .number({ error: `${title}: Betrag in Cent als ganze Zahl.` })
    .int(`${title}: Betrag in Cent als ganze Zahl.`)
    .min(-MAX_BETRAG_CENTS, `${title}: höchstens 10 Mrd. Euro.`)
    .max(MAX_BETRAG_CENTS, `${title}: höchstens 10 Mrd. Euro.`);
const noteSchema = z
  .string()
  .trim()
  .max(500, 'Bemerkung: höchstens 500 Zeichen.')
  .refine(noControlCharsExceptLineBreaks, 'Bemerkung: enthält unzulässige Steuerzeichen.')
  .optional();
const keySchema = z
  .object({
    produkt: codeSchema('Produkt'),
    plan: z.enum(['E', 'F'], { error: 'Plan: E (Ergebnisplan) oder F (Finanzplan).' }),
    position: z.number().int().min(1, 'Zeile: 1 bis 27.').max(27, 'Zeile: 1 bis 27.'),
  })
  .strict();
const lineSchema = keySchema
  .extend({
    produktbereich: pbSchema,
    produktgruppe: codeSchema('Produktgruppe'),
    produktgruppeName: nameSchema('Bezeichnung Produktgruppe'),
    produktName: nameSchema('Bezeichnung Produkt'),
    erlaeuterung: z
      .string()
      .max(1000, 'Erläuterung: höchstens 1000 Zeichen.')
      .refine(noControlCharsExceptLineBreaks, 'Erläuterung: enthält unzulässige Steuerzeichen.')
      .nullable()
      .optional(),
    ergebnisVorvorjahr: cents('Ergebnis'),
    ansatzVorjahr: cents('Ansatz Vorjahr'),
    ansatz: cents('Ansatz'),
    planung1: cents('Planung 1'),
    planung2: cents('Planung 2'),
    planung3: cents('Planung 3'),
  })
  .strict();

const betraege = z.object(
  Object.fromEntries(BETRAG_SPALTEN.map((c) => [c, z.number()])) as Record<
    (typeof BETRAG_SPALTEN)[number],
    z.ZodNumber
  >,
);
const planRow = betraege
  .extend({
    kind: z.enum(['position', 'summe', 'ergebnis']),
    nr: z.number().int().optional(),
    id: z.string(),
    label: z.string(),
  })
  .meta({ id: 'HaushaltPlanzeile' });
const gesamtplanSchema = z
  .object({ ergebnisplan: z.array(planRow), finanzplan: z.array(planRow) })
  .meta({ id: 'HaushaltGesamtplan' });
const teilplanSchema = z
  .object({
    produktbereich: z.string(),
    name: z.string(),
    zeilen: z.number().int(),
    produkte: z.number().int(),
    jahresergebnis: betraege,
    finanzmittelSaldo: betraege,
  })
  .meta({ id: 'HaushaltTeilplan' });
const versionSchema = z
  .object({
    id: z.string(),
    versionNo: z.number().int(),
    basedOn: z.number().int(),
    source: z.enum(['xlsx', 'csv', 'bearbeitung']),
    sourceName: z.string().nullable(),
    sourceSha256: z.string().nullable(),
    note: z.string().nullable(),
    lineCount: z.number().int(),
    contentSha256: z.string(),
    createdAt: z.string(),
    createdBy: z.string(),
    createdByName: z.string(),
  })
  .meta({ id: 'HaushaltFassung' });
const summarySchema = z
  .object({
    caseId: z.string(),
    aktenzeichen: z.string(),
    authorityAgs: z.string(),
    authorityName: z.string(),
    haushaltsjahr: z.number().int(),
    status: z.string(),
    statusLabel: z.string(),
    caseVersion: z.number().int(),
    deadline: z.string().nullable(),
    latestVersion: z.number().int(),
    frozen: z.boolean(),
    editable: z.boolean(),
    fassung: z.object({ nummer: z.number().int(), sha256: z.string(), zeilen: z.number().int() }).nullable(),
  })
  .meta({ id: 'HaushaltPlanUebersicht' });
const spaltenSchema = z.object(
  Object.fromEntries(BETRAG_SPALTEN.map((c) => [c, z.string()])) as Record<
    (typeof BETRAG_SPALTEN)[number],
    z.ZodString
  >,
);
const writeResult = z.object({
  version: versionSchema,
  gesamtplan: gesamtplanSchema,
  teilplaene: z.array(teilplanSchema),
  ignoredSheets: z.array(z.string()).optional(),
});
const diffAmounts = betraege.extend({ erlaeuterung: z.string().nullable() }).nullable();
const bereichZeile = z.object({
  vorjahrAufwandCents: z.number(),
  verpflichtetAufwandCents: z.number(),
  anteilAufwand: z.number().nullable(),
  vorjahrInvestitionCents: z.number(),
  verpflichtetInvestitionCents: z.number(),
  anteilInvestition: z.number().nullable(),
  anzahl: z.number().int(),
});
const reportSchema = z
  .object({
    authorityAgs: z.string(),
    haushaltsjahr: z.number().int(),
    inKraftSeit: z.string().nullable(),
    vergleich: z
      .object({
        quelle: z.enum(['vorjahresplan', 'entwurf']),
        label: z.string(),
        planId: z.string(),
        aktenzeichen: z.string(),
        fassung: z.number().int(),
      })
      .nullable(),
    bereiche: z.array(bereichZeile.extend({ produktbereich: z.string(), name: z.string() })),
    summe: bereichZeile,
    nachRechtsgrund: z.array(
      z.object({
        rechtsgrund: z.string(),
        label: z.string(),
        anzahl: z.number().int(),
        betragCents: z.number(),
      }),
    ),
  })
  .meta({ id: 'VorlaeufigeHaushaltsfuehrung' });

const writeErrors = {
  ...standardErrors,
  409: problemSchema,
  413: problemSchema,
  422: problemSchema,
} as const;
const fileResponse = { 200: z.any().meta({ description: 'Datei (XLSX, CSV oder PDF)' }), ...standardErrors };

function sendFile(
  reply: FastifyReply,
  f: { body: Buffer; contentType: string; fileName: string },
  inline = false,
) {
  return reply
    .header('content-type', f.contentType)
    .header('content-disposition', `${inline ? 'inline' : 'attachment'}; filename="${f.fileName}"`)
    .header('cache-control', 'no-store')
    .send(f.body);
}

export const haushaltRoutes: FastifyPluginAsyncZod<{ db: Kysely<Database>; now: () => Date }> = async (
  app,
  { db, now },
) => {
  const service = new HaushaltService({ db, now });

  app.get(
    '/haushalt/authorities/:ags/plans',
    {
      schema: {
        tags: ['Kämmerei'],
        summary: 'Haushaltspläne einer Behörde',
        params: z.object({ ags: agsSchema }),
        response: { 200: z.object({ items: z.array(summarySchema) }), ...standardErrors },
      },
    },
    async (request, reply) =>
      reply
        .header('cache-control', 'no-store')
        .send({ items: await service.list(principalOf(request), request.params.ags) }),
  );

  app.get(
    '/haushalt/plans/:planId',
    {
      schema: {
        tags: ['Kämmerei'],
        summary: 'Haushaltsplan mit Fassungen, Gesamtergebnis- und Gesamtfinanzplan',
        description: 'Ohne `version` die neueste Fassung.',
        params: planParams,
        querystring: z.object({ version: versionParam.optional() }).strict(),
        response: {
          200: summarySchema.extend({
            spalten: spaltenSchema,
            versions: z.array(versionSchema),
            shown: versionSchema.nullable(),
            gesamtplan: gesamtplanSchema.nullable(),
            teilplaene: z.array(teilplanSchema),
          }),
          ...standardErrors,
        },
      },
    },
    async (request, reply) =>
      reply
        .header('cache-control', 'no-store')
        .send(await service.view(principalOf(request), request.params.planId, request.query.version)),
  );

  app.get(
    '/haushalt/plans/:planId/versions/:versionNo/lines',
    {
      schema: {
        tags: ['Kämmerei'],
        summary: 'Zeilen eines Teilplans (Produktbereich) einer Fassung',
        params: planParams.extend({ versionNo: versionParam }),
        querystring: z.object({ produktbereich: pbSchema }).strict(),
        response: {
          200: z.object({
            haushaltsjahr: z.number().int(),
            versionNo: z.number().int(),
            produktbereich: z.string(),
            name: z.string(),
            spalten: spaltenSchema,
            items: z.array(lineSchema.extend({ positionLabel: z.string() }).loose()),
          }),
          ...standardErrors,
        },
      },
    },
    async (request, reply) =>
      reply
        .header('cache-control', 'no-store')
        .send(
          await service.lines(
            principalOf(request),
            request.params.planId,
            request.params.versionNo,
            request.query.produktbereich,
          ),
        ),
  );

  app.post(
    '/haushalt/plans/:planId/import',
    {
      bodyLimit: 16 * 1024 * 1024,
      schema: {
        tags: ['Kämmerei'],
        summary: 'Teilpläne aus einer XLSX- oder CSV-Datei einlesen (neue Fassung)',
        description:
          'Liest die Teilplan-Blätter („TP 01 …“) bzw. die CSV-Zeilen vollständig ein oder gar nicht: bei Fehlern 400 mit den Fehlern je Zeile und Spalte. `basedOnVersion` ist die Fassung, auf der die Datei beruht (0 vor der ersten); ist inzwischen eine neuere gespeichert, 409.',
        headers: idempotencyHeaders,
        params: planParams,
        body: z
          .object({
            format: z.enum(['xlsx', 'csv'], { error: 'Format: xlsx oder csv.' }),
            fileName: z
              .string({ error: 'Dateiname: Bitte angeben.' })
              .trim()
              .min(1, 'Dateiname: Bitte angeben.')
              .max(200, 'Dateiname: höchstens 200 Zeichen.')
              .regex(/^[^\p{Cc}/\\]*$/u, 'Dateiname: enthält unzulässige Zeichen.'),
            content: z
              .string({ error: 'Dateiinhalt: Bitte angeben.' })
              .min(1, 'Dateiinhalt: Die Datei ist leer.')
              .max(15 * 1024 * 1024, 'Dateiinhalt: Die Datei ist zu groß (höchstens 10 MB).'),
            basedOnVersion: z.number().int().min(0).max(1_000_000),
            note: noteSchema,
          })
          .strict(),
        response: { 201: writeResult, 200: writeResult, ...writeErrors },
      },
    },
    async (request, reply) => {
      const result = await service.importFile(
        principalOf(request),
        request.params.planId,
        request.body,
        idempotencyOf(request, request.body),
        auditWriteIn(request, now),
      );
      if (!result.replayed) request.auditRecorded = true;
      return sendIdempotent(reply, result);
    },
  );

  app.post(
    '/haushalt/plans/:planId/versions',
    {
      schema: {
        tags: ['Kämmerei'],
        summary: 'Zeilen ändern, ergänzen oder entfernen (neue Fassung)',
        description:
          'Neue Fassung aus `basedOnVersion` mit den geänderten oder neuen Zeilen (`upsert`, Beträge in Cent) und den entfernten (`remove`).',
        headers: idempotencyHeaders,
        params: planParams,
        body: z
          .object({
            basedOnVersion: z.number().int().min(0).max(1_000_000),
            note: noteSchema,
            upsert: z.array(lineSchema).max(500, 'Höchstens 500 Zeilen je Änderung.').default([]),
            remove: z.array(keySchema).max(500, 'Höchstens 500 Zeilen je Änderung.').default([]),
          })
          .strict()
          .refine((b) => b.upsert.length + b.remove.length > 0, {
            message: 'Keine Änderung angegeben.',
            path: ['upsert'],
          }),
        response: { 201: writeResult, 200: writeResult, ...writeErrors },
      },
    },
    async (request, reply) => {
      const result = await service.edit(
        principalOf(request),
        request.params.planId,
        request.body,
        idempotencyOf(request, request.body),
        auditWriteIn(request, now),
      );
      if (!result.replayed) request.auditRecorded = true;
      return sendIdempotent(reply, result);
    },
  );

  app.get(
    '/haushalt/plans/:planId/diff',
    {
      schema: {
        tags: ['Kämmerei'],
        summary: 'Unterschiede zwischen zwei Fassungen',
        params: planParams,
        querystring: z.object({ from: versionParam, to: versionParam }).strict(),
        response: {
          200: z.object({
            from: z.number().int(),
            to: z.number().int(),
            lines: z.array(
              z.object({
                schluessel: z.string(),
                art: z.enum(['neu', 'entfernt', 'geaendert']),
                produktbereich: z.string(),
                produkt: z.string(),
                produktName: z.string(),
                plan: z.enum(['E', 'F']),
                position: z.number().int(),
                positionLabel: z.string(),
                vorher: diffAmounts,
                nachher: diffAmounts,
                felder: z.array(z.string()),
              }),
            ),
            truncated: z.boolean(),
            counts: z.object({
              neu: z.number().int(),
              entfernt: z.number().int(),
              geaendert: z.number().int(),
            }),
            ergebnisse: z.array(
              z.object({ id: z.string(), label: z.string(), vorher: betraege, nachher: betraege }),
            ),
          }),
          ...standardErrors,
        },
      },
    },
    async (request, reply) =>
      reply
        .header('cache-control', 'no-store')
        .send(
          await service.diff(
            principalOf(request),
            request.params.planId,
            request.query.from,
            request.query.to,
          ),
        ),
  );

  app.get(
    '/haushalt/plans/:planId/versions/:versionNo/export/:format',
    {
      schema: {
        tags: ['Kämmerei'],
        summary: 'Fassung als XLSX, CSV oder PDF (Gesamtergebnis- und Gesamtfinanzplan)',
        params: planParams.extend({
          versionNo: versionParam,
          format: z.enum(['xlsx', 'csv', 'pdf'], { error: 'Format: xlsx, csv oder pdf.' }),
        }),
        response: fileResponse,
      },
    },
    async (request, reply) => {
      const { planId, versionNo, format } = request.params;
      const file = await service.exportFile(principalOf(request), planId, versionNo, format);
      return sendFile(reply, file, format === 'pdf');
    },
  );

  const reportParams = z.object({ ags: agsSchema, haushaltsjahr: jahrParam });

  app.get(
    '/haushalt/authorities/:ags/vorlaeufig/:haushaltsjahr',
    {
      schema: {
        tags: ['Kämmerei'],
        summary: 'Vorläufige Haushaltsführung: Verpflichtungen gegen den Vorjahreshaushalt je Produktbereich',
        params: reportParams,
        response: { 200: reportSchema, ...standardErrors },
      },
    },
    async (request, reply) => {
      requireRead(principalOf(request), request.params.ags);
      return reply
        .header('cache-control', 'no-store')
        .send(await vorlaeufigReport(db, request.params.ags, request.params.haushaltsjahr));
    },
  );

  app.get(
    '/haushalt/authorities/:ags/vorlaeufig/:haushaltsjahr/export/pdf',
    {
      schema: {
        tags: ['Kämmerei'],
        summary: 'Bericht der vorläufigen Haushaltsführung als PDF',
        params: reportParams,
        response: fileResponse,
      },
    },
    async (request, reply) => {
      const { ags, haushaltsjahr } = request.params;
      requireRead(principalOf(request), ags);
      const report = await vorlaeufigReport(db, ags, haushaltsjahr);
      const authority = await db
        .selectFrom('authority')
        .select('name')
        .where('ags', '=', ags)
        .executeTakeFirst();
      const body = await renderVorlaeufigPdf(report, authority?.name ?? ags, todayInGermany(now()));
      return sendFile(
        reply,
        {
          body,
          contentType: 'application/pdf',
          fileName: `vorlaeufige-haushaltsfuehrung-${haushaltsjahr}-${ags}.pdf`,
        },
        true,
      );
    },
  );
};
