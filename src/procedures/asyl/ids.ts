/**
 * Ids and small helpers of the AsylbLG family without dependencies (the web app's first bundle
 * imports them for the case panels; the definitions with zod load lazily).
 */

export const ASYL_ID = 'asyl_leistungen';
export const OFFICE = 'sozialamt' as const;
export const BESCHEID_DOKUMENT = 'asyl_bescheid';

/** Allocation actions exist in every state (a case has one `to` per action): ids by state. */
export const BELEGUNG_STATES = ['zugewiesen', 'bewilligt', 'eingestellt'] as const;
export const unterbringenId = (state: string) =>
  state === 'zugewiesen' ? 'unterbringen' : `unterbringen_${state}`;
export const auszugId = (state: string) => (state === 'zugewiesen' ? 'auszug' : `auszug_${state}`);
export const UNTERBRINGEN_IDS = BELEGUNG_STATES.filter((s) => s !== 'eingestellt').map(unterbringenId);
export const AUSZUG_IDS = BELEGUNG_STATES.map(auszugId);

export const nameOf = (p: { familienname: string; vornamen: string }) => `${p.familienname}, ${p.vornamen}`;
