import type { ProcedureFamily } from '../../core/procedure.js';
import { createAufenthalt } from './aufenthalt.js';
import { createBeschaeftigung } from './beschaeftigungserlaubnis.js';

export { AUFENTHALT_ID, BESCHAEFTIGUNG_ID } from './ids.js';

/**
 * Ausländerbehörde (issue 14): applications for residence titles with the Fiktionsbescheinigung
 * (§ 81 AufenthG), and Beschäftigungserlaubnisse (§ 61 AsylG, § 4a AufenthG) with the BA's consent.
 * Browser-safe: definitions and rules only; the server part adds hooks, PDFs, the expiry
 * watch-list and the handover (docs/AUSLAENDER.md).
 */
export const auslaender: ProcedureFamily = {
  id: 'auslaender',
  procedures: (opts) => [
    createAufenthalt({ today: opts.today }),
    createBeschaeftigung({ today: opts.today }),
  ],
};
