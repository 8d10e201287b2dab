import type { FamilyServices, ServerFamily } from '../../../core/family.js';
import { scheduleMaintenance } from '../../../core/maintenance.js';
import { krisenstab } from '../index.js';
import { AppointmentService } from './appointments.js';
import { BoardService } from './board.js';
import { CatalogueService, familyServices } from './catalogue.js';
import { krisenstabConfig } from './config.js';
import { FeedbackService } from './feedback.js';
import { takeSnapshotIfDue } from './lagebericht.js';
import { LogService } from './log.js';
import * as m20261203T1100 from './migrations/2026-12-03T1100-krisenstab.js';
import * as m20261203T1200 from './migrations/2026-12-03T1200-krisenstab-rueckmeldung.js';
import { PageCache } from './page-cache.js';
import { publicPages } from './public/routes.js';
import { krisenstabRoutes } from './routes.js';
import './tables.js';

/**
 * The services of the family for one app. Built once per app (the routes and the public pages of
 * the same app share them); the configuration is read from the environment then.
 */
const perApp = new WeakMap<object, ReturnType<typeof build>>();
// Keyed by the registry: buildApp makes one per app, and hands the same to routes and public pages.

function build(s: FamilyServices) {
  const config = krisenstabConfig();
  const catalogue = new CatalogueService({
    db: s.db,
    now: s.now,
    families: familyServices(s.families ?? [], s.registry),
  });
  const log = new LogService({ db: s.db, now: s.now });
  const board = new BoardService({ db: s.db, registry: s.registry, now: s.now, catalogue, log });
  const appointments = new AppointmentService({
    db: s.db,
    dialect: s.dialect,
    now: s.now,
    config,
    installationId: s.installationId,
  });
  const pages = new PageCache(config.seitenCacheSekunden * 1000);
  const feedback = new FeedbackService({
    db: s.db,
    dialect: s.dialect,
    now: s.now,
    config,
    installationId: s.installationId,
  });
  return { config, catalogue, log, board, appointments, pages, feedback };
}

function servicesOf(s: FamilyServices) {
  let built = perApp.get(s.registry);
  if (!built) {
    built = build(s);
    perApp.set(s.registry, built);
  }
  return built;
}

/**
 * The server part of the Krisenstab: the crisis team's board, the service catalogue, the log and
 * the daily Lagebericht (routes under /api/krisenstab), the offices' appointment lists (under
 * /api/termine), the public status page and appointment booking (under /oeffentlich), and the
 * housekeeping (deleting booking data, the daily snapshot) on an interval in the server.
 */
export const krisenstabServer: ServerFamily = {
  ...krisenstab,
  migrations: {
    '2026-12-03T1100-krisenstab': m20261203T1100,
    '2026-12-03T1200-krisenstab-rueckmeldung': m20261203T1200,
  },
  routes: async (app, s) => {
    const k = servicesOf(s);
    await app.register(krisenstabRoutes, { db: s.db, ...k, onChange: () => k.pages.clear() });
    scheduleMaintenance(app, {
      intervalS: k.config.wartungSekunden,
      log: app.log,
      steps: [
        ['Termindaten löschen', () => k.appointments.purge()],
        ['Rückmeldungen löschen', () => k.feedback.purge()],
        [
          'Lagebild aufnehmen',
          () =>
            takeSnapshotIfDue({
              db: s.db,
              registry: s.registry,
              catalogue: k.catalogue,
              log: k.log,
              now: s.now(),
              stunde: k.config.lageberichtStunde,
            }),
        ],
      ],
    });
  },
  publicRoutes: async (app, s) => {
    const k = servicesOf(s);
    await app.register(publicPages, {
      db: s.db,
      catalogue: k.catalogue,
      appointments: k.appointments,
      config: k.config,
      now: s.now,
      pages: k.pages,
      feedback: k.feedback,
    });
  },
};
