import type { Command } from 'commander';
import type { FastifyInstance } from 'fastify';
import type { Kysely } from 'kysely';
import { reconcileOpenFlags } from '../core/cases/list.js';
import { todayInGermany } from '../core/dates.js';
import { DocumentRenderers } from '../core/documents.js';
import type { CliTools, FamilyInfo, FamilyServices } from '../core/family.js';
import { HandoverRegistry } from '../core/handover/format.js';
import type { PaymentSource } from '../core/payments/source.js';
import { type ProcedureRegistry, registryOf } from '../core/procedure-registry.js';
import { migrateToLatest, pendingMigrations, withFamilyMigrations } from '../db/migrate.js';
import type { Database } from '../db/types.js';
import { FAMILIES } from '../procedures/families.js';

/**
 * What the server, the CLI, the tests and the benchmarks build from the family list
 * (src/procedures/families.ts): the procedure registry with its hooks, the document renderers,
 * the handover serializers, the families' routes and commands, their payment sources, and all
 * migrations.
 */

/** The core's migrations and the families', in name order. */
export const MIGRATIONS = withFamilyMigrations(FAMILIES);

/**
 * Applies all pending migrations (core and families); returns the names applied. Then sets the
 * open flag of cases that predate it (needs the procedures' final states, see reconcileOpenFlags).
 */
export async function migrate(db: Kysely<Database>): Promise<string[]> {
  const applied = await migrateToLatest(db, MIGRATIONS);
  await reconcileOpenFlags(db, procedureRegistry());
  return applied;
}

/** Names of migrations not yet applied (empty when the schema is current). */
export function pending(db: Kysely<Database>): Promise<string[]> {
  return pendingMigrations(db, MIGRATIONS);
}

/** All procedures with the server's hooks, judged by the day of `now()` in Germany. */
export function procedureRegistry(now: () => Date = () => new Date()): ProcedureRegistry {
  return registryOf(FAMILIES, { today: () => todayInGermany(now()) });
}

export function documentRenderers(): DocumentRenderers {
  const renderers = new DocumentRenderers();
  for (const f of FAMILIES) f.documents?.(renderers);
  return renderers;
}

export function handoverRegistry(): HandoverRegistry {
  const registry = new HandoverRegistry();
  for (const f of FAMILIES) f.handover?.(registry);
  return registry;
}

/** The families' sources of due payments, for the payment runs (core/payments). */
export function paymentSources(): PaymentSource[] {
  return FAMILIES.flatMap((f) => (f.payments ? [f.payments] : []));
}

/** The families with their procedures' ids, as FamilyServices.families hands them to family routes. */
export function familyInfos(now: () => Date = () => new Date()): FamilyInfo[] {
  const opts = { today: () => todayInGermany(now()) };
  return FAMILIES.map((f) => ({ id: f.id, procedureIds: f.procedures(opts).map((p) => p.id) }));
}

/**
 * Registers every family's public pages at the root (outside /api). Each route is marked public;
 * a public route under /api is a programming error and fails at start-up.
 */
export async function registerFamilyPublicRoutes(
  app: FastifyInstance,
  services: FamilyServices,
): Promise<void> {
  for (const f of FAMILIES) {
    const pages = f.publicRoutes;
    if (!pages) continue;
    await app.register(async (scope) => {
      scope.addHook('onRoute', (route) => {
        if (route.url === '/api' || route.url.startsWith('/api/')) {
          throw new Error(`public route ${route.url} of family ${f.id} lies under /api`);
        }
        route.config = { ...(route.config ?? {}), auth: 'public' };
      });
      await scope.register(pages, services);
    });
  }
}

/** Registers every family's routes (call inside the /api prefix). */
export async function registerFamilyRoutes(api: FastifyInstance, services: FamilyServices): Promise<void> {
  for (const f of FAMILIES) if (f.routes) await api.register(f.routes, services);
}

export function registerFamilyCommands(program: Command, tools: CliTools): void {
  for (const f of FAMILIES) f.cli?.(program, tools);
}
