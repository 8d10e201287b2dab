import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';
import { AppError } from '../../core/errors.js';

/**
 * Serves the clerk workspace (src/web, built by `npm run build:web` into dist/web) with an SPA
 * fallback: any GET outside /api that is no file returns index.html, so deep links such as
 * /vorgaenge/<id> work after a reload. Static files are public (they hold no data; every API call
 * is authenticated). The built index.html has no inline scripts, so the CSP can forbid them.
 */
export interface WebPluginOptions {
  /** Directory of the built app; defaults to <package root>/dist/web. */
  root?: string;
}

const FONT_PATH = /((?:webfonts\/fa-[a-z0-9-]+|kolicons)\.(?:woff2|woff|ttf))$/;

export function defaultWebRoot(): string {
  // src/server/plugins/web.ts and dist/server/plugins/web.js both sit three levels below the root.
  const here = path.dirname(fileURLToPath(import.meta.url));
  return path.resolve(here, '../../../dist/web');
}

export async function webPlugin(app: FastifyInstance, opts: WebPluginOptions): Promise<void> {
  const root = opts.root ?? defaultWebRoot();
  const indexFile = path.join(root, 'index.html');
  // Everything registered in this (encapsulated) plugin is public.
  app.addHook('onRoute', (route) => {
    route.config = { ...(route.config ?? {}), auth: 'public' };
  });

  if (!existsSync(indexFile)) {
    app.log.warn({ root }, 'web app not built (npm run build:web): serving a notice instead');
    app.get('/', async (_request, reply) =>
      reply
        .type('text/plain; charset=utf-8')
        .send('Die Web-Oberfläche ist nicht gebaut. Bitte „npm run build:web“ ausführen.'),
    );
    return;
  }
  const indexHtml = readFileSync(indexFile);

  await app.register(fastifyStatic, {
    root,
    prefix: '/',
    wildcard: false,
    index: false,
    // The build writes .br and .gz beside each asset (vite.config.ts).
    preCompressed: true,
    // Hashed asset names never change: cache them for long; index.html is sent below, uncached.
    cacheControl: false,
    setHeaders: (res, filePath) => {
      res.setHeader(
        'cache-control',
        filePath.includes(`${path.sep}assets${path.sep}`)
          ? 'public, max-age=31536000, immutable'
          : 'public, max-age=86400',
      );
    },
  });

  const sendIndex = (_request: unknown, reply: import('fastify').FastifyReply) =>
    reply.type('text/html; charset=utf-8').header('cache-control', 'no-cache').send(indexHtml);
  app.get('/', sendIndex);
  app.get('/*', (request, reply) => {
    const url = request.url.split('?')[0] ?? '';
    // Unknown API paths and missing assets are real 404s, not the app.
    if (url.startsWith('/api/') || url === '/api' || url.startsWith('/assets/')) {
      throw new AppError('NOT_FOUND', 'Nicht gefunden', `Unter GET ${url} gibt es nichts.`);
    }
    // KoliBri's theme loads its icon fonts relative to the page ("../webfonts/…", "kolicons.…"),
    // so on a deep link they are asked for below other paths.
    const font = FONT_PATH.exec(url);
    if (font?.[1]) {
      return reply.header('cache-control', 'public, max-age=86400').sendFile(font[1]);
    }
    return sendIndex(request, reply);
  });
}
