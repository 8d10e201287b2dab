import type { ServerFamily } from '../../../core/family.js';
import { sozialhilfe } from '../index.js';
import { registerSozialhilfeDocuments } from './documents.js';
import { registerSozialhilfeHandover } from './handover.js';
import { sozialhilfeHooks } from './hooks.js';
import { sozialhilfePayments } from './payments.js';
import { sozialhilfeRegeln } from './regeln.js';
import { sozialhilfeRoutes } from './routes.js';

/**
 * The server part of the Sozialhilfe family (SGB XII): hooks (Bewilligung, Ablehnung, Vorschuss,
 * Änderung, Einstellung), the Bescheid PDF, the due payments for the payment runs, the CSV
 * handover and the calculation route (docs/SOZIALHILFE.md).
 */
export const sozialhilfeServer: ServerFamily = {
  ...sozialhilfe,
  hooks: () => {
    sozialhilfeRegeln(); // a malformed NOTBETRIEB_SOZIALHILFE_JSON stops the start
    return sozialhilfeHooks(sozialhilfeRegeln);
  },
  documents: registerSozialhilfeDocuments(sozialhilfeRegeln),
  handover: registerSozialhilfeHandover(sozialhilfeRegeln),
  routes: sozialhilfeRoutes(sozialhilfeRegeln),
  payments: sozialhilfePayments(sozialhilfeRegeln),
};
