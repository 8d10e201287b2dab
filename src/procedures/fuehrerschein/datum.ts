import { addDays, type IsoDate } from '../../core/dates.js';

/**
 * Calendar arithmetic the licence rules need, on ISO dates (browser-safe). Ages follow
 * `ageOn` of core/dates.ts: a birthday counts from the day itself, and someone born on 29 February
 * has the birthday of a common year on 1 March.
 */

function parts(iso: IsoDate): [number, number, number] {
  return iso.split('-').map(Number) as [number, number, number];
}

function iso(y: number, m: number, d: number): IsoDate {
  return `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

function daysInMonth(y: number, m: number): number {
  return new Date(Date.UTC(y, m, 0, 12)).getUTCDate();
}

/** The day on which a person born on `birth` reaches the age `years` (29 Feb -> 1 Mar). */
export function dateOfAge(birth: IsoDate, years: number): IsoDate {
  const [y, m, d] = parts(birth);
  const ty = y + years;
  if (d > daysInMonth(ty, m)) return addDays(iso(ty, m, daysInMonth(ty, m)), 1);
  return iso(ty, m, d);
}

/** `months` calendar months later; a day that does not exist becomes the month's last day. */
export function addMonths(date: IsoDate, months: number): IsoDate {
  const [y, m, d] = parts(date);
  const total = y * 12 + (m - 1) + months;
  const ty = Math.floor(total / 12);
  const tm = (total % 12) + 1;
  return iso(ty, tm, Math.min(d, daysInMonth(ty, tm)));
}

/** `years` later; 29 February becomes 28 February in a common year. */
export function addYears(date: IsoDate, years: number): IsoDate {
  return addMonths(date, years * 12);
}

export function maxDate(a: IsoDate, b: IsoDate): IsoDate {
  return a > b ? a : b;
}

export function minDate(a: IsoDate, b: IsoDate): IsoDate {
  return a < b ? a : b;
}
