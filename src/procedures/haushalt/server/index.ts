import type { ServerFamily } from '../../../core/family.js';
import { HAUSHALTSPLAN_ID } from '../haushaltsplan.js';
import { haushalt } from '../index.js';
import { VERPFLICHTUNG_ID } from '../verpflichtung.js';
import { registerHaushaltHandover } from './handover.js';
import { planHooks, verpflichtungHooks } from './hooks.js';
import * as m20261203T1000 from './migrations/2026-12-03T1000-haushalt.js';
import { haushaltRoutes } from './routes.js';

/**
 * The server part of the Kämmerei: plan and commitment hooks, the plans' versions (import and
 * export XLSX/CSV, diff, PDF) and the report of the vorläufige Haushaltsführung (routes), the
 * commitments' CSV handover, and the family's tables.
 */
export const haushaltServer: ServerFamily = {
  ...haushalt,
  hooks: () => ({ [HAUSHALTSPLAN_ID]: planHooks(), [VERPFLICHTUNG_ID]: verpflichtungHooks() }),
  handover: registerHaushaltHandover,
  routes: async (app, { db, now }) => {
    await app.register(haushaltRoutes, { db, now });
  },
  migrations: { '2026-12-03T1000-haushalt': m20261203T1000 },
};
