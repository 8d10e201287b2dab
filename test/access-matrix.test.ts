import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSession } from '../src/core/auth/sessions.js';
import { zuweisungDaten } from '../src/procedures/asyl/fixtures.js';
import { antragDaten } from '../src/procedures/auslaender/fixtures.js';
import { beispielHaushalt } from '../src/procedures/haushalt/fixtures.js';
import { writeBudgetCsv } from '../src/procedures/haushalt/server/csv.js';
import { DEFAULT_FEES } from '../src/procedures/kfz/fees.js';
import {
  KREIS_OLPE,
  neuzulassungDaten,
  SIEGEN_WITTGENSTEIN,
  testPlateConfig,
} from '../src/procedures/kfz/fixtures.js';
import { verlustanzeigeDaten } from '../src/procedures/verlustanzeige/fixtures.js';
import { buildApp } from '../src/server/app.js';
import type { RegisteredRoute } from '../src/server/plugins/auth.js';
import {
  createTestContext,
  describeEachDialect,
  openTestDatabase,
  type TestContext,
  type TestUser,
  userWith,
} from './harness.js';
import { pdfText } from './pdf.js';

/**
 * THE ACCESS MATRIX. Walks every route registered in the app at test time (buildApp records them
 * via trackRoutes, so routes added later by anyone are picked up automatically) and proves:
 *  1. every public route is on the explicit allow-list below, every 'pending' route too;
 *  2. every other route refuses an anonymous request with 401;
 *  3. every 'active' route refuses a session that has only passed the password step;
 *  4. no route hands data of a Siegen Meldebehörde case (id, Aktenzeichen, a unique surname) to a
 *     user of another authority, of another office, to the crisis team, to an administrator
 *     without an office role, or (public pages and assets) to anyone; /api/admin/* refuses every
 *     non-administrator (403).
 * It fails when a route is added without a check (a self-test below adds such routes).
 *
 * New route with path parameters: the values come from PARAM_VALUES by parameter name; names
 * ending in "id"/"Id" get a real case id, names ending in "ags" the Siegen AGS.
 */

const SIEGEN = '05970040';
const OLPE = '05966024';
const MARKER_NAME = 'Matrixhuber';
/** The Kreis whose Ausländerbehörde holds the watch-list victim (the Stadt has none by default). */

/** Routes anyone may call: health, readiness, metrics, API description, login. */
const PUBLIC_ALLOW_LIST: Array<{ method?: string; url: RegExp; why: string }> = [
  { url: /^\/healthz$/, why: 'Lebenszeichen' },
  { url: /^\/readyz$/, why: 'Bereitschaft' },
  { url: /^\/metrics$/, why: 'Prometheus-Metriken (nur Routenmuster, keine Daten)' },
  { url: /^\/api\/openapi\.json$/, why: 'API-Beschreibung' },
  { url: /^\/api\/docs(\/.*)?$/, why: 'Swagger-UI (statisch)' },
  { method: 'POST', url: /^\/api\/auth\/login$/, why: 'Anmeldung' },
  {
    method: 'POST',
    url: /^\/oeffentlich\//,
    why: 'Bürgerinnen und Bürger buchen und sagen Termine ab (ohne Anmeldung, je Adresse gedrosselt; Krisenstab)',
  },
];

/** Static assets and pages of the web app: GET/HEAD outside /api (they hold no data). */
function isStaticAssetOrPage(r: RegisteredRoute): boolean {
  return (r.method === 'GET' || r.method === 'HEAD') && !r.url.startsWith('/api');
}

/** Routes of an unfinished login (own session only). */
const PENDING_ALLOW_LIST = new Set([
  'POST /api/auth/second-factor',
  'POST /api/auth/password',
  'POST /api/auth/enrolment/start',
  'POST /api/auth/enrolment/confirm',
  'POST /api/auth/logout',
  'GET /api/session',
  'HEAD /api/session',
]);

function isPublicAllowed(r: RegisteredRoute): boolean {
  return (
    isStaticAssetOrPage(r) ||
    PUBLIC_ALLOW_LIST.some((a) => (a.method === undefined || a.method === r.method) && a.url.test(r.url))
  );
}

interface MatrixFixture {
  caseId: string;
  /** A Siegen Kämmerei budget plan (version 1) whose product names carry the marker. */
  planId: string;
  aktenzeichen: string;
  victimUserId: string;
  victimUsername: string;
  /** A released appointment slot booked by a citizen named MARKER_NAME (Krisenstab). */
  slotId: string;
  roomId: string;
  /** A Siegen Unterkunft (AsylbLG) where a person named MARKER_NAME is housed. */
  unterkunftId: string;
  /** Zulassungsstelle of the Kreis Siegen-Wittgenstein: a Neuzulassung of holder MARKER_NAME with an allocated plate, and a Wunschkennzeichen reserved for MARKER_NAME. */
  kfz: { caseId: string; aktenzeichen: string; reservationId: string };
  pending: Record<string, string>;
  outsiders: Record<string, TestUser>;
  /** Outsiders of /api/admin: everybody but administrators. */
  nonAdmins: Record<string, TestUser>;
}

const PARAM_VALUES: Record<string, (f: MatrixFixture, url: string) => string> = {
  id: (f, url) =>
    url.startsWith('/api/admin/users')
      ? f.victimUserId
      : url.startsWith('/api/asyl/unterkuenfte')
        ? f.unterkunftId
        : url.startsWith('/api/kfz/kennzeichen/reservierungen')
          ? f.kfz.reservationId
          : f.caseId,
  caseId: (f) => f.caseId,
  userId: (f) => f.victimUserId,
  ags: () => SIEGEN,
  authorityAgs: (_f, url) => (url.startsWith('/api/auslaender') ? SIEGEN_WITTGENSTEIN : SIEGEN),
  action: () => 'bestaetigen',
  document: () => 'verlustbescheinigung',
  procedureId: () => 'verlustanzeige',
  planId: (f) => f.planId,
  versionNo: () => '1',
  format: () => 'csv',
  haushaltsjahr: () => '2027',
  slotId: (f) => f.slotId,
  roomId: (f) => f.roomId,
  tag: () => '2026-11-26',
  key: () => 'meldewesen',
};

/** Query strings of routes that name their authority there (the Kfz routes: the Siegen-Wittgenstein Kreis). */
const QUERY_VALUES: Array<{ url: RegExp; query: string }> = [
  {
    url: /^\/api\/kfz\/kennzeichen\/pruefen$/,
    query: `authorityAgs=${SIEGEN_WITTGENSTEIN}&kennzeichen=SI-XA%2077`,
  },
  { url: /^\/api\/kfz\//, query: `authorityAgs=${SIEGEN_WITTGENSTEIN}&alle=true` },
];

function fillParams(url: string, f: MatrixFixture, method = 'GET'): string {
  const query = method === 'GET' ? QUERY_VALUES.find((q) => q.url.test(url))?.query : undefined;
  return url
    .replace(/:([A-Za-z0-9_]+)/g, (_m, name: string) => {
      const v = PARAM_VALUES[name];
      if (v) return encodeURIComponent(v(f, url));
      if (/id$/i.test(name)) return f.caseId;
      if (/ags$/i.test(name)) return SIEGEN;
      return 'x';
    })
    .replace(/\*$/, 'x')
    .concat(query ? `?${query}` : '');
}

/** Valid Kfz writes, so that an outsider's request passes validation and meets the access check. */
const kfzBodies: Record<string, object> = {
  'PUT /api/kfz/kennzeichen/einstellungen': { authorityAgs: SIEGEN_WITTGENSTEIN, config: testPlateConfig() },
  'POST /api/kfz/kennzeichen/reservierungen': {
    authorityAgs: SIEGEN_WITTGENSTEIN,
    kennzeichen: 'SI-XA 78',
    name: 'Fremde Reservierung',
  },
  'PUT /api/kfz/gebuehren': {
    authorityAgs: SIEGEN_WITTGENSTEIN,
    row: { ...DEFAULT_FEES[0], validFrom: '2099-01-01' },
  },
};

/** A plausible body per route, so that the request passes validation and reaches the access check. */
function bodyFor(r: RegisteredRoute): object | undefined {
  if (r.method === 'GET' || r.method === 'HEAD' || r.method === 'DELETE') return undefined;
  if (r.method === 'POST' && r.url === '/api/cases') {
    return {
      procedureId: 'verlustanzeige',
      authorityAgs: SIEGEN,
      data: verlustanzeigeDaten({ person: { familienname: MARKER_NAME } }),
    };
  }
  if (r.url.startsWith('/api/cases/:id/actions')) return { expectedVersion: 1 };
  if (r.url === '/api/admin/users/:id/grants') return { grants: [] };
  const kfz = kfzBodies[`${r.method} ${r.url}`];
  if (kfz) return kfz;
  if (r.method === 'POST' && r.url === '/api/admin/users')
    return { username: 'matrix.neu', displayName: 'Matrix Neu' };
  return {};
}

function leaks(body: string, f: MatrixFixture): string[] {
  return [f.caseId, f.aktenzeichen, MARKER_NAME, f.victimUsername, f.kfz.caseId, f.kfz.aktenzeichen].filter(
    (m) => body.includes(m),
  );
}

/** Runs the whole matrix against an app; returns the violations found (empty = no leak). */
async function accessViolations(app: FastifyInstance, f: MatrixFixture): Promise<string[]> {
  const seen = new Set<string>();
  const routes = app.registeredRoutes.filter((r) => {
    const k = `${r.method} ${r.url}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
  const violations: string[] = [];
  const send = (r: RegisteredRoute, headers: Record<string, string>) => {
    const payload = bodyFor(r);
    return app.inject({
      method: r.method as 'GET',
      url: fillParams(r.url, f, r.method),
      headers: { ...headers, ...(payload ? { 'idempotency-key': randomUUID() } : {}) },
      ...(payload ? { payload } : {}),
    });
  };

  for (const r of routes) {
    const key = `${r.method} ${r.url}`;
    if (r.auth === 'public') {
      if (!isPublicAllowed(r))
        violations.push(`${key}: öffentlich (auth 'public'), steht aber nicht auf der Allow-List`);
      // Even an allowed public route (a page, an asset) must not hand out case data.
      const open = await send(r, {});
      const found = open.statusCode < 400 ? leaks(open.body, f) : [];
      if (found.length)
        violations.push(`${key}: anonym ${open.statusCode} mit fremden Daten (${found.join(', ')})`);
      continue;
    }
    if (r.auth === 'pending' && !PENDING_ALLOW_LIST.has(key)) {
      violations.push(
        `${key}: erlaubt unvollständige Anmeldung (auth 'pending'), steht aber nicht auf der Liste`,
      );
    }
    const anon = await send(r, {});
    if (anon.statusCode !== 401) violations.push(`${key}: anonym ${anon.statusCode} statt 401`);
    if (r.auth === 'pending') continue;

    const half = await send(r, f.pending);
    if (half.statusCode !== 401)
      violations.push(`${key}: nur Passwort (ohne 2. Faktor) ${half.statusCode} statt 401`);

    const isAdminRoute = r.url.startsWith('/api/admin');
    const who = isAdminRoute ? f.nonAdmins : f.outsiders;
    for (const [name, user] of Object.entries(who)) {
      const res = await send(r, user.headers);
      if (isAdminRoute && res.statusCode !== 403) {
        violations.push(`${key}: ${name} erhält ${res.statusCode} statt 403`);
        continue;
      }
      const found = res.statusCode < 400 ? leaks(res.body, f) : [];
      if (found.length)
        violations.push(`${key}: ${name} erhält ${res.statusCode} mit fremden Daten (${found.join(', ')})`);
    }
  }
  return violations;
}

async function citizenBooking(
  app: FastifyInstance,
  office: TestUser,
): Promise<{ roomId: string; slotId: string }> {
  const write = (method: 'POST' | 'PUT', url: string, payload: object) =>
    app.inject({ method, url, headers: { ...office.headers, 'idempotency-key': randomUUID() }, payload });
  const room = await write('POST', '/api/rooms', {
    authorityAgs: SIEGEN,
    officeType: 'meldebehoerde',
    name: 'Matrix-Schalter',
  });
  expect(room.statusCode).toBe(201);
  const roomId = room.json().id as string;
  const slots = await write('POST', `/api/rooms/${roomId}/slots`, {
    slots: [{ startsAt: '2026-11-27T09:00:00.000Z', endsAt: '2026-11-27T09:15:00.000Z' }],
  });
  expect(slots.statusCode).toBe(201);
  expect(
    (await write('PUT', `/api/termine/raeume/${roomId}/freigabe`, { oeffentlich: true })).statusCode,
  ).toBe(200);
  const list = await app.inject({
    method: 'GET',
    url: `/api/rooms/${roomId}/slots`,
    headers: office.headers,
  });
  const slotId = list.json().items[0].id as string;
  const form = await app.inject({ method: 'GET', url: `/oeffentlich/${SIEGEN}/termine/${slotId}` });
  const formular = /name="formular" value="([0-9a-f-]{36})"/.exec(form.body)?.[1] ?? '';
  const booked = await app.inject({
    method: 'POST',
    url: `/oeffentlich/${SIEGEN}/termine/${slotId}`,
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    payload: new URLSearchParams({
      formular,
      name: MARKER_NAME,
      email: 'matrix@example.de',
      telefon: '',
    }).toString(),
  });
  expect(booked.statusCode).toBe(201);
  return { roomId, slotId };
}

/**
 * Kfz victim data of the Kreis Siegen-Wittgenstein: a plate pool, a Neuzulassung whose holder is
 * MARKER_NAME with the next free plate allocated (the allocation list names its Aktenzeichen), and
 * a Wunschkennzeichen reserved for MARKER_NAME.
 */
async function kfzVictim(
  app: FastifyInstance,
  c: TestContext,
): Promise<{ caseId: string; aktenzeichen: string; reservationId: string }> {
  const head = await userWith(c, [{ ags: SIEGEN_WITTGENSTEIN, office: 'zulassungsstelle', role: 'leitung' }]);
  const send = (method: 'POST' | 'PUT', url: string, payload: object) =>
    app.inject({ method, url, headers: { ...head.headers, 'idempotency-key': randomUUID() }, payload });
  const configured = await send('PUT', '/api/kfz/kennzeichen/einstellungen', {
    authorityAgs: SIEGEN_WITTGENSTEIN,
    config: testPlateConfig(),
  });
  expect(configured.statusCode).toBe(200);
  const today = c.clock.now.toISOString().slice(0, 10);
  const created = await send('POST', '/api/cases', {
    procedureId: 'neuzulassung',
    authorityAgs: SIEGEN_WITTGENSTEIN,
    data: neuzulassungDaten({ antrag: { antragsdatum: today }, halter: { familienname: MARKER_NAME } }),
  });
  expect(created.statusCode, created.body).toBe(201);
  const allocated = await send('POST', `/api/cases/${created.json().id}/actions/kennzeichen_zuteilen`, {
    expectedVersion: created.json().version,
    payload: { wahl: 'naechstes' },
  });
  expect(allocated.statusCode, allocated.body).toBe(200);
  const reserved = await send('POST', '/api/kfz/kennzeichen/reservierungen', {
    authorityAgs: SIEGEN_WITTGENSTEIN,
    kennzeichen: 'SI-XA 77',
    name: MARKER_NAME,
  });
  expect(reserved.statusCode, reserved.body).toBe(201);
  return {
    caseId: created.json().id,
    aktenzeichen: created.json().aktenzeichen,
    reservationId: reserved.json().id,
  };
}

async function prepare(ctx: { app: FastifyInstance; handle: TestContext['handle']; now: Date }): Promise<{
  fixture: MatrixFixture;
  clerk: TestUser;
  admin: TestUser;
}> {
  const c = { ...ctx, clock: { now: ctx.now } } as unknown as TestContext;
  const clerk = await userWith(c, [{ ags: SIEGEN, office: 'meldebehoerde' }]);
  const admin = await userWith(c, [], { isAdmin: true });
  const otherAuthority = await userWith(c, [{ ags: OLPE, office: 'meldebehoerde', role: 'leitung' }]);
  const otherOffice = await userWith(c, [{ ags: SIEGEN, office: 'standesamt', role: 'leitung' }]);
  const crisis = await userWith(c, []);
  await ctx.handle.db
    .updateTable('app_user')
    .set({ is_crisis_team: 1 })
    .where('id', '=', crisis.userId)
    .execute();
  const victim = await userWith(c, [{ ags: SIEGEN, office: 'meldebehoerde' }], {
    displayName: 'Opfer Konto',
  });
  const victimRow = await ctx.handle.db
    .selectFrom('app_user')
    .select('username')
    .where('id', '=', victim.userId)
    .executeTakeFirstOrThrow();
  const created = await ctx.app.inject({
    method: 'POST',
    url: '/api/cases',
    headers: { ...clerk.headers, 'idempotency-key': randomUUID() },
    payload: {
      procedureId: 'verlustanzeige',
      authorityAgs: SIEGEN,
      data: verlustanzeigeDaten({ person: { familienname: MARKER_NAME } }),
    },
  });
  expect(created.statusCode).toBe(201);
  // Kämmerei victim data: a budget plan of Siegen with the marker as product name.
  const kaemmerei = await userWith(c, [{ ags: SIEGEN, office: 'kaemmerei' }]);
  const plan = await ctx.app.inject({
    method: 'POST',
    url: '/api/cases',
    headers: { ...kaemmerei.headers, 'idempotency-key': randomUUID() },
    payload: { procedureId: 'haushaltsplan', authorityAgs: SIEGEN, data: { haushaltsjahr: 2027 } },
  });
  expect(plan.statusCode).toBe(201);
  const lines = beispielHaushalt().map((z) => ({ ...z, produktName: `${MARKER_NAME} ${z.produkt}` }));
  const imported = await ctx.app.inject({
    method: 'POST',
    url: `/api/haushalt/plans/${plan.json().id}/import`,
    headers: { ...kaemmerei.headers, 'idempotency-key': randomUUID() },
    payload: { format: 'csv', fileName: 'm.csv', content: writeBudgetCsv(2027, lines), basedOnVersion: 0 },
  });
  expect(imported.statusCode).toBe(201);
  // A citizen's booking (name = the marker) on a released slot of the Siegen Meldebehörde.
  const officeHead = await userWith(c, [{ ags: SIEGEN, office: 'meldebehoerde', role: 'leitung' }]);
  const { roomId, slotId } = await citizenBooking(ctx.app, officeHead);
  // AsylbLG victim data: a Siegen Unterkunft with a person named MARKER_NAME housed in it.
  const sozialamt = await userWith(c, [{ ags: SIEGEN, office: 'sozialamt', role: 'leitung' }]);
  const sozialPost = (url: string, payload: object) =>
    ctx.app.inject({
      method: 'POST',
      url,
      headers: { ...sozialamt.headers, 'idempotency-key': randomUUID() },
      payload,
    });
  const uk = await sozialPost('/api/asyl/unterkuenfte', {
    authorityAgs: SIEGEN,
    name: 'Matrix-Unterkunft',
    anschrift: 'Markt 1, 57072 Siegen',
    plaetze: 2,
  });
  expect(uk.statusCode).toBe(201);
  const zugewiesen = await sozialPost('/api/cases', {
    procedureId: 'asyl_leistungen',
    authorityAgs: SIEGEN,
    data: zuweisungDaten({ familienname: MARKER_NAME }),
  });
  expect(zugewiesen.statusCode).toBe(201);
  const housed = await sozialPost(`/api/cases/${zugewiesen.json().id}/actions/unterbringen`, {
    expectedVersion: 1,
    payload: { person: 0, unterkunftId: uk.json().id, einzug: '2026-11-02' },
  });
  expect(housed.statusCode).toBe(200);
  // Ausländerbehörde victim data: MARKER_NAME's title (ends 15.12.2026) on the Kreis watch-list.
  const abh = await userWith(c, [{ ags: SIEGEN_WITTGENSTEIN, office: 'auslaenderbehoerde' }]);
  const antrag = await ctx.app.inject({
    method: 'POST',
    url: '/api/cases',
    headers: { ...abh.headers, 'idempotency-key': randomUUID() },
    payload: {
      procedureId: 'aufenthaltstitel_antrag',
      authorityAgs: SIEGEN_WITTGENSTEIN,
      data: antragDaten({ familienname: MARKER_NAME }),
    },
  });
  expect(antrag.statusCode, antrag.body).toBe(201);
  const kfz = await kfzVictim(ctx.app, c);
  // A session that passed the password step only.
  const half = await createSession(ctx.handle.db, {
    userId: clerk.userId,
    stage: 'pending_second_factor',
    clientAddress: '127.0.0.1',
    now: ctx.now,
  });
  const outsiders = {
    'Nutzer einer anderen Behörde': otherAuthority,
    'Nutzer eines anderen Amts': otherOffice,
    // Next door to the Zulassungsstelle: the same Kreis' Fahrerlaubnisbehörde, and the Zulassungsstelle of another Kreis.
    'Fahrerlaubnisbehörde des Kreises': await userWith(c, [
      { ags: SIEGEN_WITTGENSTEIN, office: 'fahrerlaubnisbehoerde', role: 'leitung' },
    ]),
    'Zulassungsstelle eines anderen Kreises': await userWith(c, [
      { ags: KREIS_OLPE, office: 'zulassungsstelle', role: 'leitung' },
    ]),
  };
  return {
    clerk,
    admin,
    fixture: {
      caseId: created.json().id,
      planId: plan.json().id,
      aktenzeichen: created.json().aktenzeichen,
      victimUserId: victim.userId,
      victimUsername: victimRow.username,
      slotId,
      roomId,
      unterkunftId: uk.json().id,
      kfz,
      pending: { cookie: `nb_session=${half.token}`, 'x-csrf-token': half.csrfToken },
      outsiders: { ...outsiders, Krisenstab: crisis, 'Administration ohne Amtsrolle': admin },
      nonAdmins: { ...outsiders, Krisenstab: crisis, 'Sachbearbeitung Siegen': clerk },
    },
  };
}

describeEachDialect('access matrix over every registered route', (dialect) => {
  let ctx: TestContext;
  let fixture: MatrixFixture;
  let clerk: TestUser;
  let admin: TestUser;
  beforeAll(async () => {
    ctx = await createTestContext(dialect);
    ({ fixture, clerk, admin } = await prepare({ app: ctx.app, handle: ctx.handle, now: ctx.clock.now }));
  });
  afterAll(() => ctx.close());

  it('knows the routes of the app, including the case, auth and admin routes', () => {
    const keys = ctx.app.registeredRoutes.map((r) => `${r.method} ${r.url}`);
    for (const k of [
      'GET /api/cases/:id',
      'POST /api/cases',
      'POST /api/auth/login',
      'GET /api/admin/users',
      'GET /healthz',
      'GET /metrics',
      'GET /api/docs',
    ]) {
      expect(keys).toContain(k);
    }
    expect(keys.length).toBeGreaterThan(20);
  });

  it('the fixture is real: the clerk reads the case and the admin the account the matrix probes', async () => {
    const read = await ctx.app.inject({
      method: 'GET',
      url: `/api/cases/${fixture.caseId}`,
      headers: clerk.headers,
    });
    expect(read.statusCode).toBe(200);
    expect(read.body).toContain(MARKER_NAME);
    const search = await ctx.app.inject({
      method: 'POST',
      url: '/api/cases/search',
      headers: clerk.headers,
      payload: {},
    });
    expect(search.body).toContain(fixture.aktenzeichen);
    const account = await ctx.app.inject({
      method: 'GET',
      url: `/api/admin/users/${fixture.victimUserId}`,
      headers: admin.headers,
    });
    expect(account.statusCode).toBe(200);
    expect(account.body).toContain(fixture.victimUsername);
    const kaemmerei = await userWith(ctx, [{ ags: SIEGEN, office: 'kaemmerei' }]);
    const lines = await ctx.app.inject({
      method: 'GET',
      url: `/api/haushalt/plans/${fixture.planId}/versions/1/lines?produktbereich=01`,
      headers: kaemmerei.headers,
    });
    expect(lines.body).toContain(MARKER_NAME);
    const abh = await userWith(ctx, [{ ags: SIEGEN_WITTGENSTEIN, office: 'auslaenderbehoerde' }]);
    const watch = await ctx.app.inject({
      method: 'GET',
      url: `/api/auslaender/${SIEGEN_WITTGENSTEIN}/ablaufliste`,
      headers: abh.headers,
    });
    expect(watch.body).toContain(MARKER_NAME);
    // The Kfz routes as the matrix calls them (fillParams) do hand out the victim data to the office.
    const zulassung = await userWith(ctx, [{ ags: SIEGEN_WITTGENSTEIN, office: 'zulassungsstelle' }]);
    const kfzRead = (url: string) =>
      ctx.app.inject({ method: 'GET', url: fillParams(url, fixture), headers: zulassung.headers });
    const reservations = await kfzRead('/api/kfz/kennzeichen/reservierungen');
    expect(reservations.statusCode).toBe(200);
    expect(reservations.body).toContain(MARKER_NAME);
    const allocations = await kfzRead('/api/kfz/kennzeichen/zuteilungen');
    expect(allocations.body).toContain(fixture.kfz.aktenzeichen);
    expect(allocations.body).toContain(fixture.kfz.caseId);
    const kfzCase = await kfzRead(`/api/cases/${fixture.kfz.caseId}`);
    expect(kfzCase.body).toContain(MARKER_NAME);
  });

  it('every Kfz route refuses each outsider with 403 (valid requests, victim data of the Kreis), and their writes change nothing', async () => {
    const kfzRoutes = [
      ...new Map(
        ctx.app.registeredRoutes
          .filter((r) => r.url.startsWith('/api/kfz/') && r.method !== 'HEAD')
          .map((r) => [`${r.method} ${r.url}`, r]),
      ).values(),
    ];
    expect(kfzRoutes.map((r) => `${r.method} ${r.url}`)).toEqual(
      expect.arrayContaining([
        'GET /api/kfz/kennzeichen/reservierungen',
        'GET /api/kfz/kennzeichen/zuteilungen',
        'POST /api/kfz/kennzeichen/reservierungen/:id/stornierung',
        'PUT /api/kfz/kennzeichen/einstellungen',
      ]),
    );
    const state = async () => ({
      reservations: await ctx.handle.db
        .selectFrom('kfz_reservation')
        .select(['id', 'status', 'name'])
        .orderBy('id')
        .execute(),
      plates: await ctx.handle.db
        .selectFrom('kfz_plate')
        .select(['kennzeichen', 'status'])
        .orderBy('kennzeichen')
        .execute(),
      config: await ctx.handle.db
        .selectFrom('kfz_plate_config')
        .select(['authority_ags', 'version'])
        .execute(),
      fees: await ctx.handle.db.selectFrom('kfz_fee_row').select('valid_from').execute(),
    });
    const before = await state();
    expect(before.reservations).toEqual([
      { id: fixture.kfz.reservationId, status: 'aktiv', name: MARKER_NAME },
    ]);
    const wrong: string[] = [];
    for (const r of kfzRoutes) {
      for (const [name, user] of Object.entries(fixture.outsiders)) {
        const payload = bodyFor(r);
        const res = await ctx.app.inject({
          method: r.method as 'GET',
          url: fillParams(r.url, fixture, r.method),
          headers: { ...user.headers, ...(payload ? { 'idempotency-key': randomUUID() } : {}) },
          ...(payload ? { payload } : {}),
        });
        if (res.statusCode !== 403) wrong.push(`${r.method} ${r.url}: ${name} ${res.statusCode} statt 403`);
      }
    }
    expect(wrong).toEqual([]);
    expect(await state()).toEqual(before);
  });

  it('the crisis team reads every board route (200), and no answer holds a name, Aktenzeichen or case id', async () => {
    const crisis = fixture.outsiders.Krisenstab as TestUser;
    const board = [
      ...new Set(
        ctx.app.registeredRoutes
          .filter((r) => r.method === 'GET' && r.url.startsWith('/api/krisenstab'))
          .map((r) => r.url),
      ),
    ];
    expect(board.length).toBeGreaterThanOrEqual(8);
    for (const url of board) {
      const res = await ctx.app.inject({
        method: 'GET',
        url: fillParams(url, fixture),
        headers: crisis.headers,
      });
      expect(res.statusCode, url).toBe(200);
      const text = url.endsWith('.pdf') ? await pdfText(res.rawPayload) : res.body;
      expect(leaks(text, fixture), url).toEqual([]);
    }
    // The board does count the case it never names.
    const lage = await ctx.app.inject({
      method: 'GET',
      url: `/api/krisenstab/lage/${SIEGEN}`,
      headers: crisis.headers,
    });
    expect(lage.json().summe.gesamt).toBeGreaterThanOrEqual(1);
    // The day's appointments (with the citizen's name) are the office's only.
    const day = await ctx.app.inject({
      method: 'GET',
      url: `/api/termine?authorityAgs=${SIEGEN}&officeType=meldebehoerde&tag=2026-11-27`,
      headers: crisis.headers,
    });
    expect(day.statusCode).toBe(403);
    const office = await ctx.app.inject({
      method: 'GET',
      url: `/api/termine?authorityAgs=${SIEGEN}&officeType=meldebehoerde&tag=2026-11-27`,
      headers: clerk.headers,
    });
    expect(office.body).toContain(MARKER_NAME);
    // Feedback on accessibility may hold a citizen's contact: the Amtsleitung's, not the crisis team's.
    const feedback = await ctx.app.inject({
      method: 'GET',
      url: `/api/barrierefreiheit/rueckmeldungen?authorityAgs=${SIEGEN}`,
      headers: crisis.headers,
    });
    expect(feedback.statusCode).toBe(403);
  });

  // The walk sends every route to every outsider (several thousand requests); on a loaded 2-core
  // machine it has taken about 25 s alone, so it gets its own limit rather than the default 30 s.
  it('every route refuses anonymous users, half-finished logins and users of another authority, office or role', async () => {
    const violations = await accessViolations(ctx.app, fixture);
    expect(violations).toEqual([]);
  }, 180_000);
});

describe('the access matrix itself', () => {
  it('fails for a route added without a check: a leaky read and an unlisted public route', async () => {
    const { handle, cleanup } = await openTestDatabase('sqlite');
    const { seedDemoAuthorities } = await import('../src/core/authorities/seed.js');
    const now = new Date('2026-11-26T10:00:00Z');
    await seedDemoAuthorities(handle.db, now);
    const app = await buildApp({ config: { logLevel: 'silent' }, database: handle, now: () => now });
    // Forgets the jurisdiction check: any logged-in user reads any case.
    app.get('/api/leaky/:id', async (request) => {
      const id = (request.params as { id: string }).id;
      return handle.db.selectFrom('cases').selectAll().where('id', '=', id).executeTakeFirst();
    });
    // Marked public without review.
    app.get('/api/open-door', { config: { auth: 'public' } }, async () => ({ ok: true }));
    // A "page" outside /api (allowed as static) that renders a case.
    app.get('/druck/:id', { config: { auth: 'public' } }, async (request) => {
      const id = (request.params as { id: string }).id;
      return handle.db
        .selectFrom('cases')
        .select(['aktenzeichen', 'data'])
        .where('id', '=', id)
        .executeTakeFirst();
    });
    await app.ready();
    try {
      const { fixture } = await prepare({ app, handle, now });
      const violations = await accessViolations(app, fixture);
      expect(violations.some((v) => v.startsWith('GET /api/leaky/:id: Nutzer einer anderen Behörde'))).toBe(
        true,
      );
      expect(violations.some((v) => v.startsWith('GET /api/leaky/:id: Krisenstab'))).toBe(true);
      expect(violations.some((v) => v.startsWith("GET /api/open-door: öffentlich (auth 'public')"))).toBe(
        true,
      );
      expect(violations.some((v) => v.startsWith('GET /druck/:id: anonym 200 mit fremden Daten'))).toBe(true);
      expect(
        violations.every(
          (v) => v.includes('/api/leaky') || v.includes('/api/open-door') || v.includes('/druck/'),
        ),
      ).toBe(true);
    } finally {
      await app.close();
      await cleanup();
    }
  }, 120_000);
});
