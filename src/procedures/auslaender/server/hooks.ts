import { formatGermanDate, type IsoDate } from '../../../core/dates.js';
import { AppError, validationFailed } from '../../../core/errors.js';
import type { HookTable, PrepareContext } from '../../../core/procedure.js';
import {
  type AufenthaltDaten,
  type AufenthaltForm,
  type Erteilung,
  type Fiktion,
  fiktionsFakten,
} from '../aufenthalt.js';
import { type BeschaeftigungsRegeln, beschaeftigungPruefen } from '../beschaeftigung.js';
import { type BeschaeftigungDaten, beschaeftigungsFakten } from '../beschaeftigungserlaubnis.js';
import {
  type Bescheinigung,
  beschaeftigungszeile,
  fiktionswirkung,
  naechsteGueltigkeit,
} from '../fiktion.js';
import { AUFENTHALT_ID, BESCHAEFTIGUNG_ID } from '../ids.js';
import { type TitelArt, titelLabel } from '../titel.js';

/**
 * The transactional hooks of the Ausländerbehörde (bound by action id in server/index.ts): titles
 * are checked against the configured catalogue, the § 81 effect and each certificate period are
 * computed before they are stored (so replay stays a function of the stored actions), and the
 * Beschäftigungserlaubnis rule is applied on the day of each step.
 */

export interface AuslaenderRegeln {
  titelkatalog: readonly TitelArt[];
  beschaeftigung: BeschaeftigungsRegeln;
}

type Ctx<D> = PrepareContext<D>;

const refuse = (path: string, message: string): never => {
  throw validationFailed([{ path, message }], message);
};
const notAllowed = (title: string, detail: string): never => {
  throw new AppError('ACTION_NOT_ALLOWED', title, detail);
};

export function findeTitel(regeln: AuslaenderRegeln, id: string | undefined): TitelArt | undefined {
  return id ? regeln.titelkatalog.find((t) => t.id === id) : undefined;
}

/** The certificate number printed on the paper: the blank form's number, or Aktenzeichen and count. */
function bescheinigungsNr(aktenzeichen: string, nr: number, vordruckNr: string | undefined): string {
  return vordruckNr ?? `${aktenzeichen}-F${nr + 1}`;
}

function pruefeBeschaeftigung(d: BeschaeftigungDaten, today: IsoDate, r: BeschaeftigungsRegeln) {
  return { ...beschaeftigungPruefen(beschaeftigungsFakten(d), today, r), am: today };
}

/** The BA's answer entered by hand: not in the future, not before the request. */
function baAntwort(label: string) {
  return async (ctx: Ctx<BeschaeftigungDaten>) => {
    const p = ctx.payload as { datum: IsoDate };
    const angefragt = ctx.case.data.ba?.angefragtAm;
    if (p.datum > ctx.today) refuse('payload/datum', `${label}: liegt in der Zukunft.`);
    if (angefragt && p.datum < angefragt) refuse('payload/datum', `${label}: liegt vor der Anfrage.`);
    return ctx.payload;
  };
}

export function auslaenderHooks(regeln: () => AuslaenderRegeln): HookTable {
  return {
    [AUFENTHALT_ID]: {
      antrag_erfassen: async (ctx: Ctx<AufenthaltForm>) => {
        const d = ctx.case.data;
        const r = regeln();
        if (d.bisher.titel && !findeTitel(r, d.bisher.titel)) {
          refuse('data/bisher/titel', 'Bisheriger Aufenthaltstitel: nicht im Titelkatalog.');
        }
        if (!findeTitel(r, d.antrag.titel))
          refuse('data/antrag/titel', 'Beantragter Aufenthaltstitel: nicht im Titelkatalog.');
        return d;
      },
      fiktion_ausstellen: async (ctx: Ctx<AufenthaltDaten>) => {
        const d = ctx.case.data;
        const p = ctx.payload as { monate: '3' | '6'; haerteAnordnung?: boolean; vordruckNr?: string };
        const e = fiktionswirkung(fiktionsFakten(d, p.haerteAnordnung));
        if (e.wirkung === 'keine') notAllowed('Keine Fiktionswirkung', e.begruendung);
        const fiktion: Fiktion = {
          wirkung: e.wirkung as Fiktion['wirkung'],
          norm: e.norm,
          begruendung: e.begruendung,
          beschaeftigung: beschaeftigungszeile(e.wirkung, findeTitel(regeln(), d.bisher.titel)),
          ...(p.haerteAnordnung ? { haerteAnordnung: true } : {}),
        };
        const monate = Number(p.monate);
        const g = naechsteGueltigkeit([], ctx.today, monate);
        const bescheinigung: Bescheinigung = {
          ...g,
          bescheinigungsNr: bescheinigungsNr(ctx.case.aktenzeichen, g.nr, p.vordruckNr),
          ausgestelltAm: ctx.today,
          monate,
        };
        return { fiktion, bescheinigung };
      },
      fiktion_verlaengern: async (ctx: Ctx<AufenthaltDaten>) => {
        const d = ctx.case.data;
        const p = ctx.payload as { monate: '3' | '6'; vordruckNr?: string };
        const vorher = d.bescheinigungen ?? [];
        const monate = Number(p.monate);
        const g = naechsteGueltigkeit(vorher, ctx.today, monate);
        const b: Bescheinigung = {
          ...g,
          bescheinigungsNr: bescheinigungsNr(ctx.case.aktenzeichen, g.nr, p.vordruckNr),
          ausgestelltAm: ctx.today,
          monate,
        };
        return b;
      },
      titel_erteilen: async (ctx: Ctx<AufenthaltDaten>) => {
        const p = ctx.payload as { titel: string; nummer?: string; gueltigAb: IsoDate; gueltigBis: IsoDate };
        const t = findeTitel(regeln(), p.titel);
        if (!t) return refuse('payload/titel', 'Erteilter Aufenthaltstitel: nicht im Titelkatalog.');
        if (p.gueltigBis < p.gueltigAb) refuse('payload/gueltigBis', 'Gültig bis: liegt vor „Gültig ab“.');
        const e: Erteilung = { ...p, titelText: titelLabel(t), am: ctx.today };
        return e;
      },
      ablehnen: async (ctx: Ctx<AufenthaltDaten>) => ({
        ...(ctx.payload as { grund: string }),
        am: ctx.today,
      }),
    },
    [BESCHAEFTIGUNG_ID]: {
      ba_anfragen: async (ctx: Ctx<BeschaeftigungDaten>) => {
        const d = ctx.case.data;
        const p = ctx.payload as { angefragtAm: IsoDate };
        if (p.angefragtAm > ctx.today)
          refuse('payload/angefragtAm', 'Zustimmung angefragt am: liegt in der Zukunft.');
        const pruefung = pruefeBeschaeftigung(d, ctx.today, regeln().beschaeftigung);
        if (pruefung.lage === 'ausgeschlossen' || pruefung.lage === 'noch_nicht') {
          notAllowed('Keine Beschäftigungserlaubnis möglich', pruefung.begruendung);
        }
        if (!pruefung.zustimmungBaNoetig) {
          notAllowed('Zustimmung nicht erforderlich', pruefung.begruendung);
        }
        return { angefragtAm: p.angefragtAm, pruefung };
      },
      ba_zustimmung_eintragen: baAntwort('Zustimmung der BA vom'),
      ba_versagung_eintragen: baAntwort('Versagung der BA vom'),
      erlauben: async (ctx: Ctx<BeschaeftigungDaten>) => {
        const d = ctx.case.data;
        const p = ctx.payload as { gueltigBis: IsoDate; nebenbestimmung?: string };
        const pruefung = pruefeBeschaeftigung(d, ctx.today, regeln().beschaeftigung);
        if (pruefung.lage === 'ausgeschlossen' || pruefung.lage === 'noch_nicht') {
          notAllowed('Keine Beschäftigungserlaubnis möglich', pruefung.begruendung);
        }
        if (pruefung.zustimmungBaNoetig && d.ba?.entscheidung !== 'zugestimmt') {
          notAllowed(
            'Zustimmung der BA fehlt',
            'Vor der Erlaubnis muss die Zustimmung der Bundesagentur für Arbeit angefragt und eingetragen sein.',
          );
        }
        if (p.gueltigBis < ctx.today)
          refuse('payload/gueltigBis', 'Erlaubnis gültig bis: liegt in der Vergangenheit.');
        if (p.gueltigBis > d.status.gueltigBis) {
          refuse(
            'payload/gueltigBis',
            `Erlaubnis gültig bis: höchstens bis zum Ende der Gestattung / Duldung (${formatGermanDate(d.status.gueltigBis)}).`,
          );
        }
        return {
          erlaubnis: {
            gueltigAb: ctx.today,
            gueltigBis: p.gueltigBis,
            ...(p.nebenbestimmung ? { nebenbestimmung: p.nebenbestimmung } : {}),
            am: ctx.today,
          },
          pruefung,
        };
      },
      ablehnen: async (ctx: Ctx<BeschaeftigungDaten>) => {
        const d = ctx.case.data;
        const p = ctx.payload as { grund?: string };
        const pruefung = pruefeBeschaeftigung(d, ctx.today, regeln().beschaeftigung);
        const grund =
          p.grund ??
          (d.ba?.entscheidung === 'versagt'
            ? `Die Bundesagentur für Arbeit hat die Zustimmung versagt: ${d.ba.grund ?? ''}`.trim()
            : pruefung.lage === 'ausgeschlossen' || pruefung.lage === 'noch_nicht'
              ? pruefung.begruendung
              : undefined);
        if (!grund) refuse('payload/grund', 'Grund: Bitte angeben.');
        return { ablehnung: { grund: grund as string, am: ctx.today }, pruefung };
      },
    },
  };
}
