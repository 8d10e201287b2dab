import type { ProcedureFamily } from '../../core/procedure.js';
import { createAusweisantrag, feeTableFromEnvironment } from './ausweis.js';
import type { Dokumentart } from './fees.js';
import { createMeldung, type MeldungArt } from './meldung.js';

export const MELDUNG_ARTEN: readonly MeldungArt[] = ['anmeldung', 'ummeldung', 'abmeldung'];
export const AUSWEIS_ARTEN: readonly Dokumentart[] = [
  'personalausweis',
  'reisepass',
  'vorlaeufiger_personalausweis',
  'vorlaeufiger_reisepass',
];

/**
 * Meldewesen (issue 6): Meldevorgänge and ID document applications. Browser-safe: definitions
 * only. The fee table is AUSWEIS_GEBUEHREN_JSON on the server, else the default.
 */
export const meldewesen: ProcedureFamily = {
  id: 'meldewesen',
  procedures: (opts) => {
    const feeTable = feeTableFromEnvironment();
    return [
      ...MELDUNG_ARTEN.map((art) => createMeldung(art, opts)),
      ...AUSWEIS_ARTEN.map((art) => createAusweisantrag(art, { today: opts.today, feeTable })),
    ];
  },
};
