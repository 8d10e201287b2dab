import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import type { Command } from 'commander';
import type { Principal } from '../core/access.js';
import { AppError } from '../core/errors.js';
import { parseAcknowledgement } from '../core/handover/acknowledgement.js';
import { type BatchView, defaultHandoverDir, HandoverService } from '../core/handover/service.js';
import { ensureInstallationId } from '../core/installation.js';
import type { OfficeType } from '../core/offices.js';
import type { DatabaseHandle } from '../db/database.js';
import { handoverRegistry, procedureRegistry } from '../server/platform.js';
import { fail, openFromEnvironment } from './context.js';

/**
 * `notbetrieb handover export` and `notbetrieb handover acknowledge` (docs/HANDOVER.md). The CLI
 * runs on the server with direct database access: it acts as the operator ("Kommandozeile") with
 * rights for exactly the authority and office it is asked about.
 */

export interface HandoverCliIo {
  out: (s: string) => void;
  err: (s: string) => void;
  now?: () => Date;
}

function operator(authorityAgs: string, officeType: OfficeType): Principal {
  return {
    userId: 'cli',
    username: 'cli',
    displayName: 'Kommandozeile',
    grants: [{ authorityAgs, officeType, role: 'leitung' }],
    isAdmin: false,
    isCrisisTeam: false,
  };
}

async function service(database: DatabaseHandle, dir: string, now: () => Date) {
  const registry = procedureRegistry(now);
  const installationId = await ensureInstallationId(database.db);
  return {
    registry,
    handover: new HandoverService({
      db: database.db,
      registry,
      handovers: handoverRegistry(),
      installationId,
      dir,
      now,
    }),
  };
}

export async function runHandoverExport(
  database: DatabaseHandle,
  opts: { procedure: string; authority: string; dir: string },
  io: HandoverCliIo,
): Promise<BatchView> {
  const now = io.now ?? (() => new Date());
  const { registry, handover } = await service(database, opts.dir, now);
  const def = registry.get(opts.procedure);
  if (!def)
    throw new AppError(
      'UNKNOWN_PROCEDURE',
      'Verfahren unbekannt',
      `Ein Verfahren "${opts.procedure}" gibt es nicht.`,
    );
  let lastShown = 0;
  const result = await handover.export(
    operator(opts.authority, def.office),
    { procedureId: opts.procedure, authorityAgs: opts.authority },
    { key: randomUUID(), scope: 'cli handover export', requestHash: 'cli' },
    (done, total, file) => {
      const t = Date.now();
      if (done === total || t - lastShown > 250) {
        lastShown = t;
        io.err(`  ${done}/${total} ${file}\n`);
      }
    },
  );
  const b = result.body as BatchView;
  io.out(
    `Übergabe ${b.id}: ${b.caseCount} Vorgänge, ${b.files.length} Dateien in ${opts.dir}/${b.id} (Manifest: manifest.json)\n`,
  );
  return b;
}

export async function runHandoverAcknowledge(
  database: DatabaseHandle,
  opts: { batchId: string; file: string; dir: string },
  io: HandoverCliIo,
): Promise<{ accepted: number; rejected: number }> {
  const now = io.now ?? (() => new Date());
  const { registry, handover } = await service(database, opts.dir, now);
  const batch = await database.db
    .selectFrom('handover_batch')
    .select(['authority_ags', 'procedure_id'])
    .where('id', '=', opts.batchId)
    .executeTakeFirst();
  if (!batch)
    throw new AppError('NOT_FOUND', 'Nicht gefunden', `Eine Übergabe ${opts.batchId} gibt es nicht.`);
  const office = registry.get(batch.procedure_id)?.office ?? 'standesamt';
  const ack = parseAcknowledgement(fs.readFileSync(opts.file, 'utf8'));
  const result = await handover.acknowledge(operator(batch.authority_ags, office), opts.batchId, ack, {
    key: randomUUID(),
    scope: 'cli handover acknowledge',
    requestHash: 'cli',
  });
  const body = result.body as { accepted: number; rejected: number; batch: BatchView };
  io.out(
    `Quittung eingelesen: ${body.accepted} übergeben, ${body.rejected} abgelehnt. Status: ${body.batch.statusLabel}\n`,
  );
  return body;
}

function report(err: unknown): never {
  if (err instanceof AppError) {
    process.stderr.write(`${err.title}: ${err.detail}\n`);
    for (const e of err.errors) process.stderr.write(`  ${e.path}: ${e.message}\n`);
    process.exit(1);
  }
  return fail(err);
}

const io: HandoverCliIo = { out: (s) => process.stdout.write(s), err: (s) => process.stderr.write(s) };

export function registerHandoverCommands(program: Command): void {
  const handover = program
    .command('handover')
    .description('Übergabe abgeschlossener Vorgänge an die Fachverfahren');
  handover
    .command('export')
    .description(
      'Erstellt eine Übergabe (Dateien mit Manifest) aller noch nicht übergebenen abgeschlossenen Vorgänge',
    )
    .requiredOption('--procedure <id>', 'Verfahren, z. B. geburt, sterbefall, eheschliessung')
    .requiredOption('--authority <ags>', 'Gemeindeschlüssel (AGS) der Behörde, z. B. 05970040')
    .option('--dir <dir>', 'Zielverzeichnis (sonst NOTBETRIEB_HANDOVER_DIR oder DATA_DIR/handover)')
    .action(async (opts: { procedure: string; authority: string; dir?: string }) => {
      try {
        const { config, database } = await openFromEnvironment();
        try {
          await runHandoverExport(
            database,
            { ...opts, dir: opts.dir ?? defaultHandoverDir(config.dataDir) },
            io,
          );
        } finally {
          await database.close();
        }
      } catch (err) {
        report(err);
      }
    });
  handover
    .command('acknowledge')
    .description('Liest eine Quittung (JSON oder CSV „aktenzeichen;status;grund") zu einer Übergabe ein')
    .argument('<batchId>', 'ID der Übergabe')
    .argument('<file>', 'Quittungsdatei')
    .action(async (batchId: string, file: string) => {
      try {
        const { config, database } = await openFromEnvironment();
        try {
          await runHandoverAcknowledge(
            database,
            { batchId, file, dir: defaultHandoverDir(config.dataDir) },
            io,
          );
        } finally {
          await database.close();
        }
      } catch (err) {
        report(err);
      }
    });
}
