import type { ProcedureFamily } from '../../core/procedure.js';
import { createEheschliessung } from './eheschliessung.js';
import { createGeburt } from './geburt.js';
import { createSterbefall } from './sterbefall.js';

/** Standesamt (issue 5): Geburt, Sterbefall, Eheschließung. Browser-safe: definitions only. */
export const standesamt: ProcedureFamily = {
  id: 'standesamt',
  procedures: (opts) => [createGeburt(opts), createSterbefall(opts), createEheschliessung(opts)],
};
