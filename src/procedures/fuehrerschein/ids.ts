/**
 * The procedure ids of the Fahrerlaubnisbehörde, alone in a module without imports: the web part's
 * case panels (in the first page's bundle) need them without the definitions and zod.
 */
export const ERSTERTEILUNG_ID = 'fahrerlaubnis_ersterteilung';
export const UMTAUSCH_ID = 'fuehrerschein_umtausch';
export const ERSATZ_ID = 'fuehrerschein_ersatz';
export const INTERNATIONAL_ID = 'internationaler_fuehrerschein';

export const FUEHRERSCHEIN_PROCEDURE_IDS: ReadonlySet<string> = new Set([
  ERSTERTEILUNG_ID,
  UMTAUSCH_ID,
  ERSATZ_ID,
  INTERNATIONAL_ID,
]);
