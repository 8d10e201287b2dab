import { gzipSync } from 'node:zlib';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type Account,
  axeViolations,
  chromiumAvailable,
  createClerk,
  type E2EServer,
  fillVerlustanzeige,
  germanDate,
  launchBrowser,
  newContext,
  settle,
  shot,
  startServer,
  tabTo,
  totp,
} from './support.js';

/**
 * The clerk's day, end to end in Chromium against the real server: first login with enrolment
 * of the second factor, login with TOTP, a Verlustanzeige recorded from the generated form,
 * confirmed, its history and receipt PDF; the offline outbox sends a write made while the server
 * was down exactly once; an ended session returns to the form with what was typed. axe-core
 * (WCAG 2.1 A/AA) checks every page on the way.
 */
const d = chromiumAvailable ? describe : describe.skip;
const NEW_PASSWORD = 'Notbetrieb-Siegen-2026!';

async function expectNoAxeViolations(page: Page, what: string): Promise<void> {
  await settle(page);
  const violations = await axeViolations(page);
  expect(violations, `axe (WCAG 2.1 A/AA) auf ${what}`).toEqual([]);
}

d('Sachbearbeitung im Browser', { timeout: 90_000 }, () => {
  let server: E2EServer;
  let browser: Browser;
  let page: Page;
  let clerk: Account;
  let secret = '';
  let recoveryCodes: string[] = [];

  beforeAll(async () => {
    server = await startServer();
    clerk = await createClerk(server.handle, {
      username: 'e.mustermann',
      displayName: 'Erika Mustermann',
      grants: [{ authorityAgs: '05970040', officeType: 'meldebehoerde', role: 'sachbearbeitung' }],
    });
    browser = await launchBrowser();
    page = await (await newContext(browser)).newPage();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('first login: one-time password, new password, second factor with QR code and recovery codes', async () => {
    await page.goto(server.url);
    await expect.poll(() => page.locator('h1').textContent()).toBe('Anmeldung');
    await expectNoAxeViolations(page, 'der Anmeldung');
    await shot(page, '01-anmeldung');
    await page.getByLabel('Benutzername').fill(clerk.username);
    await page.getByLabel('Passwort').fill(clerk.password);
    await page.getByRole('button', { name: 'Anmelden' }).click();

    await expect.poll(() => page.locator('h1').textContent()).toBe('Neues Passwort vergeben');
    await expectNoAxeViolations(page, 'der Passwortänderung');
    await page.getByLabel('Bisheriges Passwort').fill(clerk.password);
    await page.getByLabel('Neues Passwort', { exact: true }).fill(NEW_PASSWORD);
    await page.getByLabel('Neues Passwort wiederholen').fill(NEW_PASSWORD);
    await page.getByRole('button', { name: 'Passwort ändern' }).click();

    await expect.poll(() => page.locator('h1').textContent()).toBe('Anmeldung: zweiten Faktor einrichten');
    await expect.poll(() => page.locator('img[alt^="QR-Code"]').count()).toBe(1);
    await expectNoAxeViolations(page, 'der Einrichtung des zweiten Faktors');
    await shot(page, '02-zweiter-faktor-einrichten');
    secret = ((await page.locator('code.secret').textContent()) ?? '').replace(/\s+/g, '');
    expect(secret).toMatch(/^[A-Z2-7]{16,}$/);
    await page.getByLabel('Code aus der App').fill(totp(secret));
    await page.getByRole('button', { name: 'Einrichtung abschließen' }).click();

    await expect.poll(() => page.locator('.recovery-codes li').count()).toBe(10);
    recoveryCodes = (await page.locator('.recovery-codes li').allTextContents()).map((c) => c.trim());
    await page.getByRole('button', { name: /Codes notiert/ }).click();
    await expect.poll(() => page.locator('h1').textContent()).toBe('Arbeitsliste');
  });

  it('logs out and in again with password and TOTP code, by keyboard alone', async () => {
    await page.getByRole('button', { name: 'Abmelden' }).click();
    await expect.poll(() => page.locator('h1').textContent()).toBe('Anmeldung');
    await settle(page);
    // Keyboard only: Tab to the fields, type, Enter submits.
    await page.getByLabel('Benutzername').focus();
    await page.keyboard.type(clerk.username);
    await page.keyboard.press('Tab');
    await page.keyboard.type(NEW_PASSWORD);
    await page.keyboard.press('Enter');
    await expect.poll(() => page.locator('h1').textContent()).toBe('Anmeldung: zweiter Faktor');
    await expectNoAxeViolations(page, 'der Eingabe des zweiten Faktors');
    await page.getByLabel('Sicherheitscode').focus();
    // The enrolment used the current step; each code works once, so use the next one.
    await page.keyboard.type(totp(secret, 1));
    await page.keyboard.press('Enter');
    await expect.poll(() => page.locator('h1').textContent()).toBe('Arbeitsliste');
  });

  it('records a Verlustanzeige from the generated form, validated in the browser first', async () => {
    await page.getByRole('link', { name: 'Neuer Vorgang' }).first().click();
    await page.getByRole('link', { name: 'Verlustanzeige Ausweis/Pass' }).click();
    await expect
      .poll(() => page.locator('h1').textContent())
      .toBe('Neuer Vorgang: Verlustanzeige Ausweis/Pass');
    await settle(page);
    await expectNoAxeViolations(page, 'dem leeren Formular');

    // Empty form: the browser refuses with the definition's own messages, nothing is sent.
    await page.getByRole('button', { name: /Erfassen und speichern/ }).click();
    await expect
      .poll(() => page.locator('#fehlerliste').textContent())
      .toContain('Familienname: Bitte angeben.');
    await expectNoAxeViolations(page, 'dem Formular mit Fehlern');
    await shot(page, '04-neuer-vorgang-fehler');

    await fillVerlustanzeige(page, 'Mustermann');
    // A check-digit rule from the definition (ICAO 9303) runs in the browser too.
    await page.getByLabel('Dokumentennummer mit Prüfziffer').fill('T22000129');
    await page.getByRole('button', { name: /Erfassen und speichern/ }).click();
    await expect.poll(() => page.locator('#fehlerliste').textContent()).toContain('Dokumentennummer');
    await page.getByLabel('Dokumentennummer mit Prüfziffer').fill('T220001293');
    await shot(page, '03-neuer-vorgang');
    await page.getByRole('button', { name: /Erfassen und speichern/ }).click();

    await expect.poll(() => page.locator('h1').textContent()).toMatch(/^Vorgang /);
    await expect.poll(() => page.locator('.case-head').textContent()).toContain('Erfasst');
    await expect.poll(() => page.locator('table.history tbody tr').count()).toBe(1);
  });

  it('confirms the case, shows who did what when, and opens the receipt PDF', async () => {
    await page.getByRole('button', { name: 'Bestätigen', exact: true }).click();
    await page.getByRole('button', { name: 'Bestätigen ausführen' }).click();
    await expect.poll(() => page.locator('.case-head').textContent()).toContain('Bestätigt');
    const rows = page.locator('table.history tbody tr');
    await expect.poll(() => rows.count()).toBe(2);
    const last = (await rows.nth(1).textContent()) ?? '';
    expect(last).toContain('Erika Mustermann');
    expect(last).toContain('Bestätigen');
    expect(last).toMatch(/\d{2}\.\d{2}\.\d{4}, \d{2}:\d{2}/);
    await expectNoAxeViolations(page, 'der Vorgangsseite');
    await shot(page, '05-vorgang');

    const link = page.getByRole('link', { name: /Verlustbescheinigung öffnen/ });
    const href = await link.getAttribute('href');
    expect(href).toBeTruthy();
    const pdf = await page.context().request.get(new URL(href ?? '', server.url).toString());
    expect(pdf.status()).toBe(200);
    expect(pdf.headers()['content-type']).toBe('application/pdf');
    expect((await pdf.body()).subarray(0, 5).toString()).toBe('%PDF-');
  });

  it('lists the case in the worklist with its deadline state, and finds it by name', async () => {
    await page.getByRole('link', { name: 'Arbeitsliste', exact: true }).click();
    await expect.poll(() => page.locator('.result-count').count()).toBe(1);
    // The confirmed case is closed: not among the open cases (the default), found among all.
    await page.getByLabel(/^Suche/).fill('Mustermann');
    await page.getByRole('button', { name: 'Filtern' }).click();
    await expect.poll(() => page.locator('.result-count').textContent()).toContain('Keine Vorgänge gefunden');
    await page.getByLabel('Bearbeitungsstand').selectOption({ label: 'Alle Vorgänge' });
    await page.getByRole('button', { name: 'Filtern' }).click();
    await expect.poll(() => page.locator('.result-count').textContent()).toContain('1 Vorgang');
    await expectNoAxeViolations(page, 'der Arbeitsliste');
    await page.getByRole('button', { name: 'Zurücksetzen' }).click();
  });

  it('keeps a case made while the server is down in the outbox and sends it exactly once', async () => {
    await page.goto(`${server.url}/vorgaenge/neu/verlustanzeige`);
    await expect
      .poll(() => page.locator('h1').textContent())
      .toBe('Neuer Vorgang: Verlustanzeige Ausweis/Pass');
    await settle(page);
    await fillVerlustanzeige(page, 'Offlinefall');
    await server.stop();
    await page.getByRole('button', { name: /Erfassen und speichern/ }).click();
    await expect.poll(() => page.locator('.queued').textContent()).toContain('im Ausgang gespeichert');
    await expect.poll(() => page.locator('.outbox-indicator').textContent()).toContain('1 ausstehend');
    await page
      .getByRole('link', { name: /^Ausgang/ })
      .first()
      .click();
    await expect
      .poll(() => page.locator('ul.outbox').first().textContent())
      .toContain('wartet auf den Server');
    await shot(page, '07-ausgang');

    await server.start();
    await expect
      .poll(() => page.locator('.outbox-indicator').textContent(), { timeout: 20_000 })
      .toContain('gesendet');
    // Nudge a second send: the idempotency key makes any repeat harmless.
    await page.reload();
    await settle(page);
    const count = async () =>
      (
        await server.handle.db
          .selectFrom('cases')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .where('search_text', 'like', '%offlinefall%')
          .executeTakeFirstOrThrow()
      ).n;
    expect(Number(await count())).toBe(1);
  });

  it('returns to the form with what was typed when the session ended', async () => {
    await page.goto(`${server.url}/vorgaenge/neu/verlustanzeige`);
    await settle(page);
    await fillVerlustanzeige(page, 'Sitzungsende');
    await server.handle.db.updateTable('session').set({ ended_at: new Date().toISOString() }).execute();
    await page.getByRole('button', { name: /Erfassen und speichern/ }).click();
    await expect.poll(() => page.locator('h1').textContent()).toBe('Anmeldung');
    expect((await page.getByRole('status').allTextContents()).join(' ')).toContain(
      'Ihre Sitzung ist abgelaufen',
    );
    await page.getByLabel('Benutzername').fill(clerk.username);
    await page.getByLabel('Passwort').fill(NEW_PASSWORD);
    await page.getByRole('button', { name: 'Anmelden' }).click();
    await expect.poll(() => page.locator('h1').textContent()).toBe('Anmeldung: zweiter Faktor');
    // A recovery code instead of the app (the TOTP steps of this minute are used up).
    await page.getByLabel('Sicherheitscode').fill(recoveryCodes[0] ?? '');
    await page.getByRole('button', { name: 'Bestätigen' }).click();
    await expect
      .poll(() => page.locator('h1').textContent())
      .toBe('Neuer Vorgang: Verlustanzeige Ausweis/Pass');
    await settle(page);
    expect(await page.getByLabel('Familienname').inputValue()).toBe('Sitzungsende');
    expect(await page.getByLabel('Ort des Verlusts').inputValue()).toBe('Bahnhof Siegen');
    await page.getByRole('button', { name: /Erfassen und speichern/ }).click();
    await expect.poll(() => page.locator('h1').textContent()).toMatch(/^Vorgang /);
  });

  it('marks overdue, due-today and due-soon cases visibly in the worklist and filters by them', async () => {
    // Two more open cases; their deadlines are moved so that each state shows up.
    for (const name of ['Fristheute', 'Fristvorbei']) {
      await page.goto(`${server.url}/vorgaenge/neu/verlustanzeige`);
      await settle(page);
      await fillVerlustanzeige(page, name);
      await page.getByRole('button', { name: /Erfassen und speichern/ }).click();
      await expect.poll(() => page.locator('h1').textContent()).toMatch(/^Vorgang /);
    }
    const iso = (days: number) =>
      new Intl.DateTimeFormat('sv-SE', { timeZone: 'Europe/Berlin' }).format(
        new Date(Date.now() + days * 86_400_000),
      );
    const setDeadline = (needle: string, date: string) =>
      server.handle.db
        .updateTable('cases')
        .set({ deadline: date })
        .where('search_text', 'like', `%${needle}%`)
        .execute();
    await setDeadline('fristheute', iso(0));
    await setDeadline('fristvorbei', iso(-2));
    await setDeadline('offlinefall', iso(2));

    await page.getByRole('link', { name: 'Arbeitsliste', exact: true }).click();
    await expect.poll(() => page.locator('table.cases tbody tr').count()).toBeGreaterThanOrEqual(3);
    const states = await page.locator('table.cases .deadline-state').allTextContents();
    expect(states.slice(0, 3)).toEqual(['Überfällig', 'Heute fällig', 'Bald fällig']);
    expect(await page.locator('tr.row-overdue').count()).toBe(1);
    await expectNoAxeViolations(page, 'der Arbeitsliste mit Fristen');
    await shot(page, '06-arbeitsliste');

    await page.getByLabel('Frist').selectOption({ label: 'Überfällig' });
    await page.getByRole('button', { name: 'Filtern' }).click();
    await expect.poll(() => page.locator('.result-count').textContent()).toContain('1 Vorgang');
    expect(await page.locator('table.cases tbody').textContent()).toContain('Fristvorbei');
    await page.getByRole('button', { name: 'Zurücksetzen' }).click();
  });

  it('keeps the initial JavaScript and CSS of the worklist within 350 KB gzip', async () => {
    // A fresh browser context (empty cache) with the same session: everything the worklist needs.
    const fresh = await newContext(browser);
    await fresh.addCookies(await page.context().cookies());
    const p = await fresh.newPage();
    // The other pages' chunks, fetched in the background after login, are refused here: the
    // worklist must render without them, and they are not part of its first view.
    await p.route(/\/assets\/(NewCase|CasePage|OutboxPage|PasswordPage|Users|Authorities)-[^/]*\.js$/, (r) =>
      r.abort(),
    );
    const sizes: Array<{ url: string; raw: number; gzip: number }> = [];
    const pending: Promise<void>[] = [];
    let rendered = false;
    p.on('response', (res) => {
      const type = res.headers()['content-type'] ?? '';
      if (rendered || !/javascript|css/.test(type)) return;
      pending.push(
        res.body().then((b) => {
          sizes.push({
            url: new URL(res.url()).pathname,
            raw: b.length,
            gzip: gzipSync(b, { level: 9 }).length,
          });
        }),
      );
    });
    await p.goto(server.url);
    await p.locator('.result-count').waitFor();
    await p.waitForFunction(() => {
      // biome-ignore lint/suspicious/noExplicitAny: evaluated in the browser
      const doc = (globalThis as any).document;
      return [...doc.querySelectorAll('*')]
        .filter((e: { tagName: string }) => e.tagName.startsWith('KOL-'))
        .every((e: { classList: { contains: (c: string) => boolean } }) => e.classList.contains('hydrated'));
    });
    rendered = true;
    await Promise.all(pending);
    const total = sizes.reduce((n, s) => n + s.gzip, 0);
    const raw = sizes.reduce((n, s) => n + s.raw, 0);
    console.info(
      `Arbeitsliste, erster Aufruf: ${sizes.length} JS/CSS-Dateien, ${(raw / 1024).toFixed(1)} KB, gzip ${(total / 1024).toFixed(1)} KB`,
    );
    const largest = [...sizes].sort((a, b) => b.gzip - a.gzip).slice(0, 5);
    console.info(largest.map((s) => `  ${s.url}: gzip ${(s.gzip / 1024).toFixed(1)} KB`).join('\n'));
    // The pages loaded in the background after login are not part of the first view.
    expect(sizes.some((s) => /\/(NewCase|CasePage)-/.test(s.url))).toBe(false);
    expect(total).toBeLessThanOrEqual(350 * 1024);
    await fresh.close();
  });

  it('records, confirms and opens the receipt of a Verlustanzeige with the keyboard alone', async () => {
    await page.goto(server.url);
    await expect.poll(() => page.locator('h1').textContent()).toBe('Arbeitsliste');
    await settle(page);
    await tabTo(page, /^a:Neuer Vorgang$/);
    await page.keyboard.press('Enter');
    await expect.poll(() => page.locator('h1').textContent()).toBe('Neuer Vorgang');
    await settle(page);
    await tabTo(page, /^a:Verlustanzeige Ausweis\/Pass$/);
    await page.keyboard.press('Enter');
    await expect
      .poll(() => page.locator('h1').textContent())
      .toBe('Neuer Vorgang: Verlustanzeige Ausweis/Pass');
    await settle(page);
    const type = async (label: RegExp, text: string) => {
      await tabTo(page, label);
      await page.keyboard.type(text);
    };
    await type(/^input:Familienname/, 'Tastatur');
    await type(/^input:Vornamen/, 'Tilda');
    await type(/^input:Geburtsdatum/, '01.02.1990');
    await type(/^input:Geburtsort/, 'Olpe');
    await type(/^input:Straße und Hausnummer/, 'Markt 2');
    await type(/^input:Postleitzahl/, '57072');
    await type(/^input:Wohnort/, 'Siegen');
    await tabTo(page, /^select:Art des Dokuments/);
    await page.keyboard.type('Reisepass');
    await tabTo(page, /^select:Verloren oder gestohlen/);
    await page.keyboard.type('Gestohlen');
    await type(/^input:Datum des Verlusts/, germanDate(0));
    await type(/^input:Ort des Verlusts/, 'Zug');
    await tabTo(page, /^input:Ja$/);
    await page.keyboard.press('ArrowRight'); // radio group: to "Nein"
    await tabTo(page, /Erfassen und speichern/);
    await page.keyboard.press('Enter');
    await expect
      .poll(async () =>
        (await page.locator('#fehlerliste').count())
          ? await page.locator('#fehlerliste').textContent()
          : await page.locator('h1').textContent(),
      )
      .toMatch(/^Vorgang /);
    expect(await page.locator('.case-head').textContent()).toContain('Erfasst');
    expect(await page.locator('main').textContent()).toContain('Reisepass');

    await settle(page);
    await tabTo(page, /^button:Bestätigen$/);
    await page.keyboard.press('Enter');
    await tabTo(page, /^button:Bestätigen ausführen$/);
    await page.keyboard.press('Enter');
    await expect.poll(() => page.locator('.case-head').textContent()).toContain('Bestätigt');
    await settle(page);
    await tabTo(page, /^a:Verlustbescheinigung öffnen/);
    const [popup] = await Promise.all([page.context().waitForEvent('page'), page.keyboard.press('Enter')]);
    // The PDF opens in a new window (headless Chromium may hand it to its download manager).
    const href = await page.getByRole('link', { name: /Verlustbescheinigung öffnen/ }).getAttribute('href');
    const receipt = await page.context().request.get(new URL(href ?? '', server.url).toString());
    expect(receipt.headers()['content-type']).toBe('application/pdf');
    await popup.close();
  });

  it('renders the form of every procedure, with repeated groups, free of axe violations', async () => {
    const list = (await (await page.context().request.get(`${server.url}/api/procedures`)).json()) as {
      items: Array<{ id: string; title: string }>;
    };
    expect(list.items.length).toBeGreaterThan(1);
    for (const p of list.items) {
      await page.goto(`${server.url}/vorgaenge/neu/${p.id}`);
      await expect.poll(() => page.locator('h1').textContent()).toBe(`Neuer Vorgang: ${p.title}`);
      await expect.poll(() => page.locator('fieldset.section').count()).toBeGreaterThan(1);
      await expectNoAxeViolations(page, `dem Formular „${p.title}“`);
    }
    const geburt = list.items.find((p) => p.id === 'geburt');
    if (geburt) {
      await page.goto(`${server.url}/vorgaenge/neu/geburt`);
      await settle(page);
      await expect.poll(() => page.locator('fieldset.group-item').count()).toBe(1);
      await page.getByRole('button', { name: 'Elternteil hinzufügen' }).click();
      await expect.poll(() => page.locator('fieldset.group-item').count()).toBe(2);
      await page
        .locator('fieldset.group-item')
        .nth(1)
        .getByLabel(/^Familienname/)
        .fill('Zweiter');
      await page.getByRole('button', { name: 'Elternteil 1 entfernen' }).click();
      await expect.poll(() => page.locator('fieldset.group-item').count()).toBe(1);
      expect(
        await page
          .locator('fieldset.group-item')
          .first()
          .getByLabel(/^Familienname/)
          .inputValue(),
      ).toBe('Zweiter');
      await shot(page, '11-neuer-vorgang-geburt');
    }
    // One form and one axe run per procedure (more than 25 with every family): its own limit.
  }, 300_000);

  it('runs an action with its own form (cancel with a reason), checked in the browser first', async () => {
    await page.goto(`${server.url}/vorgaenge/neu/verlustanzeige`);
    await settle(page);
    await fillVerlustanzeige(page, 'Stornofall');
    await page.getByRole('button', { name: /Erfassen und speichern/ }).click();
    await expect.poll(() => page.locator('h1').textContent()).toMatch(/^Vorgang /);
    await settle(page);
    await page.getByRole('button', { name: 'Stornieren', exact: true }).click();
    await page.getByRole('button', { name: 'Stornieren ausführen' }).click();
    await expect.poll(() => page.locator('#fehlerliste').textContent()).toContain('Grund der Stornierung');
    await page.getByLabel(/^Grund der Stornierung/).fill('Ausweis wiedergefunden');
    await page.getByRole('button', { name: 'Stornieren ausführen' }).click();
    await expect.poll(() => page.locator('.case-head').textContent()).toContain('Storniert');
    const last = (await page.locator('table.history tbody tr').last().textContent()) ?? '';
    expect(last).toContain('Stornieren');
    expect(last).toContain('Ausweis wiedergefunden');
    await expectNoAxeViolations(page, 'der Vorgangsseite nach der Stornierung');
  });

  it('keeps what was typed into an action form when the session ends, and reopens it after login', async () => {
    await page.goto(`${server.url}/vorgaenge/neu/verlustanzeige`);
    await settle(page);
    await fillVerlustanzeige(page, 'Aktionsentwurf');
    await page.getByRole('button', { name: /Erfassen und speichern/ }).click();
    await expect.poll(() => page.locator('h1').textContent()).toMatch(/^Vorgang /);
    await settle(page);
    await page.getByRole('button', { name: 'Stornieren', exact: true }).click();
    await page.getByLabel(/^Grund der Stornierung/).fill('Doppelt erfasst');
    await server.handle.db.updateTable('session').set({ ended_at: new Date().toISOString() }).execute();
    await page.getByRole('button', { name: 'Stornieren ausführen' }).click();
    await expect.poll(() => page.locator('h1').textContent()).toBe('Anmeldung');
    await page.getByLabel('Benutzername').fill(clerk.username);
    await page.getByLabel('Passwort').fill(NEW_PASSWORD);
    await page.getByRole('button', { name: 'Anmelden' }).click();
    await expect.poll(() => page.locator('h1').textContent()).toBe('Anmeldung: zweiter Faktor');
    await page.getByLabel('Sicherheitscode').fill(recoveryCodes[1] ?? '');
    await page.getByRole('button', { name: 'Bestätigen' }).click();
    await expect.poll(() => page.locator('h1').textContent()).toMatch(/^Vorgang /);
    await settle(page);
    expect(await page.getByLabel(/^Grund der Stornierung/).inputValue()).toBe('Doppelt erfasst');
    await page.getByRole('button', { name: 'Stornieren ausführen' }).click();
    await expect.poll(() => page.locator('.case-head').textContent()).toContain('Storniert');
  });
});
