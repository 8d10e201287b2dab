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
