import { randomUUID } from 'node:crypto';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { berlinToday, berlinToIso, isoToBerlin } from '../../src/procedures/krisenstab/web/time.js';
import { verlustanzeigeDaten } from '../../src/procedures/verlustanzeige/fixtures.js';
import {
  type EnrolledClerk,
  enrolledClerk,
  expectNoAxeViolations,
  h1,
  login,
  openPdf,
  poll,
  shot,
} from './fachverfahren-support.js';
import {
  chromiumAvailable,
  type E2EServer,
  launchBrowser,
  newContext,
  settle,
  startServer,
} from './support.js';

/**
 * The crisis team's board and the citizens' pages in the browser (issue 16): the Amtsleitung of
 * the Bürgerbüro opens a room for online booking with a series of slots; the crisis team logs in,
 * sees the figures of the region and of Siegen (but no name of the case behind them) and sets the
 * Standesamt to emergency operation; a citizen, without login, reads the status page, the
 * Leichte-Sprache page and the accessibility statement, books a slot by keyboard and cancels it
 * with the code; the office sees the appointment and the cancellation. Once more with JavaScript
 * switched off: the public pages work without it. axe (WCAG 2.1 A/AA) on every public page.
 */
const d = chromiumAvailable ? describe : describe.skip;
const SIEGEN = '05970040';
const CASE_NAME = 'Geheimnisträgerin';

/** Tomorrow in Germany (YYYY-MM-DD) and as TT.MM.JJJJ. */
const tomorrow = (() => {
  const iso = isoToBerlin(new Date(Date.now() + 86_400_000).toISOString()).date;
  return { iso, de: `${iso.slice(8, 10)}.${iso.slice(5, 7)}.${iso.slice(0, 4)}` };
})();

d('Krisenstab und öffentliche Seiten im Browser', { timeout: 90_000 }, () => {
  let server: E2EServer;
  let browser: Browser;
  let office: Page;
  let crisisPage: Page;
  let citizen: Page;
  let citizenContext: BrowserContext;
  let leitung: EnrolledClerk;
  let crisis: EnrolledClerk;
  let code = '';

  const savedHour = process.env.NOTBETRIEB_LAGEBERICHT_STUNDE;
  beforeAll(async () => {
    // The day's snapshot is due at any hour: the Lagebericht exists when the test looks for it.
    process.env.NOTBETRIEB_LAGEBERICHT_STUNDE = '0';
    server = await startServer();
    leitung = await enrolledClerk(server, {
      username: 'b.buergerbuero',
      displayName: 'Berta Bürgerbüro',
      grants: [
        { authorityAgs: SIEGEN, officeType: 'meldebehoerde', role: 'sachbearbeitung' },
        { authorityAgs: SIEGEN, officeType: 'meldebehoerde', role: 'leitung' },
      ],
    });
    crisis = await enrolledClerk(server, { username: 'k.krisenstab', displayName: 'Kurt Krisenstab' });
    await server.handle.db
      .updateTable('app_user')
      .set({ is_crisis_team: 1 })
      .where('username', '=', 'k.krisenstab')
      .execute();
    browser = await launchBrowser();
    office = await (await newContext(browser)).newPage();
    crisisPage = await (await newContext(browser)).newPage();
    citizenContext = await newContext(browser);
    citizen = await citizenContext.newPage();
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    if (savedHour === undefined) delete process.env.NOTBETRIEB_LAGEBERICHT_STUNDE;
    else process.env.NOTBETRIEB_LAGEBERICHT_STUNDE = savedHour;
  });

  it('the Amtsleitung opens a room of the Bürgerbüro for online booking with a series of slots', async () => {
    await login(office, server, leitung);
    // A case with a name the crisis team must never see.
    const session = await office.context().request.get(`${server.url}/api/session`);
    const { csrfToken } = (await session.json()) as { csrfToken: string };
    const created = await office.context().request.post(`${server.url}/api/cases`, {
      headers: { 'x-csrf-token': csrfToken, 'idempotency-key': randomUUID() },
      data: {
        procedureId: 'verlustanzeige',
        authorityAgs: SIEGEN,
        data: verlustanzeigeDaten({ person: { familienname: CASE_NAME } }),
      },
    });
    expect(created.status()).toBe(201);

    await office.getByRole('link', { name: 'Termine', exact: true }).click();
    await poll(() => h1(office)).toBe('Termine');
    await poll(() => office.getByText('Noch keine Räume angelegt.').count()).toBe(1);
    await settle(office);
    await office.getByLabel('Name des Raums oder Schalters').fill('Bürgerbüro Schalter 1');
    await office.getByRole('button', { name: 'Raum anlegen' }).click();
    await poll(() => office.locator('section.room h3').first().textContent()).toBe('Bürgerbüro Schalter 1');
    await settle(office);
    const room = office.locator('section.room').first();
    await room.getByLabel('Datum').fill(tomorrow.de);
    await room.getByLabel('Von (HH:MM)').fill('10:00');
    await room.getByLabel('Bis (HH:MM)').fill('11:00');
    await room.getByLabel('Dauer je Termin (Minuten)').fill('30');
    await room.getByRole('button', { name: 'Termine in Bürgerbüro Schalter 1 anlegen' }).click();
    await poll(async () => (await office.getByRole('status').allTextContents()).join(' ')).toContain(
      '2 Termine in Bürgerbüro Schalter 1 angelegt.',
    );
    await room
      .getByRole('button', { name: 'Bürgerbüro Schalter 1: für die Online-Buchung freigeben' })
      .click();
    await poll(() => room.locator('p').first().textContent()).toContain('Online buchbar;');
    await expectNoAxeViolations(office, 'der Terminseite des Amtes');
    await shot(office, '70-termine-amt');
  });

  it('the crisis team sees the figures of the region and of Siegen, but no name', async () => {
    await login(crisisPage, server, crisis);
    await crisisPage.getByRole('link', { name: 'Lagebild', exact: true }).click();
    await poll(() => h1(crisisPage)).toBe('Lagebild');
    const row = crisisPage.locator('table.lage-behoerden tbody tr', { hasText: 'Siegen' });
    await poll(() => row.count()).toBe(1);
    expect(await row.locator('td').first().textContent()).toBe('1');
    const chart = crisisPage.locator('.verlauf img');
    await poll(() => chart.evaluate((img) => (img as unknown as { naturalWidth: number }).naturalWidth)).toBe(
      760,
    );
    expect(await crisisPage.locator('main').textContent()).not.toContain(CASE_NAME);
    await expectNoAxeViolations(crisisPage, 'dem Lagebild der Region');
    await shot(crisisPage, '71-lagebild-region');

    await row.getByRole('link', { name: 'Siegen' }).click();
    await poll(() => h1(crisisPage)).toBe('Lagebild: Siegen');
    await poll(() =>
      crisisPage
        .locator('table.lage-aemter tbody tr', { hasText: 'Meldebehörde' })
        .locator('td')
        .first()
        .textContent(),
    ).toBe('1');
    await settle(crisisPage);
    const standesamt = crisisPage.locator('.dienst', { hasText: 'Standesamt (Geburt' });
    await standesamt.locator('summary').click();
    await settle(crisisPage);
    await standesamt.getByLabel('Status').selectOption({ label: 'Notbetrieb' });
    await standesamt.getByLabel('Zeiten').fill('Mo–Fr 8–12 Uhr');
    await standesamt.getByRole('button', { name: /speichern$/ }).click();
    await poll(() =>
      crisisPage.locator('.dienst', { hasText: 'Standesamt (Geburt' }).locator('p').first().textContent(),
    ).toContain('Status: Notbetrieb');
    expect(await crisisPage.locator('main').textContent()).not.toContain(CASE_NAME);
    await expectNoAxeViolations(crisisPage, 'dem Lagebild von Siegen');
    await shot(crisisPage, '72-lagebild-siegen');
  });

  it('the crisis team keeps its log (a task, then done) and opens the day’s Lagebericht', async () => {
    await crisisPage.getByRole('link', { name: 'Lagelog', exact: true }).click();
    await poll(() => h1(crisisPage)).toBe('Lagelog');
    await settle(crisisPage);
    await crisisPage.getByLabel('Art').selectOption({ label: 'Aufgabe' });
    await settle(crisisPage);
    await crisisPage.getByLabel('Titel').fill('Aushang an allen Rathaustüren');
    await crisisPage.getByLabel('Zuständig').fill('Pressestelle');
    await crisisPage.getByRole('button', { name: 'Eintragen' }).click();
    const entry = crisisPage.locator('.log-list li', { hasText: 'Aushang an allen Rathaustüren' });
    await poll(() => entry.count()).toBe(1);
    await expectNoAxeViolations(crisisPage, 'dem Lagelog');
    await entry.getByRole('button', { name: /erledigt$/ }).click();
    await poll(() => entry.textContent()).toContain('Erledigt am');
    await crisisPage.getByRole('link', { name: 'Lageberichte', exact: true }).click();
    await poll(() => h1(crisisPage)).toBe('Lageberichte');
    await expectNoAxeViolations(crisisPage, 'den Lageberichten');
    await openPdf(crisisPage, server, /^Lagebericht .* als PDF$/);
  });

  it('the Amtsleitung sees the services of its office', async () => {
    await office.getByRole('link', { name: 'Dienste', exact: true }).click();
    await poll(() => h1(office)).toBe('Dienste und Erreichbarkeit');
    await poll(() => office.locator('.dienst h3').allTextContents()).toContain('Verlustanzeige Ausweis/Pass');
    await expectNoAxeViolations(office, 'der Dienste des Amtes');
  });

  it('a citizen reads the status page, Leichte Sprache and the accessibility statement without login', async () => {
    await citizen.goto(`${server.url}/oeffentlich`);
    await poll(() => h1(citizen)).toBe('Erreichbarkeit der Verwaltung');
    await expectNoAxeViolations(citizen, 'der Auswahl der Kommune');
    await citizen.getByRole('link', { name: 'Stadt Siegen', exact: true }).click();
    await poll(() => h1(citizen)).toBe('Stadt Siegen: Welche Dienste gibt es wo und wann?');
    expect(await citizen.locator('section.service', { hasText: 'Standesamt' }).textContent()).toContain(
      'Notbetrieb',
    );
    await expectNoAxeViolations(citizen, 'der Statusseite');
    await shot(citizen, '73-statusseite');
    await citizen.getByRole('link', { name: 'Leichte Sprache' }).first().click();
    await poll(() => h1(citizen)).toBe('Informationen in Leichter Sprache');
    await expectNoAxeViolations(citizen, 'der Seite in Leichter Sprache');
    await citizen.getByRole('link', { name: 'Erklärung zur Barrierefreiheit' }).first().click();
    await poll(() => h1(citizen)).toBe('Erklärung zur Barrierefreiheit');
    await expectNoAxeViolations(citizen, 'der Erklärung zur Barrierefreiheit');
    await citizen.getByRole('link', { name: 'Formular „Barriere melden“' }).click();
    await poll(() => h1(citizen)).toBe('Barriere melden');
    await expectNoAxeViolations(citizen, 'dem Formular „Barriere melden“');
    await citizen
      .getByLabel('Was ist schwer oder geht nicht? (Pflichtfeld)')
      .fill('Der Aushang als PDF ist für meinen Bildschirmleser nicht lesbar.');
    await citizen.getByRole('button', { name: 'Nachricht senden' }).click();
    await poll(() => h1(citizen)).toBe('Vielen Dank für Ihre Nachricht');
    await expectNoAxeViolations(citizen, 'der Bestätigung einer Rückmeldung');
    const poster = await citizen.context().request.get(`${server.url}/oeffentlich/${SIEGEN}/aushang.pdf`);
    expect(poster.status()).toBe(200);
    expect((await poster.body()).subarray(0, 5).toString()).toBe('%PDF-');
  });

  it('a citizen books a slot by keyboard and gets a booking code', async () => {
    await citizen.goto(`${server.url}/oeffentlich/${SIEGEN}/termine`);
    await poll(() => h1(citizen)).toBe('Termin buchen');
    await expectNoAxeViolations(citizen, 'der Liste freier Termine');
    await shot(citizen, '74-freie-termine');
    await citizen.getByRole('link', { name: /^10:00–10:30 Uhr/ }).click();
    await poll(() => h1(citizen)).toBe('Termin buchen');
    // Sent empty: the error summary names what is missing.
    await citizen.getByRole('button', { name: 'Termin verbindlich buchen' }).click();
    await poll(() => citizen.locator('.error-summary').count()).toBe(1);
    expect(await citizen.locator('.error-summary').textContent()).toContain(
      'Bitte geben Sie Ihren Namen an.',
    );
    await expectNoAxeViolations(citizen, 'dem Buchungsformular mit Fehlern');
    await citizen.getByLabel('Ihr Name (Pflichtfeld)').focus();
    await citizen.keyboard.type('Zeynep Yılmaz-Schäfer');
    await citizen.keyboard.press('Tab');
    await citizen.keyboard.type('zeynep@example.de');
    await citizen.keyboard.press('Enter');
    await poll(() => h1(citizen)).toBe('Ihr Termin ist gebucht');
    code = ((await citizen.locator('p.code').textContent()) ?? '').trim();
    expect(code).toMatch(/^[A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4}$/);
    expect(await citizen.locator('main').textContent()).not.toContain('Yılmaz');
    await expectNoAxeViolations(citizen, 'der Buchungsbestätigung');
    await shot(citizen, '75-termin-gebucht');
  });

  it('the office sees the appointment with name and contact', async () => {
    await office.getByRole('link', { name: 'Termine', exact: true }).click();
    await poll(() => h1(office)).toBe('Termine');
    await settle(office);
    await office.getByLabel('Tag').fill(tomorrow.de);
    await office.getByRole('button', { name: 'Anzeigen' }).click();
    const row = office.locator('table.termine tbody tr');
    await poll(() => row.count()).toBe(1);
    expect(await row.textContent()).toContain('Zeynep Yılmaz-Schäfer');
    expect(await row.textContent()).toContain('zeynep@example.de');
  });

  it('the citizen cancels with the code; the office sees the cancellation, the data is gone', async () => {
    await citizen.goto(`${server.url}/oeffentlich/${SIEGEN}/absagen`);
    await poll(() => h1(citizen)).toBe('Termin absagen');
    await expectNoAxeViolations(citizen, 'dem Absageformular');
    await citizen.getByLabel('Buchungscode (Pflichtfeld)').focus();
    await citizen.keyboard.type(code.toLowerCase());
    await citizen.keyboard.press('Enter');
    await poll(() => h1(citizen)).toBe('Ihr Termin ist abgesagt');
    await expectNoAxeViolations(citizen, 'der Absagebestätigung');
    await office.getByRole('button', { name: 'Anzeigen' }).click();
    await poll(() => office.locator('table.termine tbody tr').textContent()).toContain(
      'von der Bürgerin / dem Bürger abgesagt',
    );
    expect(await office.locator('table.termine tbody tr').textContent()).not.toContain('Zeynep');
  });

  it('works without JavaScript: book and cancel with scripts switched off', async () => {
    const noJs = await browser.newContext({
      javaScriptEnabled: false,
      locale: 'de-DE',
      timezoneId: 'Europe/Berlin',
    });
    const page = await noJs.newPage();
    await page.goto(`${server.url}/oeffentlich/${SIEGEN}/termine`);
    expect(await h1(page)).toBe('Termin buchen');
    await page.getByRole('link', { name: /^10:30–11:00 Uhr/ }).click();
    await page.getByLabel('Ihr Name (Pflichtfeld)').fill('Ohne Skript');
    await page.getByLabel('Telefonnummer').fill('0271 12345');
    await page.getByRole('button', { name: 'Termin verbindlich buchen' }).click();
    expect(await h1(page)).toBe('Ihr Termin ist gebucht');
    const c = ((await page.locator('p.code').textContent()) ?? '').trim();
    await page.getByRole('link', { name: 'Termin absagen' }).first().click();
    await page.getByLabel('Buchungscode (Pflichtfeld)').fill(c);
    await page.getByRole('button', { name: 'Termin absagen' }).click();
    expect(await h1(page)).toBe('Ihr Termin ist abgesagt');
    await noJs.close();
    // The public pages set the same slot free again.
    const slots = await citizen.context().request.get(`${server.url}/oeffentlich/${SIEGEN}/termine`);
    expect(await slots.text()).toContain('10:30–11:00 Uhr');
    expect(berlinToIso(berlinToday(), '10:00')).toMatch(/Z$/);
  });
});
