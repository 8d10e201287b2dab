import { addDays, formatGermanDate, type IsoDate } from '../../core/dates.js';
import { fristEnde } from './fristen.js';
import type { TitelArt } from './titel.js';

/**
 * § 81 AufenthG: the effect of a pending application (Fiktionswirkung) that the
 * Fiktionsbescheinigung (§ 81 Abs. 5, form AufenthV Anlage D3) certifies, derived from the facts
 * entered — a pure function (FACTS.md §8):
 *
 * - Abs. 4 S. 1: a title (not a Schengen visa) and the application to extend it or for another
 *   title made before it expired -> the title continues until the decision, with all its rights,
 *   including work.
 * - Abs. 4 S. 2: no Abs. 4 effect for a Schengen visa (§ 6 Abs. 1 Nr. 1).
 * - Abs. 4 S. 3: a late application after expiry -> the authority may order the continuation to
 *   avoid undue hardship (entered by the clerk as `haerteAnordnung`).
 * - Abs. 3 S. 1: lawful stay without a title (e.g. visa-free stay) and application during it ->
 *   the stay counts as permitted.
 * - Abs. 3 S. 2: the same application made late -> the deportation counts as suspended
 *   (Duldungsfiktion) from the application.
 * - no effect otherwise (no lawful stay, Duldung, Schengen visa).
 */

/** What the person holds (or held) when applying. */
export const BISHERIGER_STATUS = [
  'aufenthaltstitel',
  'nationales_visum',
  'schengen_visum',
  'visumfrei',
  'duldung',
  'ohne',
] as const;
export type BisherigerStatus = (typeof BISHERIGER_STATUS)[number];

export const BISHERIGER_STATUS_LABELS: Record<BisherigerStatus, string> = {
  aufenthaltstitel: 'Aufenthaltstitel (Aufenthaltserlaubnis, Blaue Karte EU, Niederlassungserlaubnis …)',
  nationales_visum: 'Nationales Visum (§ 6 Abs. 3 AufenthG)',
  schengen_visum: 'Schengen-Visum (§ 6 Abs. 1 Nr. 1 AufenthG)',
  visumfrei: 'Rechtmäßiger Aufenthalt ohne Aufenthaltstitel (z. B. visumfreier Aufenthalt)',
  duldung: 'Duldung (§ 60a AufenthG) – kein Aufenthaltstitel',
  ohne: 'Kein rechtmäßiger Aufenthalt',
};

export type Wirkung = 'abs3s1' | 'abs3s2' | 'abs4' | 'keine';

export const WIRKUNG_LABELS: Record<Wirkung, string> = {
  abs3s1: 'Der Aufenthalt gilt als erlaubt (§ 81 Abs. 3 Satz 1 AufenthG).',
  abs3s2: 'Die Abschiebung gilt als ausgesetzt (§ 81 Abs. 3 Satz 2 AufenthG).',
  abs4: 'Der Aufenthaltstitel gilt als fortbestehend (§ 81 Abs. 4 AufenthG).',
  keine: 'Keine Fiktionswirkung nach § 81 AufenthG.',
};

export interface FiktionsFakten {
  status: BisherigerStatus;
  /** Last day of the title, visa or lawful visa-free stay (absent for Duldung / no lawful stay). */
  gueltigBis?: IsoDate;
  antragsdatum: IsoDate;
  /** § 81 Abs. 4 S. 3: the authority ordered continuation to avoid undue hardship. */
  haerteAnordnung?: boolean;
}

export interface FiktionsErgebnis {
  wirkung: Wirkung;
  /** The paragraph, e.g. "§ 81 Abs. 4 Satz 1 AufenthG". */
  norm: string;
  /** The reason in German, naming the facts. */
  begruendung: string;
}

const d = formatGermanDate;

export function fiktionswirkung(f: FiktionsFakten): FiktionsErgebnis {
  const rechtzeitig = f.gueltigBis !== undefined && f.antragsdatum <= f.gueltigBis;
  switch (f.status) {
    case 'aufenthaltstitel':
    case 'nationales_visum': {
      const visum = f.status === 'nationales_visum';
      const des = visum ? 'des bisherigen nationalen Visums' : 'des bisherigen Aufenthaltstitels';
      const der = visum ? 'Das bisherige nationale Visum' : 'Der bisherige Aufenthaltstitel';
      if (!f.gueltigBis) {
        return {
          wirkung: 'keine',
          norm: '§ 81 Abs. 4 AufenthG',
          begruendung: `Ohne Gültigkeitsende ${des} lässt sich die Fiktionswirkung nicht feststellen.`,
        };
      }
      if (rechtzeitig) {
        return {
          wirkung: 'abs4',
          norm: '§ 81 Abs. 4 Satz 1 AufenthG',
          begruendung: `Der Antrag vom ${d(f.antragsdatum)} wurde vor Ablauf ${des} (gültig bis ${d(f.gueltigBis)}) gestellt. ${der} gilt bis zur Entscheidung mit allen Rechten, auch zur Erwerbstätigkeit, als fortbestehend.`,
        };
      }
      if (f.haerteAnordnung) {
        return {
          wirkung: 'abs4',
          norm: '§ 81 Abs. 4 Satz 3 AufenthG',
          begruendung: `Der Antrag vom ${d(f.antragsdatum)} wurde erst nach Ablauf ${des} (gültig bis ${d(f.gueltigBis)}) gestellt. Zur Vermeidung einer unbilligen Härte hat die Ausländerbehörde die Fortgeltung angeordnet.`,
        };
      }
      return {
        wirkung: 'keine',
        norm: '§ 81 Abs. 4 AufenthG',
        begruendung: `Der Antrag vom ${d(f.antragsdatum)} wurde erst nach Ablauf ${des} (gültig bis ${d(f.gueltigBis)}) gestellt; eine Fortgeltung zur Vermeidung einer unbilligen Härte (§ 81 Abs. 4 Satz 3 AufenthG) wurde nicht angeordnet.`,
      };
    }
    case 'schengen_visum':
      return {
        wirkung: 'keine',
        norm: '§ 81 Abs. 4 Satz 2 AufenthG',
        begruendung: `Für ein Schengen-Visum (§ 6 Abs. 1 Nr. 1 AufenthG) tritt keine Fortgeltungsfiktion ein (§ 81 Abs. 4 Satz 2 AufenthG), auch wenn der Antrag vom ${d(f.antragsdatum)} rechtzeitig gestellt wurde.`,
      };
    case 'visumfrei':
      if (!f.gueltigBis) {
        return {
          wirkung: 'keine',
          norm: '§ 81 Abs. 3 AufenthG',
          begruendung:
            'Ohne Ende des rechtmäßigen Aufenthalts lässt sich nicht feststellen, ob der Antrag rechtzeitig gestellt wurde.',
        };
      }
      return rechtzeitig
        ? {
            wirkung: 'abs3s1',
            norm: '§ 81 Abs. 3 Satz 1 AufenthG',
            begruendung: `Der Aufenthalt war ohne Aufenthaltstitel rechtmäßig (bis ${d(f.gueltigBis)}) und der Antrag vom ${d(f.antragsdatum)} wurde währenddessen gestellt. Der Aufenthalt gilt bis zur Entscheidung als erlaubt.`,
          }
        : {
            wirkung: 'abs3s2',
            norm: '§ 81 Abs. 3 Satz 2 AufenthG',
            begruendung: `Der rechtmäßige Aufenthalt ohne Aufenthaltstitel endete am ${d(f.gueltigBis)}; der Antrag vom ${d(f.antragsdatum)} wurde verspätet gestellt. Ab der Antragstellung gilt bis zur Entscheidung die Abschiebung als ausgesetzt.`,
          };
    case 'duldung':
      return {
        wirkung: 'keine',
        norm: '§ 81 Abs. 3 und 4 AufenthG',
        begruendung:
          'Die Duldung (§ 60a AufenthG) ist kein Aufenthaltstitel und begründet keinen rechtmäßigen Aufenthalt; der Antrag löst keine Fiktionswirkung aus.',
      };
    case 'ohne':
      return {
        wirkung: 'keine',
        norm: '§ 81 Abs. 3 und 4 AufenthG',
        begruendung:
          'Zum Zeitpunkt des Antrags bestand weder ein Aufenthaltstitel noch ein rechtmäßiger Aufenthalt; der Antrag löst keine Fiktionswirkung aus.',
      };
  }
}

/**
 * The employment line of the certificate (D3, "Erwerbstätigkeit"), derived from the previous
 * title: under Abs. 4 the title continues with its rights, so its line is carried over; under
 * Abs. 3 there is no title and work needs the authority's permission (§ 4a Abs. 4 AufenthG).
 */
export function beschaeftigungszeile(wirkung: Wirkung, bisherigerTitel: TitelArt | undefined): string {
  if (wirkung === 'abs4') {
    return bisherigerTitel
      ? `${bisherigerTitel.beschaeftigungsvermerk.replace(/\.$/, '')} (wie bisheriger Aufenthaltstitel nach ${bisherigerTitel.paragraph}).`
      : 'Erwerbstätigkeit wie im bisherigen Aufenthaltstitel bzw. Visum (§ 81 Abs. 4 AufenthG).';
  }
  return 'Erwerbstätigkeit nicht gestattet, soweit nicht von der Ausländerbehörde erlaubt (§ 4a Abs. 4 AufenthG).';
}

/** Validity periods of a Fiktionsbescheinigung (FACTS.md §8: usually 3 or 6 months). */
export const GUELTIGKEIT_MONATE = [3, 6] as const;

/** One paper certificate: the first issue (nr 0) or a numbered renewal (Verlängerung nr 1, 2 …). */
export interface Bescheinigung {
  nr: number;
  /** Number printed on the paper (Aktenzeichen / laufende Nummer, or the blank form's number). */
  bescheinigungsNr: string;
  ausgestelltAm: IsoDate;
  gueltigAb: IsoDate;
  gueltigBis: IsoDate;
  monate: number;
}

/**
 * The next certificate period: the first starts on the day of issue; a renewal continues the
 * previous one without a gap (the day after its end) or, when that has already passed, starts on
 * the day of renewal.
 */
export function naechsteGueltigkeit(
  vorherige: readonly Bescheinigung[],
  heute: IsoDate,
  monate: number,
): { nr: number; gueltigAb: IsoDate; gueltigBis: IsoDate } {
  const last = vorherige[vorherige.length - 1];
  const anschluss = last ? addDays(last.gueltigBis, 1) : heute;
  const gueltigAb = anschluss > heute ? anschluss : heute;
  return { nr: vorherige.length, gueltigAb, gueltigBis: fristEnde(gueltigAb, monate) };
}
