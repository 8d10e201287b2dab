import { getHolidayByDate, isHoliday } from 'feiertagejs';

/**
 * Calendar dates as ISO strings (YYYY-MM-DD), the form they are stored in. Arithmetic is done on
 * UTC noon of the day so that no time zone or DST shift can move a date.
 */
export type IsoDate = string;

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

// Checked dates are remembered (forms and deadline arithmetic check the same few days over and
// over on the hot path); bounded.
const validDates = new Map<string, boolean>();

export function isValidIsoDate(value: string): boolean {
  let valid = validDates.get(value);
  if (valid === undefined) {
    const m = ISO_DATE.exec(value);
    valid =
      m !== null &&
      new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), 12)).toISOString().slice(0, 10) ===
        value;
    if (validDates.size >= 20_000) validDates.clear();
    validDates.set(value, valid);
  }
  return valid;
}

function toNoon(iso: IsoDate): Date {
  if (!isValidIsoDate(iso)) throw new RangeError(`Kein gültiges Datum: ${iso}`);
  return new Date(`${iso}T12:00:00Z`);
}

function fromDate(d: Date): IsoDate {
  return d.toISOString().slice(0, 10);
}

export function addDays(iso: IsoDate, days: number): IsoDate {
  const d = toNoon(iso);
  d.setUTCDate(d.getUTCDate() + days);
  return fromDate(d);
}

// en-CA formats as YYYY-MM-DD. Built once: constructing a DateTimeFormat is costly (hot path).
const GERMAN_DAY = new Intl.DateTimeFormat('en-CA', {
  timeZone: 'Europe/Berlin',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
});

// The German date changes only on a full minute (zone offsets are whole hours), so the answer of
// the current minute is kept.
let dayCache = { minute: Number.NaN, day: '' };

/** Today's date in Germany (Europe/Berlin), which is what deadlines count in. */
export function todayInGermany(now: Date = new Date()): IsoDate {
  const minute = Math.floor(now.getTime() / 60_000);
  if (minute !== dayCache.minute) dayCache = { minute, day: GERMAN_DAY.format(now) };
  return dayCache.day;
}

const GERMAN_HOUR = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Europe/Berlin',
  hour: '2-digit',
  hourCycle: 'h23',
});

/** The hour (0–23) in Germany (Europe/Berlin) at an instant. */
export function hourInGermany(at: Date): number {
  return Number(GERMAN_HOUR.format(at));
}

/** Federal state code as used by feiertagejs. Notbetrieb serves NRW. */
export type Land = 'NW';

// feiertagejs recomputes the year's holidays on every call; deadlines ask for many days per
// request, so answers are kept (a few hundred days per year in use; bounded below).
const holidayCache = new Map<string, boolean>();

export function isPublicHoliday(iso: IsoDate, land: Land = 'NW'): boolean {
  const key = `${land}:${iso}`;
  let answer = holidayCache.get(key);
  if (answer === undefined) {
    answer = isHoliday(toNoon(iso), land);
    if (holidayCache.size >= 20_000) holidayCache.clear();
    holidayCache.set(key, answer);
  }
  return answer;
}

export function holidayName(iso: IsoDate, land: Land = 'NW'): string | undefined {
  return getHolidayByDate(toNoon(iso), land)?.translate('de');
}

/**
 * Working day for the purposes of PStG deadlines: Monday to Friday, not a public holiday of the
 * Land. Saturday is not a working day (FACTS.md §2).
 */
export function isWorkingDay(iso: IsoDate, land: Land = 'NW'): boolean {
  const dow = toNoon(iso).getUTCDay();
  return dow !== 0 && dow !== 6 && !isPublicHoliday(iso, land);
}

/** The n-th working day after `iso` (n >= 1); the start day itself never counts. */
export function addWorkingDays(iso: IsoDate, n: number, land: Land = 'NW'): IsoDate {
  if (!Number.isInteger(n) || n < 1) throw new RangeError('n muss eine positive ganze Zahl sein');
  let d = iso;
  let left = n;
  while (left > 0) {
    d = addDays(d, 1);
    if (isWorkingDay(d, land)) left--;
  }
  return d;
}

/** Age in whole years on a given day (birthday counts from the day itself). */
export function ageOn(birthDate: IsoDate, on: IsoDate): number {
  const [by, bm, bd] = birthDate.split('-').map(Number) as [number, number, number];
  const [oy, om, od] = on.split('-').map(Number) as [number, number, number];
  let age = oy - by;
  if (om < bm || (om === bm && od < bd)) age--;
  return age;
}

/** dd.mm.yyyy, the German form used in the UI and in documents. */
export function formatGermanDate(iso: IsoDate): string {
  const [y, m, d] = iso.split('-');
  return `${d}.${m}.${y}`;
}

// TARGET2 closing days besides weekends: New Year, Good Friday, Easter Monday, 1 May, 25/26 Dec
// (ECB, TARGET calendar). All of them are public holidays everywhere in Germany, so feiertagejs
// names them; the other NRW holidays are bank business days for SEPA.
const TARGET_HOLIDAYS = new Set([
  'NEUJAHRSTAG',
  'KARFREITAG',
  'OSTERMONTAG',
  'TAG_DER_ARBEIT',
  'ERSTERWEIHNACHTSFEIERTAG',
  'ZWEITERWEIHNACHTSFEIERTAG',
]);

/** A SEPA business day (TARGET2): Monday to Friday except the TARGET closing days. */
export function isTargetBusinessDay(iso: IsoDate): boolean {
  const d = toNoon(iso);
  const dow = d.getUTCDay();
  if (dow === 0 || dow === 6) return false;
  const holiday = getHolidayByDate(d, 'NW');
  return !(holiday && TARGET_HOLIDAYS.has(holiday.name));
}
