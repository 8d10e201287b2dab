import type { Command } from 'commander';
import { type BackupTarget, createBackup, restoreBackup } from '../core/backup/backup.js';
import { BackupError } from '../core/backup/format.js';
import { obtainPassphrase } from '../core/backup/passphrase.js';
import { terminalProgress } from '../core/backup/progress.js';
import { loadConfig } from '../server/config.js';
import { procedureRegistry } from '../server/platform.js';
import { fail } from './context.js';

/** `notbetrieb backup --out FILE` and `notbetrieb restore FILE` (see docs/OPERATIONS.md). */

function targetFromEnvironment(): BackupTarget {
  const config = loadConfig(process.env);
  return config.databaseUrl
    ? { dialect: 'postgres', databaseUrl: config.databaseUrl }
    : { dialect: 'sqlite', dataDir: config.dataDir };
}

function refuse(err: unknown): never {
  if (err instanceof BackupError) {
    process.stderr.write(`${err.message}\n`);
    process.exit(1);
  }
  return fail(err);
}

const fmt = (n: number) => n.toLocaleString('de-DE');

export function registerBackupCommands(program: Command): void {
  program
    .command('backup')
    .description(
      'Erstellt im laufenden Betrieb eine konsistente, verschlüsselte Sicherung (AES-256-GCM, Passphrase aus ' +
        'NOTBETRIEB_BACKUP_PASSPHRASE oder Eingabe im Terminal)',
    )
    .requiredOption('--out <file>', 'Zieldatei der Sicherung (wird nicht überschrieben)')
    .action(async (opts: { out: string }) => {
      try {
        const source = targetFromEnvironment();
        const passphrase = await obtainPassphrase({ confirm: true });
        const header = await createBackup({
          source,
          out: opts.out,
          passphrase,
          progress: terminalProgress(),
        });
        process.stdout.write(
          `Sicherung geschrieben: ${opts.out}\n` +
            `  Vorgänge: ${fmt(header.counts.cases ?? 0)}, Aktionen: ${fmt(header.counts.case_action ?? 0)}\n` +
            `  SHA-256 (unverschlüsselt): ${header.plaintext.sha256}\n` +
            'Bitte die Datei vom Rechner weg an einen zweiten Ort bringen (siehe docs/OPERATIONS.md).\n',
        );
      } catch (err) {
        refuse(err);
      }
    });

  program
    .command('restore')
    .description(
      'Stellt eine Sicherung in ein LEERES Datenverzeichnis (DATA_DIR) bzw. eine leere PostgreSQL-Datenbank ' +
        '(DATABASE_URL) wieder her und prüft Datensatzzahlen und Vorgänge',
    )
    .argument('<file>', 'Sicherungsdatei')
    .action(async (file: string) => {
      try {
        const target = targetFromEnvironment();
        const passphrase = await obtainPassphrase({ confirm: false });
        const report = await restoreBackup({
          registry: procedureRegistry(),
          file,
          target,
          passphrase,
          progress: terminalProgress(),
        });
        process.stdout.write(
          `Wiederhergestellt aus der Sicherung vom ${report.header.createdAt}.\n` +
            `  Vorgänge: ${fmt(report.cases)}, Aktionen: ${fmt(report.actions)} – wie in der Sicherung verzeichnet\n` +
            `  Alle Tabellen: Datensatzzahlen stimmen (${Object.keys(report.counts).length} Tabellen)\n` +
            '  Jeder Vorgang stimmt mit der Wiederholung seiner Aktionen überein\n' +
            `  Prüfprotokoll: ${report.audit}\n`,
        );
      } catch (err) {
        refuse(err);
      }
    });
}
