import { afterAll, beforeAll, expect, it } from 'vitest';
import {
  createTestContext,
  describeEachDialect,
  type TestContext,
  type TestUser,
  userWith,
} from '../../../../../test/harness.js';
import { fontsEmbedded, pdfText } from '../../../../../test/pdf.js';
import { buildApp } from '../../../../server/app.js';
import { verlustanzeigeDaten } from '../../../verlustanzeige/fixtures.js';
import {
  bookableRoom,
  crisisTeam,
  dienst,
  http,
  KREIS_SI,
  openBookingForm,
  postBooking,
  SIEGEN,
} from '../../test-helpers.js';

/**
 * The citizens' status page: no login, German, server-rendered HTML without script, cacheable,
 * with the Leichte-Sprache page, the accessibility statement and the poster; and a route prefix of
 * its own that never hands out personal data.
 */
describeEachDialect('Krisenstab: öffentliche Statusseite', (dialect) => {
  let ctx: TestContext;
  let crisis: TestUser;
  let slotIds: string[] = [];
  const CITIZEN = 'Bürgerin Geheimnisvoll';
  const CITIZEN_MAIL = 'geheim.buergerin@example.de';
  const CASE_NAME = 'Vorgangsgeheimer';
  const FEEDBACK = 'Der Kontrast der Terminliste ist für mich zu schwach, Grüße von Frau Rückmelderin';
  const FEEDBACK_CONTACT = 'rueckmelderin@example.de';
  const savedUrl = process.env.NOTBETRIEB_PUBLIC_URL;

  const page = (url: string, headers: Record<string, string> = {}) =>
    ctx.app.inject({ method: 'GET', url, headers });
  const sendFeedback = (fields: Record<string, string>) =>
    ctx.app.inject({
      method: 'POST',
      url: `/oeffentlich/${SIEGEN}/barriere-melden`,
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'sec-fetch-site': 'same-origin' },
      payload: new URLSearchParams(fields).toString(),
    });

  beforeAll(async () => {
    process.env.NOTBETRIEB_PUBLIC_URL = 'https://notbetrieb.siegen.example/';
    ctx = await createTestContext(dialect);
    crisis = await crisisTeam(ctx);
    const h = http(ctx);
    await h.put(crisis, `/api/krisenstab/katalog/${SIEGEN}/lage`, {
      expectedVersion: 0,
      lage: {
        ausfallSeit: '2026-11-20T05:00:00.000Z',
        hinweis: 'Wegen eines IT-Ausfalls sind viele Dienste eingeschränkt.\nBitte bringen Sie Geduld mit.',
        buergertelefon: '0271 404-1111',
        kontaktEmail: 'notbetrieb@siegen.example',
      },
    });
    const standesamt = await h.put(crisis, `/api/krisenstab/katalog/${SIEGEN}/dienste/standesamt`, {
      expectedVersion: 0,
      dienst: dienst({
        title: 'Standesamt: Geburten & <Sterbefälle>',
        status: 'notbetrieb',
        zeiten: 'Mo–Fr 8–12 Uhr\nDo 14–18 Uhr',
      }),
    });
    expect(standesamt.statusCode).toBe(201);
    await h.put(crisis, `/api/krisenstab/katalog/${SIEGEN}/dienste/meldewesen`, {
      expectedVersion: 0,
      dienst: dienst({
        title: 'Bürgerbüro',
        status: 'nachbarbehoerde',
        ausweichAgs: '05970024',
        ort: 'Kreuztal, Siegener Straße 5',
      }),
    });
    await h.put(crisis, `/api/krisenstab/katalog/${SIEGEN}/dienste/verlustanzeige`, {
      expectedVersion: 0,
      dienst: dienst({ title: 'Interne Verlustanzeigen', status: 'ausgesetzt', oeffentlich: false }),
    });
    // Personal data elsewhere in the system: a case and a booking.
    const clerk = await userWith(ctx, [{ ags: SIEGEN, office: 'meldebehoerde', role: 'leitung' }]);
    const c = await h.post(clerk, '/api/cases', {
      procedureId: 'verlustanzeige',
      authorityAgs: SIEGEN,
      data: verlustanzeigeDaten({ person: { familienname: CASE_NAME } }),
    });
    expect(c.statusCode).toBe(201);
    ({ slotIds } = await bookableRoom(ctx, clerk, {
      slots: [
        ['2026-11-27T09:00:00.000Z', '2026-11-27T09:15:00.000Z'],
        ['2026-11-27T09:15:00.000Z', '2026-11-27T09:30:00.000Z'],
      ],
    }));
    const formular = await openBookingForm(ctx, SIEGEN, slotIds[0] as string);
    const booked = await postBooking(ctx, SIEGEN, slotIds[0] as string, {
      formular,
      name: CITIZEN,
      email: CITIZEN_MAIL,
      telefon: '0271 99999',
    });
    expect(booked.statusCode).toBe(201);
    const feedback = await sendFeedback({ nachricht: FEEDBACK, kontakt: FEEDBACK_CONTACT, seite: 'Termine' });
    expect(feedback.statusCode).toBe(201);
  });
  afterAll(async () => {
    await ctx.close();
    if (savedUrl === undefined) delete process.env.NOTBETRIEB_PUBLIC_URL;
    else process.env.NOTBETRIEB_PUBLIC_URL = savedUrl;
  });

  it('shows per municipality which service is available where and when', async () => {
    const res = await page(`/oeffentlich/${SIEGEN}`);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
    const body = res.body;
    expect(body).toContain('<html lang="de">');
    expect(body).toContain('<h1>Stadt Siegen: Welche Dienste gibt es wo und wann?</h1>');
    expect(body).toContain(
      'Wegen eines IT-Ausfalls sind viele Dienste eingeschränkt.<br>Bitte bringen Sie Geduld mit.',
    );
    expect(body).toContain('Bürgertelefon: <a href="tel:02714041111">0271 404-1111</a>');
    // Entered text is escaped, never markup.
    expect(body).toContain('Standesamt: Geburten &amp; &lt;Sterbefälle&gt;');
    expect(body).toContain('<span class="status status-notbetrieb">Notbetrieb</span>');
    expect(body).toContain('Mo–Fr 8–12 Uhr<br>Do 14–18 Uhr');
    expect(body).toContain('<dt>Zuständig zurzeit</dt><dd>Kreuztal</dd>');
    expect(body).toContain('<span class="status status-nachbarbehoerde">bei Nachbarbehörde</span>');
    // Not published: not shown.
    expect(body).not.toContain('Interne Verlustanzeigen');
    expect(body).toContain(`<a href="/oeffentlich/${SIEGEN}/termine">Termin online buchen</a>`);
    expect(body).toContain(`<a href="/oeffentlich/${KREIS_SI}">Kreis Siegen-Wittgenstein</a>`);
    expect(body).toContain(`href="/oeffentlich/${SIEGEN}/leichte-sprache"`);
    expect(body).toContain(`href="/oeffentlich/${SIEGEN}/barrierefreiheit"`);
  });

  it('works without JavaScript under the strict CSP: no script, no inline style, one stylesheet', async () => {
    const urls = [
      '/oeffentlich',
      `/oeffentlich/${SIEGEN}`,
      `/oeffentlich/${SIEGEN}/leichte-sprache`,
      `/oeffentlich/${SIEGEN}/barrierefreiheit`,
      `/oeffentlich/${SIEGEN}/termine`,
      `/oeffentlich/${SIEGEN}/termine/${slotIds[1]}`,
      `/oeffentlich/${SIEGEN}/absagen`,
    ];
    for (const url of urls) {
      const res = await page(url);
      expect(res.statusCode, url).toBe(200);
      expect(res.body, url).not.toMatch(/<script|style=|\son[a-z]+=/i);
      expect(res.body, url).toContain('<link rel="stylesheet" href="/oeffentlich/style.css">');
      expect(res.headers['content-security-policy'], url).toContain("script-src 'self'");
      expect(res.headers['content-security-policy'], url).toContain("style-src 'self'");
    }
    const css = await page('/oeffentlich/style.css');
    expect(css.headers['content-type']).toBe('text/css; charset=utf-8');
    expect(css.body).toContain(':focus');
  });

  it('is cacheable with an ETag; a change of the catalogue changes it', async () => {
    const first = await page(`/oeffentlich/${SIEGEN}`);
    expect(first.headers['cache-control']).toBe('public, max-age=60');
    const etag = first.headers.etag as string;
    expect(etag).toMatch(/^"[A-Za-z0-9_-]{27}"$/);
    const again = await page(`/oeffentlich/${SIEGEN}`, { 'if-none-match': etag });
    expect(again.statusCode).toBe(304);
    expect(again.body).toBe('');
    const entry = (await http(ctx).get(crisis, `/api/krisenstab/katalog/${SIEGEN}`)).json().dienste[1];
    await http(ctx).put(crisis, `/api/krisenstab/katalog/${SIEGEN}/dienste/${entry.id}`, {
      expectedVersion: entry.version,
      dienst: dienst({ title: 'Standesamt', status: 'normal' }),
    });
    const changed = await page(`/oeffentlich/${SIEGEN}`, { 'if-none-match': etag });
    expect(changed.statusCode).toBe(200);
    expect(changed.headers.etag).not.toBe(etag);
    expect(changed.body).toContain('<span class="status status-normal">Normalbetrieb</span>');
    // The forms are never cached.
    expect((await page(`/oeffentlich/${SIEGEN}/termine/${slotIds[1]}`)).headers['cache-control']).toBe(
      'no-store',
    );
  });

  it('explains the page in Leichte Sprache (BITV NRW): content, navigation, the statement, further offers', async () => {
    const res = await page(`/oeffentlich/${SIEGEN}/leichte-sprache`);
    expect(res.statusCode).toBe(200);
    for (const heading of [
      '<h1>Informationen in Leichter Sprache</h1>',
      '<h2>Was steht auf dieser Internet-Seite?</h2>',
      '<h2>So finden Sie sich auf der Internet-Seite zurecht</h2>',
      '<h2>Erklärung zur Barriere-Freiheit</h2>',
      '<h2>Gibt es noch mehr in Leichter Sprache?</h2>',
    ]) {
      expect(res.body).toContain(heading);
    }
    expect(res.body).toContain(
      '<strong>Bürgerbüro</strong>: Das macht gerade ein anderes Amt. Das Amt heißt: Kreuztal.',
    );
    expect(res.body).toContain('Rufen Sie an: 0271 404-1111.');
  });

  it('has an accessibility statement with status, gaps, feedback contact and the enforcement body', async () => {
    const res = await page(`/oeffentlich/${SIEGEN}/barrierefreiheit`);
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('<h1>Erklärung zur Barrierefreiheit</h1>');
    expect(res.body).toContain('<strong>teilweise vereinbar</strong>');
    expect(res.body).toContain('<h2>Nicht barrierefreie Inhalte</h2>');
    expect(res.body).toContain('Diese Erklärung wurde am 03.12.2026 erstellt.');
    expect(res.body).toContain('mailto:notbetrieb@siegen.example');
    expect(res.body).toContain(
      'Ombudsstelle für barrierefreie Informationstechnik des Landes Nordrhein-Westfalen',
    );
  });

  it('takes feedback on barriers through the statement’s contact form; only the Amtsleitung reads it', async () => {
    const statement = await page(`/oeffentlich/${SIEGEN}/barrierefreiheit`);
    expect(statement.body).toContain(`href="/oeffentlich/${SIEGEN}/barriere-melden"`);
    const form = await page(`/oeffentlich/${SIEGEN}/barriere-melden`);
    expect(form.statusCode).toBe(200);
    expect(form.headers['cache-control']).toBe('no-store');
    expect(form.body).toContain('<label for="feld-nachricht">');
    const count = async () =>
      (await ctx.handle.db.selectFrom('krisenstab_rueckmeldung').select('id').execute()).length;
    const before = await count();
    const bad = await sendFeedback({ nachricht: 'zu kurz' });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('Bitte beschreiben Sie die Barriere (mindestens 10 Zeichen).');
    const foreign = await ctx.app.inject({
      method: 'POST',
      url: `/oeffentlich/${SIEGEN}/barriere-melden`,
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'sec-fetch-site': 'cross-site' },
      payload: new URLSearchParams({ nachricht: 'Von einer fremden Seite geschickt' }).toString(),
    });
    expect(foreign.statusCode).toBe(403);
    expect(await count()).toBe(before);

    const leitung = await userWith(ctx, [{ ags: SIEGEN, office: 'standesamt', role: 'leitung' }]);
    const read = await http(ctx).get(leitung, `/api/barrierefreiheit/rueckmeldungen?authorityAgs=${SIEGEN}`);
    expect(read.statusCode).toBe(200);
    expect(read.json().items).toEqual([
      expect.objectContaining({ nachricht: FEEDBACK, kontakt: FEEDBACK_CONTACT, seite: 'Termine' }),
    ]);
    const clerk = await userWith(ctx, [{ ags: SIEGEN, office: 'standesamt' }]);
    for (const user of [crisis, clerk]) {
      const refused = await http(ctx).get(
        user,
        `/api/barrierefreiheit/rueckmeldungen?authorityAgs=${SIEGEN}`,
      );
      expect(refused.statusCode).toBe(403);
      expect(refused.body).not.toContain('Rückmelderin');
    }
  });

  it('prints a poster with a QR code of the status page for the town hall door', async () => {
    const res = await page(`/oeffentlich/${SIEGEN}/aushang.pdf`);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/pdf');
    expect(res.headers['cache-control']).toBe('public, max-age=300');
    const raw = res.rawPayload;
    expect(raw.subarray(0, 5).toString()).toBe('%PDF-');
    expect(raw.toString('latin1')).toMatch(/\/Subtype\s*\/Image/);
    expect(fontsEmbedded(raw)).toBe(true);
    const text = (await pdfText(raw)).replace(/\s+/g, ' ');
    for (const s of [
      'VERWALTUNG IM NOTBETRIEB',
      'Stadt Siegen',
      'https://notbetrieb.siegen.example/oeffentlich/05970040',
      'Termine: https://notbetrieb.siegen.example/oeffentlich/05970040/termine',
      'Bürgertelefon: 0271 404-1111',
      'Bürgerbüro: bei Nachbarbehörde: Kreuztal',
      'Wegen eines IT-Ausfalls sind viele Dienste eingeschränkt.',
    ]) {
      expect(text).toContain(s);
    }
    expect(text).not.toContain('Interne Verlustanzeigen');
  });

  it('answers unknown pages and municipalities with a German 404 page, not the clerks’ app', async () => {
    for (const url of ['/oeffentlich/05999999', '/oeffentlich/abc', `/oeffentlich/${SIEGEN}/gibtsnicht/x`]) {
      const res = await page(url);
      expect(res.statusCode, url).toBe(404);
      expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
      expect(res.body).toMatch(/nicht verzeichnet|Diese Seite gibt es nicht/);
    }
    const index = await page('/oeffentlich');
    expect(index.body).toContain(`<a href="/oeffentlich/${SIEGEN}">Stadt Siegen</a>`);
    expect(index.body).toContain('<h2>Kreis Siegen-Wittgenstein</h2>');
  });

  it('has its own public route prefix, and no page under it hands out personal data', async () => {
    const mine = ctx.app.registeredRoutes.filter((r) => r.url.startsWith('/oeffentlich'));
    expect(mine.length).toBeGreaterThanOrEqual(10);
    for (const r of mine) expect(r.auth, `${r.method} ${r.url}`).toBe('public');
    const publicOutside = ctx.app.registeredRoutes.filter(
      (r) => r.auth === 'public' && r.url.startsWith('/api/krisenstab'),
    );
    expect(publicOutside).toEqual([]);
    const caseRow = await ctx.handle.db
      .selectFrom('cases')
      .select(['id', 'aktenzeichen'])
      .executeTakeFirstOrThrow();
    const markers = [
      CITIZEN,
      CITIZEN_MAIL,
      '0271 99999',
      CASE_NAME,
      caseRow.id,
      caseRow.aktenzeichen,
      'Rückmelderin',
      FEEDBACK_CONTACT,
    ];
    const fill = (url: string, slot: string) =>
      url.replace(':ags', SIEGEN).replace(':slotId', slot).replace('*', 'irgendwas');
    for (const r of mine.filter((x) => x.method === 'GET')) {
      for (const slot of slotIds) {
        const res = await page(fill(r.url, slot));
        const text = res.rawPayload.toString('latin1') + res.body;
        for (const m of markers) expect(text.includes(m), `${r.url} zeigt ${m}`).toBe(false);
        if (r.url.endsWith('.pdf')) {
          const pdf = await pdfText(res.rawPayload);
          for (const m of markers) expect(pdf.includes(m), `${r.url} (PDF) zeigt ${m}`).toBe(false);
        }
      }
    }
  });

  it('deletes feedback after the configured days (90), when the server starts', async () => {
    expect((await ctx.handle.db.selectFrom('krisenstab_rueckmeldung').select('id').execute()).length).toBe(1);
    const later = new Date(ctx.clock.now.getTime() + 91 * 86_400_000);
    const app = await buildApp({ config: { logLevel: 'silent' }, database: ctx.handle, now: () => later });
    await app.ready();
    expect(await ctx.handle.db.selectFrom('krisenstab_rueckmeldung').select('id').execute()).toEqual([]);
    await app.close();
  });
});
