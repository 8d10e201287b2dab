import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import react from '@vitejs/plugin-react';
import { defineConfig, type Plugin } from 'vite';

/**
 * The clerk workspace (issue 4). Built into dist/web and served by the API server
 * (src/server/plugins/web.ts). The procedure definitions (src/procedures/*) are bundled so that the
 * browser validates with the same zod schemas as the server.
 */
const root = fileURLToPath(new URL('./src/web', import.meta.url));

/**
 * The browser uses the definitions' schemas only. Some definitions also import server-side code
 * for their transactional hooks (database, node:crypto …), which the browser never runs: those
 * modules are replaced by an inert stub so that the bundle builds and stays small.
 */
const SERVER_ONLY =
  /^(node:|(fs|path|util|util\/types|events|net|tls|crypto|os|stream|dns|url|buffer|string_decoder|child_process|worker_threads|zlib)$|better-sqlite3|pg($|\/)|pg-|pdfkit|bindings$|@node-rs\/|pino|qrcode$|dejavu-fonts-ttf)/;
const STUB = '\0server-only-stub';

function serverOnlyStub(): Plugin {
  return {
    name: 'notbetrieb-server-only-stub',
    enforce: 'pre',
    async resolveId(id, importer, options) {
      if (!importer || importer.startsWith(STUB)) return null;
      if (SERVER_ONLY.test(id)) return `${STUB}:${id}`;
      if (importer.includes('/src/web/')) return null;
      const resolved = await this.resolve(id, importer, { ...options, skipSelf: true });
      if (resolved && /[\\/]src[\\/]server[\\/]/.test(resolved.id) && !resolved.id.includes('/db/types')) {
        return `${STUB}:${resolved.id}`;
      }
      return resolved;
    },
    load(id) {
      if (!id.startsWith(STUB)) return null;
      return {
        code: [
          'const hole = new Proxy(function () {}, {',
          '  get: (_t, key) => (key === Symbol.toPrimitive ? () => "" : key === "then" ? undefined : hole),',
          '  apply: () => hole,',
          '  construct: () => hole,',
          '});',
          'export default hole;',
        ].join('\n'),
        syntheticNamedExports: true,
      };
    },
  };
}

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
  plugins: [serverOnlyStub(), kolibriFonts(), react(), precompress()],
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
