import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { DEADLINE_STATES } from '../../core/cases/deadline-state.js';
import { type CaseService, SORT_FIELDS } from '../../core/cases/service.js';
import type { DocumentRenderers } from '../../core/documents.js';
import { AppError, notFound } from '../../core/errors.js';
import {
  agsSchema,
  auditWriteIn,
  idempotencyHeaders,
  idempotencyOf,
  principalOf,
  problemSchema,
  sendIdempotent,
  standardErrors,
} from '../../core/http.js';

const caseIdParam = z.object({ id: z.uuid('Keine gültige Vorgangs-ID.') });

const deadlineSchema = z
  .object({ date: z.string(), label: z.string(), state: z.enum(DEADLINE_STATES), stateLabel: z.string() })
  .nullable();

const caseListItemSchema = z
  .object({
    id: z.string(),
    aktenzeichen: z.string(),
    procedureId: z.string(),
    procedureTitle: z.string(),
    authorityAgs: z.string(),
    authorityName: z.string(),
    officeType: z.string(),
    status: z.string(),
    statusLabel: z.string(),
    version: z.number().int(),
    summary: z.string(),
    deadline: deadlineSchema,
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .meta({ id: 'CaseListItem' });

const caseViewSchema = caseListItemSchema
  .extend({
    procedureVersion: z.number().int(),
    data: z.unknown(),
    actions: z.array(
      z.object({
        seq: z.number().int(),
        action: z.string(),
        label: z.string(),
        statusAfter: z.string(),
        statusAfterLabel: z.string(),
        actor: z.string(),
        actorName: z.string(),
        at: z.string(),
        payload: z.unknown(),
      }),
    ),
    allowedActions: z.array(
      z.object({
        id: z.string(),
        label: z.string(),
        description: z.string().optional(),
        hasPayload: z.boolean(),
      }),
    ),
    documents: z.array(z.object({ id: z.string(), title: z.string(), href: z.string() })),
  })
  .meta({ id: 'Case' });

const conflictErrors = { ...standardErrors, 409: problemSchema, 422: problemSchema } as const;

export interface CaseRoutesOptions {
  cases: CaseService;
  documents: DocumentRenderers;
  now: () => Date;
}

export const caseRoutes: FastifyPluginAsyncZod<CaseRoutesOptions> = async (
  app,
  { cases, documents, now },
) => {
  app.post(
    '/cases',
    {
      schema: {
        tags: ['Vorgänge'],
        summary: 'Vorgang anlegen',
        description:
          'Legt einen Vorgang mit den Formulardaten an (Aktion "erfassen"). Die Daten werden mit dem Formularschema des Verfahrens geprüft.',
        headers: idempotencyHeaders,
        body: z.object({
          procedureId: z.string().min(1).max(64),
          authorityAgs: agsSchema,
          data: z.unknown(),
        }),
        response: { 201: caseViewSchema, 200: caseViewSchema, ...conflictErrors },
      },
    },
    async (request, reply) => {
      const principal = principalOf(request);
      const idem = idempotencyOf(request, request.body);
      const result = await cases.create(principal, request.body, idem, auditWriteIn(request, now));
      if (!result.replayed) request.auditRecorded = true;
      return sendIdempotent(reply, result);
    },
  );

  app.post(
    '/cases/search',
    {
      schema: {
        tags: ['Vorgänge'],
        summary: 'Vorgänge suchen und auflisten',
        description:
          'Listet die Vorgänge der eigenen Ämter. Als POST, damit Suchbegriffe (oft Namen) nicht in URLs und Protokollen stehen.',
        body: z
          .object({
            procedureId: z.string().max(64).optional(),
            status: z.string().max(64).optional(),
            authorityAgs: agsSchema.optional(),
            officeType: z.string().max(64).optional(),
            deadlineState: z.enum(DEADLINE_STATES).optional(),
            open: z
              .boolean()
              .optional()
              .meta({ description: 'true: nur offene Vorgänge, false: nur abgeschlossene, fehlt: alle' }),
            q: z.string().max(200, 'Suchbegriff: höchstens 200 Zeichen.').optional().meta({
              description:
                'Freitext: jeder Begriff muss im Vorgang vorkommen (Teilwort; Groß-/Kleinschreibung, Akzente, ß/ss und ä/ae, ö/oe, ü/ue gleich); mindestens ein Begriff mit 3 Zeichen',
            }),
            cursor: z.string().max(600).optional().meta({
              description: 'nextCursor der vorigen Seite: liefert die Seite danach (Keyset-Blättern).',
            }),
            count: z.boolean().optional().meta({
              description:
                'false: nicht zählen (eine weitere Seite, deren Anzahl schon bekannt ist); total ist dann null',
            }),
            page: z.number().int().min(1).max(100_000).default(1).meta({
              description: 'Seitennummer (Blättern mit Versatz); ohne Wirkung, wenn cursor angegeben ist.',
            }),
            pageSize: z.number().int().min(1).max(100).default(25),
            sort: z.enum(SORT_FIELDS).default('created_at'),
            order: z.enum(['asc', 'desc']).default('desc'),
          })
          .strict(),
        response: {
          200: z.object({
            items: z.array(caseListItemSchema),
            total: z.number().int().nullable().meta({
              description: 'Anzahl der Treffer, gezählt bis höchstens 10 000; null bei count: false',
            }),
            totalCapped: z
              .boolean()
              .meta({ description: 'true: es gibt mehr als total Treffer („mehr als 10 000")' }),
            nextCursor: z
              .string()
              .nullable()
              .meta({ description: 'cursor für die nächste Seite; null auf der letzten Seite' }),
            page: z.number().int(),
            pageSize: z.number().int(),
          }),
          ...standardErrors,
        },
      },
    },
    async (request, reply) => {
      const result = await cases.list(principalOf(request), request.body);
      return reply.header('cache-control', 'no-store').send(result);
    },
  );

  app.get(
    '/cases/:id',
    {
      schema: {
        tags: ['Vorgänge'],
        summary: 'Vorgang mit Verlauf lesen',
        params: caseIdParam,
        response: { 200: caseViewSchema, ...standardErrors },
      },
    },
    async (request, reply) => {
      const view = await cases.get(principalOf(request), request.params.id);
      return reply.header('cache-control', 'no-store').send(view);
    },
  );

  app.post(
    '/cases/:id/actions/:action',
    {
      schema: {
        tags: ['Vorgänge'],
        summary: 'Aktion an einem Vorgang ausführen',
        description:
          'Führt eine im aktuellen Status erlaubte Aktion aus. expectedVersion ist der Stand, auf dem die Entscheidung beruht; ist der Vorgang inzwischen geändert, wird mit 409 abgelehnt.',
        headers: idempotencyHeaders,
        params: caseIdParam.extend({ action: z.string().regex(/^[a-z_]{1,64}$/, 'Unbekannte Aktion.') }),
        body: z.object({
          expectedVersion: z.number().int().min(1),
          payload: z.unknown().optional(),
        }),
        response: { 200: caseViewSchema, ...conflictErrors },
      },
    },
    async (request, reply) => {
      const idem = idempotencyOf(request, request.body);
      const result = await cases.act(
        principalOf(request),
        {
          caseId: request.params.id,
          actionId: request.params.action,
          expectedVersion: request.body.expectedVersion,
          payload: request.body.payload,
        },
        idem,
        auditWriteIn(request, now),
      );
      if (!result.replayed) request.auditRecorded = true;
      return sendIdempotent(reply, result);
    },
  );

  app.get(
    '/cases/:id/documents/:document',
    {
      schema: {
        tags: ['Vorgänge'],
        summary: 'Dokument eines Vorgangs als PDF',
        params: caseIdParam.extend({ document: z.string().regex(/^[a-z_]{1,64}$/, 'Unbekanntes Dokument.') }),
        response: {
          200: z.any().meta({ description: 'PDF-Dokument (application/pdf)' }),
          ...standardErrors,
          409: problemSchema,
        },
      },
    },
    async (request, reply) => {
      const view = await cases.get(principalOf(request), request.params.id);
      const doc = view.documents.find((d) => d.id === request.params.document);
      const def = cases.procedure(view.procedureId);
      if (!def.documents.some((d) => d.id === request.params.document)) throw notFound('Das Dokument');
      if (!doc) {
        throw new AppError(
          'ACTION_NOT_ALLOWED',
          'Dokument noch nicht verfügbar',
          `Das Dokument ist im Status „${view.statusLabel}" nicht verfügbar.`,
        );
      }
      const pdf = await documents.render(def, doc.id, view);
      const filename = `${doc.id}-${view.aktenzeichen.replace(/[^A-Za-z0-9]+/g, '-')}.pdf`;
      return reply
        .header('content-type', 'application/pdf')
        .header('content-disposition', `inline; filename="${filename}"`)
        .header('cache-control', 'no-store')
        .send(pdf);
    },
  );
};
