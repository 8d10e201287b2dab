import type { ProcedureFamily } from '../../core/procedure.js';
import { createKfzProcedure, KFZ_PROCEDURE_IDS } from './procedures.js';

/**
 * Zulassungsstelle (issue 12): vehicle registration in emergency operation — Neuzulassung,
 * Umschreibung, Außerbetriebsetzung, Wiederzulassung, Anschriftenänderung, Kurzzeitkennzeichen.
 * Browser-safe: definitions only; plates, fees, cash journal, PDFs and XKfz are in server/.
 */
export const kfz: ProcedureFamily = {
  id: 'kfz',
  procedures: (opts) => KFZ_PROCEDURE_IDS.map((id) => createKfzProcedure(id, opts)),
};
