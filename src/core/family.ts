import type { Command } from 'commander';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { Kysely, Migration } from 'kysely';
import type { DatabaseHandle, DialectName } from '../db/database.js';
import type { Database } from '../db/types.js';
import type { CaseService } from './cases/service.js';
import type { DocumentRenderers } from './documents.js';
import type { HandoverRegistry } from './handover/format.js';
import type { PaymentSource } from './payments/source.js';
import type { HookTable, ProcedureFamily, ProcedureOptions } from './procedure.js';
import type { ProcedureRegistry } from './procedure-registry.js';

/**
 * The server part of a procedure family (`src/procedures/<family>/server.ts`). It extends the
 * browser-safe part (the definitions) with everything that needs Node or the database, each bound
 * by id: prepare hooks by procedure and action id, PDF renderers by document id, handover
 * serializers by format id, the family's own routes, migrations and CLI commands, and the source
 * of its due payments.
 * src/procedures/families.ts lists the families; the app, the CLI and the migrator read that list
 * and nothing else names a family. See docs/ARCHITECTURE.md, "Adding a procedure family".
 */
export interface ServerFamily extends ProcedureFamily {
  /** Transactional prepare hooks, by procedure id and action id. */
  hooks?(opts: ProcedureOptions): HookTable;
  /** Registers the PDF renderers of the documents the definitions declare. */
  documents?(renderers: DocumentRenderers): void;
  /** Registers the handover serializers of the formats the definitions declare. */
  handover?(registry: HandoverRegistry): void;
  /** The family's own routes (rooms, register, plates …), registered under /api. */
  routes?: FastifyPluginAsyncZod<FamilyServices>;
  /**
   * The family's public pages (no login: a citizens' status page, appointment booking), registered
   * at the root, outside /api. The platform marks every one of them `config: { auth: 'public' }`
   * and refuses one under /api at start-up; the access matrix requires their prefix on its
   * public allow-list. They must never reach personal data (nothing in them reads a session).
   */
  publicRoutes?: FastifyPluginAsyncZod<FamilyServices>;
  /**
   * Migrations of the family's own tables, by name (`YYYY-MM-DDTHHMM-<what>`; frozen once shipped,
   * Kysely<any>, no imports from app code). They run with the core's, in name order.
   */
  migrations?: Record<string, Migration>;
  /** The family's CLI commands (`notbetrieb <command>`). */
  cli?(program: Command, tools: CliTools): void;
  /**
   * The due payments of the family's decided cases, collected by the payment runs of its office
   * (core/payments, docs/PAYMENTS.md): approval by a second person, SEPA file, returns, cash payouts.
   */
  payments?: PaymentSource;
}

/** What the app hands to a family's routes. */
export interface FamilyServices {
  db: Kysely<Database>;
  dialect: DialectName;
  now: () => Date;
  registry: ProcedureRegistry;
  cases: CaseService;
  documents: DocumentRenderers;
  installationId: string;
  /** The families of the installation with the ids of their procedures (for overviews by family). */
  families?: readonly FamilyInfo[];
}

/** A family as other families may see it: its id and its procedures' ids (no code of it). */
export interface FamilyInfo {
  id: string;
  procedureIds: readonly string[];
}

/** What the CLI hands to a family's commands. */
export interface CliTools {
  /** Validated configuration from the environment, open and migrated database. */
  open(): Promise<{ database: DatabaseHandle }>;
  /** Prints a clear message for an expected failure and exits non-zero. */
  fail(err: unknown): never;
}
