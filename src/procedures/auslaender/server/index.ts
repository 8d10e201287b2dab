import type { ServerFamily } from '../../../core/family.js';
import { beschaeftigungsRegelnAusUmgebung } from '../beschaeftigung.js';
import { auslaender } from '../index.js';
import { titelkatalogAusUmgebung } from '../titel.js';
import { registerAuslaenderDocuments } from './documents.js';
import { registerAuslaenderHandover } from './handover.js';
import { type AuslaenderRegeln, auslaenderHooks } from './hooks.js';
import { auslaenderRoutes } from './routes.js';

let cached: AuslaenderRegeln | undefined;
/**
 * The rules in force: the title catalogue (built in, extended by NOTBETRIEB_AUFENTHALTSTITEL_JSON)
 * and the Beschäftigungserlaubnis figures (changed by NOTBETRIEB_BESCHAEFTIGUNG_JSON).
 */
const regeln = (): AuslaenderRegeln => {
  cached ??= { titelkatalog: titelkatalogAusUmgebung(), beschaeftigung: beschaeftigungsRegelnAusUmgebung() };
  return cached;
};

/**
 * The server part of the Ausländerbehörde family: hooks (§ 81 effect, certificates, catalogue
 * checks, Beschäftigungserlaubnis with the BA step), the Fiktionsbescheinigung (Anlage D3) and the
 * Bescheid PDFs, the XAusländer/CSV handover with the Nacherfassungsliste, the routes of the
 * catalogue, the expiry watch-list and the checks (docs/AUSLAENDER.md).
 */
export const auslaenderServer: ServerFamily = {
  ...auslaender,
  hooks: () => auslaenderHooks(regeln),
  documents: registerAuslaenderDocuments(regeln),
  handover: registerAuslaenderHandover,
  routes: auslaenderRoutes(regeln),
};
