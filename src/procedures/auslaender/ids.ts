/**
 * Ids and small helpers of the Ausländerbehörde family without dependencies (the web app's first
 * bundle imports them for the case panels; the definitions with zod load lazily).
 */

export const OFFICE = 'auslaenderbehoerde' as const;
export const AUFENTHALT_ID = 'aufenthaltstitel_antrag';
export const BESCHAEFTIGUNG_ID = 'beschaeftigungserlaubnis';
export const FIKTION_DOKUMENT = 'fiktionsbescheinigung';
export const BESCHAEFTIGUNG_DOKUMENT = 'beschaeftigung_bescheid';

export const nameOf = (p: { familienname: string; vornamen: string }) => `${p.familienname}, ${p.vornamen}`;
