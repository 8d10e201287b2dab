import type { ProcedureFamily } from '../../core/procedure.js';
import { createAsyl } from './definition.js';

export { ASYL_ID } from './definition.js';

/**
 * Sozialamt, AsylbLG (issue 13, item 2): Zuweisung by the Land, accommodation places, § 3a rates
 * by date and the switch to § 2 after 36 months. Browser-safe: definitions and rules only; the
 * server part adds places, hooks, Bescheid PDF, payments and handover (docs/ASYL.md).
 */
export const asyl: ProcedureFamily = {
  id: 'asyl',
  procedures: (opts) => [createAsyl({ today: opts.today })],
};
