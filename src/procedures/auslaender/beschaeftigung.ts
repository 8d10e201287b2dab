import { z } from 'zod';
import { formatGermanDate, type IsoDate } from '../../core/dates.js';
import { nachWartezeit, volleMonate } from './fristen.js';

/**
 * Beschäftigungserlaubnis for asylum seekers (Aufenthaltsgestattung, § 61 AsylG) and persons with
 * a Duldung (§ 60a AufenthG, § 4a Abs. 4 AufenthG): whether a permit may be issued on a day, and
 * whether the consent of the Federal Employment Agency (Bundesagentur für Arbeit, BA) is needed.
 * A pure function of the facts (FACTS.md §8):
 *
 * - no work while obliged to live in a reception centre (§ 61 Abs. 1 S. 1 AsylG); after
 *   `aufnahmeeinrichtungMonate` (6) months there a permit is to be issued with the BA's consent,
 *   not for nationals of safe countries of origin (§ 61 Abs. 1 S. 2 AsylG);
 * - outside reception centres: discretionary after `wartezeitMonate` (3) months (§ 61 Abs. 2
 *   AsylG), not for safe countries of origin (§ 61 Abs. 2 S. 4 AsylG);
 * - no BA consent after `zustimmungsfreiMonate` (48, four years).
 *
 * For a Duldung FACTS.md has no figures: the same waiting period and the safe-country exclusion
 * are applied (our reading of § 60a Abs. 6 AufenthG, § 32 BeschV — UNCONFIRMED, configurable).
 */

export const PERSONENSTATUS = ['gestattung', 'duldung'] as const;
export type Personenstatus = (typeof PERSONENSTATUS)[number];
export const PERSONENSTATUS_LABELS: Record<Personenstatus, string> = {
  gestattung: 'Aufenthaltsgestattung (§ 55 AsylG)',
  duldung: 'Duldung (§ 60a AufenthG)',
};

export interface BeschaeftigungsRegeln {
  /** § 61 Abs. 2 AsylG (FACTS.md §8: 3). */
  wartezeitMonate: number;
  /** Duldung: UNCONFIRMED (our reading of § 32 BeschV: 3). */
  duldungWartezeitMonate: number;
  aufnahmeeinrichtungMonate: number;
  zustimmungsfreiMonate: number;
}

export const DEFAULT_BESCHAEFTIGUNGS_REGELN: BeschaeftigungsRegeln = {
  wartezeitMonate: 3,
  duldungWartezeitMonate: 3,
  aufnahmeeinrichtungMonate: 6,
  zustimmungsfreiMonate: 48,
};

export interface BeschaeftigungsFakten {
  status: Personenstatus;
  /** Asylum application (Gestattung) or start of the Duldung. */
  seit: IsoDate;
  wohnpflichtAufnahmeeinrichtung: boolean;
  sichererHerkunftsstaat: boolean;
}

export type Erlaubnislage = 'ausgeschlossen' | 'noch_nicht' | 'ermessen' | 'anspruch';

export const ERLAUBNISLAGE_LABELS: Record<Erlaubnislage, string> = {
  ausgeschlossen: 'Beschäftigung ausgeschlossen',
  noch_nicht: 'Wartezeit noch nicht erfüllt',
  ermessen: 'Erlaubnis nach Ermessen möglich',
  anspruch: 'Erlaubnis ist zu erteilen',
};

export interface BeschaeftigungsPruefung {
  lage: Erlaubnislage;
  /** Full months since `seit` on the day of the check. */
  monate: number;
  /** Whether the BA must consent (only meaningful when a permit is possible). */
  zustimmungBaNoetig: boolean;
  /** First day a permit becomes possible (for `noch_nicht`). */
  moeglichAb?: IsoDate;
  norm: string;
  begruendung: string;
}

export function beschaeftigungPruefen(
  f: BeschaeftigungsFakten,
  heute: IsoDate,
  r: BeschaeftigungsRegeln = DEFAULT_BESCHAEFTIGUNGS_REGELN,
): BeschaeftigungsPruefung {
  const monate = volleMonate(f.seit, heute);
  const seitText = `${f.status === 'gestattung' ? 'Asylantrag' : 'Duldung'} seit ${formatGermanDate(f.seit)} (${monate} volle Monate)`;
  const zustimmungBaNoetig = monate < r.zustimmungsfreiMonate;
  const baText = zustimmungBaNoetig
    ? 'Die Zustimmung der Bundesagentur für Arbeit ist erforderlich.'
    : `Nach ${r.zustimmungsfreiMonate} Monaten ist keine Zustimmung der Bundesagentur für Arbeit mehr erforderlich.`;
  const gestattung = f.status === 'gestattung';
  if (f.sichererHerkunftsstaat) {
    return {
      lage: 'ausgeschlossen',
      monate,
      zustimmungBaNoetig: false,
      norm: gestattung ? '§ 61 Abs. 1 S. 2, Abs. 2 S. 4 AsylG' : '§ 60a Abs. 6 S. 1 Nr. 3 AufenthG',
      begruendung: `Staatsangehörige eines sicheren Herkunftsstaates (§ 29a AsylG) erhalten keine Beschäftigungserlaubnis. ${seitText}.`,
    };
  }
  // The waiting period that applies, its norm, and what the person gets after it.
  const aufnahme = gestattung && f.wohnpflichtAufnahmeeinrichtung;
  const w = aufnahme
    ? {
        monate: r.aufnahmeeinrichtungMonate,
        norm: '§ 61 Abs. 1 AsylG',
        lage: 'anspruch' as const,
        vorher:
          'Solange die Verpflichtung besteht, in einer Aufnahmeeinrichtung zu wohnen, ist keine Erwerbstätigkeit erlaubt',
        danach: `Wohnpflicht in einer Aufnahmeeinrichtung, aber seit mehr als ${r.aufnahmeeinrichtungMonate} Monaten: Die Beschäftigung ist zu erlauben.`,
      }
    : {
        monate: gestattung ? r.wartezeitMonate : r.duldungWartezeitMonate,
        norm: gestattung ? '§ 61 Abs. 2 AsylG' : '§ 4a Abs. 4, § 60a AufenthG, § 32 BeschV',
        lage: 'ermessen' as const,
        vorher: 'Eine Beschäftigung kann erst nach Ablauf der Wartezeit erlaubt werden',
        danach: `Die Beschäftigung kann nach Ermessen erlaubt werden (mehr als ${gestattung ? r.wartezeitMonate : r.duldungWartezeitMonate} Monate, keine Wohnpflicht in einer Aufnahmeeinrichtung).`,
      };
  if (monate < w.monate) {
    const ab = nachWartezeit(f.seit, w.monate);
    return {
      lage: 'noch_nicht',
      monate,
      zustimmungBaNoetig,
      moeglichAb: ab,
      norm: w.norm,
      begruendung: `${w.vorher}: ${w.monate} Monate, frühestens ab ${formatGermanDate(ab)}. ${seitText}.`,
    };
  }
  return {
    lage: w.lage,
    monate,
    zustimmungBaNoetig,
    norm: w.norm,
    begruendung: `${w.danach} ${seitText}. ${baText}`,
  };
}

export class BeschaeftigungsRegelError extends Error {}

const regelnSchema = z
  .object({
    wartezeitMonate: z.number().int().min(0).max(120),
    duldungWartezeitMonate: z.number().int().min(0).max(120),
    aufnahmeeinrichtungMonate: z.number().int().min(0).max(120),
    zustimmungsfreiMonate: z.number().int().min(0).max(240),
  })
  .partial()
  .strict();

/** Reads changed figures from JSON (env NOTBETRIEB_BESCHAEFTIGUNG_JSON), e.g. `{"duldungWartezeitMonate": 6}`. */
export function parseBeschaeftigungsRegeln(
  json: string,
  base: BeschaeftigungsRegeln = DEFAULT_BESCHAEFTIGUNGS_REGELN,
): BeschaeftigungsRegeln {
  let raw: unknown;
  try {
    raw = JSON.parse(json);
  } catch {
    throw new BeschaeftigungsRegelError('Beschäftigungsregeln: kein gültiges JSON.');
  }
  const p = regelnSchema.safeParse(raw);
  if (!p.success) {
    const first = p.error.issues[0];
    throw new BeschaeftigungsRegelError(
      `Beschäftigungsregeln: ${first?.path.join('.') || 'Angabe'} ungültig (ganze Monate erwartet).`,
    );
  }
  return { ...base, ...p.data } as BeschaeftigungsRegeln;
}

/** The figures in force: FACTS.md §8, changed by NOTBETRIEB_BESCHAEFTIGUNG_JSON where set. */
export function beschaeftigungsRegelnAusUmgebung(): BeschaeftigungsRegeln {
  const json = typeof process !== 'undefined' ? process.env?.NOTBETRIEB_BESCHAEFTIGUNG_JSON : undefined;
  return json ? parseBeschaeftigungsRegeln(json) : DEFAULT_BESCHAEFTIGUNGS_REGELN;
}
