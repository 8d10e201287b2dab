import { bookCaseFee } from '../../../core/cashjournal/journal.js';
import { addDays, formatGermanDate, type IsoDate } from '../../../core/dates.js';
import { type FieldError, validationFailed } from '../../../core/errors.js';
import type { HookTable, PrepareContext, ProcedureHooks } from '../../../core/procedure.js';
import { BESTAETIGT_DURCH, type Gebuehren, type Nachweis, nameOf, type Verwaltung } from '../common.js';
import { addMonths, dateOfAge, maxDate } from '../datum.js';
import { ERSATZ_ID, type ErsatzDaten, type ErsatzForm, ersatzFrist, ersatzGebuehrCodes } from '../ersatz.js';
import {
  bewerteErsterteilung,
  ERSTERTEILUNG_ID,
  type ErsterteilungDaten,
  type ErsterteilungForm,
  ersterteilungGebuehrCodes,
  pruefeErsterteilung,
  spaetesterMindestaltertag,
} from '../ersterteilung.js';
import { type GebuehrCode, type GebuehrenTabelle, gebuehren, summeCents } from '../gebuehren.js';
import { INTERNATIONAL_ID, type InternationalDaten, internationalGueltigBis } from '../international.js';
import type { FahrerlaubnisRegeln } from '../klassen.js';
import { UMTAUSCH_ID, type UmtauschDaten, type UmtauschForm, umtauschBewertung } from '../umtausch.js';
import { nummerVergeben } from './nummern.js';

/**
 * The transactional hooks of the Fahrerlaubnisbehörde (bound by action id in server/index.ts):
 * the class rules with the office's Land and the fee by the office's table when an application is
 * recorded or corrected, the cash payment into the office's cash journal, and the issue of the
 * Vorläufiger Nachweis (dates, minimum age on the day of issue, a new Führerscheinnummer once).
 */

type Ctx = PrepareContext<unknown>;

/** AGS prefix of the Land of the office (NRW: "05"). */
const landOf = (ags: string) => ags.slice(0, 2);

function refuse(path: string, message: string): never {
  throw validationFailed([{ path, message }], message);
}

function feesOf(codes: GebuehrCode[], on: IsoDate, ags: string, tabelle: GebuehrenTabelle): Gebuehren {
  const positionen = gebuehren(codes, on, ags, tabelle);
  return { stichtag: on, positionen, summeCents: summeCents(positionen) };
}

/** Field errors of a create point into `data/…`, those of a correction into `payload/…`. */
type Prefix = 'data' | 'payload';

function paymentHook(title: string) {
  return async (ctx: Ctx) => {
    const d = ctx.case.data as Verwaltung;
    const amount = d.kosten?.summeCents ?? 0;
    if (amount === 0) return { kassenbuchungId: null, belegNr: null, betragCents: 0, tag: ctx.today };
    return bookCaseFee(ctx, {
      amountCents: amount,
      purpose: `Gebühr ${title}`,
      feeCodes: d.kosten?.positionen.map((f) => f.code) ?? [],
    });
  };
}

/** The day of issue lies between the application and today. */
function checkIssueDay(am: IsoDate, antragsdatum: IsoDate, today: IsoDate): void {
  if (am > today || am < antragsdatum)
    refuse(
      'payload/ausgestelltAm',
      `Ausgestellt am: zwischen dem Antragsdatum (${formatGermanDate(antragsdatum)}) und heute.`,
    );
}

async function reserveNumber(ctx: Ctx, nummer: string | undefined): Promise<void> {
  if (!nummer) return;
  await nummerVergeben(ctx.trx, {
    nummer,
    caseId: ctx.case.id,
    aktenzeichen: ctx.case.aktenzeichen,
    authorityAgs: ctx.case.authorityAgs,
    procedureId: ctx.case.procedureId,
    now: ctx.now,
  });
}

function vorlaeufig(am: IsoDate, regeln: FahrerlaubnisRegeln): IsoDate {
  return addDays(addMonths(am, regeln.nachweisMonate), -1);
}

const abschlussHook = async (ctx: Ctx) => {
  const p = ctx.payload as { vermerk?: string };
  return { am: ctx.today, ...(p.vermerk ? { vermerk: p.vermerk } : {}) };
};

function ersterteilungHooks(regeln: FahrerlaubnisRegeln, tabelle: GebuehrenTabelle): ProcedureHooks {
  const record = (prefix: Prefix) => async (ctx: Ctx) => {
    const d = ctx.payload as ErsterteilungForm;
    const land = landOf(ctx.case.authorityAgs);
    const befunde = pruefeErsterteilung(d, { land, regeln });
    if (befunde.length) {
      const errors: FieldError[] = befunde.map((b) => ({
        path: [prefix, ...b.path].join('/'),
        message: b.message,
      }));
      throw validationFailed(errors);
    }
    return {
      ...d,
      pruefung: bewerteErsterteilung(d, land, regeln),
      kosten: feesOf(ersterteilungGebuehrCodes(d), d.antrag.antragsdatum, ctx.case.authorityAgs, tabelle),
    };
  };
  return {
    beantragen: record('data'),
    berichtigen: record('payload'),
    gebuehr_bar_bezahlen: paymentHook('Fahrerlaubnis'),
    nachweis_ausstellen: async (ctx: Ctx) => {
      const d = ctx.case.data as ErsterteilungDaten;
      const p = ctx.payload as {
        ausgestelltAm: IsoDate;
        pruefungBestandenAm: IsoDate;
        fuehrerscheinnummer?: string;
      };
      checkIssueDay(p.ausgestelltAm, d.antrag.antragsdatum, ctx.today);
      const pruefung = d.pruefung ?? bewerteErsterteilung(d, landOf(ctx.case.authorityAgs), regeln);
      for (const m of pruefung.klassen) {
        if (p.ausgestelltAm < m.ab)
          refuse(
            'payload/ausgestelltAm',
            `Klasse ${m.klasse} darf erst ab dem ${formatGermanDate(m.ab)} erteilt werden (Mindestalter ${m.jahre} Jahre, ${m.grundlage}); der vorläufige Nachweis kann ab diesem Tag ausgestellt werden.`,
          );
      }
      // The last practical test: not before the application, at the earliest one month (configurable)
      // before the minimum age of the class reached last.
      const spaetester = spaetesterMindestaltertag(pruefung);
      const pruefungAb = maxDate(
        d.antrag.antragsdatum,
        spaetester ? addMonths(spaetester, -regeln.pruefungVorlaufMonate) : d.antrag.antragsdatum,
      );
      if (p.pruefungBestandenAm < pruefungAb)
        refuse(
          'payload/pruefungBestandenAm',
          `Praktische Prüfung bestanden am: nicht vor dem Antrag und frühestens ${regeln.pruefungVorlaufMonate} Monat vor Erreichen des Mindestalters (ab ${formatGermanDate(pruefungAb)}).`,
        );
      await reserveNumber(ctx, p.fuehrerscheinnummer);
      const volljaehrig = dateOfAge(d.bewerber.geburtsdatum, regeln.mindestalter.B);
      const bf17 = d.antrag.begleitetesFahren && p.ausgestelltAm < volljaehrig;
      const nachweis: Nachweis = {
        art: bf17 ? 'pruefungsbescheinigung_bf17' : 'vorlaeufiger_nachweis',
        ausgestelltAm: p.ausgestelltAm,
        gueltigBis: bf17
          ? addDays(addMonths(volljaehrig, regeln.bf17MonateNach18), -1)
          : vorlaeufig(p.ausgestelltAm, regeln),
        klassen: d.antrag.klassen,
        auflagen: pruefung.auflagen.filter((a) => p.ausgestelltAm < a.bis).map((a) => a.text),
        pruefungBestandenAm: p.pruefungBestandenAm,
        ...(p.fuehrerscheinnummer ? { fuehrerscheinnummer: p.fuehrerscheinnummer } : {}),
        ...(bf17
          ? {
              begleitpersonen: (d.begleitpersonen ?? []).map(
                (b) => `${nameOf(b)} (geb. ${formatGermanDate(b.geburtsdatum)})`,
              ),
            }
          : {}),
      };
      return nachweis;
    },
  };
}

function umtauschHooks(regeln: FahrerlaubnisRegeln, tabelle: GebuehrenTabelle): ProcedureHooks {
  const record = async (ctx: Ctx) => {
    const d = ctx.payload as UmtauschForm;
    const frist = umtauschBewertung(d);
    return {
      ...d,
      ...(frist ? { umtauschfrist: frist } : {}),
      kosten: feesOf(['FE_UMTAUSCH'], d.antrag.antragsdatum, ctx.case.authorityAgs, tabelle),
    };
  };
  return {
    beantragen: record,
    berichtigen: record,
    gebuehr_bar_bezahlen: paymentHook('Umtausch Führerschein'),
    nachweis_ausstellen: async (ctx: Ctx) => {
      const d = ctx.case.data as UmtauschDaten;
      const p = ctx.payload as { ausgestelltAm: IsoDate; fuehrerscheinnummer?: string };
      checkIssueDay(p.ausgestelltAm, d.antrag.antragsdatum, ctx.today);
      await reserveNumber(ctx, p.fuehrerscheinnummer);
      return {
        art: 'vorlaeufiger_nachweis',
        ausgestelltAm: p.ausgestelltAm,
        gueltigBis: vorlaeufig(p.ausgestelltAm, regeln),
        klassen: d.neueKlassen,
        auflagen: [],
        fahrerlaubnisBestaetigtDurch: BESTAETIGT_DURCH.fuehrerschein_vorgelegt,
        ...(p.fuehrerscheinnummer ? { fuehrerscheinnummer: p.fuehrerscheinnummer } : {}),
      } satisfies Nachweis;
    },
    ohne_nachweis_abschliessen: abschlussHook,
  };
}

function ersatzHooks(regeln: FahrerlaubnisRegeln, tabelle: GebuehrenTabelle): ProcedureHooks {
  const record = async (ctx: Ctx) => {
    const d = ctx.payload as ErsatzForm;
    const frist = ersatzFrist(d);
    return {
      ...d,
      ...(frist ? { umtauschfrist: frist } : {}),
      kosten: feesOf(ersatzGebuehrCodes(d), d.antrag.antragsdatum, ctx.case.authorityAgs, tabelle),
    };
  };
  return {
    beantragen: record,
    berichtigen: record,
    gebuehr_bar_bezahlen: paymentHook('Ersatzführerschein'),
    nachweis_ausstellen: async (ctx: Ctx) => {
      const d = ctx.case.data as ErsatzDaten;
      const p = ctx.payload as {
        ausgestelltAm: IsoDate;
        fahrerlaubnisBestaetigtDurch: keyof typeof BESTAETIGT_DURCH;
        vermerk?: string;
        bisherigerFuehrerscheinEingezogen?: boolean;
        fuehrerscheinnummer?: string;
      };
      checkIssueDay(p.ausgestelltAm, d.antrag.antragsdatum, ctx.today);
      const vorhanden = d.anlass.grund === 'unbrauchbar' || d.anlass.grund === 'namensaenderung';
      if (vorhanden && p.bisherigerFuehrerscheinEingezogen !== true)
        refuse(
          'payload/bisherigerFuehrerscheinEingezogen',
          'Bei Beschädigung oder Namensänderung wird der bisherige Führerschein gegen den vorläufigen Nachweis eingezogen.',
        );
      if (!vorhanden && p.fahrerlaubnisBestaetigtDurch === 'fuehrerschein_vorgelegt')
        refuse(
          'payload/fahrerlaubnisBestaetigtDurch',
          'Fahrerlaubnis geprüft anhand: der Führerschein ist verloren – bitte Karteikarte oder Auskunft einer Behörde angeben.',
        );
      await reserveNumber(ctx, p.fuehrerscheinnummer);
      return {
        art: 'vorlaeufiger_nachweis',
        ausgestelltAm: p.ausgestelltAm,
        gueltigBis: vorlaeufig(p.ausgestelltAm, regeln),
        klassen: d.bisherigerFuehrerschein.klassen,
        auflagen: [],
        fahrerlaubnisBestaetigtDurch: BESTAETIGT_DURCH[p.fahrerlaubnisBestaetigtDurch],
        ...(p.vermerk ? { vermerk: p.vermerk } : {}),
        ...(p.fuehrerscheinnummer ? { fuehrerscheinnummer: p.fuehrerscheinnummer } : {}),
      } satisfies Nachweis;
    },
    ohne_nachweis_abschliessen: abschlussHook,
  };
}

function internationalHooks(regeln: FahrerlaubnisRegeln, tabelle: GebuehrenTabelle): ProcedureHooks {
  const record = async (ctx: Ctx) => {
    const d = ctx.payload as InternationalDaten;
    return {
      ...d,
      kosten: feesOf(['FE_INTERNATIONAL'], d.antrag.antragsdatum, ctx.case.authorityAgs, tabelle),
    };
  };
  return {
    beantragen: record,
    berichtigen: record,
    gebuehr_bar_bezahlen: paymentHook('Internationaler Führerschein'),
    aushaendigen: async (ctx: Ctx) => {
      const d = ctx.case.data as InternationalDaten;
      const p = ctx.payload as { nummer: string; ausgestelltAm: IsoDate };
      checkIssueDay(p.ausgestelltAm, d.antrag.antragsdatum, ctx.today);
      return {
        nummer: p.nummer,
        ausgestelltAm: p.ausgestelltAm,
        gueltigBis: internationalGueltigBis(d, p.ausgestelltAm, regeln),
      };
    },
  };
}

export function fuehrerscheinHooks(regeln: FahrerlaubnisRegeln, tabelle: GebuehrenTabelle): HookTable {
  return {
    [ERSTERTEILUNG_ID]: ersterteilungHooks(regeln, tabelle),
    [UMTAUSCH_ID]: umtauschHooks(regeln, tabelle),
    [ERSATZ_ID]: ersatzHooks(regeln, tabelle),
    [INTERNATIONAL_ID]: internationalHooks(regeln, tabelle),
  };
}
