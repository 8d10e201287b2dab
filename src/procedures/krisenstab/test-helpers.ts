import { randomUUID } from 'node:crypto';
import type { TestContext, TestUser } from '../../../test/harness.js';
import { userWith } from '../../../test/harness.js';

/** Small helpers for the Krisenstab tests. */
export const SIEGEN = '05970040';
export const OLPE = '05966024';
export const KREIS_SI = '05970000';

/** A crisis-team account (the flag an administrator sets; it has no office roles). */
export async function crisisTeam(ctx: TestContext, displayName = 'Kara Krisenstab'): Promise<TestUser> {
  const u = await userWith(ctx, [], { displayName });
  await ctx.handle.db.updateTable('app_user').set({ is_crisis_team: 1 }).where('id', '=', u.userId).execute();
  return u;
}

export function http(ctx: TestContext) {
  const get = (user: TestUser | null, url: string) =>
    ctx.app.inject({ method: 'GET', url, headers: user?.headers ?? {} });
  const write = (
    method: 'POST' | 'PUT',
    user: TestUser | null,
    url: string,
    payload: object,
    key: string = randomUUID(),
  ) =>
    ctx.app.inject({
      method,
      url,
      headers: { ...(user?.headers ?? {}), 'idempotency-key': key },
      payload,
    });
  return {
    get,
    post: (user: TestUser | null, url: string, payload: object, key?: string) =>
      write('POST', user, url, payload, key),
    put: (user: TestUser | null, url: string, payload: object, key?: string) =>
      write('PUT', user, url, payload, key),
  };
}

/** A complete catalogue entry as the forms send it. */
export function dienst(overrides: Record<string, unknown> = {}) {
  return {
    title: 'Standesamt',
    status: 'notbetrieb',
    ort: 'Rathaus, Markt 2, 57072 Siegen',
    zeiten: 'Mo–Fr 8–12 Uhr',
    ausweichAgs: null,
    ausweichName: null,
    hotline: '0271 404-0',
    hinweis: null,
    mtaStunden: 72,
    wazStunden: 24,
    niveauProzent: 50,
    oeffentlich: true,
    ...overrides,
  };
}

/** Moves the test clock. */
export function advance(ctx: TestContext, ms: number): void {
  ctx.clock.now = new Date(ctx.clock.now.getTime() + ms);
}

export const HOUR = 3_600_000;
export const DAY = 24 * HOUR;

/** A room of an office released for public booking, with slots (times as ISO UTC). */
export async function bookableRoom(
  ctx: TestContext,
  leitung: TestUser,
  opts: { ags?: string; office?: string; name?: string; slots: Array<[startsAt: string, endsAt: string]> },
): Promise<{ roomId: string; slotIds: string[] }> {
  const h = http(ctx);
  const room = await h.post(leitung, '/api/rooms', {
    authorityAgs: opts.ags ?? SIEGEN,
    officeType: opts.office ?? 'meldebehoerde',
    name: opts.name ?? 'Bürgerbüro Schalter 1',
  });
  if (room.statusCode !== 201) throw new Error(`room: ${room.statusCode} ${room.body}`);
  const roomId = room.json().id as string;
  const slots = await h.post(leitung, `/api/rooms/${roomId}/slots`, {
    slots: opts.slots.map(([startsAt, endsAt]) => ({ startsAt, endsAt })),
  });
  if (slots.statusCode !== 201) throw new Error(`slots: ${slots.statusCode} ${slots.body}`);
  const release = await h.put(leitung, `/api/termine/raeume/${roomId}/freigabe`, { oeffentlich: true });
  if (release.statusCode !== 200) throw new Error(`release: ${release.statusCode} ${release.body}`);
  const list = await h.get(leitung, `/api/rooms/${roomId}/slots`);
  return { roomId, slotIds: (list.json().items as Array<{ id: string }>).map((s) => s.id) };
}

/** Opens the public booking form of a slot and returns its form id. */
export async function openBookingForm(ctx: TestContext, ags: string, slotId: string): Promise<string> {
  const res = await ctx.app.inject({ method: 'GET', url: `/oeffentlich/${ags}/termine/${slotId}` });
  if (res.statusCode !== 200) throw new Error(`form: ${res.statusCode}`);
  const m = /name="formular" value="([0-9a-f-]{36})"/.exec(res.body);
  if (!m?.[1]) throw new Error('no form id');
  return m[1];
}

/** Posts the public booking form (urlencoded, as a browser does). */
export function postBooking(
  ctx: TestContext,
  ags: string,
  slotId: string,
  fields: Record<string, string>,
  opts: { address?: string; origin?: string; fetchSite?: string } = {},
) {
  return ctx.app.inject({
    method: 'POST',
    url: `/oeffentlich/${ags}/termine/${slotId}`,
    remoteAddress: opts.address ?? '192.0.2.10',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      ...(opts.origin ? { origin: opts.origin } : {}),
      ...(opts.fetchSite ? { 'sec-fetch-site': opts.fetchSite } : {}),
    },
    payload: new URLSearchParams(fields).toString(),
  });
}

export function postCancel(ctx: TestContext, ags: string, code: string, address = '192.0.2.10') {
  return ctx.app.inject({
    method: 'POST',
    url: `/oeffentlich/${ags}/absagen`,
    remoteAddress: address,
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    payload: new URLSearchParams({ code }).toString(),
  });
}

/** The booking code shown on the confirmation page. */
export function codeOf(body: string): string {
  const m = /<p class="code"[^>]*>([A-Z0-9-]{14})<\/p>/.exec(body);
  if (!m?.[1]) throw new Error('no code on the page');
  return m[1];
}
