import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestContext, describeEachDialect, type TestContext, userWith } from '../../../test/harness.js';
import { verlustanzeigeDaten } from '../../procedures/verlustanzeige/fixtures.js';

describeEachDialect('security headers', (dialect) => {
  let ctx: TestContext;
  beforeAll(async () => {
    ctx = await createTestContext(dialect);
  });
  afterAll(() => ctx.close());

  it('sends a strict Content-Security-Policy without inline script, and the usual hardening headers', async () => {
    const res = await ctx.app.inject({ method: 'GET', url: '/healthz' });
    const csp = String(res.headers['content-security-policy']);
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain('unsafe-inline');
    expect(csp).not.toContain('unsafe-eval');
    expect(csp).toContain("object-src 'none'");
    expect(csp).toContain("frame-ancestors 'none'");
    // Plain HTTP on the LAN: no upgrade, no HSTS.
    expect(csp).not.toContain('upgrade-insecure-requests');
    expect(res.headers['strict-transport-security']).toBeUndefined();
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['referrer-policy']).toBe('no-referrer');
  });

  it('marks API responses with personal data as not cacheable', async () => {
    const clerk = await userWith(ctx, [{ ags: '05970040', office: 'meldebehoerde' }]);
    const created = await ctx.app.inject({
      method: 'POST',
      url: '/api/cases',
      headers: { ...clerk.headers, 'idempotency-key': randomUUID() },
      payload: { procedureId: 'verlustanzeige', authorityAgs: '05970040', data: verlustanzeigeDaten() },
    });
    expect(created.headers['cache-control']).toBe('no-store');
    const read = await ctx.app.inject({
      method: 'GET',
      url: `/api/cases/${created.json().id}`,
      headers: clerk.headers,
    });
    expect(read.headers['cache-control']).toBe('no-store');
    const list = await ctx.app.inject({ method: 'GET', url: '/api/authorities', headers: clerk.headers });
    expect(list.headers['cache-control']).toBe('no-store');
    const refused = await ctx.app.inject({ method: 'GET', url: `/api/cases/${created.json().id}` });
    expect(refused.headers['cache-control']).toBe('no-store');
  });

  it('refuses a NUL character anywhere in the input with 400, on both dialects', async () => {
    const clerk = await userWith(ctx, [{ ags: '05970040', office: 'meldebehoerde' }]);
    const search = await ctx.app.inject({
      method: 'POST',
      url: '/api/cases/search',
      headers: clerk.headers,
      payload: { q: 'Mei\u0000er', status: 'erfasst' },
    });
    expect(search.statusCode).toBe(400);
    expect(search.json()).toMatchObject({
      code: 'VALIDATION_FAILED',
      detail: 'Die Anfrage enthält ein unzulässiges Nullzeichen.',
    });
    const query = await ctx.app.inject({
      method: 'GET',
      url: '/api/authorities?kreis=%00',
      headers: clerk.headers,
    });
    expect(query.statusCode).toBe(400);
  });

  it('keeps the API documentation working under its own static CSP', async () => {
    const page = await ctx.app.inject({ method: 'GET', url: '/api/docs' });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('swagger');
    const csp = String(page.headers['content-security-policy']);
    const scriptSrc = csp.split(';').find((d) => d.trim().startsWith('script-src ')) ?? '';
    expect(scriptSrc).not.toContain('unsafe-inline');
    expect(csp).not.toContain('upgrade-insecure-requests');
    const init = await ctx.app.inject({ method: 'GET', url: '/api/docs/static/swagger-initializer.js' });
    expect(init.statusCode).toBe(200);
    const spec = await ctx.app.inject({ method: 'GET', url: '/api/openapi.json' });
    expect(spec.statusCode).toBe(200);
    expect(spec.json().paths['/api/auth/login']).toBeDefined();
  });

  it('does not put the session token or credentials in a URL or error message', async () => {
    const res = await ctx.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { username: 'geheimer.name', password: 'Sehr geheimes Passwort 1' },
    });
    expect(res.statusCode).toBe(401);
    expect(res.body).not.toContain('geheimer.name');
    expect(res.body).not.toContain('Sehr geheimes');
  });
});
