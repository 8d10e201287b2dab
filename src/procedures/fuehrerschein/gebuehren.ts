import { z } from 'zod';
import type { IsoDate } from '../../core/dates.js';
import type { Fee } from '../../core/procedure.js';

/**
 * Fees of the Fahrerlaubnisbehörde (Gebührenordnung für Maßnahmen im Straßenverkehr, GebOSt), by
 * the law on the application date, in integer cents. The amounts an office charges are composed
 * of several GebOSt numbers and differ between offices; the published figures below are the
 * defaults and are NOT confirmed as the Südwestfalen offices' amounts: every row is marked
 * unconfirmed, and operations replace the table per office (FAHRERLAUBNIS_GEBUEHREN_JSON, see
 * docs/FUEHRERSCHEIN.md). Browser-safe.
 *
 * Published figures the defaults come from:
 * - Ersterteilung 43,40 EUR, Erweiterung 42,60 EUR (Rhein-Pfalz-Kreis, "Ersterteilung /
 *   Erweiterung eines Führerscheins");
 * - Umtausch 26,50 EUR (Kreis Mettmann, NRW, "Gebühren bei Abgabe in Ihrem Bürgerbüro");
 * - Ersatzführerschein 32,30 EUR, Versicherung an Eides statt 10,00–31,00 EUR Rahmengebühr
 *   (Landkreis Rottweil), default the lower bound;
 * - Internationaler Führerschein 15,00 EUR (Kreis Gütersloh and Stadt Mülheim an der Ruhr, NRW).
 * The Vorläufiger Nachweis itself is issued free of charge in emergency operation: it is needed
 * because the authority cannot order the card, not at the applicant's request.
 */

export const GEBUEHR_CODES = [
  'FE_ERSTERTEILUNG',
  'FE_ERWEITERUNG',
  'FE_UMTAUSCH',
  'FE_ERSATZ',
  'FE_EIDESSTATTLICH',
  'FE_INTERNATIONAL',
] as const;
export type GebuehrCode = (typeof GEBUEHR_CODES)[number];

export const GEBUEHR_POSITIONEN: Record<GebuehrCode, { label: string; basis: string }> = {
  FE_ERSTERTEILUNG: { label: 'Ersterteilung einer Fahrerlaubnis', basis: 'GebOSt (Fahrerlaubnis)' },
  FE_ERWEITERUNG: { label: 'Erweiterung einer Fahrerlaubnis', basis: 'GebOSt (Fahrerlaubnis)' },
  FE_UMTAUSCH: { label: 'Umtausch des Führerscheins', basis: 'GebOSt; § 24a FeV' },
  FE_ERSATZ: { label: 'Ersatzführerschein', basis: 'GebOSt; § 25 Abs. 4 FeV' },
  FE_EIDESSTATTLICH: {
    label: 'Abnahme einer Versicherung an Eides statt über den Verlust',
    basis: 'GebOSt (Rahmengebühr)',
  },
  FE_INTERNATIONAL: { label: 'Internationaler Führerschein', basis: 'GebOSt; §§ 25a, 25b FeV' },
};

const zeile = z
  .object({
    validFrom: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'validFrom: Datum JJJJ-MM-TT'),
    cents: z.number().int('Centbetrag: ganze Zahl').min(0).max(100_000),
    unconfirmed: z.boolean().optional(),
  })
  .strict();
export type GebuehrZeile = z.output<typeof zeile>;

const satz = z.partialRecord(z.enum(GEBUEHR_CODES), z.array(zeile).min(1));

const tabelleSchema = z
  .object({
    standard: z.record(z.enum(GEBUEHR_CODES), z.array(zeile).min(1)),
    /** Per office (AGS of the Kreis): codes listed here replace the standard's rows. */
    behoerden: z.record(z.string().regex(/^\d{8}$/, 'AGS: acht Ziffern'), satz).optional(),
  })
  .strict();
export type GebuehrenTabelle = z.output<typeof tabelleSchema>;

const DEFAULT_ROW = (cents: number): GebuehrZeile[] => [
  { validFrom: '2021-01-01', cents, unconfirmed: true },
];

export const STANDARD_GEBUEHREN: GebuehrenTabelle = {
  standard: {
    FE_ERSTERTEILUNG: DEFAULT_ROW(4340),
    FE_ERWEITERUNG: DEFAULT_ROW(4260),
    FE_UMTAUSCH: DEFAULT_ROW(2650),
    FE_ERSATZ: DEFAULT_ROW(3230),
    FE_EIDESSTATTLICH: DEFAULT_ROW(1000),
    FE_INTERNATIONAL: DEFAULT_ROW(1500),
  },
};

export class GebuehrenError extends Error {}

export function parseGebuehren(json: string): GebuehrenTabelle {
  let raw: unknown;
  try {
    raw = JSON.parse(json);
  } catch {
    throw new GebuehrenError('Gebührentabelle Fahrerlaubnis: kein gültiges JSON.');
  }
  const r = tabelleSchema.safeParse(raw);
  if (!r.success) {
    const i = r.error.issues[0];
    throw new GebuehrenError(
      `Gebührentabelle Fahrerlaubnis: ${i?.path.join('.') || '(Wurzel)'} ungültig – ${i?.message}`,
    );
  }
  return r.data;
}

/** The table of this installation: FAHRERLAUBNIS_GEBUEHREN_JSON on the server, else the default. */
export function gebuehrenAusUmgebung(): GebuehrenTabelle {
  const json = typeof process !== 'undefined' ? process.env?.FAHRERLAUBNIS_GEBUEHREN_JSON : undefined;
  return json ? parseGebuehren(json) : STANDARD_GEBUEHREN;
}

const NICHT_BESTAETIGT = ' (Standardbetrag, nicht bestätigt – Gebührentabelle der Behörde hinterlegen)';

/** The row that applies on `on`: the latest with validFrom <= on. */
function rowOn(rows: readonly GebuehrZeile[], on: IsoDate, code: GebuehrCode): GebuehrZeile {
  let found: GebuehrZeile | undefined;
  for (const r of rows) if (r.validFrom <= on && (!found || r.validFrom > found.validFrom)) found = r;
  if (!found)
    throw new GebuehrenError(`Keine Gebühr „${GEBUEHR_POSITIONEN[code].label}" am ${on} hinterlegt.`);
  return found;
}

/** Fee positions for the codes, by the table of the office (`ags`) on the day `on`. */
export function gebuehren(
  codes: readonly GebuehrCode[],
  on: IsoDate,
  ags: string | null,
  tabelle: GebuehrenTabelle = STANDARD_GEBUEHREN,
): Fee[] {
  const office = ags ? tabelle.behoerden?.[ags] : undefined;
  return codes.map((code) => {
    const rows = office?.[code] ?? tabelle.standard[code];
    const r = rowOn(rows, on, code);
    const p = GEBUEHR_POSITIONEN[code];
    return {
      code,
      label: `${p.label}${r.unconfirmed ? NICHT_BESTAETIGT : ''}`,
      amountCents: r.cents,
      basis: p.basis,
    };
  });
}

export function summeCents(fees: readonly Fee[]): number {
  return fees.reduce((s, f) => s + f.amountCents, 0);
}
