import type { ProcedureFamily } from '../../core/procedure.js';
import { createVerlustanzeige } from './definition.js';

/** The model procedure: report of a lost ID card or passport. Browser-safe: definitions only. */
export const verlustanzeige: ProcedureFamily = {
  id: 'verlustanzeige',
  procedures: (opts) => [createVerlustanzeige(opts) as never],
};
