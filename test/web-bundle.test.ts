import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * The web bundle holds no server module. The procedure definitions are bundled for the browser's
 * validation; they are browser-safe by construction (no stub replaces anything). The build writes
 * Rollup's module graph to dist/web/.vite/modules.json (vite.config.ts); this test reads it and
 * fails on any server module: the database drivers and Kysely, pdfkit, Node built-ins (also as
 * Vite's "browser external" placeholder), the server, CLI and persistence layers, and the server
 * parts of the families. `npm test` builds before it runs; run alone, it builds when the list is
 * missing or older than the sources.
 */
const ROOT = path.resolve(import.meta.dirname, '..');
const LIST = path.join(ROOT, 'dist/web/.vite/modules.json');

const SERVER_MODULES: Array<[RegExp, string]> = [
  [/(^|\/)node_modules\/kysely\//, 'kysely'],
  [/(^|\/)node_modules\/better-sqlite3\//, 'better-sqlite3'],
  [/(^|\/)node_modules\/(pg|pg-[a-z-]+|pgpass)\//, 'pg'],
  [/(^|\/)node_modules\/(pdfkit|fontkit|dejavu-fonts-ttf)\//, 'pdfkit'],
  [/(^|\/)node_modules\/(fastify|pino|@fastify\/[^/]+|@node-rs\/[^/]+)\//, 'Server-Bibliothek'],
  [/^(\0)?node:|__vite-browser-external/, 'Node-Modul'],
  [/^src\/(server|cli|db)\//, 'Server-, CLI- oder Datenbankschicht'],
  [/^src\/procedures\/[^/]+\/server\//, 'Serverteil einer Verfahrensfamilie'],
];

/** The server modules among a bundle's module ids, with the reason. */
function serverModulesIn(ids: readonly string[]): string[] {
  return ids.flatMap((id) => {
    const hit = SERVER_MODULES.find(([re]) => re.test(id));
    return hit ? [`${id} (${hit[1]})`] : [];
  });
}

function newestSource(dir: string): number {
  let newest = 0;
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    newest = Math.max(newest, e.isDirectory() ? newestSource(p) : fs.statSync(p).mtimeMs);
  }
  return newest;
}

function bundledModules(): string[] {
  if (!fs.existsSync(LIST) || fs.statSync(LIST).mtimeMs < newestSource(path.join(ROOT, 'src'))) {
    execFileSync(process.execPath, [path.join(ROOT, 'node_modules/vite/bin/vite.js'), 'build'], {
      cwd: ROOT,
      stdio: 'ignore',
    });
  }
  return JSON.parse(fs.readFileSync(LIST, 'utf8')) as string[];
}

describe('web bundle', () => {
  it('contains the definitions and pages of every family but no server module', () => {
    const ids = bundledModules();
    expect(ids).toContain('src/web/App.tsx');
    expect(ids).toContain('src/procedures/standesamt/geburt.ts');
    expect(ids).toContain('src/procedures/meldewesen/web/SearchPage.tsx');
    expect(ids.some((id) => id.includes('node_modules/zod/'))).toBe(true);
    expect(serverModulesIn(ids)).toEqual([]);
  }, 120_000);

  it('recognises server modules (self-test)', () => {
    expect(
      serverModulesIn([
        'node_modules/kysely/dist/esm/index.js',
        'node_modules/better-sqlite3/lib/index.js',
        'node_modules/pg/lib/index.js',
        'node_modules/pdfkit/js/pdfkit.es.js',
        '\0node:crypto',
        '__vite-browser-external:node:crypto',
        'src/db/types.ts',
        'src/server/http.ts',
        'src/procedures/standesamt/server/checks.ts',
        'src/procedures/standesamt/geburt.ts',
        'node_modules/zod/v4/classic/schemas.js',
      ]),
    ).toHaveLength(9);
  });
});
