import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createTestContext,
  describeEachDialect,
  type TestContext,
  type TestUser,
  userWith,
} from '../../../test/harness.js';
import { openDatabase } from '../../db/database.js';
import { migrate } from '../../server/platform.js';
import { buildApp } from '../app.js';

describeEachDialect('platform routes', (dialect) => {
  let ctx: TestContext;
  let clerk: TestUser;
  beforeAll(async () => {
    ctx = await createTestContext(dialect);
    clerk = await userWith(ctx, [{ ags: '05970040', office: 'meldebehoerde' }]);
  });
  afterAll(() => ctx.close());

  it('answers health and readiness without login', async () => {
    expect((await ctx.app.inject({ method: 'GET', url: '/healthz' })).json()).toEqual({ status: 'ok' });
    expect((await ctx.app.inject({ method: 'GET', url: '/readyz' })).json()).toEqual({ status: 'ready' });
  });

  it('counts requests per route pattern in the Prometheus metrics, never per raw URL', async () => {
    await ctx.app.inject({ method: 'GET', url: '/api/authorities/05970040', headers: clerk.headers });
    const res = await ctx.app.inject({ method: 'GET', url: '/metrics' });
    expect(res.statusCode).toBe(200);
    expect(res.body).toMatch(
      /notbetrieb_http_requests_total\{method="GET",route="\/api\/authorities\/:ags",status="200"\} 1/,
    );
    expect(res.body).toContain('notbetrieb_http_request_duration_seconds_bucket');
    expect(res.body).toMatch(/notbetrieb_db_pool_connections\{state="total"\} \d+/);
    expect(res.body).not.toContain('05970040');
  });

  it('publishes an OpenAPI 3 document generated from the route schemas, and a browsable page', async () => {
    const doc = (await ctx.app.inject({ method: 'GET', url: '/api/openapi.json' })).json();
    expect(doc.openapi).toMatch(/^3\./);
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining([
        '/api/cases',
        '/api/cases/search',
        '/api/cases/{id}',
        '/api/cases/{id}/actions/{action}',
        '/api/procedures/{id}',
      ]),
    );
    const create = doc.paths['/api/cases'].post;
    expect(create.requestBody.content['application/json'].schema.required).toEqual(
      expect.arrayContaining(['procedureId', 'authorityAgs']),
    );
    const page = await ctx.app.inject({ method: 'GET', url: '/api/docs/' });
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toContain('text/html');
  });

  it('lists procedures and serves the Verlustanzeige form as JSON Schema with German labels', async () => {
    const list = await ctx.app.inject({ method: 'GET', url: '/api/procedures', headers: clerk.headers });
    expect(list.json().items.map((p: { id: string }) => p.id)).toContain('verlustanzeige');
    const res = await ctx.app.inject({
      method: 'GET',
      url: '/api/procedures/verlustanzeige',
      headers: clerk.headers,
    });
    expect(res.statusCode).toBe(200);
    const def = res.json();
    expect(def.office).toBe('meldebehoerde');
    const schema = def.form.jsonSchema;
    expect(schema.properties.person.properties.familienname).toMatchObject({
      title: 'Familienname',
      section: 'person',
    });
    expect(schema.properties.dokument.properties.art).toMatchObject({
      enum: ['personalausweis', 'reisepass', 'vorlaeufiger_personalausweis', 'vorlaeufiger_reisepass'],
      options: { personalausweis: 'Personalausweis' },
    });
    expect(schema.properties.polizei.properties.angezeigt).toMatchObject({
      type: 'boolean',
      widget: 'yesno',
    });
    expect(def.actions.map((a: { id: string }) => a.id)).toEqual([
      'berichtigen',
      'bestaetigen',
      'stornieren',
    ]);
    expect(def.actions.find((a: { id: string }) => a.id === 'stornieren').payloadJsonSchema.required).toEqual(
      ['grund'],
    );
    expect(def.form.sections.map((s: { title: string }) => s.title)).toEqual([
      'Person',
      'Dokument',
      'Verlust',
      'Polizei',
    ]);
  });

  it('answers an unknown procedure with 404 problem+json', async () => {
    const res = await ctx.app.inject({
      method: 'GET',
      url: '/api/procedures/gibtsnicht',
      headers: clerk.headers,
    });
    expect(res.statusCode).toBe(404);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(res.json()).toMatchObject({ code: 'NOT_FOUND', title: 'Nicht gefunden' });
  });

  it('lists authorities and one authority with its offices', async () => {
    const list = await ctx.app.inject({
      method: 'GET',
      url: '/api/authorities?kreis=05966000',
      headers: clerk.headers,
    });
    expect(list.json().items.map((a: { name: string }) => a.name)).toContain('Olpe');
    const one = await ctx.app.inject({
      method: 'GET',
      url: '/api/authorities/05966024',
      headers: clerk.headers,
    });
    expect(one.json().offices.map((o: { officeType: string }) => o.officeType)).toContain('standesamt');
    const bad = await ctx.app.inject({ method: 'GET', url: '/api/authorities/123', headers: clerk.headers });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors).toEqual([{ path: 'path/ags', message: 'Der AGS hat acht Ziffern.' }]);
    const missing = await ctx.app.inject({
      method: 'GET',
      url: '/api/authorities/09999999',
      headers: clerk.headers,
    });
    expect(missing.statusCode).toBe(404);
  });

  it('refuses anonymous access to procedures and authorities', async () => {
    for (const url of [
      '/api/procedures',
      '/api/procedures/verlustanzeige',
      '/api/authorities',
      '/api/authorities/05970040',
    ]) {
      const res = await ctx.app.inject({ method: 'GET', url });
      expect(res.statusCode, url).toBe(401);
    }
  });

  it('answers unknown routes, broken JSON and wrong media types with problem+json', async () => {
    const unknown = await ctx.app.inject({ method: 'GET', url: '/api/gibtsnicht' });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json().code).toBe('NOT_FOUND');
    const broken = await ctx.app.inject({
      method: 'POST',
      url: '/api/cases/search',
      headers: { ...clerk.headers, 'content-type': 'application/json' },
      payload: '{"q": ',
    });
    expect(broken.statusCode).toBe(400);
    expect(broken.json()).toMatchObject({
      code: 'VALIDATION_FAILED',
      detail: 'Der Inhalt der Anfrage ist kein gültiges JSON.',
    });
    const text = await ctx.app.inject({
      method: 'POST',
      url: '/api/cases/search',
      headers: { ...clerk.headers, 'content-type': 'text/plain' },
      payload: 'hallo',
    });
    expect(text.statusCode).toBe(415);
    expect(text.json().code).toBe('UNSUPPORTED_MEDIA_TYPE');
  });
});

describe('internal errors', () => {
  it('never show internals and say that nothing was changed', async () => {
    const handle = openDatabase({ sqliteFile: ':memory:' });
    await migrate(handle.db);
    const app = await buildApp({ config: { logLevel: 'silent' }, database: handle });
    app.get('/boom', { config: { auth: 'public' } }, async () => {
      throw new Error('SQLITE_CORRUPT: secret table notbetrieb_internal at /srv/x');
    });
    const res = await app.inject({ method: 'GET', url: '/boom' });
    expect(res.statusCode).toBe(500);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(res.body).not.toContain('SQLITE');
    expect(res.body).not.toContain('/srv');
    expect(res.json()).toMatchObject({ code: 'INTERNAL', title: 'Interner Fehler' });
    expect(res.json().detail).toContain('Es wurde nichts geändert');
    expect(res.json().requestId).toBe(res.headers['x-request-id']);
    await app.close();
    await handle.close();
  });
});
