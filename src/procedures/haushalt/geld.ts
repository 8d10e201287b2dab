/**
 * Amounts between integer cents (storage, arithmetic) and the forms a Kämmerei reads and types:
 * "1.234.567,89 €" in print, "1234567,89" in CSV, euros as spreadsheet numbers. Browser-safe.
 */

const EURO = new Intl.NumberFormat('de-DE', { style: 'currency', currency: 'EUR' });
const DECIMAL = new Intl.NumberFormat('de-DE', { minimumFractionDigits: 2, maximumFractionDigits: 2 });

/** 123456789 -> "1.234.567,89 €" */
export function formatEuro(cents: number): string {
  return EURO.format(cents / 100);
}

/** 123456789 -> "1.234.567,89" (tables, where the column says EUR). */
export function formatBetrag(cents: number): string {
  return DECIMAL.format(cents / 100);
}

/** 123456789 -> "1234567,89"; -5 -> "-0,05" (CSV: no grouping, decimal comma). */
export function centsToDecimal(cents: number): string {
  const abs = Math.abs(cents);
  return `${cents < 0 ? '-' : ''}${Math.floor(abs / 100)},${String(abs % 100).padStart(2, '0')}`;
}

const GERMAN_AMOUNT = /^(-)?(\d{1,3}(?:\.\d{3})+|\d+)(?:,(\d{1,2}))?$/;

/**
 * "1.234,56" / "1234,5" / "-12" -> cents; null when the text is no amount in German notation
 * (a decimal point, more than two decimals, letters). Spaces and a trailing "€" are allowed.
 */
export function parseGermanAmount(text: string): number | null {
  const t = text.replace(/[\s\u00a0]/g, '').replace(/(€|EUR)$/i, '');
  const m = GERMAN_AMOUNT.exec(t);
  if (!m) return null;
  const whole = Number((m[2] ?? '0').replace(/\./g, ''));
  const cents = whole * 100 + Number((m[3] ?? '').padEnd(2, '0') || '0');
  if (!Number.isSafeInteger(cents)) return null;
  return m[1] ? -cents : cents;
}

/**
 * A spreadsheet number in euros -> cents; null when it is not finite or has more than two
 * decimals. Doubles cannot hold most decimal fractions exactly, so a tolerance far below one cent
 * separates "12.34" (stored as 12.339999…) from "12.345".
 */
export function eurosToCents(euros: number): number | null {
  if (!Number.isFinite(euros)) return null;
  const scaled = euros * 100;
  const cents = Math.round(scaled);
  if (Math.abs(scaled - cents) > 1e-3) return null;
  return Object.is(cents, -0) ? 0 : cents;
}
