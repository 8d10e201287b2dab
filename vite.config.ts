import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import react from '@vitejs/plugin-react';
import { defineConfig, type Plugin } from 'vite';

/**
 * The clerk workspace (issue 4). Built into dist/web and served by the API server
 * (src/server/plugins/web.ts). The families' web parts and definitions (src/procedures/*) are
 * bundled so that the browser validates with the same zod schemas as the server; the definitions
 * are browser-safe by construction, and test/web-bundle.test.ts fails when a server module gets in.
 */
const root = fileURLToPath(new URL('./src/web', import.meta.url));

/**
 * KoliBri's icon fonts: kol-icon loads `kolicons.*` and the theme `../webfonts/fa-*` relative to
 * the page, so they are emitted at those paths (served from 'self', as the CSP wants).
 */
function kolibriFonts(): Plugin {
  const theme = fileURLToPath(new URL('./node_modules/@public-ui/theme-default/assets', import.meta.url));
  const sources: Array<[dir: string, target: string, pattern: RegExp]> = [
    [path.join(theme, 'kolicons'), '', /^kolicons\.(woff2?|ttf)$/],
    [path.join(theme, 'fontawesome-free/webfonts'), 'webfonts/', /\.(woff2|ttf)$/],
  ];
  return {
    name: 'notbetrieb-kolibri-fonts',
    apply: 'build',
    generateBundle() {
      for (const [dir, target, pattern] of sources) {
        for (const file of readdirSync(dir).filter((f) => pattern.test(f))) {
          this.emitFile({
            type: 'asset',
            fileName: `${target}${file}`,
            source: readFileSync(path.join(dir, file)),
          });
        }
      }
    },
  };
}

/**
 * Writes the list of every module in the bundle (Rollup's module graph, as ids relative to the
 * project) to dist/web/.vite/modules.json, for the test that keeps server modules out.
 */
function moduleList(): Plugin {
  return {
    name: 'notbetrieb-module-list',
    apply: 'build',
    generateBundle() {
      const here = fileURLToPath(new URL('.', import.meta.url));
      const ids = [...this.getModuleIds()].map((id) => (id.startsWith(here) ? id.slice(here.length) : id));
      this.emitFile({
        type: 'asset',
        fileName: '.vite/modules.json',
        source: `${JSON.stringify(ids.sort(), null, 1)}\n`,
      });
    },
  };
}

/** Writes .br and .gz beside each text asset; the server sends them to browsers that accept them. */
function precompress(): Plugin {
  let outDir = '';
  return {
    name: 'notbetrieb-precompress',
    apply: 'build',
    configResolved(config) {
      outDir = config.build.outDir;
    },
    writeBundle() {
      const walk = (dir: string): string[] =>
        readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
          e.isDirectory() ? walk(path.join(dir, e.name)) : [path.join(dir, e.name)],
        );
      for (const file of walk(outDir).filter((f) => /\.(js|css|svg|ttf)$/.test(f))) {
        const data = readFileSync(file);
        if (data.length < 1024) continue;
        writeFileSync(`${file}.gz`, gzipSync(data, { level: 9 }));
        writeFileSync(
          `${file}.br`,
          brotliCompressSync(data, { params: { [constants.BROTLI_PARAM_QUALITY]: 9 } }),
        );
      }
    },
  };
}

export default defineConfig({
  root,
  base: '/',
  plugins: [kolibriFonts(), react(), precompress(), moduleList()],
  publicDir: false,
  build: {
    outDir: fileURLToPath(new URL('./dist/web', import.meta.url)),
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: false,
    // No inline scripts or data-URL modules: the CSP allows scripts from 'self' only.
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
    chunkSizeWarningLimit: 800,
  },
  server: {
    proxy: { '/api': 'http://127.0.0.1:3000' },
  },
});
