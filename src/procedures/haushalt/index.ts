import type { ProcedureFamily } from '../../core/procedure.js';
import { createHaushaltsplan } from './haushaltsplan.js';
import { createVerpflichtung } from './verpflichtung.js';

/**
 * Kämmerei (issue 15): the budget of a year (Haushaltsplan: drafts, versions, approval by § 80 GO
 * NRW) and the commitments of the vorläufige Haushaltsführung (§ 82 GO NRW). Browser-safe:
 * definitions only; tables, imports, exports, PDFs and the report are in server/.
 */
export const haushalt: ProcedureFamily = {
  id: 'haushalt',
  procedures: (opts) => [createHaushaltsplan(opts), createVerpflichtung(opts)],
};
