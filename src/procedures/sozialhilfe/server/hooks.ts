import type { Haushalt, SozialhilfeRegeln } from '../../../core/benefits/hilfe-zum-lebensunterhalt.js';
import type { IsoDate } from '../../../core/dates.js';
import { validationFailed } from '../../../core/errors.js';
import { addMonthsTo, monatText, monthOf } from '../../../core/months.js';
import type { HookTable, PrepareContext } from '../../../core/procedure.js';
import type { AenderungPayload, BewilligungPayload, SozialhilfeDaten } from '../definition.js';
import { SOZIALHILFE_ID } from '../ids.js';
import { haushaltAusAntrag, LeistungError, rechne } from '../leistung.js';

/**
 * The transactional hooks of the Sozialhilfe case (bound by action id in server/index.ts). The
 * Bewilligung and the Änderung compute their first month (and the current month) before they are
 * stored: the lines of the first month are stored with the action, a month the rules refuse is
 * refused with the reason (400), nothing stored.
 */

type Ctx = PrepareContext<SozialhilfeDaten>;

const refuse = (path: string, message: string): never => {
  throw validationFailed([{ path, message }], message);
};

function berechneOderAblehnen(
  haushalt: Haushalt,
  abMonat: string,
  ctx: Ctx,
  regeln: SozialhilfeRegeln,
  path: string,
) {
  const jetzt = monthOf(ctx.today);
  const spaetestens = addMonthsTo(jetzt, 12);
  if (abMonat > spaetestens) refuse(path, `${monatText(abMonat)}: höchstens zwölf Monate im Voraus.`);
  try {
    if (jetzt > abMonat) rechne(haushalt, jetzt, ctx.case.authorityAgs, regeln);
    return rechne(haushalt, abMonat, ctx.case.authorityAgs, regeln);
  } catch (e) {
    if (e instanceof LeistungError) return refuse(path, `${monatText(abMonat)}: ${e.message}`);
    throw e;
  }
}

export function sozialhilfeHooks(regeln: () => SozialhilfeRegeln): HookTable {
  return {
    [SOZIALHILFE_ID]: {
      bewilligen: async (ctx: Ctx): Promise<BewilligungPayload> => {
        const d = ctx.case.data;
        const p = ctx.payload as { abMonat: string; vermerk?: string };
        const antragsmonat = monthOf(d.antrag.antragsdatum);
        if (p.abMonat < antragsmonat)
          refuse(
            'payload/abMonat',
            `Bewilligung ab Monat: frühestens ab dem Monat des Antrags (${monatText(antragsmonat)}).`,
          );
        const haushalt = haushaltAusAntrag(d);
        const berechnung = berechneOderAblehnen(haushalt, p.abMonat, ctx, regeln(), 'payload/abMonat');
        return {
          abMonat: p.abMonat,
          ...(p.vermerk ? { vermerk: p.vermerk } : {}),
          bescheidAm: ctx.today,
          haushalt,
          berechnung,
        };
      },
      ablehnen: async (ctx: Ctx) => {
        const p = ctx.payload as { grund: string };
        return { grund: p.grund, am: ctx.today };
      },
      vorschuss: async (ctx: Ctx) => {
        const p = ctx.payload as { betragCents: number; grund: string };
        return { betragCents: p.betragCents, grund: p.grund, am: ctx.today };
      },
      aendern: async (ctx: Ctx): Promise<AenderungPayload> => {
        const d = ctx.case.data;
        const p = ctx.payload as { abMonat: string; grund: string } & Haushalt;
        if (!d.bewilligung) return refuse('payload', 'Noch keine Bewilligung.');
        if (p.abMonat < d.bewilligung.abMonat)
          refuse(
            'payload/abMonat',
            `Änderung ab Monat: nicht vor dem Beginn der Bewilligung (${monatText(d.bewilligung.abMonat)}).`,
          );
        p.personen.forEach((x, i) => {
          if (x.geburtsdatum > ctx.today)
            refuse(`payload/personen/${i}/geburtsdatum`, 'Geburtsdatum: liegt in der Zukunft.');
        });
        const haushalt: Haushalt = { personen: p.personen, unterkunft: p.unterkunft };
        const berechnung = berechneOderAblehnen(haushalt, p.abMonat, ctx, regeln(), 'payload/abMonat');
        return { abMonat: p.abMonat, haushalt, berechnung, am: ctx.today, grund: p.grund };
      },
      einstellen: async (ctx: Ctx) => {
        const d = ctx.case.data;
        const p = ctx.payload as { letzterMonat: string; grund: string };
        if (d.bewilligung && p.letzterMonat < d.bewilligung.abMonat)
          refuse(
            'payload/letzterMonat',
            `Letzter Leistungsmonat: liegt vor dem Beginn der Bewilligung (${monatText(d.bewilligung.abMonat)}).`,
          );
        return { letzterMonat: p.letzterMonat, grund: p.grund, am: ctx.today as IsoDate };
      },
    },
  };
}
