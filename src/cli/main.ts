#!/usr/bin/env node
import fs from 'node:fs';
import { Command } from 'commander';
import { AuthorityImportError, importAuthorities } from '../core/authorities/import.js';
import { registerFamilyCommands } from '../server/platform.js';
import { registerBackupCommands } from './backup.js';
import { fail, openFromEnvironment } from './context.js';
import { registerHandoverCommands } from './handover.js';
import { registerSecurityCommands } from './security.js';
import { serve } from './serve.js';

/**
 * notbetrieb <command>. Configuration comes from the environment (PORT, HOST, DATABASE_URL,
 * DATA_DIR, LOG_LEVEL); see docs/OPERATIONS.md.
 */
export function buildCli(): Command {
  const program = new Command();
  program
    .name('notbetrieb')
    .description('Notbetrieb – Fachverfahren für den kommunalen Notbetrieb')
    .showHelpAfterError('(--help zeigt die Hilfe)')
    .configureHelp({ sortSubcommands: true });

  program
    .command('serve')
    .description('Startet den Server (Datenbank migrieren, dann HTTP auf HOST:PORT)')
    .option('--demo', 'Demo-Daten anlegen (Behörden Südwestfalens), falls die Datenbank leer ist')
    .option('--port <port>', 'Port (sonst PORT, Standard 8080)')
    .option('--host <host>', 'Adresse (sonst HOST, Standard 127.0.0.1)')
    .option('--tls-cert <datei>', 'HTTPS: Zertifikat (PEM), zusammen mit --tls-key')
    .option('--tls-key <datei>', 'HTTPS: privater Schlüssel (PEM)')
    .option(
      '--tls-self-signed',
      'HTTPS mit selbstsigniertem Zertifikat (in DATA_DIR/tls; Fingerabdruck wird angezeigt)',
    )
    .action(async (opts) => {
      await serve(opts).catch(fail);
    });

  program
    .command('migrate')
    .description('Wendet ausstehende Datenbank-Migrationen an und beendet sich')
    .action(async () => {
      try {
        const { database, applied } = await openFromEnvironment();
        await database.close();
        process.stdout.write(
          applied.length
            ? `Angewendet: ${applied.join(', ')}\n`
            : 'Datenbankschema ist aktuell, nichts zu tun.\n',
        );
      } catch (err) {
        fail(err);
      }
    });

  const authorities = program
    .command('authorities')
    .description('Behörden (Kreise, Gemeinden) und ihre Ämter');
  authorities
    .command('import')
    .description(
      'Lädt Behörden aus einer CSV-Datei (Spalten: ags,name,art,kreis_ags,kreis,kfz_unterscheidungszeichen,quelle[,aemter]). ' +
        'Alle Zeilen werden zuerst geprüft; bei einem Fehler wird nichts geändert.',
    )
    .argument('<file>', 'CSV-Datei (UTF-8)')
    .action(async (file: string) => {
      let text: string;
      try {
        text = fs.readFileSync(file, 'utf8');
      } catch (err) {
        return fail(new Error(`Datei ${file} nicht lesbar: ${(err as Error).message}`));
      }
      try {
        const { database } = await openFromEnvironment();
        try {
          const r = await importAuthorities(database.db, text, new Date());
          process.stdout.write(`${r.authorities} Behörden geladen, ${r.offices} Ämter neu angelegt.\n`);
        } finally {
          await database.close();
        }
      } catch (err) {
        if (err instanceof AuthorityImportError) {
          process.stderr.write(`${err.message}\n`);
          for (const e of err.rowErrors) process.stderr.write(`  Zeile ${e.line}: ${e.message}\n`);
          process.exit(1);
        }
        fail(err);
      }
    });

  registerBackupCommands(program);
  registerHandoverCommands(program);
  registerSecurityCommands(program);

  registerFamilyCommands(program, { open: openFromEnvironment, fail });

  return program;
}

await buildCli().parseAsync(process.argv);
