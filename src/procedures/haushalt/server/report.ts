import type { Kysely } from 'kysely';
import type { Database } from '../../../db/types.js';
import { PRODUKTBEREICHE, VERGLEICH_AUFWAND, VERGLEICH_INVESTITION } from '../katalog.js';
import { RECHTSGRUENDE, type Rechtsgrund, VERPFLICHTUNG_ID } from '../verpflichtung.js';
import { findPlanByYear, sumsByProduktbereich, versionOf } from './repository.js';
import './tables.js';

/**
 * The report of the vorläufige Haushaltsführung of one year: per Produktbereich the commitments
 * (not cancelled) against last year's budget — the expenses a commitment can make arise (Ergebnis-
 * plan 10–12, 14, 15, 17) and the investment payments (Finanzplan 20–25). Last year's budget is
 * the pinned version of last year's plan when that plan is in force in the system, else the column
 * "Ansatz Vorjahr" of this year's draft (the way a Kämmerei brings it along); the report says which.
 */

export interface BereichZeile {
  vorjahrAufwandCents: number;
  verpflichtetAufwandCents: number;
  anteilAufwand: number | null;
  vorjahrInvestitionCents: number;
  verpflichtetInvestitionCents: number;
  anteilInvestition: number | null;
  anzahl: number;
}

export interface VorlaeufigReport {
  authorityAgs: string;
  haushaltsjahr: number;
  inKraftSeit: string | null;
  vergleich: {
    quelle: 'vorjahresplan' | 'entwurf';
    label: string;
    planId: string;
    aktenzeichen: string;
    fassung: number;
  } | null;
  bereiche: Array<BereichZeile & { produktbereich: string; name: string }>;
  summe: BereichZeile;
  nachRechtsgrund: Array<{ rechtsgrund: Rechtsgrund; label: string; anzahl: number; betragCents: number }>;
}

const share = (part: number, whole: number) => (whole > 0 ? part / whole : null);

export async function vorlaeufigReport(
  db: Kysely<Database>,
  authorityAgs: string,
  haushaltsjahr: number,
): Promise<VorlaeufigReport> {
  const own = await findPlanByYear(db, authorityAgs, haushaltsjahr);
  const last = await findPlanByYear(db, authorityAgs, haushaltsjahr - 1);
  let vergleich: VorlaeufigReport['vergleich'] = null;
  let aufwand = new Map<string, number>();
  let investition = new Map<string, number>();
  if (last?.status === 'in_kraft' && last.data.fassung) {
    const v = await versionOf(db, last.caseId, last.data.fassung.nummer);
    if (v) {
      vergleich = {
        quelle: 'vorjahresplan',
        label: `Haushaltsplan ${last.haushaltsjahr} (${last.aktenzeichen}, Fassung ${v.versionNo}), Ansätze ${last.haushaltsjahr}`,
        planId: last.caseId,
        aktenzeichen: last.aktenzeichen,
        fassung: v.versionNo,
      };
      aufwand = await sumsByProduktbereich(db, v.id, 'ansatz', VERGLEICH_AUFWAND);
      investition = await sumsByProduktbereich(db, v.id, 'ansatz', VERGLEICH_INVESTITION);
    }
  }
  if (!vergleich && own && own.latestVersion > 0) {
    const v = await versionOf(db, own.caseId, own.latestVersion);
    if (v) {
      vergleich = {
        quelle: 'entwurf',
        label: `Spalte „Ansatz ${haushaltsjahr - 1}“ des Haushaltsplans ${haushaltsjahr} (${own.aktenzeichen}, Fassung ${v.versionNo})`,
        planId: own.caseId,
        aktenzeichen: own.aktenzeichen,
        fassung: v.versionNo,
      };
      aufwand = await sumsByProduktbereich(db, v.id, 'ansatzVorjahr', VERGLEICH_AUFWAND);
      investition = await sumsByProduktbereich(db, v.id, 'ansatzVorjahr', VERGLEICH_INVESTITION);
    }
  }

  const rows = await db
    .selectFrom('haushalt_commitment as h')
    .innerJoin('cases as c', 'c.id', 'h.case_id')
    .select(['h.produktbereich', 'h.art', 'h.rechtsgrund', 'h.betrag_cents'])
    .where('h.authority_ags', '=', authorityAgs)
    .where('h.haushaltsjahr', '=', haushaltsjahr)
    .where('c.procedure_id', '=', VERPFLICHTUNG_ID)
    .where('c.status', '=', 'erfasst')
    .execute();

  const bereiche = new Map<string, BereichZeile>();
  const zeile = (pb: string) => {
    let z = bereiche.get(pb);
    if (!z) {
      z = {
        vorjahrAufwandCents: aufwand.get(pb) ?? 0,
        verpflichtetAufwandCents: 0,
        anteilAufwand: null,
        vorjahrInvestitionCents: investition.get(pb) ?? 0,
        verpflichtetInvestitionCents: 0,
        anteilInvestition: null,
        anzahl: 0,
      };
      bereiche.set(pb, z);
    }
    return z;
  };
  for (const pb of new Set([...aufwand.keys(), ...investition.keys()])) zeile(pb);
  const byGrund = new Map<Rechtsgrund, { anzahl: number; betragCents: number }>();
  for (const r of rows) {
    const z = zeile(r.produktbereich);
    const cents = Number(r.betrag_cents);
    if (r.art === 'investition') z.verpflichtetInvestitionCents += cents;
    else z.verpflichtetAufwandCents += cents;
    z.anzahl++;
    const g = byGrund.get(r.rechtsgrund as Rechtsgrund) ?? { anzahl: 0, betragCents: 0 };
    g.anzahl++;
    g.betragCents += cents;
    byGrund.set(r.rechtsgrund as Rechtsgrund, g);
  }
  const summe: BereichZeile = {
    vorjahrAufwandCents: 0,
    verpflichtetAufwandCents: 0,
    anteilAufwand: null,
    vorjahrInvestitionCents: 0,
    verpflichtetInvestitionCents: 0,
    anteilInvestition: null,
    anzahl: 0,
  };
  const list = [...bereiche.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([pb, z]) => {
      z.anteilAufwand = share(z.verpflichtetAufwandCents, z.vorjahrAufwandCents);
      z.anteilInvestition = share(z.verpflichtetInvestitionCents, z.vorjahrInvestitionCents);
      summe.vorjahrAufwandCents += z.vorjahrAufwandCents;
      summe.verpflichtetAufwandCents += z.verpflichtetAufwandCents;
      summe.vorjahrInvestitionCents += z.vorjahrInvestitionCents;
      summe.verpflichtetInvestitionCents += z.verpflichtetInvestitionCents;
      summe.anzahl += z.anzahl;
      return { produktbereich: pb, name: PRODUKTBEREICHE[pb as keyof typeof PRODUKTBEREICHE] ?? pb, ...z };
    });
  summe.anteilAufwand = share(summe.verpflichtetAufwandCents, summe.vorjahrAufwandCents);
  summe.anteilInvestition = share(summe.verpflichtetInvestitionCents, summe.vorjahrInvestitionCents);
  return {
    authorityAgs,
    haushaltsjahr,
    inKraftSeit: own?.status === 'in_kraft' ? (own.data.bekanntmachung?.datum ?? null) : null,
    vergleich,
    bereiche: list,
    summe,
    nachRechtsgrund: (Object.keys(RECHTSGRUENDE) as Rechtsgrund[]).map((g) => ({
      rechtsgrund: g,
      label: RECHTSGRUENDE[g],
      anzahl: byGrund.get(g)?.anzahl ?? 0,
      betragCents: byGrund.get(g)?.betragCents ?? 0,
    })),
  };
}
