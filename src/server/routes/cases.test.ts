import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createTestContext,
  describeEachDialect,
  type TestContext,
  type TestUser,
  userWith,
} from '../../../test/harness.js';
import { verlustanzeigeDaten } from '../../procedures/verlustanzeige/fixtures.js';

const SIEGEN = '05970040';
const OLPE = '05966024';

describeEachDialect('cases API', (dialect) => {
  let ctx: TestContext;
  let clerk: TestUser;
  let otherTown: TestUser;
  let otherOffice: TestUser;

  beforeAll(async () => {
    ctx = await createTestContext(dialect);
    clerk = await userWith(ctx, [{ ags: SIEGEN, office: 'meldebehoerde' }], {
      displayName: 'Clara Sachbearbeiterin',
    });
    otherTown = await userWith(ctx, [{ ags: OLPE, office: 'meldebehoerde' }]);
    otherOffice = await userWith(ctx, [{ ags: SIEGEN, office: 'standesamt' }]);
  });
  afterAll(() => ctx.close());

  const create = (user: TestUser, body: unknown, key: string = randomUUID()) =>
    ctx.app.inject({
      method: 'POST',
      url: '/api/cases',
      headers: { ...user.headers, 'idempotency-key': key },
      payload: body as object,
    });

  it('records a Verlustanzeige with an Aktenzeichen, status and deadline', async () => {
    const res = await create(clerk, {
      procedureId: 'verlustanzeige',
      authorityAgs: SIEGEN,
      data: verlustanzeigeDaten(),
    });
    expect(res.statusCode).toBe(201);
    const body = res.json();
    expect(body.aktenzeichen).toMatch(/^VA \d+\/2026$/);
    expect(body.status).toBe('erfasst');
    expect(body.statusLabel).toBe('Erfasst');
    expect(body.version).toBe(1);
    // Recorded Thursday 26 Nov 2026; one working day later is Friday 27 Nov.
    expect(body.deadline).toMatchObject({ date: '2026-11-27', state: 'due_soon' });
    expect(body.actions).toHaveLength(1);
    expect(body.actions[0]).toMatchObject({ action: 'erfassen', actorName: 'Clara Sachbearbeiterin' });
    expect(body.allowedActions.map((a: { id: string }) => a.id)).toEqual([
      'berichtigen',
      'bestaetigen',
      'stornieren',
    ]);
  });

  it('refuses a wrong check digit with a German message at the field', async () => {
    const data = verlustanzeigeDaten({ dokument: { art: 'personalausweis', nummer: 'T220001294' } });
    const res = await create(clerk, { procedureId: 'verlustanzeige', authorityAgs: SIEGEN, data });
    expect(res.statusCode).toBe(400);
    expect(res.headers['content-type']).toContain('application/problem+json');
    const problem = res.json();
    expect(problem.code).toBe('VALIDATION_FAILED');
    expect(problem.errors).toContainEqual({
      path: 'data/dokument/nummer',
      message: 'Die Prüfziffer der Dokumentennummer stimmt nicht. Bitte die Nummer genau abschreiben.',
    });
  });

  it('refuses a loss date in the future and changes nothing', async () => {
    const before = await ctx.handle.db
      .selectFrom('cases')
      .select(ctx.handle.db.fn.countAll().as('n'))
      .executeTakeFirst();
    const data = verlustanzeigeDaten({ verlust: { art: 'verloren', datum: '2026-12-24', ort: 'Olpe' } });
    const res = await create(clerk, { procedureId: 'verlustanzeige', authorityAgs: SIEGEN, data });
    expect(res.statusCode).toBe(400);
    expect(res.json().errors).toContainEqual({
      path: 'data/verlust/datum',
      message: 'Datum des Verlusts: darf nicht in der Zukunft liegen.',
    });
    const after = await ctx.handle.db
      .selectFrom('cases')
      .select(ctx.handle.db.fn.countAll().as('n'))
      .executeTakeFirst();
    expect(Number(after?.n)).toBe(Number(before?.n));
  });

  it('returns the first result for a repeated idempotency key and creates nothing new', async () => {
    const key = randomUUID();
    const body = { procedureId: 'verlustanzeige', authorityAgs: SIEGEN, data: verlustanzeigeDaten() };
    const first = await create(clerk, body, key);
    const second = await create(clerk, body, key);
    expect(first.statusCode).toBe(201);
    expect(second.statusCode).toBe(201);
    expect(second.headers['idempotent-replayed']).toBe('true');
    expect(second.json().id).toBe(first.json().id);
    const n = await ctx.handle.db
      .selectFrom('case_action')
      .select(ctx.handle.db.fn.countAll().as('n'))
      .where('idempotency_key', '=', key)
      .executeTakeFirst();
    expect(Number(n?.n)).toBe(1);
  });

  it('refuses the same idempotency key with other content', async () => {
    const key = randomUUID();
    await create(
      clerk,
      { procedureId: 'verlustanzeige', authorityAgs: SIEGEN, data: verlustanzeigeDaten() },
      key,
    );
    const other = verlustanzeigeDaten({ person: { familienname: 'Anders' } });
    const res = await create(
      clerk,
      { procedureId: 'verlustanzeige', authorityAgs: SIEGEN, data: other },
      key,
    );
    expect(res.statusCode).toBe(422);
    expect(res.json().code).toBe('IDEMPOTENCY_KEY_REUSED');
  });

  it('refuses a write without idempotency key', async () => {
    const res = await ctx.app.inject({
      method: 'POST',
      url: '/api/cases',
      headers: clerk.headers,
      payload: { procedureId: 'verlustanzeige', authorityAgs: SIEGEN, data: verlustanzeigeDaten() },
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().code).toBe('IDEMPOTENCY_KEY_MISSING');
  });

  it('confirms a case, then offers the receipt; a stale version is refused with 409', async () => {
    const created = (
      await create(clerk, {
        procedureId: 'verlustanzeige',
        authorityAgs: SIEGEN,
        data: verlustanzeigeDaten(),
      })
    ).json();
    const act = (action: string, expectedVersion: number, payload?: unknown) =>
      ctx.app.inject({
        method: 'POST',
        url: `/api/cases/${created.id}/actions/${action}`,
        headers: { ...clerk.headers, 'idempotency-key': randomUUID() },
        payload: { expectedVersion, ...(payload ? { payload } : {}) },
      });
    const corrected = await act(
      'berichtigen',
      1,
      verlustanzeigeDaten({ verlust: { art: 'verloren', datum: '2026-11-19', ort: 'Kreuztal' } }),
    );
    expect(corrected.statusCode).toBe(200);
    expect(corrected.json().version).toBe(2);
    expect(corrected.json().data.verlust.ort).toBe('Kreuztal');

    const stale = await act('bestaetigen', 1);
    expect(stale.statusCode).toBe(409);
    expect(stale.json().code).toBe('VERSION_CONFLICT');
    expect(stale.json().detail).toContain('inzwischen');

    const confirmed = await act('bestaetigen', 2);
    expect(confirmed.statusCode).toBe(200);
    const c = confirmed.json();
    expect(c.status).toBe('bestaetigt');
    expect(c.deadline).toBeNull();
    expect(c.allowedActions).toEqual([]);
    expect(c.documents).toEqual([
      {
        id: 'verlustbescheinigung',
        title: 'Verlustbescheinigung',
        href: `/api/cases/${created.id}/documents/verlustbescheinigung`,
      },
    ]);
    expect(c.actions.map((a: { action: string }) => a.action)).toEqual([
      'erfassen',
      'berichtigen',
      'bestaetigen',
    ]);

    const again = await act('stornieren', 3, { grund: 'wiedergefunden' });
    expect(again.statusCode).toBe(409);
    expect(again.json().code).toBe('ACTION_NOT_ALLOWED');

    const pdf = await ctx.app.inject({ method: 'GET', url: c.documents[0].href, headers: clerk.headers });
    expect(pdf.statusCode).toBe(200);
    expect(pdf.headers['content-type']).toBe('application/pdf');
    expect(pdf.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');
  });

  it('keeps cases of another town and another office out of reach', async () => {
    const created = (
      await create(clerk, {
        procedureId: 'verlustanzeige',
        authorityAgs: SIEGEN,
        data: verlustanzeigeDaten(),
      })
    ).json();
    for (const user of [otherTown, otherOffice]) {
      const read = await ctx.app.inject({
        method: 'GET',
        url: `/api/cases/${created.id}`,
        headers: user.headers,
      });
      expect(read.statusCode).toBe(403);
      const list = await ctx.app.inject({
        method: 'POST',
        url: '/api/cases/search',
        headers: user.headers,
        payload: {},
      });
      expect(list.json().items.map((i: { id: string }) => i.id)).not.toContain(created.id);
      const write = await create(user, {
        procedureId: 'verlustanzeige',
        authorityAgs: SIEGEN,
        data: verlustanzeigeDaten(),
      });
      expect(write.statusCode).toBe(403);
    }
  });

  it('refuses anonymous requests', async () => {
    const res = await ctx.app.inject({ method: 'POST', url: '/api/cases/search', payload: {} });
    expect(res.statusCode).toBe(401);
    expect(res.json().code).toBe('UNAUTHENTICATED');
  });

  describe('refusals on each route', () => {
    let caseId: string;
    beforeAll(async () => {
      caseId = (
        await create(clerk, {
          procedureId: 'verlustanzeige',
          authorityAgs: SIEGEN,
          data: verlustanzeigeDaten(),
        })
      ).json().id;
    });
    const act = (user: TestUser, action: string, body: object, id = caseId) =>
      ctx.app.inject({
        method: 'POST',
        url: `/api/cases/${id}/actions/${action}`,
        headers: { ...user.headers, 'idempotency-key': randomUUID() },
        payload: body,
      });

    it('create: unknown procedure 404, malformed envelope 400', async () => {
      const unknown = await create(clerk, { procedureId: 'gibtsnicht', authorityAgs: SIEGEN, data: {} });
      expect(unknown.statusCode).toBe(404);
      expect(unknown.json().code).toBe('UNKNOWN_PROCEDURE');
      const bad = await create(clerk, { procedureId: 'verlustanzeige', authorityAgs: 'Siegen' });
      expect(bad.statusCode).toBe(400);
      expect(bad.json().errors).toContainEqual({
        path: 'body/authorityAgs',
        message: 'Der Gemeindeschlüssel (AGS) hat acht Ziffern.',
      });
    });

    it('read: unknown case 404, malformed id 400, anonymous 401', async () => {
      const missing = await ctx.app.inject({
        method: 'GET',
        url: `/api/cases/${randomUUID()}`,
        headers: clerk.headers,
      });
      expect(missing.statusCode).toBe(404);
      const bad = await ctx.app.inject({ method: 'GET', url: '/api/cases/123', headers: clerk.headers });
      expect(bad.statusCode).toBe(400);
      expect(bad.json().errors[0].path).toBe('path/id');
      const anon = await ctx.app.inject({ method: 'GET', url: `/api/cases/${caseId}` });
      expect(anon.statusCode).toBe(401);
    });

    it('action: unknown action 404, invalid payload 400, other office 403, missing CSRF token 403', async () => {
      const unknown = await act(clerk, 'loeschen', { expectedVersion: 1 });
      expect(unknown.statusCode).toBe(404);
      const invalid = await act(clerk, 'stornieren', { expectedVersion: 1, payload: { grund: '' } });
      expect(invalid.statusCode).toBe(400);
      expect(invalid.json().errors).toContainEqual({
        path: 'payload/grund',
        message: 'Grund der Stornierung: Bitte angeben.',
      });
      const extra = await act(clerk, 'bestaetigen', { expectedVersion: 1, payload: { betrag: 5 } });
      expect(extra.statusCode).toBe(400);
      const foreign = await act(otherOffice, 'bestaetigen', { expectedVersion: 1 });
      expect(foreign.statusCode).toBe(403);
      const noCsrf = await ctx.app.inject({
        method: 'POST',
        url: `/api/cases/${caseId}/actions/bestaetigen`,
        headers: { cookie: clerk.headers.cookie, 'idempotency-key': randomUUID() },
        payload: { expectedVersion: 1 },
      });
      expect(noCsrf.statusCode).toBe(403);
      const still = await ctx.app.inject({
        method: 'GET',
        url: `/api/cases/${caseId}`,
        headers: clerk.headers,
      });
      expect(still.json()).toMatchObject({ version: 1, status: 'erfasst' });
    });

    it('document: not yet available 409, unknown document 404, other town 403', async () => {
      const early = await ctx.app.inject({
        method: 'GET',
        url: `/api/cases/${caseId}/documents/verlustbescheinigung`,
        headers: clerk.headers,
      });
      expect(early.statusCode).toBe(409);
      expect(early.json().detail).toContain('Erfasst');
      const unknown = await ctx.app.inject({
        method: 'GET',
        url: `/api/cases/${caseId}/documents/geburtsurkunde`,
        headers: clerk.headers,
      });
      expect(unknown.statusCode).toBe(404);
      const foreign = await ctx.app.inject({
        method: 'GET',
        url: `/api/cases/${caseId}/documents/verlustbescheinigung`,
        headers: otherTown.headers,
      });
      expect(foreign.statusCode).toBe(403);
    });
  });
});
