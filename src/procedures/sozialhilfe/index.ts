import type { ProcedureFamily } from '../../core/procedure.js';
import { createSozialhilfe } from './definition.js';

export { SOZIALHILFE_ID } from './definition.js';

/**
 * Sozialamt, SGB XII (issue 13, item 1): Hilfe zum Lebensunterhalt and Grundsicherung with the
 * shared calculation (core/benefits). Browser-safe: definitions and rules only; the server part
 * adds hooks, Bescheid PDF, payments and handover (docs/SOZIALHILFE.md).
 */
export const sozialhilfe: ProcedureFamily = {
  id: 'sozialhilfe',
  procedures: (opts) => [createSozialhilfe({ today: opts.today })],
};
