/**
 * Calendar months as ISO strings "YYYY-MM" (benefit months, payment periods, "gültig ab" of a
 * decision), the form they are stored in. Plain string arithmetic, no time zone involved. Kept
 * apart from dates.ts (which loads the holiday calendar) so that the web app's first bundle can
 * import it through the families' ids.ts.
 */
export type IsoMonth = string;

const MONTH_RE = /^\d{4}-(0[1-9]|1[0-2])$/;

export const MONATSNAMEN = [
  'Januar',
  'Februar',
  'März',
  'April',
  'Mai',
  'Juni',
  'Juli',
  'August',
  'September',
  'Oktober',
  'November',
  'Dezember',
] as const;

export function isMonth(value: string): boolean {
  return MONTH_RE.test(value);
}

/** "2026-12" → "Dezember 2026" (as in Bescheide, Verwendungszwecke and the UI). */
export function monatText(month: IsoMonth): string {
  const [y, m] = month.split('-');
  return `${MONATSNAMEN[Number(m) - 1] ?? m} ${y}`;
}

/** The month of a day: "2026-12-15" → "2026-12". */
export function monthOf(day: string): IsoMonth {
  return day.slice(0, 7);
}

/** The month `n` months after `month` (n may be negative): ("2026-11", 3) → "2027-02". */
export function addMonthsTo(month: IsoMonth, n: number): IsoMonth {
  const [y, m] = month.split('-').map(Number) as [number, number];
  const total = y * 12 + (m - 1) + n;
  return `${Math.floor(total / 12)}-${String((total % 12) + 1).padStart(2, '0')}`;
}

export function nextMonth(month: IsoMonth): IsoMonth {
  return addMonthsTo(month, 1);
}

export function daysInMonth(month: IsoMonth): number {
  const [y, m] = month.split('-').map(Number) as [number, number];
  return new Date(Date.UTC(y, m, 0)).getUTCDate();
}
