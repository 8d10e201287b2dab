import type { Dokumentart } from './fees.js';
import type { MeldungArt } from './meldung.js';

/**
 * The Meldewesen's procedure ids (each equals its Meldevorgang or document type). A tiny module
 * without schemas, so that the web part can tell its cases apart without loading the definitions.
 */
export const MELDUNG_ARTEN: readonly MeldungArt[] = ['anmeldung', 'ummeldung', 'abmeldung'];
export const AUSWEIS_ARTEN: readonly Dokumentart[] = [
  'personalausweis',
  'reisepass',
  'vorlaeufiger_personalausweis',
  'vorlaeufiger_reisepass',
];

/** True for the cases of this family. */
export function isMeldewesenProcedure(procedureId: string): boolean {
  return (
    (MELDUNG_ARTEN as readonly string[]).includes(procedureId) ||
    (AUSWEIS_ARTEN as readonly string[]).includes(procedureId)
  );
}
