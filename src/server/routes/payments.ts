import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
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
import { OFFICE_TYPES } from '../../core/offices.js';
import {
  PAYMENT_STATUS_LABELS,
  type PaymentService,
  RETURN_REASONS,
  type ReturnReason,
  RUN_STATUS_LABELS,
} from '../../core/payments/service.js';
import { PAYMENT_METHODS } from '../../core/payments/source.js';

/**
 * Payment runs (Zahlungsläufe) of an office: prepare, approve by a second person, discard, the
 * kept SEPA file, the payments of a run or a case, returns, re-queueing and cash payouts, and the
 * office's paying account. Generic for every office whose families contribute payments
 * (ServerFamily.payments); the logic is in core/payments/service.ts. See docs/PAYMENTS.md.
 */

const idParam = z.object({ id: z.uuid('Keine gültige ID.') });
const officeSchema = z.enum(OFFICE_TYPES, { error: 'Unbekanntes Amt.' });
const dateSchema = (title: string) =>
  z
    .string({ error: `${title}: bitte angeben.` })
    .regex(/^\d{4}-\d{2}-\d{2}$/, `${title}: Datum im Format JJJJ-MM-TT.`);
const noControl = /^[^\p{Cc}]*$/u;
const text = (title: string, max: number) =>
  z
    .string({ error: `${title}: bitte angeben.` })
    .trim()
    .min(1, `${title}: bitte angeben.`)
    .max(max, `${title}: höchstens ${max} Zeichen.`)
    .regex(noControl, `${title}: enthält unzulässige Steuerzeichen.`);

const addressSchema = z.object({
  street: z.string().nullable().optional(),
  buildingNumber: z.string().nullable().optional(),
  postcode: z.string().nullable().optional(),
  town: z.string(),
  country: z.string(),
  lines: z.array(z.string()).nullable().optional(),
});

const runSchema = z
  .object({
    id: z.string(),
    authorityAgs: z.string(),
    officeType: z.string(),
    period: z.string().nullable(),
    dueUntil: z.string(),
    executionDate: z.string(),
    status: z.enum(Object.keys(RUN_STATUS_LABELS) as [keyof typeof RUN_STATUS_LABELS]),
    statusLabel: z.string(),
    msgId: z.string(),
    debtor: z
      .object({
        name: z.string(),
        iban: z.string(),
        bic: z.string().nullable(),
        town: z.string(),
        country: z.string(),
      })
      .nullable(),
    transferCount: z.number().int(),
    transferSumCents: z.number().int(),
    cashCount: z.number().int(),
    cashSumCents: z.number().int(),
    skipped: z.array(
      z.object({
        caseId: z.string(),
        aktenzeichen: z.string(),
        purpose: z.string(),
        amountCents: z.number(),
        reasons: z.array(z.string()),
      }),
    ),
    preparedAt: z.string(),
    preparedBy: z.string(),
    preparedByName: z.string(),
    decidedAt: z.string().nullable(),
    decidedBy: z.string().nullable(),
    decidedByName: z.string().nullable(),
    discardReason: z.string().nullable(),
    file: z
      .object({ name: z.string(), sha256: z.string(), bytes: z.number().int(), href: z.string() })
      .nullable(),
    returnedCount: z.number().int(),
    mayApprove: z.boolean(),
  })
  .meta({ id: 'Zahlungslauf' });

const paymentSchema = z
  .object({
    id: z.string(),
    runId: z.string(),
    seq: z.number().int(),
    source: z.string(),
    caseId: z.string(),
    aktenzeichen: z.string(),
    decisionRef: z.string(),
    decisionLabel: z.string(),
    period: z.string(),
    dueOn: z.string(),
    purpose: z.string(),
    amountCents: z.number().int(),
    method: z.enum(PAYMENT_METHODS),
    methodLabel: z.string(),
    payeeName: z.string(),
    iban: z.string().nullable(),
    bic: z.string().nullable(),
    address: addressSchema.nullable(),
    remittance: z.string(),
    endToEndId: z.string(),
    status: z.enum(Object.keys(PAYMENT_STATUS_LABELS) as [keyof typeof PAYMENT_STATUS_LABELS]),
    statusLabel: z.string(),
    returned: z
      .object({
        reasonCode: z.string(),
        reasonLabel: z.string(),
        note: z.string().nullable(),
        recordedAt: z.string(),
        recordedByName: z.string(),
      })
      .nullable(),
    requeuedAt: z.string().nullable(),
    cash: z.object({ cashEntryId: z.string(), paidAt: z.string(), paidByName: z.string() }).nullable(),
  })
  .meta({ id: 'Zahlung' });

const accountSchema = z
  .object({
    authorityAgs: z.string(),
    officeType: z.string(),
    name: z.string(),
    iban: z.string(),
    bic: z.string().nullable(),
    town: z.string(),
    country: z.string(),
    updatedAt: z.string(),
  })
  .meta({ id: 'Auftraggeberkonto' });

const writeErrors = { ...standardErrors, 409: problemSchema, 422: problemSchema } as const;
const TAGS = ['Zahlungsläufe'];

export interface PaymentRoutesOptions {
  payments: PaymentService;
  now: () => Date;
}

export const paymentRoutes: FastifyPluginAsyncZod<PaymentRoutesOptions> = async (app, { payments, now }) => {
  const scopeQuery = z.object({ authorityAgs: agsSchema, officeType: officeSchema });

  app.get(
    '/payment-accounts/:authorityAgs/:officeType',
    {
      schema: {
        tags: TAGS,
        summary: 'Auftraggeberkonto eines Amts',
        params: scopeQuery,
        response: { 200: z.object({ account: accountSchema.nullable() }), ...standardErrors },
      },
    },
    async (request, reply) => {
      const { authorityAgs, officeType } = request.params;
      const account = await payments.account(principalOf(request), authorityAgs, officeType);
      return reply.header('cache-control', 'no-store').send({ account });
    },
  );

  app.put(
    '/payment-accounts/:authorityAgs/:officeType',
    {
      schema: {
        tags: TAGS,
        summary: 'Auftraggeberkonto festlegen (Amtsleitung)',
        description: 'Das Konto, von dem die Überweisungen der Zahlungsläufe des Amts ausgehen.',
        headers: idempotencyHeaders,
        params: scopeQuery,
        body: z
          .object({
            name: text('Kontoinhaber', 70),
            iban: text('IBAN', 42),
            bic: z
              .string()
              .trim()
              .regex(/^[A-Za-z0-9]{8}([A-Za-z0-9]{3})?$/, 'BIC: 8 oder 11 Zeichen.')
              .nullable()
              .optional(),
            town: text('Ort', 35),
            country: z.string().regex(/^[A-Z]{2}$/, 'Land: zweistelliger Ländercode, z. B. DE.'),
          })
          .strict(),
        response: { 200: accountSchema, ...writeErrors },
      },
    },
    async (request, reply) => {
      const principal = principalOf(request);
      const { authorityAgs, officeType } = request.params;
      const result = await payments.setAccount(
        principal,
        { authorityAgs, officeType, account: request.body },
        idempotencyOf(request, request.body),
        auditWriteIn(request, now),
      );
      if (!result.replayed) request.auditRecorded = true;
      return sendIdempotent(reply, result);
    },
  );

  app.get(
    '/payment-runs',
    {
      schema: {
        tags: TAGS,
        summary: 'Zahlungsläufe eines Amts',
        querystring: scopeQuery,
        response: { 200: z.object({ items: z.array(runSchema) }), ...standardErrors },
      },
    },
    async (request, reply) => {
      const { authorityAgs, officeType } = request.query;
      const items = await payments.list(principalOf(request), authorityAgs, officeType);
      return reply.header('cache-control', 'no-store').send({ items });
    },
  );

  app.post(
    '/payment-runs',
    {
      schema: {
        tags: TAGS,
        summary: 'Zahlungslauf vorbereiten',
        description:
          'Sammelt die fälligen Zahlungen der entschiedenen Vorgänge des Amts für einen Monat (`month`) oder bis zu einem Stichtag (`dueUntil`). Freigeben muss eine andere Person.',
        headers: idempotencyHeaders,
        body: z
          .object({
            authorityAgs: agsSchema,
            officeType: officeSchema,
            month: z.string().optional(),
            dueUntil: z.string().optional(),
            executionDate: dateSchema('Ausführungstag'),
          })
          .strict(),
        response: { 201: runSchema, 200: runSchema, ...writeErrors },
      },
    },
    async (request, reply) => {
      const result = await payments.prepare(
        principalOf(request),
        request.body,
        idempotencyOf(request, request.body),
        auditWriteIn(request, now),
      );
      if (!result.replayed) request.auditRecorded = true;
      return sendIdempotent(reply, result);
    },
  );

  app.get(
    '/payment-runs/:id',
    {
      schema: {
        tags: TAGS,
        summary: 'Zahlungslauf',
        params: idParam,
        response: { 200: runSchema, ...standardErrors },
      },
    },
    async (request, reply) => {
      const run = await payments.get(principalOf(request), request.params.id);
      return reply.header('cache-control', 'no-store').send(run);
    },
  );

  app.get(
    '/payment-runs/:id/payments',
    {
      schema: {
        tags: TAGS,
        summary: 'Zahlungen eines Laufs',
        description: '`q`: Aktenzeichen oder EndToEnd-ID (z. B. aus der Rücklaufmeldung der Bank).',
        params: idParam,
        querystring: z.object({
          page: z.coerce.number().int().min(1).max(100_000).default(1),
          pageSize: z.coerce.number().int().min(1).max(500).default(100),
          q: z.string().max(80).regex(noControl).optional(),
          status: z.enum(['zurueckgekommen', 'bar']).optional(),
        }),
        response: {
          200: z.object({
            items: z.array(paymentSchema),
            total: z.number().int(),
            page: z.number().int(),
            pageSize: z.number().int(),
          }),
          ...standardErrors,
        },
      },
    },
    async (request, reply) => {
      const result = await payments.payments(principalOf(request), request.params.id, request.query);
      return reply.header('cache-control', 'no-store').send(result);
    },
  );

  app.post(
    '/payment-runs/:id/approval',
    {
      schema: {
        tags: TAGS,
        summary: 'Zahlungslauf freigeben (zweite Person, Amtsleitung)',
        description:
          'Vier-Augen-Prinzip für jede Rolle: wer den Lauf vorbereitet hat, kann ihn nicht freigeben. Mit der Freigabe entsteht die SEPA-Datei (pain.001.001.09); der Lauf ist danach unveränderlich.',
        headers: idempotencyHeaders,
        params: idParam,
        body: z.object({}).strict().optional(),
        response: { 200: runSchema, ...writeErrors },
      },
    },
    async (request, reply) => {
      const result = await payments.approve(
        principalOf(request),
        request.params.id,
        idempotencyOf(request, request.body ?? {}),
        auditWriteIn(request, now),
      );
      if (!result.replayed) request.auditRecorded = true;
      return sendIdempotent(reply, result);
    },
  );

  app.post(
    '/payment-runs/:id/discard',
    {
      schema: {
        tags: TAGS,
        summary: 'Vorbereiteten Zahlungslauf verwerfen',
        headers: idempotencyHeaders,
        params: idParam,
        body: z.object({ grund: text('Grund', 300) }).strict(),
        response: { 200: runSchema, ...writeErrors },
      },
    },
    async (request, reply) => {
      const result = await payments.discard(
        principalOf(request),
        request.params.id,
        request.body.grund,
        idempotencyOf(request, request.body),
        auditWriteIn(request, now),
      );
      if (!result.replayed) request.auditRecorded = true;
      return sendIdempotent(reply, result);
    },
  );

  app.get(
    '/payment-runs/:id/file',
    {
      schema: {
        tags: TAGS,
        summary: 'SEPA-Datei (pain.001.001.09) eines freigegebenen Laufs',
        description:
          'Bei jedem Abruf dieselbe Datei; ihr SHA-256 steht im Kopf `x-content-sha256` und im Lauf.',
        params: idParam,
        response: {
          200: z.any().meta({ description: 'SEPA-Datei pain.001.001.09 (application/xml)' }),
          ...standardErrors,
          409: problemSchema,
        },
      },
    },
    async (request, reply) => {
      const f = await payments.file(principalOf(request), request.params.id);
      request.auditAction = 'payment.file';
      return reply
        .header('content-type', 'application/xml; charset=utf-8')
        .header('content-disposition', `attachment; filename="${f.name}"`)
        .header('x-content-sha256', f.sha256)
        .header('cache-control', 'no-store')
        .send(f.content);
    },
  );

  app.get(
    '/payments/by-case/:caseId',
    {
      schema: {
        tags: TAGS,
        summary: 'Zahlungen eines Vorgangs (alle Läufe)',
        params: z.object({ caseId: z.uuid('Keine gültige Vorgangs-ID.') }),
        response: { 200: z.object({ items: z.array(paymentSchema) }), ...standardErrors },
      },
    },
    async (request, reply) => {
      const items = await payments.ofCase(principalOf(request), request.params.caseId);
      return reply.header('cache-control', 'no-store').send({ items });
    },
  );

  const reasonCodes = Object.keys(RETURN_REASONS) as [ReturnReason, ...ReturnReason[]];
  app.post(
    '/payments/:id/return',
    {
      schema: {
        tags: TAGS,
        summary: 'Rückläufer erfassen',
        description:
          'Die Bank hat die Überweisung zurückgegeben. `erneutZahlen`: im nächsten Lauf erneut zahlen (mit den dann gültigen Angaben des Vorgangs).',
        headers: idempotencyHeaders,
        params: idParam,
        body: z
          .object({
            grund: z.enum(reasonCodes, { error: 'Grund: bitte einen Rückgabegrund wählen.' }),
            notiz: z
              .string()
              .trim()
              .max(300)
              .regex(noControl, 'Notiz: enthält unzulässige Steuerzeichen.')
              .optional(),
            erneutZahlen: z.boolean({ error: 'Erneut zahlen: bitte Ja oder Nein.' }),
          })
          .strict(),
        response: { 200: paymentSchema, ...writeErrors },
      },
    },
    async (request, reply) => {
      const result = await payments.recordReturn(
        principalOf(request),
        request.params.id,
        {
          reasonCode: request.body.grund,
          note: request.body.notiz || null,
          requeue: request.body.erneutZahlen,
        },
        idempotencyOf(request, request.body),
        auditWriteIn(request, now),
      );
      if (!result.replayed) request.auditRecorded = true;
      return sendIdempotent(reply, result);
    },
  );

  for (const [path, summary, run] of [
    ['/payments/:id/requeue', 'Zurückgekommene Zahlung erneut vormerken', payments.requeue.bind(payments)],
    ['/payments/:id/cash-payout', 'Barzahlung auszahlen (Kassenbuch)', payments.payCash.bind(payments)],
  ] as const) {
    app.post(
      path,
      {
        schema: {
          tags: TAGS,
          summary,
          headers: idempotencyHeaders,
          params: idParam,
          body: z.object({}).strict().optional(),
          response: { 200: paymentSchema, ...writeErrors },
        },
      },
      async (request, reply) => {
        const result = await run(
          principalOf(request),
          request.params.id,
          idempotencyOf(request, request.body ?? {}),
          auditWriteIn(request, now),
        );
        if (!result.replayed) request.auditRecorded = true;
        return sendIdempotent(reply, result);
      },
    );
  }
};
