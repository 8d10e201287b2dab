import { formatGermanDate, type IsoDate } from '../../../core/dates.js';
import { validationFailed } from '../../../core/errors.js';
import { monthOf } from '../../../core/months.js';
import type { HookTable, PrepareContext, ProcedureHooks } from '../../../core/procedure.js';
import {
  ASYL_ID,
  type AsylDaten,
  AUSZUG_IDS,
  type Bewilligung,
  leistungsfallAus,
  UNTERBRINGEN_IDS,
} from '../definition.js';
import {
  AsylRegelError,
  type AsylRegeln,
  type Fassung,
  type Leistungsfall,
  monatsanspruch,
} from '../saetze.js';
import { platzFreigeben, platzZuweisen } from './unterkunft.js';

/**
 * The transactional hooks of the AsylbLG case (bound by action id in server/index.ts): the
 * Bewilligung and the Änderung are computed before they are stored (a month the tables cannot
 * compute is refused with the reason), allocations take and free accommodation places in the
 * action's transaction (server/unterkunft.ts).
 */

type Ctx = PrepareContext<unknown>;

const refuse = (path: string, message: string): never => {
  throw validationFailed([{ path, message }], message);
};

/** Computes the months a decision starts with, so that a month the rules refuse is refused now. */
function pruefeBerechnung(fall: Leistungsfall, months: string[], regeln: AsylRegeln, path: string): void {
  for (const m of months) {
    try {
      monatsanspruch(fall, m, regeln);
    } catch (e) {
      if (e instanceof AsylRegelError) refuse(path, e.message);
      throw e;
    }
  }
}

function monthsToCheck(from: string, today: IsoDate): string[] {
  const now = monthOf(today);
  return now > from ? [from, now] : [from];
}

export function asylHooks(regeln: () => AsylRegeln): HookTable {
  const hooks: ProcedureHooks = {
    bewilligen: async (ctx: Ctx) => {
      const d = ctx.case.data as AsylDaten;
      const p = ctx.payload as { leistungsBeginn: IsoDate; einkommenCents?: number; vermerk?: string };
      if (p.leistungsBeginn < d.zuweisung.zuweisungsdatum) {
        refuse(
          'payload/leistungsBeginn',
          `Leistungen ab: frühestens ab der Zuweisung (${formatGermanDate(d.zuweisung.zuweisungsdatum)}).`,
        );
      }
      const b: Bewilligung = {
        leistungsBeginn: p.leistungsBeginn,
        abMonat: monthOf(p.leistungsBeginn),
        einkommenCents: p.einkommenCents ?? 0,
        bescheidAm: ctx.today,
        ...(p.vermerk ? { vermerk: p.vermerk } : {}),
      };
      const fall: Leistungsfall = {
        personen: d.personen,
        leistungsBeginn: b.leistungsBeginn,
        fassungen: [
          {
            abMonat: b.abMonat,
            wohnsituation: d.personen.map((x) => x.wohnsituation),
            einkommenCents: b.einkommenCents,
          },
        ],
      };
      pruefeBerechnung(fall, monthsToCheck(b.abMonat, ctx.today), regeln(), 'payload/leistungsBeginn');
      return b;
    },
    aendern: async (ctx: Ctx) => {
      const d = ctx.case.data as AsylDaten;
      const p = ctx.payload as Fassung & { grund: string };
      const fall = leistungsfallAus(d);
      if (!fall || !d.bewilligung) return refuse('payload', 'Noch keine Bewilligung.');
      if (p.abMonat < d.bewilligung.abMonat) {
        refuse('payload/abMonat', 'Änderung ab Monat: nicht vor dem Beginn der Bewilligung.');
      }
      if (p.wohnsituation.length !== d.personen.length) {
        refuse('payload/wohnsituation', `Wohnsituation: für jede der ${d.personen.length} Personen angeben.`);
      }
      const neu: Fassung = {
        abMonat: p.abMonat,
        wohnsituation: p.wohnsituation,
        einkommenCents: p.einkommenCents,
      };
      const mit = { ...fall, fassungen: [...fall.fassungen.filter((f) => f.abMonat !== p.abMonat), neu] };
      pruefeBerechnung(mit, monthsToCheck(p.abMonat, ctx.today), regeln(), 'payload/abMonat');
      return { ...neu, grund: p.grund, am: ctx.today };
    },
    einstellen: async (ctx: Ctx) => {
      const d = ctx.case.data as AsylDaten;
      const p = ctx.payload as { letzterTag: IsoDate; grund: string };
      if (d.bewilligung && p.letzterTag < d.bewilligung.leistungsBeginn) {
        refuse('payload/letzterTag', 'Letzter Leistungstag: liegt vor dem Leistungsbeginn.');
      }
      return { letzterTag: p.letzterTag, grund: p.grund, am: ctx.today };
    },
  };
  for (const id of UNTERBRINGEN_IDS) {
    hooks[id] = async (ctx: Ctx) => {
      const d = ctx.case.data as AsylDaten;
      const p = ctx.payload as { person: number; unterkunftId: string; einzug: IsoDate };
      if (!d.personen[p.person]) refuse('payload/person', 'Person: gehört nicht zu dieser Zuweisung.');
      if (p.einzug < d.zuweisung.zuweisungsdatum) {
        refuse(
          'payload/einzug',
          `Einzug am: frühestens ab der Zuweisung (${formatGermanDate(d.zuweisung.zuweisungsdatum)}).`,
        );
      }
      const platz = await platzZuweisen(ctx.trx, {
        unterkunftId: p.unterkunftId,
        authorityAgs: ctx.case.authorityAgs,
        caseId: ctx.case.id,
        person: p.person,
        einzug: p.einzug,
        actor: ctx.actor,
        now: ctx.now,
      });
      return { person: p.person, ...platz, einzug: p.einzug };
    };
  }
  for (const id of AUSZUG_IDS) {
    hooks[id] = async (ctx: Ctx) => {
      const d = ctx.case.data as AsylDaten;
      const p = ctx.payload as { person: number; auszug: IsoDate };
      if (!d.personen[p.person]) refuse('payload/person', 'Person: gehört nicht zu dieser Zuweisung.');
      await platzFreigeben(ctx.trx, {
        caseId: ctx.case.id,
        person: p.person,
        auszug: p.auszug,
        actor: ctx.actor,
        now: ctx.now,
      });
      return { person: p.person, auszug: p.auszug };
    };
  }
  return { [ASYL_ID]: hooks };
}
