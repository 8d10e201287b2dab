import { addDays, type IsoDate } from '../../core/dates.js';

/** Month arithmetic of the Ausländerbehörde (validity periods, waiting periods, the watch-list). */

/**
 * Full months elapsed after the event day `from` up to and including the day before `to` (the
 * event day does not count, § 187 Abs. 1 BGB; a month ends with the day of the same number,
 * § 188 Abs. 2, or the month's last day, § 188 Abs. 3): 15.01. -> 15.02. is 0, -> 16.02. is 1;
 * 31.01. -> 28.02. is 0, -> 01.03. is 1.
 */
export function volleMonate(from: IsoDate, to: IsoDate): number {
  const [y1, m1] = from.split('-').map(Number) as [number, number];
  const [y2, m2] = to.split('-').map(Number) as [number, number];
  let n = Math.max(0, (y2 - y1) * 12 + (m2 - m1));
  while (n > 0 && nachMonaten(from, n) >= to) n--;
  while (nachMonaten(from, n + 1) < to) n++;
  return n;
}

/** The first day after a waiting period of `months` months from the event day `from`. */
export function nachWartezeit(from: IsoDate, months: number): IsoDate {
  return addDays(nachMonaten(from, months), 1);
}

/** The day `months` full months after `from` (the month's last day where the day is missing). */
export function nachMonaten(from: IsoDate, months: number): IsoDate {
  const [y, m, d] = from.split('-').map(Number) as [number, number, number];
  const idx = y * 12 + (m - 1) + months;
  const ty = Math.floor(idx / 12);
  const tm = (idx % 12) + 1;
  const last = new Date(Date.UTC(ty, tm, 0)).getUTCDate();
  return `${String(ty).padStart(4, '0')}-${String(tm).padStart(2, '0')}-${String(Math.min(d, last)).padStart(2, '0')}`;
}

/**
 * The last day of a period of `months` months starting on `ab` (the first day counts, § 187
 * Abs. 2 BGB): the day before the day with the same number `months` later (§ 188 Abs. 2 BGB);
 * where that month has no such day, its last day (§ 188 Abs. 3 BGB). 15.01. + 1 month -> 14.02.;
 * 31.01. + 1 month -> 28.02. (29.02. in leap years); 30.11. + 3 months -> 28.02.
 */
export function fristEnde(ab: IsoDate, months: number): IsoDate {
  const same = nachMonaten(ab, months);
  // nachMonaten clamped to the month's last day: that month has no day with this number.
  if (same.slice(8) !== ab.slice(8)) return same;
  return addDays(same, -1);
}

/** Days from `from` to `to` (negative when `to` is earlier). */
export function tageBis(from: IsoDate, to: IsoDate): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}
