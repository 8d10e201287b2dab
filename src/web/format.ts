/** German formats: dates dd.mm.yyyy, amounts in EUR with decimal comma. */

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DE_DATE = /^\s*(\d{1,2})\.(\d{1,2})\.(\d{4})\s*$/;

/** ISO date (YYYY-MM-DD) -> TT.MM.JJJJ; anything else unchanged. */
export function formatDate(iso: string | null | undefined): string {
  if (!iso) return '';
  const m = ISO_DATE.exec(iso.slice(0, 10));
  if (!m) return iso;
  return `${m[3]}.${m[2]}.${m[1]}`;
}

/** TT.MM.JJJJ -> YYYY-MM-DD; returns the input unchanged when it is not in that form. */
export function parseGermanDate(text: string): string {
  const m = DE_DATE.exec(text);
  if (!m) return text.trim();
  return `${m[3]}-${(m[2] ?? '').padStart(2, '0')}-${(m[1] ?? '').padStart(2, '0')}`;
}

const dateTime = new Intl.DateTimeFormat('de-DE', {
  timeZone: 'Europe/Berlin',
  day: '2-digit',
  month: '2-digit',
  year: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
});

/** Timestamp -> "26.11.2026, 11:05" in German time. */
export function formatDateTime(iso: string): string {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : dateTime.format(d);
}

const euro = new Intl.NumberFormat('de-DE', { style: 'currency', currency: 'EUR' });

export function formatEuroCents(cents: number): string {
  return euro.format(cents / 100);
}

export function formatEuro(amount: number): string {
  return euro.format(amount);
}

/** "12,50" / "1.234,5" / "12" -> cents; NaN when it is no amount. */
export function parseEuroToCents(text: string): number {
  const t = text.replace(/\s|€|EUR/gi, '');
  if (!/^-?\d{1,3}(\.\d{3})*(,\d{1,2})?$|^-?\d+(,\d{1,2})?$/.test(t)) return Number.NaN;
  const [whole = '0', frac = ''] = t.replace(/\./g, '').split(',');
  const sign = whole.startsWith('-') ? -1 : 1;
  return (
    sign * (Math.abs(Number.parseInt(whole, 10)) * 100 + Number.parseInt(frac.padEnd(2, '0') || '0', 10))
  );
}

/** Cents -> "12,50" for an input field. */
export function centsToInput(cents: number): string {
  const abs = Math.abs(cents);
  return `${cents < 0 ? '-' : ''}${Math.floor(abs / 100)},${String(abs % 100).padStart(2, '0')}`;
}

/** "1.234,5" -> 1234.5; NaN when it is no number. */
export function parseGermanNumber(text: string): number {
  const t = text.trim().replace(/\s/g, '');
  if (!/^-?(\d{1,3}(\.\d{3})+|\d+)(,\d+)?$/.test(t)) return Number.NaN;
  return Number(t.replace(/\./g, '').replace(',', '.'));
}

export function formatNumber(n: number): string {
  return new Intl.NumberFormat('de-DE').format(n);
}

/** IBAN in groups of four for display. */
export function formatIban(iban: string): string {
  return iban
    .replace(/\s+/g, '')
    .toUpperCase()
    .replace(/(.{4})/g, '$1 ')
    .trim();
}
