import type { ServerFamily } from '../../../core/family.js';
import { kfz } from '../index.js';
import { KFZ_PROCEDURE_IDS } from '../procedures.js';
import { registerKfzDocuments } from './documents.js';
import { registerKfzHandover } from './handover.js';
import { kfzHooks } from './hooks.js';
import * as m20261203T1000 from './migrations/2026-12-03T1000-kfz-plates.js';
import { kfzRoutes } from './routes.js';

/**
 * The server part of the Zulassungsstelle: plate pool and eVB hooks, fees into the cash journal,
 * PDFs (Prägeschein, vorläufige Zulassungsbescheinigung, Abmeldebestätigung), XKfz 0707 and CSV
 * handover, the plate and fee routes.
 */
export const kfzServer: ServerFamily = {
  ...kfz,
  hooks: () => Object.fromEntries(KFZ_PROCEDURE_IDS.map((id) => [id, kfzHooks(id)])),
  documents: registerKfzDocuments,
  handover: registerKfzHandover,
  routes: async (app, { db, now }) => {
    await app.register(kfzRoutes, { db, now });
  },
  migrations: { '2026-12-03T1000-kfz-plates': m20261203T1000 },
};
