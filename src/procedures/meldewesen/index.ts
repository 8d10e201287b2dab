import type { ProcedureFamily } from '../../core/procedure.js';
import { createAusweisantrag, feeTableFromEnvironment } from './ausweis.js';
import { AUSWEIS_ARTEN, MELDUNG_ARTEN } from './ids.js';
import { createMeldung } from './meldung.js';

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

export { AUSWEIS_ARTEN, MELDUNG_ARTEN };
