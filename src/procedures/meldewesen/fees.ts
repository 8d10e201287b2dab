import { addDays, ageOn, type IsoDate } from '../../core/dates.js';
import type { Fee } from '../../core/procedure.js';

/**
 * Fees and validity of ID documents, by the law on the application date (FACTS.md §3).
 * Money in integer cents. The table is data, not code: operations can replace it (env
 * AUSWEIS_GEBUEHREN_JSON, see docs/REGISTER.md) — in particular the passport fees for 2026, which
 * could not be confirmed.
 *
 * Sources: Personalausweisgebührenverordnung (PAuswGebV) § 1: 37,00 EUR / 22,80 EUR (under 24)
 * until 6 Feb 2026, 46,00 EUR / 27,60 EUR from 7 Feb 2026; vorläufiger Personalausweis 10,00 EUR;
 * +13,00 EUR when the application is made outside office hours at the applicant's request or at a
 * non-responsible authority. Passverordnung (PassV) § 15: Reisepass 70,00 EUR (24 and older;
 * 60,00 EUR until 31 Dec 2023), 37,50 EUR under 24; 48 pages +22,00 EUR; express +32,00 EUR;
 * vorläufiger Reisepass 26,00 EUR.
 */

export const DOKUMENTARTEN = {
  personalausweis: 'Personalausweis',
  reisepass: 'Reisepass',
  vorlaeufiger_personalausweis: 'Vorläufiger Personalausweis',
  vorlaeufiger_reisepass: 'Vorläufiger Reisepass',
} as const;
export type Dokumentart = keyof typeof DOKUMENTARTEN;

interface Dated {
  /** First day the row applies (inclusive). */
  validFrom: IsoDate;
  /** True when the figure could not be confirmed (shown with the fee). */
  unconfirmed?: boolean;
}

export interface AusweisFeeTable {
  personalausweis: Array<Dated & { ab24Cents: number; unter24Cents: number }>;
  vorlaeufigerPersonalausweis: Array<Dated & { cents: number }>;
  reisepass: Array<
    Dated & { ab24Cents: number; unter24Cents: number; seiten48Cents: number; expressCents: number }
  >;
  vorlaeufigerReisepass: Array<Dated & { cents: number }>;
  /** Surcharge outside office hours / at a non-responsible authority (PAuswGebV § 1). */
  zuschlagPersonalausweis: Array<Dated & { cents: number }>;
  /** Same for passports; UNCONFIRMED, configurable. */
  zuschlagReisepass: Array<Dated & { cents: number }>;
}

export const DEFAULT_FEE_TABLE: AusweisFeeTable = {
  personalausweis: [
    { validFrom: '2021-01-01', ab24Cents: 3700, unter24Cents: 2280 },
    { validFrom: '2026-02-07', ab24Cents: 4600, unter24Cents: 2760 },
  ],
  vorlaeufigerPersonalausweis: [{ validFrom: '2021-01-01', cents: 1000 }],
  reisepass: [
    { validFrom: '2021-01-01', ab24Cents: 6000, unter24Cents: 3750, seiten48Cents: 2200, expressCents: 3200 },
    { validFrom: '2024-01-01', ab24Cents: 7000, unter24Cents: 3750, seiten48Cents: 2200, expressCents: 3200 },
    // Whether passport fees changed in 2026 is UNCONFIRMED (FACTS.md §3): the 2024 figures continue.
    {
      validFrom: '2026-01-01',
      ab24Cents: 7000,
      unter24Cents: 3750,
      seiten48Cents: 2200,
      expressCents: 3200,
      unconfirmed: true,
    },
  ],
  vorlaeufigerReisepass: [{ validFrom: '2021-01-01', cents: 2600 }],
  zuschlagPersonalausweis: [{ validFrom: '2021-01-01', cents: 1300 }],
  zuschlagReisepass: [{ validFrom: '2021-01-01', cents: 1300, unconfirmed: true }],
};

export class FeeTableError extends Error {}

function rowOn<T extends Dated>(rows: T[], on: IsoDate, what: string): T {
  let found: T | undefined;
  for (const r of rows) if (r.validFrom <= on && (!found || r.validFrom > found.validFrom)) found = r;
  if (!found) throw new FeeTableError(`Keine Gebühr für ${what} am ${on} hinterlegt.`);
  return found;
}

/** Reads a fee table from JSON (operations override); refuses anything malformed. */
export function parseFeeTable(json: string): AusweisFeeTable {
  const t = JSON.parse(json) as AusweisFeeTable;
  const cents = (v: unknown) => Number.isSafeInteger(v) && (v as number) >= 0;
  const date = (v: unknown) => typeof v === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(v);
  for (const key of Object.keys(DEFAULT_FEE_TABLE) as Array<keyof AusweisFeeTable>) {
    const rows = t[key] as unknown;
    if (!Array.isArray(rows) || rows.length === 0) throw new FeeTableError(`Gebührentabelle: ${key} fehlt`);
    for (const r of rows as Array<Record<string, unknown>>) {
      if (!date(r.validFrom)) throw new FeeTableError(`Gebührentabelle: ${key}.validFrom ist kein Datum`);
      for (const [k, v] of Object.entries(r)) {
        if (k.endsWith('Cents') && !cents(v))
          throw new FeeTableError(`Gebührentabelle: ${key}.${k} ist kein Centbetrag`);
      }
    }
  }
  return t;
}

export interface FeeInput {
  art: Dokumentart;
  geburtsdatum: IsoDate;
  antragsdatum: IsoDate;
  seiten?: '32' | '48' | undefined;
  express?: boolean | undefined;
  /** Outside office hours at the applicant's request, or at a non-responsible authority. */
  zuschlag?: boolean | undefined;
}

const UNCONFIRMED_NOTE = ' (Betrag für 2026 nicht bestätigt, konfigurierbar)';

/** The fee positions for an application, by the law on the application date. */
export function ausweisFees(input: FeeInput, table: AusweisFeeTable = DEFAULT_FEE_TABLE): Fee[] {
  const on = input.antragsdatum;
  const under24 = ageOn(input.geburtsdatum, on) < 24;
  const fees: Fee[] = [];
  const note = (r: Dated) => (r.unconfirmed ? UNCONFIRMED_NOTE : '');
  switch (input.art) {
    case 'personalausweis': {
      const r = rowOn(table.personalausweis, on, 'den Personalausweis');
      fees.push({
        code: under24 ? 'PA_U24' : 'PA',
        label: `Personalausweis${under24 ? ' (unter 24 Jahre)' : ''}`,
        amountCents: under24 ? r.unter24Cents : r.ab24Cents,
        basis: 'PAuswGebV § 1 Abs. 1',
      });
      break;
    }
    case 'vorlaeufiger_personalausweis': {
      const r = rowOn(table.vorlaeufigerPersonalausweis, on, 'den vorläufigen Personalausweis');
      fees.push({
        code: 'VPA',
        label: 'Vorläufiger Personalausweis',
        amountCents: r.cents,
        basis: 'PAuswGebV § 1 Abs. 1',
      });
      break;
    }
    case 'reisepass': {
      const r = rowOn(table.reisepass, on, 'den Reisepass');
      fees.push({
        code: under24 ? 'RP_U24' : 'RP',
        label: `Reisepass, 32 Seiten${under24 ? ' (unter 24 Jahre)' : ''}${note(r)}`,
        amountCents: under24 ? r.unter24Cents : r.ab24Cents,
        basis: 'PassV § 15 Abs. 1',
      });
      if (input.seiten === '48') {
        fees.push({
          code: 'RP_48',
          label: `Zuschlag 48 Seiten${note(r)}`,
          amountCents: r.seiten48Cents,
          basis: 'PassV § 15',
        });
      }
      if (input.express) {
        fees.push({
          code: 'RP_EXPRESS',
          label: `Expressverfahren${note(r)}`,
          amountCents: r.expressCents,
          basis: 'PassV § 15',
        });
      }
      break;
    }
    case 'vorlaeufiger_reisepass': {
      const r = rowOn(table.vorlaeufigerReisepass, on, 'den vorläufigen Reisepass');
      fees.push({
        code: 'VRP',
        label: `Vorläufiger Reisepass${note(r)}`,
        amountCents: r.cents,
        basis: 'PassV § 15',
      });
      break;
    }
  }
  if (input.zuschlag) {
    const passport = input.art === 'reisepass' || input.art === 'vorlaeufiger_reisepass';
    const r = rowOn(passport ? table.zuschlagReisepass : table.zuschlagPersonalausweis, on, 'den Zuschlag');
    fees.push({
      code: 'ZUSCHLAG',
      label: `Zuschlag außerhalb der Dienstzeit / nicht zuständige Behörde${note(r)}`,
      amountCents: r.cents,
      basis: passport ? 'PassV § 15' : 'PAuswGebV § 1',
    });
  }
  return fees;
}

export function totalCents(fees: Fee[]): number {
  return fees.reduce((s, f) => s + f.amountCents, 0);
}

function addYears(iso: IsoDate, years: number): IsoDate {
  const [y, m, d] = iso.split('-').map(Number) as [number, number, number];
  // 29 Feb + n years -> 28 Feb when the target year has no 29 Feb.
  const target = new Date(Date.UTC(y + years, m - 1, d, 12));
  if (target.getUTCMonth() !== m - 1) target.setUTCDate(0);
  return target.toISOString().slice(0, 10);
}

function addMonths(iso: IsoDate, months: number): IsoDate {
  const [y, m, d] = iso.split('-').map(Number) as [number, number, number];
  const target = new Date(Date.UTC(y, m - 1 + months, d, 12));
  if (target.getUTCDate() !== d) target.setUTCDate(0);
  return target.toISOString().slice(0, 10);
}

/**
 * Last day of validity when issued on `issuedOn`: Personalausweis and Reisepass 10 years, 6 years
 * if the holder is under 24 at application (PAuswG § 6 Abs. 1, PassG § 5 Abs. 1); vorläufiger
 * Personalausweis at most 3 months (PAuswG § 6 Abs. 3); vorläufiger Reisepass at most 1 year
 * (PassG § 5 Abs. 3). The document is valid up to and including the day before the anniversary.
 */
export function validUntil(
  art: Dokumentart,
  geburtsdatum: IsoDate,
  antragsdatum: IsoDate,
  issuedOn: IsoDate,
): IsoDate {
  const under24 = ageOn(geburtsdatum, antragsdatum) < 24;
  switch (art) {
    case 'personalausweis':
    case 'reisepass':
      return addDays(addYears(issuedOn, under24 ? 6 : 10), -1);
    case 'vorlaeufiger_personalausweis':
      return addDays(addMonths(issuedOn, 3), -1);
    case 'vorlaeufiger_reisepass':
      return addDays(addYears(issuedOn, 1), -1);
  }
}
