import { existsSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestContext, describeEachDialect, type TestContext } from '../../../test/harness.js';
import { defaultWebRoot } from './web.js';

/**
 * The server serves the built clerk workspace (npm test builds it first): index.html for the app's
 * own paths (deep links survive a reload), hashed assets with long caching, real 404s for unknown
 * API paths and assets, and a page without inline scripts under the CSP.
 */
const built = existsSync(path.join(defaultWebRoot(), 'index.html'));
if (!built && process.env.CI === 'true')
  throw new Error('dist/web fehlt: npm test baut die Web-App vor den Tests.');

describeEachDialect('Web-App ausliefern', (dialect) => {
  let ctx: TestContext;
  beforeAll(async () => {
    ctx = await createTestContext(dialect);
  });
  afterAll(async () => ctx?.close());

  it.skipIf(!built)('serves the app at / and at deep links, without inline scripts, uncached', async () => {
    for (const url of ['/', '/vorgaenge/0190f3c2-0000-7000-8000-000000000000', '/verwaltung/benutzer']) {
      const res = await ctx.app.inject({ method: 'GET', url });
      expect(res.statusCode, url).toBe(200);
      expect(res.headers['content-type']).toContain('text/html');
      expect(res.headers['cache-control']).toBe('no-cache');
      expect(res.body).toContain('<div id="root">');
      expect(res.body).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
      expect(String(res.headers['content-security-policy'])).toContain("script-src 'self'");
    }
  });

  it.skipIf(!built)('serves hashed assets with long caching, and 404 for missing ones', async () => {
    const html = (await ctx.app.inject({ method: 'GET', url: '/' })).body;
    const asset = /src="(\/assets\/[^"]+\.js)"/.exec(html)?.[1];
    expect(asset).toBeTruthy();
    const res = await ctx.app.inject({ method: 'GET', url: asset ?? '' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['cache-control']).toContain('immutable');
    const compressed = await ctx.app.inject({
      method: 'GET',
      url: asset ?? '',
      headers: { 'accept-encoding': 'br' },
    });
    expect(compressed.headers['content-encoding']).toBe('br');
    expect(compressed.rawPayload.length).toBeLessThan(res.rawPayload.length / 2);
    const missing = await ctx.app.inject({ method: 'GET', url: '/assets/gibt-es-nicht.js' });
    expect(missing.statusCode).toBe(404);
  });

  it.skipIf(!built)(
    'serves the icon fonts also below deep links (the theme loads them relatively)',
    async () => {
      const res = await ctx.app.inject({ method: 'GET', url: '/verwaltung/webfonts/fa-solid-900.woff2' });
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-type']).toContain('font/woff2');
    },
  );

  it('answers unknown API paths with problem+json, not with the app', async () => {
    const res = await ctx.app.inject({ method: 'GET', url: '/api/gibt-es-nicht' });
    expect(res.statusCode).toBe(404);
    expect(res.headers['content-type']).toContain('application/problem+json');
  });
});
