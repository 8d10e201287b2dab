import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { canRead, type Principal } from '../../../core/access.js';
import { formatGermanDate, todayInGermany } from '../../../core/dates.js';
import { renderPdf } from '../../../core/documents.js';
import { forbidden, notFound } from '../../../core/errors.js';
import type { FamilyServices } from '../../../core/family.js';
import { agsSchema, principalOf, standardErrors } from '../../../core/http.js';
import {
  ABLAUF_ART_LABELS,
  ABLAUF_ARTEN,
  ABLAUF_SORTIERUNG,
  type AblaufEintrag,
  ablaufliste,
} from '../ablaufliste.js';
import { type AufenthaltDaten, fiktionsFakten } from '../aufenthalt.js';
import { beschaeftigungPruefen } from '../beschaeftigung.js';
import { type BeschaeftigungDaten, beschaeftigungsFakten } from '../beschaeftigungserlaubnis.js';
import { beschaeftigungszeile, fiktionswirkung, naechsteGueltigkeit } from '../fiktion.js';
import { AUFENTHALT_ID, BESCHAEFTIGUNG_ID, OFFICE } from '../ids.js';
import { ERWERBSTAETIGKEIT } from '../titel.js';
import { type AuslaenderRegeln, findeTitel } from './hooks.js';

/**
 * The Ausländerbehörde's routes (under /api/auslaender): the configured title catalogue (no
 * personal data), the expiry watch-list of an office as JSON and PDF (personal data: staff of that
 * Ausländerbehörde only, audited with the case ids it shows), and the check of a case before a
 * step (§ 81 effect with the next validity; Beschäftigungserlaubnis rule) for readers of the case.
 */

function requireReader(p: Principal, authorityAgs: string) {
  if (!canRead(p, { authorityAgs, officeType: OFFICE })) {
    throw forbidden('Sie sind für die Ablaufliste dieser Ausländerbehörde nicht berechtigt.');
  }
}

const listQuery = z.object({
  wochen: z.coerce
    .number({ error: 'Wochen: Bitte eine Zahl angeben.' })
    .int('Wochen: ganze Zahl.')
    .min(1, 'Wochen: mindestens 1.')
    .max(52, 'Wochen: höchstens 52.')
    .default(4),
  sortierung: z
    .enum(ABLAUF_SORTIERUNG, { error: 'Sortierung: gueltigBis, name, aktenzeichen oder art.' })
    .default('gueltigBis'),
  absteigend: z.enum(['ja', 'nein']).default('nein'),
});

const eintragSchema = z
  .object({
    caseId: z.string(),
    aktenzeichen: z.string(),
    art: z.enum(ABLAUF_ARTEN),
    person: z.string(),
    geburtsdatum: z.string(),
    staatsangehoerigkeit: z.string(),
    gueltigBis: z.string(),
    restTage: z.number(),
    nummer: z.string().nullable(),
    hinweis: z.string(),
  })
  .meta({ id: 'AuslaenderAblaufEintrag' });

const titelSchema = z.object({
  id: z.string(),
  paragraph: z.string(),
  zweck: z.string(),
  bezeichnung: z.string(),
  erwerbstaetigkeit: z.enum(ERWERBSTAETIGKEIT),
  beschaeftigungsvermerk: z.string(),
  quelle: z.string(),
});

async function ablaufPdf(
  authorityName: string,
  heute: string,
  wochen: number,
  items: AblaufEintrag[],
): Promise<Buffer> {
  return renderPdf(
    {
      title: `Ablaufliste ${authorityName}`,
      author: authorityName,
      layout: 'landscape',
      margins: { top: 40, bottom: 40, left: 40, right: 40 },
    },
    (pdf) => {
      pdf.font('bold').fontSize(9).fillColor('#b00020').text('NOTBETRIEB – NUR FÜR DEN DIENSTGEBRAUCH');
      pdf
        .font('bold')
        .fontSize(16)
        .fillColor('black')
        .text(`Ablaufliste – ${authorityName}, Ausländerbehörde`);
      pdf
        .font('regular')
        .fontSize(10)
        .text(
          `Stand ${formatGermanDate(heute)}: alles, was in den nächsten ${wochen} Wochen abläuft, und was in den letzten vier Wochen abgelaufen ist (${items.length} Einträge).`,
        )
        .moveDown(0.5);
      const cols = [
        { t: 'Gültig bis', w: 70 },
        { t: 'Rest', w: 50 },
        { t: 'Art', w: 130 },
        { t: 'Name', w: 160 },
        { t: 'Geboren', w: 65 },
        { t: 'Aktenzeichen', w: 85 },
        { t: 'Nummer / Hinweis', w: 200 },
      ];
      const row = (cells: string[], bold = false) => {
        if (pdf.y > pdf.page.height - 60) pdf.addPage();
        const y = pdf.y;
        let x = 40;
        let h = 0;
        pdf.font(bold ? 'bold' : 'regular').fontSize(9);
        cells.forEach((c, i) => {
          const w = cols[i]?.w ?? 60;
          pdf.text(c, x, y, { width: w - 4 });
          h = Math.max(h, pdf.y - y);
          x += w;
        });
        pdf.x = 40;
        pdf.y = y + h + 3;
      };
      row(
        cols.map((c) => c.t),
        true,
      );
      for (const e of items) {
        row([
          formatGermanDate(e.gueltigBis),
          e.restTage < 0 ? `abgelaufen (${-e.restTage} T.)` : `${e.restTage} T.`,
          ABLAUF_ART_LABELS[e.art],
          e.person,
          formatGermanDate(e.geburtsdatum),
          e.aktenzeichen,
          [e.nummer, e.hinweis].filter(Boolean).join(' – '),
        ]);
      }
      if (items.length === 0) pdf.font('regular').text('Keine Einträge.');
    },
  );
}

export function auslaenderRoutes(regeln: () => AuslaenderRegeln): FastifyPluginAsyncZod<FamilyServices> {
  return async (app, { db, now, cases }) => {
    const liste = async (authorityAgs: string, q: z.output<typeof listQuery>) => {
      const rows = await db
        .selectFrom('cases')
        .select(['id', 'aktenzeichen', 'procedure_id', 'status', 'data'])
        .where('authority_ags', '=', authorityAgs)
        .where('office_type', '=', OFFICE)
        .where('procedure_id', 'in', [AUFENTHALT_ID, BESCHAEFTIGUNG_ID])
        .where('status', 'in', ['beantragt', 'fiktion', 'erteilt'])
        .execute();
      const heute = todayInGermany(now());
      const items = ablaufliste(
        rows.map((r) => ({
          id: r.id,
          aktenzeichen: r.aktenzeichen,
          procedureId: r.procedure_id,
          status: r.status,
          data: JSON.parse(r.data) as unknown,
        })),
        { heute, wochen: q.wochen, sortierung: q.sortierung, absteigend: q.absteigend === 'ja' },
      );
      return { heute, items };
    };

    app.get(
      '/auslaender/titelkatalog',
      {
        schema: {
          tags: ['Ausländerbehörde'],
          summary: 'Titelkatalog (Paragraph, Zweck, Erwerbstätigkeit kraft Gesetzes)',
          response: { 200: z.object({ items: z.array(titelSchema) }), ...standardErrors },
        },
      },
      async (request, reply) => {
        principalOf(request);
        return reply.header('cache-control', 'no-store').send({ items: [...regeln().titelkatalog] });
      },
    );

    app.get(
      '/auslaender/:authorityAgs/ablaufliste',
      {
        schema: {
          tags: ['Ausländerbehörde'],
          summary:
            'Ablaufliste: Titel, Fiktionsbescheinigungen und Beschäftigungserlaubnisse, die bald ablaufen',
          params: z.object({ authorityAgs: agsSchema }),
          querystring: listQuery,
          response: {
            200: z.object({ heute: z.string(), wochen: z.number(), items: z.array(eintragSchema) }),
            ...standardErrors,
          },
        },
      },
      async (request, reply) => {
        requireReader(principalOf(request), request.params.authorityAgs);
        const { heute, items } = await liste(request.params.authorityAgs, request.query);
        request.auditTargets = { cases: [...new Set(items.map((i) => i.caseId))].join(',') || '-' };
        return reply.header('cache-control', 'no-store').send({ heute, wochen: request.query.wochen, items });
      },
    );

    app.get(
      '/auslaender/:authorityAgs/ablaufliste.pdf',
      {
        schema: {
          tags: ['Ausländerbehörde'],
          summary: 'Ablaufliste zum Drucken (PDF)',
          params: z.object({ authorityAgs: agsSchema }),
          querystring: listQuery,
          response: { 200: z.any().meta({ description: 'PDF (application/pdf)' }), ...standardErrors },
        },
      },
      async (request, reply) => {
        const { authorityAgs } = request.params;
        requireReader(principalOf(request), authorityAgs);
        const { heute, items } = await liste(authorityAgs, request.query);
        const authority = await db
          .selectFrom('authority')
          .select('name')
          .where('ags', '=', authorityAgs)
          .executeTakeFirst();
        request.auditTargets = { cases: [...new Set(items.map((i) => i.caseId))].join(',') || '-' };
        const pdf = await ablaufPdf(authority?.name ?? authorityAgs, heute, request.query.wochen, items);
        return reply
          .header('content-type', 'application/pdf')
          .header('content-disposition', `inline; filename="ablaufliste-${authorityAgs}-${heute}.pdf"`)
          .header('cache-control', 'no-store')
          .send(pdf);
      },
    );

    app.get(
      '/auslaender/faelle/:caseId/pruefung',
      {
        schema: {
          tags: ['Ausländerbehörde'],
          summary:
            'Prüfung vor dem nächsten Schritt: Wirkung nach § 81 AufenthG bzw. Beschäftigungserlaubnis',
          params: z.object({ caseId: z.string().max(64) }),
          response: {
            200: z.object({
              art: z.enum(['fiktion', 'beschaeftigung']),
              ergebnis: z.string(),
              norm: z.string(),
              begruendung: z.string(),
              beschaeftigung: z.string().nullable(),
              naechsteGueltigkeit: z
                .object({ nr: z.number(), gueltigAb: z.string(), bis3: z.string(), bis6: z.string() })
                .nullable(),
              zustimmungBaNoetig: z.boolean().nullable(),
            }),
            ...standardErrors,
          },
        },
      },
      async (request, reply) => {
        const view = await cases.get(principalOf(request), request.params.caseId);
        const heute = todayInGermany(now());
        request.auditTargets = { case: view.id };
        if (view.procedureId === AUFENTHALT_ID) {
          const d = view.data as AufenthaltDaten;
          const e = d.fiktion ?? fiktionswirkung(fiktionsFakten(d));
          const n3 = naechsteGueltigkeit(d.bescheinigungen ?? [], heute, 3);
          const n6 = naechsteGueltigkeit(d.bescheinigungen ?? [], heute, 6);
          return reply.header('cache-control', 'no-store').send({
            art: 'fiktion',
            ergebnis: e.wirkung,
            norm: e.norm,
            begruendung: e.begruendung,
            beschaeftigung:
              e.wirkung === 'keine'
                ? null
                : beschaeftigungszeile(e.wirkung, findeTitel(regeln(), d.bisher.titel)),
            naechsteGueltigkeit: {
              nr: n3.nr,
              gueltigAb: n3.gueltigAb,
              bis3: n3.gueltigBis,
              bis6: n6.gueltigBis,
            },
            zustimmungBaNoetig: null,
          });
        }
        if (view.procedureId === BESCHAEFTIGUNG_ID) {
          const d = view.data as BeschaeftigungDaten;
          const p = beschaeftigungPruefen(beschaeftigungsFakten(d), heute, regeln().beschaeftigung);
          return reply.header('cache-control', 'no-store').send({
            art: 'beschaeftigung',
            ergebnis: p.lage,
            norm: p.norm,
            begruendung: p.begruendung,
            beschaeftigung: null,
            naechsteGueltigkeit: null,
            zustimmungBaNoetig: p.zustimmungBaNoetig,
          });
        }
        throw notFound('Der Vorgang der Ausländerbehörde');
      },
    );
  };
}
