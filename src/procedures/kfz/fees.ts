import { z } from 'zod';
import type { IsoDate } from '../../core/dates.js';
import type { Fee } from '../../core/procedure.js';

/**
 * Fees of the Zulassungsstelle (Gebührenordnung für Maßnahmen im Straßenverkehr, GebOSt), by the
 * law on the application date. Amounts vary locally within the frames of the GebOSt, so the table
 * is per office: the defaults below (FACTS.md §4, lower end of each range) apply until the office
 * stores its own dated rows (server/fees.ts, route PUT /api/kfz/gebuehren). Money in cents.
 *
 * Sources: FACTS.md §4 (amount ranges); Gebühren-Nr. 224.1 Außerbetriebsetzung, 224.2 from another
 * district (10,20 EUR) and 224.3
 * Verwertungsnachweis (wismar.de, Leistungsbeschreibung Außerbetriebsetzung); Gebühren-Nr. 230
 * Wunschkennzeichen 10,20 EUR (VG Saarlouis, Urteil vom 18.03.2009, 10 K 241/08); 2,60 EUR
 * Vorabreservierung on top (service.bremen.de). The numbers of the other positions are our
 * reading of the GebOSt tariff and are marked UNCONFIRMED (`nummerBestaetigt: false`).
 */

export const FEE_CODES = [
  'zulassung',
  'wiederzulassung',
  'umschreibung_bezirk',
  'umschreibung_fremd',
  'ausserbetriebsetzung',
  'ausserbetriebsetzung_fremd',
  'verwertungsnachweis',
  'anschrift',
  'kurzzeit',
  'wunschkennzeichen',
  'reservierung',
] as const;
export type FeeCode = (typeof FEE_CODES)[number];

export interface FeePosition {
  label: string;
  /** GebOSt Gebühren-Nummer. */
  nummer: string;
  nummerBestaetigt: boolean;
  cents: number;
}

export interface FeeRow {
  /** First day the row applies (inclusive). */
  validFrom: IsoDate;
  positionen: Record<FeeCode, FeePosition>;
}

export const DEFAULT_FEES: FeeRow[] = [
  {
    validFrom: '2021-01-01',
    positionen: {
      zulassung: {
        label: 'Zulassung eines Fahrzeugs mit Zuteilung des Kennzeichens',
        nummer: '221',
        nummerBestaetigt: false,
        cents: 2700,
      },
      wiederzulassung: {
        label: 'Wiederzulassung eines außer Betrieb gesetzten Fahrzeugs',
        nummer: '221',
        nummerBestaetigt: false,
        cents: 2700,
      },
      umschreibung_bezirk: {
        label: 'Umschreibung auf einen neuen Halter im Zulassungsbezirk',
        nummer: '221',
        nummerBestaetigt: false,
        cents: 1670,
      },
      umschreibung_fremd: {
        label: 'Umschreibung aus einem anderen Zulassungsbezirk mit Kennzeichenwechsel',
        nummer: '221',
        nummerBestaetigt: false,
        cents: 2700,
      },
      ausserbetriebsetzung: {
        label: 'Außerbetriebsetzung im Zulassungsbezirk',
        nummer: '224.1',
        nummerBestaetigt: true,
        cents: 690,
      },
      ausserbetriebsetzung_fremd: {
        label: 'Außerbetriebsetzung eines Fahrzeugs aus einem anderen Zulassungsbezirk',
        nummer: '224.2',
        nummerBestaetigt: true,
        cents: 1020,
      },
      verwertungsnachweis: {
        label: 'Entgegennahme des Verwertungsnachweises mit der Außerbetriebsetzung',
        nummer: '224.3',
        nummerBestaetigt: true,
        cents: 510,
      },
      anschrift: {
        label: 'Änderung der Anschrift in den Fahrzeugpapieren',
        nummer: '223',
        nummerBestaetigt: false,
        cents: 1020,
      },
      kurzzeit: {
        label: 'Zuteilung eines Kurzzeitkennzeichens',
        nummer: '221',
        nummerBestaetigt: false,
        cents: 1020,
      },
      wunschkennzeichen: {
        label: 'Zuteilung eines Wunschkennzeichens',
        nummer: '230',
        nummerBestaetigt: true,
        cents: 1020,
      },
      reservierung: {
        label: 'Vorabreservierung des Kennzeichens',
        nummer: '230',
        nummerBestaetigt: false,
        cents: 260,
      },
    },
  },
];

const position = z
  .object({
    label: z.string().trim().min(1, 'Bezeichnung: Bitte angeben.').max(200),
    nummer: z
      .string()
      .trim()
      .regex(/^\d{3}(\.\d{1,2})?$/, 'Gebühren-Nummer: z. B. 221 oder 224.1.'),
    nummerBestaetigt: z.boolean().default(false),
    cents: z
      .number({ error: 'Betrag: in Cent, ganzzahlig.' })
      .int('Betrag: in Cent, ganzzahlig.')
      .min(0, 'Betrag: nicht negativ.')
      .max(100_000, 'Betrag: höchstens 1.000,00 EUR.'),
  })
  .strict();

/** An office's row as it is stored and sent: every position present. */
export const feeRowSchema = z
  .object({
    validFrom: z
      .string()
      .regex(/^\d{4}-\d{2}-\d{2}$/, 'Gültig ab: Bitte ein Datum im Format JJJJ-MM-TT angeben.'),
    positionen: z
      .object(Object.fromEntries(FEE_CODES.map((c) => [c, position])) as Record<FeeCode, typeof position>)
      .strict(),
  })
  .strict();

export class FeeTableError extends Error {}

/** The row that applies on `on`: the latest with validFrom ≤ on (office rows before the defaults). */
export function feeRowOn(rows: readonly FeeRow[], on: IsoDate): FeeRow {
  let found: FeeRow | undefined;
  for (const r of rows) if (r.validFrom <= on && (!found || r.validFrom > found.validFrom)) found = r;
  if (!found) throw new FeeTableError(`Keine Gebühren für den ${on} hinterlegt.`);
  return found;
}

/** What the fee of a case depends on besides the procedure. */
export interface FeeInput {
  procedureId: string;
  antragsdatum: IsoDate;
  umschreibungAusAnderemBezirk?: boolean;
  verwertungsnachweis?: boolean;
  /** Außerbetriebsetzung of a vehicle with a plate of another district. */
  ausserbetriebsetzungFremd?: boolean;
  /** How the plate was chosen (once allocated). */
  kennzeichenWahl?: 'naechstes' | 'wunsch' | 'reservierung' | 'behalten' | null;
  /** Außerbetriebsetzung: the plate is reserved for the holder. */
  reservierungBeiAbmeldung?: boolean;
}

function fee(row: FeeRow, c: FeeCode): Fee {
  const p = row.positionen[c];
  return {
    code: c,
    label: p.label,
    amountCents: p.cents,
    basis: `GebOSt Gebühren-Nr. ${p.nummer}${p.nummerBestaetigt ? '' : ' (Nummer unbestätigt)'}`,
  };
}

export function kfzFees(input: FeeInput, rows: readonly FeeRow[]): Fee[] {
  const row = feeRowOn(rows, input.antragsdatum);
  const out: Fee[] = [];
  switch (input.procedureId) {
    case 'neuzulassung':
      out.push(fee(row, 'zulassung'));
      break;
    case 'wiederzulassung':
      out.push(fee(row, 'wiederzulassung'));
      break;
    case 'umschreibung':
      out.push(fee(row, input.umschreibungAusAnderemBezirk ? 'umschreibung_fremd' : 'umschreibung_bezirk'));
      break;
    case 'ausserbetriebsetzung':
      out.push(
        fee(row, input.ausserbetriebsetzungFremd ? 'ausserbetriebsetzung_fremd' : 'ausserbetriebsetzung'),
      );
      if (input.verwertungsnachweis) out.push(fee(row, 'verwertungsnachweis'));
      if (input.reservierungBeiAbmeldung) out.push(fee(row, 'reservierung'));
      break;
    case 'anschriftenaenderung':
      out.push(fee(row, 'anschrift'));
      break;
    case 'kurzzeitkennzeichen':
      out.push(fee(row, 'kurzzeit'));
      break;
    default:
      throw new FeeTableError(`Keine Gebühren für das Verfahren ${input.procedureId}.`);
  }
  if (input.kennzeichenWahl === 'wunsch' || input.kennzeichenWahl === 'reservierung') {
    out.push(fee(row, 'wunschkennzeichen'));
  }
  if (input.kennzeichenWahl === 'reservierung') out.push(fee(row, 'reservierung'));
  return out;
}

export function totalCents(fees: readonly Fee[]): number {
  return fees.reduce((s, f) => s + f.amountCents, 0);
}
