/** German wall-clock time <-> ISO timestamps in the browser, whatever the browser's time zone. */
const PARTS = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Europe/Berlin',
  hourCycle: 'h23',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
});

function berlinParts(t: number) {
  const parts = PARTS.formatToParts(new Date(t));
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value);
  return { y: get('year'), mo: get('month'), d: get('day'), h: get('hour'), mi: get('minute') };
}

/** YYYY-MM-DD and HH:MM in Germany -> ISO timestamp (UTC). */
export function berlinToIso(date: string, time: string): string {
  const [y, mo, d] = date.split('-').map(Number);
  const [h, mi] = time.split(':').map(Number);
  const asUtc = Date.UTC(y ?? 0, (mo ?? 1) - 1, d ?? 1, h ?? 0, mi ?? 0);
  const offsetAt = (t: number) => {
    const p = berlinParts(t);
    return Date.UTC(p.y, p.mo - 1, p.d, p.h, p.mi) - t;
  };
  const first = asUtc - offsetAt(asUtc);
  return new Date(asUtc - offsetAt(first)).toISOString();
}

/** ISO timestamp -> { date: YYYY-MM-DD, time: HH:MM } in Germany. */
export function isoToBerlin(iso: string): { date: string; time: string } {
  const p = berlinParts(Date.parse(iso));
  const two = (n: number) => String(n).padStart(2, '0');
  return { date: `${p.y}-${two(p.mo)}-${two(p.d)}`, time: `${two(p.h)}:${two(p.mi)}` };
}

/** Today in Germany (YYYY-MM-DD). */
export function berlinToday(): string {
  return isoToBerlin(new Date().toISOString()).date;
}

export const TIME = /^([01]\d|2[0-3]):[0-5]\d$/;
