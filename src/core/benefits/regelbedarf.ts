import { ageOn, type IsoDate, isValidIsoDate } from '../dates.js';

/**
 * Regelbedarfe of SGB XII (Anlage zu § 28 SGB XII, updated each 1 January by the
 * Regelbedarfsstufen-Fortschreibungsverordnung, RBSFV) and the derivation of a person's
 * Regelbedarfsstufe from age and living situation. Browser-safe (data and pure functions): the web
 * app shows the same figures the server computes. Money in integer cents. A benefit month is
 * judged by the table of that month, never by "today".
 *
 * Used by the Sozialhilfe family (Hilfe zum Lebensunterhalt, Grundsicherung) and by § 2 AsylbLG
 * (analogue benefits use the SGB XII rates). See docs/PAYMENTS.md, "core/benefits".
 *
 * Sources (FACTS.md §6): RBSFV 2024, 2025 and 2026 — the same amounts in all three years
 * ("Nullrunde" 2025 and 2026): Stufe 1 563 EUR, 2 506 EUR, 3 451 EUR, 4 471 EUR, 5 390 EUR,
 * 6 357 EUR. Stufen per Anlage zu § 28 SGB XII: 1 adult in a dwelling (§ 42a Abs. 2 S. 2) for whom
 * Stufe 2 does not apply; 2 adult living with a spouse or partner, or in shared rooms (§ 42a
 * Abs. 2 S. 3); 3 adult whose livelihood is determined by § 27b (institution); 4 youth from the
 * 15th year of life to the completed 18th (age 14-17); 5 child from the 7th to the completed 14th
 * (age 6-13); 6 child up to the completed 6th year (age 0-5).
 */

export const REGELBEDARFSSTUFEN = [1, 2, 3, 4, 5, 6] as const;
export type Regelbedarfsstufe = (typeof REGELBEDARFSSTUFEN)[number];

export const STUFE_LABELS: Record<Regelbedarfsstufe, string> = {
  1: 'Regelbedarfsstufe 1 (Erwachsene, alleinstehend oder ohne Partner)',
  2: 'Regelbedarfsstufe 2 (Erwachsene mit Partner oder in geteiltem Wohnraum)',
  3: 'Regelbedarfsstufe 3 (Erwachsene in einer Einrichtung, § 27b SGB XII)',
  4: 'Regelbedarfsstufe 4 (Jugendliche von 14 bis 17 Jahren)',
  5: 'Regelbedarfsstufe 5 (Kinder von 6 bis 13 Jahren)',
  6: 'Regelbedarfsstufe 6 (Kinder unter 6 Jahren)',
};

/** One row of the dated table: the monthly amounts from `validFrom` on, in cents, by Stufe. */
export interface RegelbedarfRow {
  /** First day the row applies (inclusive), a 1 January in practice. */
  validFrom: IsoDate;
  cents: Record<Regelbedarfsstufe, number>;
  /** Where the figures come from (shown in calculations and Bescheide). */
  source: string;
}

export interface RegelbedarfTable {
  rows: RegelbedarfRow[];
  /**
   * Last day for which the table is confirmed. After it, the last row continues — the Anlage zu
   * § 28 SGB XII stays in force until a new RBSFV changes it — but the amount is marked
   * unconfirmed, so that a clerk sees that the table needs the new year's figures.
   */
  confirmedUntil: IsoDate;
}

const RATES_2024_2026: Record<Regelbedarfsstufe, number> = {
  1: 56300,
  2: 50600,
  3: 45100,
  4: 47100,
  5: 39000,
  6: 35700,
};

export const DEFAULT_REGELBEDARF_TABLE: RegelbedarfTable = {
  rows: [
    { validFrom: '2024-01-01', cents: { ...RATES_2024_2026 }, source: 'RBSFV 2024 (Anlage zu § 28 SGB XII)' },
    { validFrom: '2025-01-01', cents: { ...RATES_2024_2026 }, source: 'RBSFV 2025 (Nullrunde)' },
    { validFrom: '2026-01-01', cents: { ...RATES_2024_2026 }, source: 'RBSFV 2026 (Nullrunde)' },
  ],
  confirmedUntil: '2026-12-31',
};

export class RegelbedarfError extends Error {}

export interface RegelbedarfAmount {
  stufe: Regelbedarfsstufe;
  cents: number;
  /** The day the amount was looked up for. */
  on: IsoDate;
  validFrom: IsoDate;
  source: string;
  /** True when `on` lies after the confirmed part of the table (the last row continues). */
  unconfirmed: boolean;
}

/** The Regelbedarf of a Stufe on a day (the first day of the benefit month, as a rule). */
export function regelbedarf(
  stufe: Regelbedarfsstufe,
  on: IsoDate,
  table: RegelbedarfTable = DEFAULT_REGELBEDARF_TABLE,
): RegelbedarfAmount {
  if (!isValidIsoDate(on)) throw new RegelbedarfError(`Kein gültiges Datum: ${on}`);
  if (!REGELBEDARFSSTUFEN.includes(stufe))
    throw new RegelbedarfError(`Unbekannte Regelbedarfsstufe ${stufe}`);
  let row: RegelbedarfRow | undefined;
  for (const r of table.rows) if (r.validFrom <= on && (!row || r.validFrom > row.validFrom)) row = r;
  if (!row) {
    throw new RegelbedarfError(
      `Für den ${on.split('-').reverse().join('.')} ist kein Regelbedarf hinterlegt (Tabelle ab ${table.rows
        .map((r) => r.validFrom)
        .sort()[0]
        ?.split('-')
        .reverse()
        .join('.')}).`,
    );
  }
  return {
    stufe,
    cents: row.cents[stufe],
    on,
    validFrom: row.validFrom,
    source: row.source,
    unconfirmed: on > table.confirmedUntil,
  };
}

/**
 * Living situation of a person for the Stufe (Anlage zu § 28 SGB XII):
 * - `eigener_haushalt`: lives in a dwelling without a partner (alone, with children, with parents
 *   or in a flat share with a room of their own and a kitchen of their own use) → adults Stufe 1;
 * - `mit_partner`: lives in a dwelling with a spouse, civil partner or partner → adults Stufe 2;
 * - `geteilter_wohnraum`: has a personal room but shares further rooms with others and does not
 *   live in a dwelling (§ 42a Abs. 2 S. 3; e.g. a shared accommodation) → adults Stufe 2;
 * - `einrichtung`: livelihood determined by § 27b (stationary institution) → adults Stufe 3.
 * Children and youths get their Stufe by age whatever their living situation.
 */
export const WOHNSITUATIONEN = [
  'eigener_haushalt',
  'mit_partner',
  'geteilter_wohnraum',
  'einrichtung',
] as const;
export type Wohnsituation = (typeof WOHNSITUATIONEN)[number];

export const WOHNSITUATION_LABELS: Record<Wohnsituation, string> = {
  eigener_haushalt: 'Wohnung ohne Partner (allein, mit Kindern, bei Eltern)',
  mit_partner: 'Wohnung mit Ehegatte oder Partner',
  geteilter_wohnraum: 'Persönlicher Wohnraum, weitere Räume geteilt (§ 42a Abs. 2 S. 3 SGB XII)',
  einrichtung: 'Einrichtung (§ 27b SGB XII)',
};

export interface StufeDerivation {
  stufe: Regelbedarfsstufe;
  /** Age in whole years on the reference day. */
  age: number;
  /** German explanation, e.g. "17 Jahre: Jugendliche(r) von 14 bis 17". */
  reason: string;
}

/**
 * The Regelbedarfsstufe of a person on a day, from the date of birth and the living situation.
 * For a benefit month the reference day is the first of the month (docs/PAYMENTS.md): a birthday
 * within the month changes the Stufe from the following month.
 */
export function regelbedarfsstufe(
  person: { geburtsdatum: IsoDate; wohnsituation: Wohnsituation },
  on: IsoDate,
): StufeDerivation {
  if (!isValidIsoDate(person.geburtsdatum)) throw new RegelbedarfError('Geburtsdatum ungültig.');
  if (!isValidIsoDate(on)) throw new RegelbedarfError(`Kein gültiges Datum: ${on}`);
  if (person.geburtsdatum > on) {
    throw new RegelbedarfError('Die Person ist an diesem Tag noch nicht geboren.');
  }
  const age = ageOn(person.geburtsdatum, on);
  const years = `${age} ${age === 1 ? 'Jahr' : 'Jahre'}`;
  if (age < 6) return { stufe: 6, age, reason: `${years}: Kind unter 6 Jahren` };
  if (age < 14) return { stufe: 5, age, reason: `${years}: Kind von 6 bis 13 Jahren` };
  if (age < 18) return { stufe: 4, age, reason: `${years}: Jugendliche(r) von 14 bis 17 Jahren` };
  switch (person.wohnsituation) {
    case 'einrichtung':
      return { stufe: 3, age, reason: `${years}, Einrichtung (§ 27b SGB XII)` };
    case 'mit_partner':
      return { stufe: 2, age, reason: `${years}, lebt mit Partner(in) zusammen` };
    case 'geteilter_wohnraum':
      return { stufe: 2, age, reason: `${years}, geteilter Wohnraum (§ 42a Abs. 2 S. 3 SGB XII)` };
    case 'eigener_haushalt':
      return { stufe: 1, age, reason: `${years}, Wohnung ohne Partner(in)` };
  }
}

/** First day of a benefit month "YYYY-MM". */
export function firstOfMonth(month: string): IsoDate {
  if (!/^\d{4}-(0[1-9]|1[0-2])$/.test(month)) throw new RegelbedarfError(`Kein gültiger Monat: ${month}`);
  return `${month}-01`;
}

/**
 * Reads a Regelbedarf table from JSON (operations add the next year's RBSFV figures without a
 * release: env NOTBETRIEB_REGELBEDARF_JSON, see docs/PAYMENTS.md). Refuses anything malformed.
 * Shape: `{ "confirmedUntil": "2027-12-31", "rows": [{ "validFrom": "2027-01-01",
 * "cents": { "1": 56300, …, "6": 35700 }, "source": "RBSFV 2027" }] }`; the rows are added to
 * (or replace, by validFrom) the built-in ones.
 */
export function parseRegelbedarfTable(
  json: string,
  base: RegelbedarfTable = DEFAULT_REGELBEDARF_TABLE,
): RegelbedarfTable {
  let raw: unknown;
  try {
    raw = JSON.parse(json);
  } catch {
    throw new RegelbedarfError('Regelbedarf-Tabelle: kein gültiges JSON.');
  }
  const o = raw as { confirmedUntil?: unknown; rows?: unknown };
  if (!o || typeof o !== 'object' || !Array.isArray(o.rows)) {
    throw new RegelbedarfError('Regelbedarf-Tabelle: "rows" fehlt.');
  }
  if (typeof o.confirmedUntil !== 'string' || !isValidIsoDate(o.confirmedUntil)) {
    throw new RegelbedarfError('Regelbedarf-Tabelle: "confirmedUntil" muss ein Datum sein.');
  }
  const rows = new Map(base.rows.map((r) => [r.validFrom, r]));
  for (const [i, r] of (o.rows as unknown[]).entries()) {
    const row = r as { validFrom?: unknown; cents?: Record<string, unknown>; source?: unknown };
    if (typeof row?.validFrom !== 'string' || !isValidIsoDate(row.validFrom)) {
      throw new RegelbedarfError(`Regelbedarf-Tabelle, Zeile ${i + 1}: "validFrom" muss ein Datum sein.`);
    }
    if (typeof row.source !== 'string' || row.source.trim() === '') {
      throw new RegelbedarfError(`Regelbedarf-Tabelle, Zeile ${i + 1}: "source" (Rechtsquelle) fehlt.`);
    }
    const cents = {} as Record<Regelbedarfsstufe, number>;
    for (const s of REGELBEDARFSSTUFEN) {
      const v = row.cents?.[String(s)];
      if (typeof v !== 'number' || !Number.isSafeInteger(v) || v <= 0 || v > 1_000_000) {
        throw new RegelbedarfError(
          `Regelbedarf-Tabelle, Zeile ${i + 1}: Stufe ${s} muss ein positiver Betrag in Cent sein.`,
        );
      }
      cents[s] = v;
    }
    rows.set(row.validFrom, { validFrom: row.validFrom, cents, source: row.source.trim() });
  }
  return {
    rows: [...rows.values()].sort((a, b) => a.validFrom.localeCompare(b.validFrom)),
    confirmedUntil: o.confirmedUntil,
  };
}

/** The table in force: the built-in one, extended by NOTBETRIEB_REGELBEDARF_JSON where set. */
export function regelbedarfTableFromEnvironment(): RegelbedarfTable {
  const json = typeof process !== 'undefined' ? process.env?.NOTBETRIEB_REGELBEDARF_JSON : undefined;
  return json ? parseRegelbedarfTable(json) : DEFAULT_REGELBEDARF_TABLE;
}
