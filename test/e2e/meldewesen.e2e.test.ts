import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeRegisterCsv } from '../../src/procedures/meldewesen/server/register/fixtures.js';
import { importRegister } from '../../src/procedures/meldewesen/server/register/import.js';
import {
  type EnrolledClerk,
  enrolledClerk,
  expectNoAxeViolations,
  germanDate,
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
 * The Meldebehörde in the browser (issue 6): the register snapshot is searched (a phonetic match
 * finds Meier for „Maier“), a person is opened and an Ummeldung recorded with the person's data
 * taken over; the Meldebestätigung is opened as PDF and the search then finds the person at the
 * new address, marked as recorded in emergency operation. An ID card application shows its fee,
 * the cash payment goes into the cash journal, the fee receipt and the cash receipt open as PDF;
 * the cash journal shows the running total, cancels a booking by counter-booking, closes the day
 * and prints its report; a booking made while the server is down waits in the outbox and arrives
 * exactly once. The Ummeldung is handed over (XMeld) and acknowledged. axe (WCAG 2.1
 * A/AA) on every new page.
 */
const d = chromiumAvailable ? describe : describe.skip;
const field = (page: Page, id: string) => page.locator(`#feld-${id}`);
const euro = new Intl.NumberFormat('de-DE', { style: 'currency', currency: 'EUR' });
/** "46,00 €" -> "47,00 €" (the format the page shows). */
const plusOneEuro = (amount: string) =>
  euro.format(Number(amount.replace(/[^\d,]/g, '').replace(',', '.')) + 1);

d('Meldebehörde im Browser: Suche, Ummeldung, Personalausweis, Kasse', { timeout: 60_000 }, () => {
  let server: E2EServer;
  let browser: Browser;
  let page: Page;
  let clerk: EnrolledClerk;
  let dir = '';
  let fee = '';

  beforeAll(async () => {
    server = await startServer();
    dir = mkdtempSync(path.join(tmpdir(), 'nb-e2e-register-'));
    const file = path.join(dir, 'register.csv');
    writeRegisterCsv(file, [
      {
        personen_id: 'P1',
        familienname: 'Meier',
        vornamen: 'Jürgen',
        geburtsdatum: '1964-08-12',
        geschlecht: 'm',
        strasse: 'Hauptstraße',
        hausnummer: '1',
        haushalt_id: 'H1',
      },
      {
        personen_id: 'P2',
        familienname: 'Meier',
        vornamen: 'Özlem',
        geburtsname: 'Yılmaz',
        geburtsdatum: '1966-01-02',
        geburtsort: 'İzmir',
        staatsangehoerigkeit: 'DEU,TUR',
        strasse: 'Hauptstraße',
        hausnummer: '1',
        haushalt_id: 'H1',
      },
      { personen_id: 'P3', familienname: 'Schmidt', vornamen: 'Klara', geburtsdatum: '1990-02-03' },
    ]);
    await importRegister(server.handle, { file, importedBy: 'e2e' });
    clerk = await enrolledClerk(server, {
      username: 'm.meldebehoerde',
      displayName: 'Mehmet Meldebeamter',
      grants: [{ authorityAgs: '05970040', officeType: 'meldebehoerde', role: 'sachbearbeitung' }],
    });
    browser = await launchBrowser();
    page = await (await newContext(browser)).newPage();
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  async function search(name: string): Promise<void> {
    await page.getByRole('link', { name: 'Melderegister', exact: true }).click();
    await poll(() => h1(page)).toBe('Melderegister durchsuchen');
    await settle(page);
    // The page keeps the last results in memory: clear them, so the next ones are surely new.
    await page.getByRole('button', { name: 'Zurücksetzen' }).click();
    await poll(() => page.locator('.result-count').count()).toBe(0);
    await page.getByLabel('Familienname').fill(name);
    await page.getByLabel('Familienname').press('Enter');
    await poll(() => page.locator('.result-count').textContent()).toMatch(/gefunden/);
  }

  it('logs in with password and TOTP code, by keyboard', async () => {
    await login(page, server, clerk);
  });

  it('finds Meier when searching for „Maier“ and opens the person', async () => {
    await search('Maier');
    const rows = page.locator('table.register-hits tbody tr');
    await poll(() => rows.count()).toBe(2);
    expect(await rows.first().textContent()).toContain('ähnlich klingend');
    await expectNoAxeViolations(page, 'der Registersuche');
    await shot(page, '40-melderegister-suche');
    await page.getByRole('link', { name: 'Meier, Jürgen' }).click();
    await poll(() => h1(page)).toBe('Meier, Jürgen');
    await poll(() => page.locator('#person-haushalt + ul').textContent()).toContain('Özlem');
    await expectNoAxeViolations(page, 'der Person');
    await shot(page, '43-melderegister-person');
  });

  it('records an Ummeldung with the person taken over and prints the Meldebestätigung', async () => {
    await page.getByRole('button', { name: /Ummeldung erfassen/ }).click();
    await poll(() => h1(page)).toBe('Neuer Vorgang: Ummeldung');
    await settle(page);
    expect(await field(page, 'personen-0-familienname').locator('input').inputValue()).toBe('Meier');
    expect(await field(page, 'personen-0-geburtsdatum').locator('input').inputValue()).toBe('12.08.1964');
    await field(page, 'einzug-datum').locator('input').fill(germanDate(-3));
    await field(page, 'einzug-wohnungsstatus').locator('select').selectOption({ label: 'Hauptwohnung' });
    await field(page, 'neueWohnung-strasse').locator('input').fill('Kölner Straße');
    await field(page, 'neueWohnung-hausnummer').locator('input').fill('12a');
    await field(page, 'neueWohnung-plz').locator('input').fill('57072');
    await field(page, 'neueWohnung-ort').locator('input').fill('Siegen');
    await field(page, 'wohnungsgeberbestaetigung-vorgelegt').getByRole('radio', { name: 'Ja' }).check();
    await field(page, 'wohnungsgeberbestaetigung-wohnungsgeber')
      .locator('input')
      .fill('Grundstücksgesellschaft Weiß');
    await field(page, 'wohnungsgeberbestaetigung-datum').locator('input').fill(germanDate(-4));
    await page.getByRole('button', { name: /Erfassen und speichern/ }).click();

    await poll(() => h1(page)).toMatch(/^Vorgang /);
    await poll(() => page.locator('.panel-meldefrist').textContent()).toContain('Frist eingehalten');
    await openPdf(page, server, /Meldebestätigung öffnen/);
    await expectNoAxeViolations(page, 'der Ummeldung');

    // The search now finds him at the new address, marked as recorded in emergency operation.
    await search('Meier');
    const first = page.locator('table.register-hits tbody tr', { hasText: 'Jürgen' });
    await poll(() => first.textContent()).toContain('Kölner Straße 12a');
    expect(await first.locator('.badge.notbetrieb').count()).toBe(1);
  });

  it('takes an ID card application with its fee, the cash payment and both receipts', async () => {
    await page.getByRole('link', { name: 'Meier, Jürgen' }).click();
    await poll(() => h1(page)).toBe('Meier, Jürgen');
    await page.getByRole('button', { name: 'Personalausweis beantragen' }).click();
    await poll(() => h1(page)).toBe('Neuer Vorgang: Antrag Personalausweis');
    await settle(page);
    expect(await field(page, 'antragsteller-vornamen').locator('input').inputValue()).toBe('Jürgen');
    await field(page, 'antrag-zuschlag').getByRole('radio', { name: 'Nein' }).check();
    await page.getByRole('button', { name: /Antrag erfassen und speichern/ }).click();

    await poll(() => h1(page)).toMatch(/^Vorgang PA /);
    await poll(() => page.locator('.fee-total').textContent()).toMatch(/^\d+,\d{2}\s€$/);
    fee = ((await page.locator('.fee-total').textContent()) ?? '').trim();
    await page.getByRole('button', { name: 'Gebühr bar bezahlt', exact: true }).click();
    await page.getByRole('button', { name: 'Gebühr bar bezahlt ausführen' }).click();
    await poll(() => page.locator('.case-head').textContent()).toContain('Gebühr bezahlt');
    await poll(() => page.locator('.payment').textContent()).toContain('Beleg-Nr. 1');
    await openPdf(page, server, /Gebührenquittung Personalausweis öffnen/);
    await openPdf(page, server, /Kassenquittung öffnen/);
    await expectNoAxeViolations(page, 'dem bezahlten Antrag');
    await shot(page, '41-personalausweis-bezahlt');

    await page.getByRole('link', { name: 'Kassenbuch' }).click();
    await poll(() => h1(page)).toBe('Kassenbuch');
    await poll(() => page.locator('table.cash-entries tbody tr').count()).toBe(1);
    expect(await page.locator('.cash-balance').textContent()).toBe(fee);
  });

  it('books cash, closes the day and prints the cash report', async () => {
    await settle(page);
    await field(page, 'betrag').locator('input').fill('5,50');
    await field(page, 'zweck').locator('input').fill('Kopien');
    await page.getByRole('button', { name: 'Buchen', exact: true }).click();
    await poll(() => page.locator('table.cash-entries tbody tr').count()).toBe(2);
    await expectNoAxeViolations(page, 'dem Kassenbuch');
    await shot(page, '42-kassenbuch');
    // A wrong booking is cancelled by a counter-booking with a reason; the total goes back.
    const balance = (await page.locator('.cash-balance').textContent()) ?? '';
    page.once('dialog', (dialog) => void dialog.accept('Fehlbuchung'));
    await page.getByRole('button', { name: 'Beleg 2 stornieren' }).click();
    await poll(() => page.locator('table.cash-entries tbody tr').count()).toBe(3);
    await poll(() => page.locator('.cash-balance').textContent()).not.toBe(balance);
    expect(await page.locator('table.cash-entries tbody tr').nth(2).textContent()).toContain('Storno');

    // A booking made while the server is away waits in the outbox and arrives exactly once.
    await server.stop();
    await field(page, 'betrag').locator('input').fill('1,00');
    await field(page, 'zweck').locator('input').fill('Formular');
    await page.getByRole('button', { name: 'Buchen', exact: true }).click();
    await poll(async () => (await page.getByRole('status').allTextContents()).join(' ')).toContain(
      'im Ausgang gespeichert',
    );
    await server.start();
    await poll(() => page.locator('.outbox-indicator').textContent()).toContain('gesendet');
    await page.getByRole('button', { name: 'Tag anzeigen' }).click();
    await poll(() => page.locator('table.cash-entries tbody tr').count()).toBe(4);
    await page.getByRole('button', { name: 'Tag anzeigen' }).click();
    await settle(page);
    expect(await page.locator('table.cash-entries tbody tr').count()).toBe(4);

    await page.getByRole('button', { name: 'Tag abschließen' }).click();
    await poll(() => page.locator('.cash-totals').textContent()).toContain('abgeschlossen');
    expect(await page.locator('.cash-balance').textContent()).toBe(plusOneEuro(fee));
    await openPdf(page, server, /Kassenbericht öffnen/);
    await expectNoAxeViolations(page, 'dem abgeschlossenen Kassentag');
  });

  it('hands the Ummeldung over as XMeld and acknowledges all open cases in one step', async () => {
    await page.getByRole('link', { name: 'Übergabe', exact: true }).click();
    await poll(() => h1(page)).toBe('Übergabe an die Fachverfahren');
    await settle(page);
    await page.getByLabel('Verfahren').selectOption({ label: 'Ummeldung (Meldebehörde / Bürgerbüro)' });
    await poll(() => page.getByText('Noch keine Übergaben für dieses Verfahren.').count()).toBe(1);
    await page.getByRole('button', { name: /Übergabe erstellen/ }).click();
    await poll(() => h1(page)).toBe('Übergabe: Ummeldung');
    await poll(() => page.locator('table.handover-cases tbody tr').count()).toBe(1);
    expect(await page.locator('ul.files').textContent()).toMatch(/\.xml herunterladen/);
    await page.getByRole('button', { name: 'Alle 1 offenen Vorgänge als übernommen quittieren' }).click();
    await poll(() => page.locator('.batch-status').textContent()).toBe('Quittiert');
    expect(await page.locator('table.handover-cases tbody tr').first().textContent()).toContain('Übergeben');
  });

  it('shows no earlier search results to the next login in the same tab', async () => {
    await search('Meier');
    await page.getByRole('button', { name: 'Abmelden' }).click();
    await poll(() => h1(page)).toBe('Anmeldung');
    await login(page, server, clerk, { again: true });
    await page.getByRole('link', { name: 'Melderegister', exact: true }).click();
    await poll(() => h1(page)).toBe('Melderegister durchsuchen');
    expect(await page.locator('table.register-hits').count()).toBe(0);
    expect(await page.getByLabel('Familienname').inputValue()).toBe('');
  });
});
