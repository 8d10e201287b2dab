import { addDays, hourInGermany, type IsoDate, todayInGermany } from '../../../core/dates.js';

/**
 * Time in Germany for the board: days count in Europe/Berlin (like deadlines), timestamps are
 * stored in UTC. German offsets are whole hours, so a UTC hour always lies in one German day.
 */
/** The hour (0–23) in Germany at an instant. */
export const berlinHour = hourInGermany;

/** Offset of German time from UTC in hours at an instant (1 or 2). */
function offsetHours(at: Date): number {
  return (berlinHour(at) - at.getUTCHours() + 24) % 24;
}

/**
 * The UTC instant of 00:00 German time on a day. The offset at that midnight is the one of the
 * previous day's noon (clocks change at 02:00/03:00, after midnight).
 */
export function berlinMidnightUtc(day: IsoDate): Date {
  const noonBefore = new Date(`${addDays(day, -1)}T12:00:00Z`);
  return new Date(Date.parse(`${day}T00:00:00Z`) - offsetHours(noonBefore) * 3_600_000);
}

/** The UTC instant of a German wall-clock time (HH:MM) on a day. */
export function berlinTimeUtc(day: IsoDate, hhmm: string): Date {
  const [h, m] = hhmm.split(':').map(Number) as [number, number];
  const guess = new Date(Date.parse(`${day}T${hhmm}:00Z`) - 3_600_000);
  const off = offsetHours(guess);
  return new Date(Date.parse(`${day}T00:00:00Z`) + (h * 60 + m) * 60_000 - off * 3_600_000);
}

/** German day of a stored UTC hour bucket ("2026-12-03T22" → "2026-12-03" or "2026-12-04"). */
export function dayOfHourBucket(bucket: string): IsoDate {
  return todayInGermany(new Date(`${bucket}:00:00Z`));
}

/** The last `n` German days up to and including today, oldest first. */
export function lastDays(today: IsoDate, n: number): IsoDate[] {
  return Array.from({ length: n }, (_, i) => addDays(today, i - n + 1));
}

const GERMAN_DATE_TIME = new Intl.DateTimeFormat('de-DE', {
  timeZone: 'Europe/Berlin',
  day: '2-digit',
  month: '2-digit',
  year: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
});
const GERMAN_TIME = new Intl.DateTimeFormat('de-DE', {
  timeZone: 'Europe/Berlin',
  hour: '2-digit',
  minute: '2-digit',
});
const GERMAN_WEEKDAY_DATE = new Intl.DateTimeFormat('de-DE', {
  timeZone: 'Europe/Berlin',
  weekday: 'long',
  day: '2-digit',
  month: '2-digit',
  year: 'numeric',
});

/** "03.12.2026, 14:05" (German time). */
export function germanDateTime(iso: string): string {
  return GERMAN_DATE_TIME.format(new Date(iso));
}

/** "14:05" (German time). */
export function germanTime(iso: string): string {
  return GERMAN_TIME.format(new Date(iso));
}

/** "Donnerstag, 03.12.2026" for a German calendar day. */
export function germanWeekdayDate(day: IsoDate): string {
  return GERMAN_WEEKDAY_DATE.format(new Date(`${day}T12:00:00Z`));
}
