import { formatGermanDate, type IsoDate } from '../../../core/dates.js';
import { AppError } from '../../../core/errors.js';
import type { PrepareContext, ProcedureHooks } from '../../../core/procedure.js';
import { isUniqueViolation } from '../../../db/database.js';
import { addMonths, type Fassung, type HaushaltsplanDaten } from '../haushaltsplan.js';
import type { VerpflichtungDaten, VerpflichtungForm } from '../verpflichtung.js';
import { findPlan, findPlanByYear, productIn, versionOf } from './repository.js';
import './tables.js';

/**
 * Transactional steps of the Kämmerei's procedures (they run inside the case action's
 * transaction, after the permission and status checks):
 *  - a new plan claims its (authority, year) — one plan per year;
 *  - "aufstellen" freezes the plan and pins its newest version (number and content SHA-256), the
 *    later steps carry that pin, "zurueckgeben" unfreezes;
 *  - the dates of the steps must follow each other (a step recorded later from paper may carry
 *    its real date), the publication at the earliest one month after the Anzeige unless the
 *    supervisory authority shortened the period (§ 80 Abs. 5 GO NRW);
 *  - a commitment needs a Produkt of the year's draft (or of last year's plan), and no budget in
 *    force on its day (§ 82 GO NRW); it is written to haushalt_commitment for the report.
 */

const refuse = (title: string, detail: string) => new AppError('ACTION_NOT_ALLOWED', title, detail);
const invalid = (path: string, message: string) =>
  new AppError('VALIDATION_FAILED', 'Eingaben unvollständig oder fehlerhaft', message, [{ path, message }]);

function notBefore(path: string, date: IsoDate, earliest: IsoDate | undefined, what: string, title: string) {
  if (earliest && date < earliest) {
    throw invalid(path, `${title}: liegt vor ${what} (${formatGermanDate(earliest)}).`);
  }
}

export function planHooks(): ProcedureHooks {
  return {
    anlegen: async (ctx: PrepareContext<HaushaltsplanDaten>) => {
      const { trx, case: c } = ctx;
      const year = c.data.haushaltsjahr;
      const existing = await findPlanByYear(trx, c.authorityAgs, year);
      const duplicate = (az?: string) =>
        refuse(
          'Haushaltsplan gibt es schon',
          `Für das Haushaltsjahr ${year} gibt es bereits einen Haushaltsplan${az ? ` (${az})` : ''}; neue Fassungen werden dort eingelesen.`,
        );
      if (existing) throw duplicate(existing.aktenzeichen);
      try {
        await trx
          .insertInto('haushalt_plan')
          .values({
            case_id: c.id,
            authority_ags: c.authorityAgs,
            haushaltsjahr: year,
            latest_version: 0,
            frozen: 0,
            created_at: ctx.now.toISOString(),
          })
          .execute();
      } catch (err) {
        if (isUniqueViolation(err)) throw duplicate();
        throw err;
      }
      return c.data;
    },

    aufstellen: async (ctx: PrepareContext<HaushaltsplanDaten>) => {
      const p = ctx.payload as { datum?: IsoDate; bemerkung?: string };
      const plan = await findPlan(ctx.trx, ctx.case.id);
      if (!plan || plan.latestVersion === 0) {
        throw refuse(
          'Noch keine Fassung',
          'Der Entwurf hat noch keine Zeilen. Bitte zuerst die Teilpläne einlesen (XLSX oder CSV).',
        );
      }
      const version = await versionOf(ctx.trx, ctx.case.id, plan.latestVersion);
      if (!version || version.lineCount === 0) {
        throw refuse('Fassung ohne Zeilen', 'Die aktuelle Fassung hat keine Zeilen.');
      }
      const frozen = await ctx.trx
        .updateTable('haushalt_plan')
        .set({ frozen: 1 })
        .where('case_id', '=', ctx.case.id)
        .where('frozen', '=', 0)
        .where('latest_version', '=', version.versionNo)
        .executeTakeFirst();
      if (Number(frozen.numUpdatedRows) !== 1) {
        throw new AppError(
          'VERSION_CONFLICT',
          'Neuere Fassung vorhanden',
          'Während des Aufstellens wurde eine neue Fassung gespeichert. Bitte neu laden.',
        );
      }
      const fassung: Fassung = {
        nummer: version.versionNo,
        sha256: version.contentSha256,
        zeilen: version.lineCount,
      };
      return { datum: p.datum ?? ctx.today, ...(p.bemerkung ? { bemerkung: p.bemerkung } : {}), fassung };
    },

    bestaetigen: async (ctx: PrepareContext<HaushaltsplanDaten>) => {
      const p = ctx.payload as { datum?: IsoDate; bemerkung?: string };
      const datum = p.datum ?? ctx.today;
      notBefore(
        'payload/datum',
        datum,
        ctx.case.data.aufgestelltAm,
        'der Aufstellung',
        'Tag der Bestätigung',
      );
      return { datum, ...(p.bemerkung ? { bemerkung: p.bemerkung } : {}), fassung: ctx.case.data.fassung };
    },

    beschliessen: async (ctx: PrepareContext<HaushaltsplanDaten>) => {
      const p = ctx.payload as { beschlussdatum: IsoDate; sitzung: string };
      notBefore(
        'payload/beschlussdatum',
        p.beschlussdatum,
        ctx.case.data.bestaetigtAm,
        'der Bestätigung durch den Bürgermeister',
        'Tag des Beschlusses',
      );
      return { ...p, fassung: ctx.case.data.fassung };
    },

    anzeigen: async (ctx: PrepareContext<HaushaltsplanDaten>) => {
      const p = ctx.payload as { anzeigedatum: IsoDate; aufsichtsbehoerde: string };
      notBefore(
        'payload/anzeigedatum',
        p.anzeigedatum,
        ctx.case.data.beschluss?.datum,
        'dem Ratsbeschluss',
        'Tag der Anzeige',
      );
      return { ...p, fassung: ctx.case.data.fassung };
    },

    bekanntmachen: async (ctx: PrepareContext<HaushaltsplanDaten>) => {
      const p = ctx.payload as { bekanntmachungsdatum: IsoDate; fristVerkuerzt: boolean };
      const anzeige = ctx.case.data.anzeige?.datum;
      notBefore(
        'payload/bekanntmachungsdatum',
        p.bekanntmachungsdatum,
        anzeige,
        'der Anzeige',
        'Tag der Bekanntmachung',
      );
      if (anzeige && !p.fristVerkuerzt && p.bekanntmachungsdatum < addMonths(anzeige, 1)) {
        throw invalid(
          'payload/bekanntmachungsdatum',
          `Tag der Bekanntmachung: frühestens einen Monat nach der Anzeige, also ab ${formatGermanDate(addMonths(anzeige, 1))} (§ 80 Abs. 5 GO NRW), es sei denn, die Aufsichtsbehörde hat die Frist verkürzt.`,
        );
      }
      return { ...p, fassung: ctx.case.data.fassung };
    },

    zurueckgeben: async (ctx: PrepareContext<HaushaltsplanDaten>) => {
      await ctx.trx
        .updateTable('haushalt_plan')
        .set({ frozen: 0 })
        .where('case_id', '=', ctx.case.id)
        .execute();
      return { ...(ctx.payload as { grund: string }), fassung: ctx.case.data.fassung };
    },
  };
}

/** The plan the commitments of a year are checked against: the year's draft, else last year's plan. */
export async function referencePlan(trx: PrepareContext['trx'], ags: string, year: number) {
  for (const y of [year, year - 1]) {
    const plan = await findPlanByYear(trx, ags, y);
    if (!plan || plan.latestVersion === 0) continue;
    const versionNo = y === year - 1 && plan.data.fassung ? plan.data.fassung.nummer : plan.latestVersion;
    const version = await versionOf(trx, plan.caseId, versionNo);
    if (version) return { plan, version };
  }
  return undefined;
}

export function verpflichtungHooks(): ProcedureHooks {
  return {
    erfassen: async (ctx: PrepareContext<VerpflichtungForm>) => {
      const { trx, case: c } = ctx;
      const d = c.data;
      const year = Number(d.datum.slice(0, 4));
      const own = await findPlanByYear(trx, c.authorityAgs, year);
      const inForceSince = own?.status === 'in_kraft' ? own.data.bekanntmachung?.datum : undefined;
      if (inForceSince && inForceSince <= d.datum) {
        throw refuse(
          'Haushalt in Kraft',
          `Die Haushaltssatzung ${year} ist seit dem ${formatGermanDate(inForceSince)} bekannt gemacht; die vorläufige Haushaltsführung (§ 82 GO NRW) ist beendet. Verpflichtungen werden im Finanzverfahren gebucht.`,
        );
      }
      const ref = await referencePlan(trx, c.authorityAgs, year);
      if (!ref) {
        throw refuse(
          'Kein Haushaltsplan zum Abgleich',
          `Für ${year} ist weder ein Haushaltsentwurf noch der Haushaltsplan ${year - 1} eingelesen. Bitte zuerst den Entwurf (mit den Vorjahresansätzen) einlesen, damit Produkt und Vergleich geprüft werden können.`,
        );
      }
      const product = await productIn(trx, ref.version.id, d.produkt);
      if (!product) {
        throw invalid(
          'data/produkt',
          `Produkt: ${d.produkt} gibt es im Haushaltsplan ${ref.plan.haushaltsjahr} (Fassung ${ref.version.versionNo}) nicht.`,
        );
      }
      await trx
        .insertInto('haushalt_commitment')
        .values({
          case_id: c.id,
          authority_ags: c.authorityAgs,
          haushaltsjahr: year,
          datum: d.datum,
          produktbereich: product.produktbereich,
          produkt: d.produkt,
          art: d.art,
          rechtsgrund: d.rechtsgrund,
          nachweis: d.nachweis,
          betrag_cents: d.betragCents,
          created_at: ctx.now.toISOString(),
        })
        .execute();
      const data: VerpflichtungDaten = {
        ...d,
        haushaltsjahr: year,
        produktbereich: product.produktbereich,
        produktName: product.produktName,
      };
      return data;
    },
  };
}
