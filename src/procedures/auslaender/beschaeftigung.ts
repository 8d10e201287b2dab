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
  wartezeitMonate: number;
  aufnahmeeinrichtungMonate: number;
  zustimmungsfreiMonate: number;
}

export const DEFAULT_BESCHAEFTIGUNGS_REGELN: BeschaeftigungsRegeln = {
  wartezeitMonate: 3,
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
  if (f.sichererHerkunftsstaat) {
    return {
      lage: 'ausgeschlossen',
      monate,
      zustimmungBaNoetig: false,
      norm:
        f.status === 'gestattung'
          ? '§ 61 Abs. 1 S. 2, Abs. 2 S. 4 AsylG'
          : '§ 60a Abs. 6 S. 1 Nr. 3 AufenthG',
      begruendung: `Staatsangehörige eines sicheren Herkunftsstaates (§ 29a AsylG) erhalten keine Beschäftigungserlaubnis. ${seitText}.`,
    };
  }
  if (f.status === 'gestattung' && f.wohnpflichtAufnahmeeinrichtung) {
    if (monate < r.aufnahmeeinrichtungMonate) {
      return {
        lage: 'noch_nicht',
        monate,
        zustimmungBaNoetig,
        moeglichAb: nachWartezeit(f.seit, r.aufnahmeeinrichtungMonate),
        norm: '§ 61 Abs. 1 S. 1 AsylG',
        begruendung: `Solange die Verpflichtung besteht, in einer Aufnahmeeinrichtung zu wohnen, ist keine Erwerbstätigkeit erlaubt; nach ${r.aufnahmeeinrichtungMonate} Monaten ab ${formatGermanDate(nachWartezeit(f.seit, r.aufnahmeeinrichtungMonate))} ist sie zu erlauben. ${seitText}.`,
      };
    }
    return {
      lage: 'anspruch',
      monate,
      zustimmungBaNoetig,
      norm: '§ 61 Abs. 1 S. 2 AsylG',
      begruendung: `Wohnpflicht in einer Aufnahmeeinrichtung, aber seit mehr als ${r.aufnahmeeinrichtungMonate} Monaten: Die Beschäftigung ist zu erlauben. ${seitText}. ${baText}`,
    };
  }
  const norm = f.status === 'gestattung' ? '§ 61 Abs. 2 AsylG' : '§ 4a Abs. 4, § 60a AufenthG, § 32 BeschV';
  if (monate < r.wartezeitMonate) {
    return {
      lage: 'noch_nicht',
      monate,
      zustimmungBaNoetig,
      moeglichAb: nachWartezeit(f.seit, r.wartezeitMonate),
      norm,
      begruendung: `Eine Beschäftigung kann frühestens nach ${r.wartezeitMonate} Monaten erlaubt werden, ab ${formatGermanDate(nachWartezeit(f.seit, r.wartezeitMonate))}. ${seitText}.`,
    };
  }
  return {
    lage: 'ermessen',
    monate,
    zustimmungBaNoetig,
    norm,
    begruendung: `Die Beschäftigung kann nach Ermessen erlaubt werden (mehr als ${r.wartezeitMonate} Monate, keine Wohnpflicht in einer Aufnahmeeinrichtung). ${seitText}. ${baText}`,
  };
}
