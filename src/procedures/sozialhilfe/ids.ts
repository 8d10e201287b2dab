/**
 * Ids and small helpers of the Sozialhilfe family without dependencies (the web app's first bundle
 * imports them for the case panels; the definitions with zod load lazily).
 */

export const SOZIALHILFE_ID = 'sozialhilfe_leistungen';
export const OFFICE = 'sozialamt' as const;
export const BESCHEID_DOKUMENT = 'sozialhilfe_bescheid';

/** Third or Fourth Chapter of SGB XII. */
export const LEISTUNGSARTEN = ['hlu', 'grundsicherung'] as const;
export type Leistungsart = (typeof LEISTUNGSARTEN)[number];
export const LEISTUNGSART_LABELS: Record<Leistungsart, string> = {
  hlu: 'Hilfe zum Lebensunterhalt (3. Kapitel SGB XII)',
  grundsicherung: 'Grundsicherung im Alter und bei Erwerbsminderung (4. Kapitel SGB XII)',
};

export const nameOf = (p: { familienname: string; vornamen: string }) => `${p.familienname}, ${p.vornamen}`;

const MONATSNAMEN = [
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
];

/** "2026-12" → "Dezember 2026". */
export function monatText(month: string): string {
  const [y, m] = month.split('-').map(Number) as [number, number];
  return `${MONATSNAMEN[m - 1] ?? m} ${y}`;
}

export function isMonth(v: string): boolean {
  return /^\d{4}-(0[1-9]|1[0-2])$/.test(v);
}

export function nextMonth(month: string): string {
  const [y, m] = month.split('-').map(Number) as [number, number];
  return m === 12 ? `${y + 1}-01` : `${y}-${String(m + 1).padStart(2, '0')}`;
}

export const monthOf = (day: string) => day.slice(0, 7);
