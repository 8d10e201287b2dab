import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { Kysely, Transaction } from 'kysely';
import { z } from 'zod';
import { canRead, hasRole, type Principal } from '../../core/access.js';
import {
  bookEntry,
  closeDay,
  confirmDay,
  getEntry,
  type JournalScope,
  journalDay,
  MAX_AMOUNT_CENTS,
  reverseEntry,
} from '../../core/cashjournal/journal.js';
import { renderDayReport, renderReceipt } from '../../core/cashjournal/pdf.js';
import { isValidIsoDate, todayInGermany } from '../../core/dates.js';
import { forbidden, notFound } from '../../core/errors.js';
import {
  agsSchema,
  idempotencyHeaders,
  idempotencyOf,
  principalOf,
  problemSchema,
  sendIdempotent,
  standardErrors,
} from '../../core/http.js';
import { runIdempotent } from '../../core/idempotency.js';
import { OFFICE_LABELS, OFFICE_TYPES, type OfficeType } from '../../core/offices.js';
import type { Database } from '../../db/types.js';

const scopeParams = z.object({
  ags: agsSchema,
  office: z.enum(OFFICE_TYPES, { error: 'Unbekanntes Amt.' }),
});
const dayParam = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'Datum im Format JJJJ-MM-TT.')
  .refine(isValidIsoDate, 'Dieses Datum gibt es nicht.');
const text = (title: string, max: number) =>
  z
    .string({ error: `${title}: Bitte angeben.` })
    .trim()
    .min(1, `${title}: Bitte angeben.`)
    .max(max, `${title}: höchstens ${max} Zeichen.`)
    .regex(/^[^\p{Cc}]*$/u, `${title}: enthält unzulässige Steuerzeichen.`);

const entrySchema = z
  .object({
    id: z.string(),
    authorityAgs: z.string(),
    officeType: z.string(),
    seq: z.number().int(),
    businessDay: z.string(),
    kind: z.enum(['einzahlung', 'auszahlung', 'storno']),
    kindLabel: z.string(),
    amountCents: z.number().int(),
    balanceAfterCents: z.number().int(),
    purpose: z.string(),
    feeCode: z.string().nullable(),
    reference: z.object({ type: z.string(), id: z.string(), label: z.string().nullable() }).nullable(),
    reversesEntryId: z.string().nullable(),
    createdAt: z.string(),
    createdBy: z.string(),
    createdByName: z.string(),
  })
  .meta({ id: 'Kassenbuchung' });

const dayViewSchema = z
  .object({
    authorityAgs: z.string(),
    officeType: z.string(),
    businessDay: z.string(),
    openingBalanceCents: z.number().int(),
    totalInCents: z.number().int(),
    totalOutCents: z.number().int(),
    closingBalanceCents: z.number().int(),
    entries: z.array(entrySchema),
    closing: z
      .object({
        closedAt: z.string(),
        closedBy: z.string(),
        closedByName: z.string(),
        countedCents: z.number().int().nullable(),
        differenceCents: z.number().int().nullable(),
        note: z.string().nullable(),
        confirmation: z
          .object({ confirmedAt: z.string(), confirmedBy: z.string(), confirmedByName: z.string() })
          .nullable(),
      })
      .nullable(),
  })
  .meta({ id: 'Kassentag' });

const writeErrors = { ...standardErrors, 409: problemSchema, 422: problemSchema } as const;

export interface CashJournalRoutesOptions {
  db: Kysely<Database>;
  now: () => Date;
}

function requireJournal(principal: Principal, scope: JournalScope): void {
  if (
    !hasRole(principal, { authorityAgs: scope.authorityAgs, officeType: scope.officeType as OfficeType }, [
      'sachbearbeitung',
    ])
  ) {
    throw forbidden('Sie sind für diese Kasse nicht berechtigt.');
  }
}

async function authorityName(db: Kysely<Database>, ags: string): Promise<string> {
  const a = await db.selectFrom('authority').select('name').where('ags', '=', ags).executeTakeFirst();
  return a?.name ?? ags;
}

export const cashJournalRoutes: FastifyPluginAsyncZod<CashJournalRoutesOptions> = async (
  app,
  { db, now },
) => {
  const scopeOf = (p: { ags: string; office: string }): JournalScope => ({
    authorityAgs: p.ags,
    officeType: p.office,
  });

  /**
   * The shape every journal write shares: check the office's journal scope, then run the booking
   * idempotently (Idempotency-Key) inside one transaction, on behalf of the acting person.
   */
  const journalWrite = async (
    request: FastifyRequest & { params: { ags: string; office: string } },
    reply: FastifyReply,
    statusCode: number,
    work: (
      trx: Transaction<Database>,
      ctx: { scope: JournalScope; actor: { userId: string; displayName: string }; now: Date },
    ) => Promise<unknown>,
  ) => {
    const principal = principalOf(request);
    const scope = scopeOf(request.params);
    requireJournal(principal, scope);
    const idem = idempotencyOf(request, request.body);
    const result = await runIdempotent(
      db,
      idem,
      () => now().toISOString(),
      async (trx) => ({
        statusCode,
        body: await work(trx, {
          scope,
          actor: { userId: principal.userId, displayName: principal.displayName },
          now: now(),
        }),
      }),
    );
    return sendIdempotent(reply, result);
  };

  app.get(
    '/cashjournal/:ags/:office/days/:day',
    {
      schema: {
        tags: ['Kassenbuch'],
        summary: 'Kassenbuch eines Tages',
        description: 'Buchungen, Anfangs- und Endbestand, Tagesabschluss. `today` für den heutigen Tag.',
        params: scopeParams.extend({ day: z.union([z.literal('today'), dayParam]) }),
        response: { 200: dayViewSchema, ...standardErrors },
      },
    },
    async (request, reply) => {
      const scope = scopeOf(request.params);
      requireJournal(principalOf(request), scope);
      const day = request.params.day === 'today' ? todayInGermany(now()) : request.params.day;
      return reply.header('cache-control', 'no-store').send(await journalDay(db, scope, day));
    },
  );

  app.post(
    '/cashjournal/:ags/:office/entries',
    {
      schema: {
        tags: ['Kassenbuch'],
        summary: 'Barzahlung buchen',
        description:
          'Bucht eine Ein- oder Auszahlung auf den heutigen Kassentag. Gebühren von Vorgängen werden über die Aktion des Vorgangs gebucht, nicht hier.',
        headers: idempotencyHeaders,
        params: scopeParams,
        body: z
          .object({
            kind: z.enum(['einzahlung', 'auszahlung'], { error: 'Art: Einzahlung oder Auszahlung.' }),
            amountCents: z
              .number({ error: 'Betrag: in Cent als ganze Zahl angeben.' })
              .int('Betrag: in Cent als ganze Zahl angeben.')
              .min(1, 'Betrag: muss größer als 0 sein.')
              .max(MAX_AMOUNT_CENTS, 'Betrag: zu hoch für eine Barzahlung.'),
            purpose: text('Zweck', 300),
          })
          .strict(),
        response: { 201: entrySchema, 200: entrySchema, ...writeErrors },
      },
    },
    async (request, reply) =>
      journalWrite(request, reply, 201, (trx, { scope, actor, now }) =>
        bookEntry(trx, {
          scope,
          kind: request.body.kind,
          amountCents: request.body.amountCents,
          purpose: request.body.purpose,
          actor,
          now,
        }),
      ),
  );

  app.post(
    '/cashjournal/:ags/:office/entries/:entryId/storno',
    {
      schema: {
        tags: ['Kassenbuch'],
        summary: 'Buchung stornieren',
        description: 'Gegenbuchung auf den heutigen Kassentag; die ursprüngliche Buchung bleibt unverändert.',
        headers: idempotencyHeaders,
        params: scopeParams.extend({ entryId: z.uuid('Keine gültige Buchungs-ID.') }),
        body: z.object({ grund: text('Grund', 300) }).strict(),
        response: { 201: entrySchema, 200: entrySchema, ...writeErrors },
      },
    },
    async (request, reply) =>
      journalWrite(request, reply, 201, (trx, { scope, actor, now }) =>
        reverseEntry(trx, { scope, entryId: request.params.entryId, reason: request.body.grund, actor, now }),
      ),
  );

  app.post(
    '/cashjournal/:ags/:office/days/:day/close',
    {
      schema: {
        tags: ['Kassenbuch'],
        summary: 'Tagesabschluss',
        description:
          'Schließt den Kassentag ab: danach ist keine Buchung auf diesen Tag mehr möglich. Optional mit gezähltem Bargeldbestand (Differenz wird ausgewiesen).',
        headers: idempotencyHeaders,
        params: scopeParams.extend({ day: dayParam }),
        body: z
          .object({
            countedCents: z
              .number()
              .int('Gezählter Bestand: in Cent.')
              .min(0)
              .max(MAX_AMOUNT_CENTS)
              .optional(),
            note: text('Bemerkung', 500).optional(),
          })
          .strict(),
        response: { 200: dayViewSchema, ...writeErrors },
      },
    },
    async (request, reply) =>
      journalWrite(request, reply, 200, (trx, { scope, actor, now }) =>
        closeDay(trx, {
          scope,
          day: request.params.day,
          countedCents: request.body.countedCents ?? null,
          note: request.body.note ?? null,
          actor,
          now,
        }),
      ),
  );

  app.post(
    '/cashjournal/:ags/:office/days/:day/confirm',
    {
      schema: {
        tags: ['Kassenbuch'],
        summary: 'Tagesabschluss bestätigen (zweite Person)',
        description:
          'Vier-Augen-Prinzip: eine andere Person als die abschließende bestätigt Bestand und Abschluss.',
        params: scopeParams.extend({ day: dayParam }),
        body: z.object({}).strict().optional(),
        response: { 200: dayViewSchema, ...writeErrors },
      },
    },
    async (request, reply) => {
      const principal = principalOf(request);
      const scope = scopeOf(request.params);
      requireJournal(principal, scope);
      const view = await db.transaction().execute((trx) =>
        confirmDay(trx, {
          scope,
          day: request.params.day,
          actor: { userId: principal.userId, displayName: principal.displayName },
          now: now(),
        }),
      );
      return reply.header('cache-control', 'no-store').send(view);
    },
  );

  app.get(
    '/cashjournal/:ags/:office/days/:day/report',
    {
      schema: {
        tags: ['Kassenbuch'],
        summary: 'Kassenbericht eines Tages als PDF',
        params: scopeParams.extend({ day: dayParam }),
        response: { 200: z.any().meta({ description: 'PDF (application/pdf)' }), ...standardErrors },
      },
    },
    async (request, reply) => {
      const scope = scopeOf(request.params);
      requireJournal(principalOf(request), scope);
      const view = await journalDay(db, scope, request.params.day);
      const pdf = await renderDayReport(
        view,
        await authorityName(db, scope.authorityAgs),
        OFFICE_LABELS[scope.officeType as OfficeType],
      );
      return reply
        .header('content-type', 'application/pdf')
        .header('content-disposition', `inline; filename="kassenbericht-${view.businessDay}.pdf"`)
        .header('cache-control', 'no-store')
        .send(pdf);
    },
  );

  app.get(
    '/cashjournal/entries/:entryId/receipt',
    {
      schema: {
        tags: ['Kassenbuch'],
        summary: 'Quittung einer Buchung als PDF',
        params: z.object({ entryId: z.uuid('Keine gültige Buchungs-ID.') }),
        response: { 200: z.any().meta({ description: 'PDF (application/pdf)' }), ...standardErrors },
      },
    },
    async (request, reply) => {
      const principal = principalOf(request);
      const entry = await getEntry(db, request.params.entryId);
      if (!entry) throw notFound('Die Buchung');
      if (
        !canRead(principal, { authorityAgs: entry.authorityAgs, officeType: entry.officeType as OfficeType })
      ) {
        throw forbidden('Sie sind für diese Kasse nicht berechtigt.');
      }
      const pdf = await renderReceipt(
        entry,
        await authorityName(db, entry.authorityAgs),
        OFFICE_LABELS[entry.officeType as OfficeType] ?? entry.officeType,
      );
      return reply
        .header('content-type', 'application/pdf')
        .header('content-disposition', `inline; filename="quittung-${entry.seq}.pdf"`)
        .header('cache-control', 'no-store')
        .send(pdf);
    },
  );
};
