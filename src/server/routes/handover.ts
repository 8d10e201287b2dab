import fs from 'node:fs';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { AppError } from '../../core/errors.js';
import { ackEntrySchema, parseAcknowledgement } from '../../core/handover/acknowledgement.js';
import type { HandoverService } from '../../core/handover/service.js';
import {
  agsSchema,
  idempotencyHeaders,
  idempotencyOf,
  principalOf,
  problemSchema,
  sendIdempotent,
  standardErrors,
} from '../../core/http.js';

const batchIdParam = z.object({ id: z.uuid('Keine gültige Übergabe-ID.') });

const fileSchema = z.object({
  name: z.string(),
  formatId: z.string(),
  contentType: z.string(),
  sha256: z.string(),
  bytes: z.number().int(),
  href: z.string(),
});
const batchSchema = z
  .object({
    id: z.string(),
    procedureId: z.string(),
    authorityAgs: z.string(),
    officeType: z.string(),
    status: z.string(),
    statusLabel: z.string(),
    caseCount: z.number().int(),
    createdAt: z.string(),
    completedAt: z.string().nullable(),
    acknowledgedAt: z.string().nullable(),
    rejectedAt: z.string().nullable(),
    manifest: z.unknown(),
    files: z.array(fileSchema),
    cases: z.array(
      z.object({
        caseId: z.string(),
        aktenzeichen: z.string(),
        status: z.string(),
        statusLabel: z.string(),
        note: z.string().nullable(),
      }),
    ),
  })
  .meta({ id: 'HandoverBatch' });

const writeErrors = { ...standardErrors, 409: problemSchema, 422: problemSchema } as const;

/** Handover batches (generic; each procedure registers its formats). */
export const handoverRoutes: FastifyPluginAsyncZod<{ handover: HandoverService }> = async (
  app,
  { handover },
) => {
  app.post(
    '/handover/batches',
    {
      schema: {
        tags: ['Übergabe'],
        summary: 'Übergabe erstellen (Export)',
        description:
          'Nimmt alle abgeschlossenen, noch nicht übergebenen Vorgänge eines Verfahrens bei einer Behörde in eine neue Übergabe auf und schreibt ihre Dateien mit Manifest (SHA-256 je Datei). Ein Vorgang ist höchstens in einer nicht abgelehnten Übergabe.',
        headers: idempotencyHeaders,
        body: z.object({ procedureId: z.string().min(1).max(64), authorityAgs: agsSchema }).strict(),
        response: { 201: batchSchema, ...writeErrors },
      },
    },
    async (request, reply) => {
      const idem = idempotencyOf(request, request.body);
      const result = await handover.export(principalOf(request), request.body, idem);
      return sendIdempotent(reply, result);
    },
  );

  app.get(
    '/handover/batches',
    {
      schema: {
        tags: ['Übergabe'],
        summary: 'Übergaben einer Behörde',
        querystring: z.object({ authorityAgs: agsSchema, procedureId: z.string().max(64).optional() }),
        response: {
          200: z.object({
            items: z.array(
              z.object({
                id: z.string(),
                procedureId: z.string(),
                status: z.string(),
                statusLabel: z.string(),
                caseCount: z.number().int(),
                createdAt: z.string(),
                completedAt: z.string().nullable(),
                acknowledgedAt: z.string().nullable(),
              }),
            ),
          }),
          ...standardErrors,
        },
      },
    },
    async (request, reply) => {
      const items = await handover.list(principalOf(request), request.query);
      return reply.header('cache-control', 'no-store').send({ items });
    },
  );

  app.get(
    '/handover/batches/:id',
    {
      schema: {
        tags: ['Übergabe'],
        summary: 'Übergabe mit Dateien und Vorgängen',
        params: batchIdParam,
        response: { 200: batchSchema, ...standardErrors },
      },
    },
    async (request, reply) => {
      const view = await handover.get(principalOf(request), request.params.id);
      return reply.header('cache-control', 'no-store').send(view);
    },
  );

  app.get(
    '/handover/batches/:id/files/*',
    {
      schema: {
        tags: ['Übergabe'],
        summary: 'Datei einer Übergabe herunterladen (laut Manifest, auch manifest.json)',
        params: batchIdParam.extend({ '*': z.string().min(1).max(300) }),
        response: { 200: z.any(), ...standardErrors },
      },
    },
    async (request, reply) => {
      const { file, entry } = await handover.filePath(
        principalOf(request),
        request.params.id,
        request.params['*'],
      );
      const base = entry.name.split('/').pop() ?? 'datei';
      return reply
        .header('content-type', entry.contentType)
        .header('content-disposition', `attachment; filename="${base.replace(/[^A-Za-z0-9._-]/g, '_')}"`)
        .header('cache-control', 'no-store')
        .send(fs.createReadStream(file));
    },
  );

  app.post(
    '/handover/batches/:id/acknowledgement',
    {
      schema: {
        tags: ['Übergabe'],
        summary: 'Quittung einlesen',
        description:
          'Markiert die Vorgänge der Übergabe als übergeben („uebernommen") oder abgelehnt. Entweder `entries` oder `content` (Inhalt einer Quittungsdatei: JSON oder CSV „aktenzeichen;status;grund"). Passt ein Eintrag nicht zur Übergabe, wird nichts geändert. Abgelehnte Vorgänge werden wieder für eine spätere Übergabe frei.',
        headers: idempotencyHeaders,
        params: batchIdParam,
        body: z
          .object({
            entries: z.array(ackEntrySchema).min(1).max(100_000).optional(),
            content: z.string().max(10_000_000).optional(),
          })
          .strict(),
        response: {
          200: z.object({ accepted: z.number().int(), rejected: z.number().int(), batch: batchSchema }),
          ...writeErrors,
        },
      },
    },
    async (request, reply) => {
      const idem = idempotencyOf(request, request.body);
      const { entries, content } = request.body;
      if ((entries ? 1 : 0) + (content ? 1 : 0) !== 1) {
        throw new AppError(
          'VALIDATION_FAILED',
          'Quittung fehlt',
          'Bitte entweder die Einträge oder den Inhalt der Quittungsdatei senden.',
        );
      }
      const ack = content ? parseAcknowledgement(content) : { entries: entries ?? [] };
      const result = await handover.acknowledge(principalOf(request), request.params.id, ack, idem);
      return sendIdempotent(reply, result);
    },
  );

  app.post(
    '/handover/batches/:id/rejection',
    {
      schema: {
        tags: ['Übergabe'],
        summary: 'Übergabe als Ganzes ablehnen',
        description: 'Die noch offenen Vorgänge der Übergabe werden für eine neue Übergabe freigegeben.',
        headers: idempotencyHeaders,
        params: batchIdParam,
        body: z.object({ grund: z.string().trim().min(1, 'Grund: Bitte angeben.').max(500) }).strict(),
        response: { 200: batchSchema, ...writeErrors },
      },
    },
    async (request, reply) => {
      const idem = idempotencyOf(request, request.body);
      const result = await handover.reject(principalOf(request), request.params.id, request.body.grund, idem);
      return sendIdempotent(reply, result);
    },
  );

  app.get(
    '/handover/cases/:id',
    {
      schema: {
        tags: ['Übergabe'],
        summary: 'Übergabeverlauf eines Vorgangs',
        params: z.object({ id: z.uuid('Keine gültige Vorgangs-ID.') }),
        response: {
          200: z.object({
            items: z.array(
              z.object({
                batchId: z.string(),
                createdAt: z.string(),
                status: z.string(),
                statusLabel: z.string(),
                note: z.string().nullable(),
              }),
            ),
          }),
          ...standardErrors,
        },
      },
    },
    async (request, reply) => {
      const items = await handover.historyOfCase(principalOf(request), request.params.id);
      return reply.header('cache-control', 'no-store').send({ items });
    },
  );
};
