import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Berechnung, SozialhilfeRegeln } from '../../../core/benefits/hilfe-zum-lebensunterhalt.js';
import { todayInGermany } from '../../../core/dates.js';
import { notFound } from '../../../core/errors.js';
import type { FamilyServices } from '../../../core/family.js';
import { principalOf, standardErrors } from '../../../core/http.js';
import { isMonth, monthOf } from '../../../core/months.js';
import type { SozialhilfeDaten } from '../definition.js';
import { SOZIALHILFE_ID } from '../ids.js';
import { haushaltAusAntrag, LeistungError, monatsberechnung, rechne, zahlplan } from '../leistung.js';

/**
 * The Sozialhilfe family's route (under /api/sozialhilfe): the calculation of a case for a month,
 * line by line with the sources and the warnings (Angemessenheitsgrenze), and what is paid for the
 * month after the Vorschuss set-off. Before a decision it computes the household as applied for
 * (so the clerk sees the calculation before deciding); after it, the Fassung in force for the
 * month. Readers of the case only (through CaseService.get, which also audits the read).
 */

const zeile = z.object({
  art: z.string(),
  person: z.number().nullable(),
  text: z.string(),
  quelle: z.string(),
  cents: z.number(),
});

const berechnungSchema = z.object({
  monat: z.string(),
  stichtag: z.string(),
  haushaltsgroesse: z.number(),
  zeilen: z.array(zeile),
  bedarfCents: z.number(),
  einkommenCents: z.number(),
  anspruchCents: z.number(),
  hinweise: z.array(z.string()),
});

export function sozialhilfeRoutes(regeln: () => SozialhilfeRegeln): FastifyPluginAsyncZod<FamilyServices> {
  return async (app, { now, cases }) => {
    app.get(
      '/sozialhilfe/faelle/:caseId/berechnung',
      {
        schema: {
          tags: ['Sozialhilfe'],
          summary: 'Berechnung eines Monats Zeile für Zeile, mit Anrechnung des Vorschusses',
          params: z.object({ caseId: z.string().max(64) }),
          querystring: z.object({
            monat: z
              .string()
              .refine(
                (m) => isMonth(m) && m >= '2000-01' && m <= '2099-12',
                'Monat: Bitte im Format JJJJ-MM angeben.',
              )
              .optional(),
          }),
          response: {
            200: z.object({
              monat: z.string(),
              grundlage: z.enum(['antrag', 'bescheid']),
              fassungAb: z.string().nullable(),
              berechnung: berechnungSchema.nullable(),
              fehler: z.string().nullable(),
              zahlung: z
                .object({ anspruchCents: z.number(), anrechnungCents: z.number(), zahlCents: z.number() })
                .nullable(),
              vorschuss: z.object({
                summeCents: z.number(),
                angerechnetCents: z.number(),
                offenCents: z.number(),
                erstattungCents: z.number(),
              }),
            }),
            ...standardErrors,
          },
        },
      },
      async (request, reply) => {
        const view = await cases.get(principalOf(request), request.params.caseId);
        if (view.procedureId !== SOZIALHILFE_ID) throw notFound('Der Sozialhilfefall');
        request.auditTargets = { case: view.id };
        const d = view.data as SozialhilfeDaten;
        const rules = regeln();
        const monat = request.query.monat ?? monthOf(todayInGermany(now()));
        const plan = zahlplan(d, monat, view.authorityAgs, rules);
        const vorschuss = {
          summeCents: plan.vorschussCents,
          angerechnetCents: plan.angerechnetCents,
          offenCents: plan.offenCents,
          erstattungCents: plan.erstattungCents,
        };
        const bescheid = Boolean(d.bewilligung);
        let berechnung: Berechnung | null = null;
        let fehler: string | null = null;
        try {
          berechnung = bescheid
            ? monatsberechnung(d, monat, view.authorityAgs, rules)
            : rechne(haushaltAusAntrag(d), monat, view.authorityAgs, rules);
        } catch (e) {
          if (!(e instanceof LeistungError)) throw e;
          fehler = e.message;
        }
        const m = plan.monate.find((x) => x.monat === monat && !x.fehler);
        const fassungAb = [...(d.fassungen ?? [])].reverse().find((f) => f.abMonat <= monat)?.abMonat ?? null;
        return reply.header('cache-control', 'no-store').send({
          monat,
          grundlage: bescheid ? 'bescheid' : 'antrag',
          fassungAb,
          berechnung,
          fehler,
          zahlung: m
            ? { anspruchCents: m.anspruchCents, anrechnungCents: m.anrechnungCents, zahlCents: m.zahlCents }
            : null,
          vorschuss,
        });
      },
    );
  };
}
