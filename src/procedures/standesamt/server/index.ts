import type { ServerFamily } from '../../../core/family.js';
import { GEBURT_ANZEIGE } from '../geburt.js';
import { standesamt } from '../index.js';
import { STERBEFALL_ANZEIGE } from '../sterbefall.js';
import { registerStandesamtDocuments } from './documents.js';
import { registerStandesamtHandover } from './handover.js';
import { anzeigeHooks, eheschliessungHooks } from './hooks.js';
import { registryRoutes } from './routes.js';

/** The server part of the Standesamt: hooks, certificates, XPersonenstand/CSV handover, register book. */
export const standesamtServer: ServerFamily = {
  ...standesamt,
  hooks: () => ({
    geburt: anzeigeHooks(GEBURT_ANZEIGE, 'anzeigen'),
    sterbefall: anzeigeHooks(STERBEFALL_ANZEIGE, 'anzeigen'),
    eheschliessung: eheschliessungHooks(),
  }),
  documents: registerStandesamtDocuments,
  handover: registerStandesamtHandover,
  routes: registryRoutes,
};
