import type { ProcedureFamily } from '../../core/procedure.js';

/**
 * Krisenstab (issue 16): the crisis team's situation board, the service catalogue, the public
 * status page and appointment booking. A family without procedures of its own: it reads the live
 * case data of every family through the generic tables (cases, handover) and brings routes, public
 * pages, migrations and web pages. Browser-safe: the shared vocabulary lives in katalog.ts.
 */
export const krisenstab: ProcedureFamily = {
  id: 'krisenstab',
  procedures: () => [],
};
