import { regelbedarfTableFromEnvironment } from '../../../core/benefits/regelbedarf.js';
import type { ServerFamily } from '../../../core/family.js';
import { asyl } from '../index.js';
import { type AsylRegeln, asylRegelnAusUmgebung } from '../saetze.js';
import { registerAsylDocuments } from './documents.js';
import { registerAsylHandover } from './handover.js';
import { asylHooks } from './hooks.js';
import * as m20261203T1600 from './migrations/2026-12-03T1600-asyl-unterkunft.js';
import { asylPayments } from './payments.js';
import { asylRoutes } from './routes.js';

let cached: AsylRegeln | undefined;
/** The rules in force (built-in tables, extended by NOTBETRIEB_ASYLBLG_JSON and NOTBETRIEB_REGELBEDARF_JSON). */
const regeln = (): AsylRegeln => {
  cached ??= asylRegelnAusUmgebung(regelbedarfTableFromEnvironment());
  return cached;
};

/**
 * The server part of the AsylbLG family: hooks (Bewilligung, Änderung, Einstellung, allocation of
 * accommodation places), the Bescheid PDF, the due payments for the payment runs, the CSV
 * handover, the routes of the Unterkünfte and of the calculation (docs/ASYL.md).
 */
export const asylServer: ServerFamily = {
  ...asyl,
  hooks: () => asylHooks(regeln),
  documents: registerAsylDocuments(regeln),
  handover: registerAsylHandover(regeln),
  routes: asylRoutes(regeln),
  migrations: { '2026-12-03T1600-asyl-unterkunft': m20261203T1600 },
  payments: asylPayments(regeln),
};
