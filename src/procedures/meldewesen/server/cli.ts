import fs from 'node:fs';
import os from 'node:os';
import type { Command } from 'commander';
import type { CliTools } from '../../../core/family.js';
import { writeSyntheticExport } from './register/generate.js';
import { type ImportProgress, importRegister, RegisterImportError } from './register/import.js';

/** `notbetrieb register import|generate` (docs/REGISTER.md). */

const nf = new Intl.NumberFormat('de-DE');
const PHASES: Record<ImportProgress['phase'], string> = {
  laden: 'Laden',
  indizieren: 'Indizes',
  aktivieren: 'Aktivieren',
};

/** A one-line progress bar on a terminal; nothing when stderr is not a terminal. */
export function progressBar(stream: NodeJS.WriteStream = process.stderr) {
  const started = performance.now();
  return (p: ImportProgress) => {
    if (!stream.isTTY) return;
    const width = 30;
    const frac = p.totalBytes > 0 ? Math.min(1, p.bytesRead / p.totalBytes) : 1;
    const filled = Math.round(frac * width);
    const secs = (performance.now() - started) / 1000;
    const rate = secs > 0 ? Math.round(p.rows / secs) : 0;
    stream.write(
      `\r${PHASES[p.phase].padEnd(10)} [${'█'.repeat(filled)}${'░'.repeat(width - filled)}] ${String(Math.round(frac * 100)).padStart(3)} % · ${nf.format(p.rows)} Zeilen · ${nf.format(rate)}/s · ${nf.format(p.errors)} fehlerhaft `,
    );
  };
}

export function addRegisterCommands(program: Command, { open, fail }: CliTools): void {
  const register = program
    .command('register')
    .description('Melderegister: Registerstand laden, Testdaten erzeugen');

  register
    .command('import')
    .description(
      'Lädt einen Export des Melderegisters (CSV nach docs/REGISTER.md, UTF-8 oder ISO-8859-1) als neuen Registerstand. ' +
        'Fehlerhafte Zeilen werden mit Zeilennummer gemeldet, gültige geladen; der bisherige Stand wird erst nach vollständigem Laden in einem Schritt ersetzt.',
    )
    .argument('<file>', 'CSV-Datei')
    .option('--encoding <encoding>', 'utf-8 oder iso-8859-1 (sonst automatisch erkannt)')
    .option('--fehlerbericht <file>', 'alle fehlerhaften Zeilen als CSV in diese Datei schreiben')
    .action(async (file: string, opts: { encoding?: string; fehlerbericht?: string }) => {
      let encoding: 'utf-8' | 'iso-8859-1' | undefined;
      if (opts.encoding) {
        const e = opts.encoding.toLowerCase().replace('_', '-');
        if (e === 'utf-8' || e === 'utf8') encoding = 'utf-8';
        else if (e === 'iso-8859-1' || e === 'latin1' || e === 'latin-1') encoding = 'iso-8859-1';
        else return fail(new Error(`Unbekannte Kodierung „${opts.encoding}". Erlaubt: utf-8, iso-8859-1.`));
      }
      try {
        const { database } = await open();
        try {
          const r = await importRegister(database, {
            file,
            encoding,
            importedBy: `cli:${os.userInfo().username}`,
            onProgress: progressBar(),
            keepProblems: opts.fehlerbericht ? 1_000_000 : 10_000,
          });
          if (process.stderr.isTTY) process.stderr.write('\n');
          process.stdout.write(
            `${nf.format(r.rows)} Personen geladen in ${r.seconds.toFixed(1)} s (${nf.format(Math.round(r.rows / r.seconds))} Zeilen/s), Kodierung ${r.encoding}, SHA-256 ${r.sha256}.\n` +
              `Registerstand ${r.snapshotId} ist aktiv.\n`,
          );
          if (r.errorCount > 0) {
            process.stdout.write(`${nf.format(r.errorCount)} fehlerhafte Zeilen wurden nicht geladen:\n`);
            for (const p of r.problems.slice(0, 100))
              process.stdout.write(`  Zeile ${p.line}: ${p.message}\n`);
            if (r.errorCount > 100)
              process.stdout.write(`  … und ${nf.format(r.errorCount - 100)} weitere.\n`);
          }
          if (opts.fehlerbericht) {
            const lines = [
              'zeile;grund',
              ...r.problems.map((p) => `${p.line};"${p.message.replace(/"/g, '""')}"`),
            ];
            fs.writeFileSync(opts.fehlerbericht, `${lines.join('\n')}\n`);
            process.stdout.write(`Fehlerbericht: ${opts.fehlerbericht}\n`);
          }
        } finally {
          await database.close();
        }
      } catch (err) {
        if (process.stderr.isTTY) process.stderr.write('\n');
        if (err instanceof RegisterImportError) {
          process.stderr.write(
            `Import abgebrochen: ${err.message}\nDer bisherige Registerstand bleibt aktiv.\n`,
          );
          process.exit(1);
        }
        fail(err);
      }
    });

  register
    .command('generate')
    .description(
      'Erzeugt einen synthetischen Registerexport (erfundene Personen in den Demo-Gemeinden Südwestfalens) für Demos und Messungen; gleicher Seed, gleiche Datei.',
    )
    .requiredOption('--count <n>', 'Anzahl Personen')
    .option('--seed <s>', 'Startwert des Zufallsgenerators', '1')
    .requiredOption('--out <file>', 'Zieldatei (CSV)')
    .option('--encoding <encoding>', 'utf-8 (Standard) oder iso-8859-1')
    .option('--ags <list>', 'nur diese Gemeinden (AGS, mit Komma getrennt)')
    .action((opts: { count: string; seed: string; out: string; encoding?: string; ags?: string }) => {
      const count = Number(opts.count);
      const seed = Number(opts.seed);
      if (!Number.isInteger(count) || count < 1 || count > 20_000_000) {
        return fail(new Error('--count: eine ganze Zahl zwischen 1 und 20.000.000.'));
      }
      if (!Number.isInteger(seed)) return fail(new Error('--seed: eine ganze Zahl.'));
      const ags = opts.ags?.split(',').map((s) => s.trim());
      if (ags?.some((a) => !/^\d{8}$/.test(a)))
        return fail(new Error('--ags: achtstellige Gemeindeschlüssel.'));
      const enc = opts.encoding?.toLowerCase();
      const started = performance.now();
      const n = writeSyntheticExport(opts.out, {
        count,
        seed,
        ...(ags ? { ags } : {}),
        encoding: enc === 'iso-8859-1' || enc === 'latin1' ? 'latin1' : 'utf-8',
      });
      process.stdout.write(
        `${nf.format(n)} Personen nach ${opts.out} geschrieben (Seed ${seed}, ${((performance.now() - started) / 1000).toFixed(1)} s).\n`,
      );
    });
}
