import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { beispielHaushalt } from '../../src/procedures/haushalt/fixtures.js';
import { writeBudgetCsv } from '../../src/procedures/haushalt/server/csv.js';
import { writeBudgetXlsx } from '../../src/procedures/haushalt/server/xlsx.js';
import { gesamtplan } from '../../src/procedures/haushalt/totals.js';
import { pdfText } from '../pdf.js';
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
 * The Kämmerei in the browser (issue 15): a draft for next year is created, a CSV with row errors
 * is refused with the errors listed, the XLSX of the sample budget is imported and its
 * Gesamtergebnisplan shows the hand-checked Jahresergebnis; a Teilplan's lines open by keyboard;
 * the draft goes through Aufstellung, Bestätigung, Ratsbeschluss and Anzeige on its case; the
 * Gesamtplan is printed as PDF. axe (WCAG 2.1 A/AA) on every page.
 */
const d = chromiumAvailable ? describe : describe.skip;
const JAHR = new Date().getFullYear() + 1;

d('Kämmerei im Browser: Haushaltsentwurf einlesen, freigeben, drucken', { timeout: 90_000 }, () => {
  let server: E2EServer;
  let browser: Browser;
  let page: Page;
  let clerk: EnrolledClerk;
  let planUrl = '';

  beforeAll(async () => {
    server = await startServer();
    clerk = await enrolledClerk(server, {
      username: 'k.kaemmerei',
      displayName: 'Karla Kämmerin',
      grants: (['sachbearbeitung', 'leitung', 'buergermeister', 'ratsbuero'] as const).map((role) => ({
        authorityAgs: '05970040',
        officeType: 'kaemmerei' as const,
        role,
      })),
    });
    browser = await launchBrowser();
    page = await (await newContext(browser)).newPage();
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('logs in and creates the draft of next year', async () => {
    await login(page, server, clerk);
    await page.getByRole('link', { name: 'Haushalt', exact: true }).click();
    await poll(() => h1(page)).toBe('Haushalt');
    await poll(() => page.getByText('Noch kein Haushaltsplan angelegt.').count()).toBe(1);
    await expectNoAxeViolations(page, 'der Liste der Haushaltspläne');
    await page.getByRole('button', { name: 'Entwurf anlegen' }).click();
    await poll(() => h1(page)).toBe(`Haushaltsplan ${JAHR} – Siegen`);
    planUrl = page.url();
    expect(await page.locator('.plan-state').textContent()).toContain('Entwurf');
  });

  it('refuses a CSV with row errors and lists them, then imports the XLSX with the expected totals', async () => {
    const bad = writeBudgetCsv(JAHR, beispielHaushalt()).replace(';Ergebnisplan;10;', ';Ergebnisplan;99;');
    await page
      .locator('#haushalt-datei')
      .setInputFiles({ name: 'entwurf.csv', mimeType: 'text/csv', buffer: Buffer.from(bad) });
    await page.getByRole('button', { name: 'Datei einlesen' }).click();
    await poll(() => page.locator('.import-errors li').count()).toBe(1);
    expect(await page.locator('.import-errors').textContent()).toContain(
      'Zeile 3, Zeile: Im Ergebnisplan gibt es die Zeilen 1 bis 19',
    );
    await expectNoAxeViolations(page, 'den Zeilenfehlern des Imports');
    await shot(page, '60-haushalt-importfehler');

    const zeilen = beispielHaushalt();
    const xlsx = await writeBudgetXlsx(
      {
        authorityName: 'Siegen',
        authorityAgs: '05970040',
        haushaltsjahr: JAHR,
        versionNo: 1,
        statusLabel: 'Entwurf',
        createdAt: new Date(),
      },
      zeilen,
      gesamtplan(zeilen),
    );
    await page.locator('#haushalt-datei').setInputFiles({
      name: `haushalt-${JAHR}.xlsx`,
      mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      buffer: xlsx,
    });
    await page.getByRole('button', { name: 'Datei einlesen' }).click();
    await poll(async () => (await page.getByRole('status').allTextContents()).join(' ')).toContain(
      'Fassung 1 eingelesen (22 Zeilen).',
    );
    const jahres = page.locator('table.gesamtergebnisplan tr.jahresergebnis');
    await poll(() => jahres.textContent()).toContain('1.952.000,00');
    expect(await page.locator('table.gesamtfinanzplan tr.aenderungFinanzmittel').textContent()).toContain(
      '1.215.000,00',
    );
    await expectNoAxeViolations(page, 'dem eingelesenen Haushaltsplan');
    await shot(page, '61-haushalt-gesamtplan');
  });

  it('opens the lines of a Teilplan by keyboard', async () => {
    await page.getByRole('button', { name: 'Teilplan 06 anzeigen' }).focus();
    await page.keyboard.press('Enter');
    const rows = page.locator('table.teilplan-zeilen tbody tr');
    await poll(() => rows.count()).toBe(4);
    expect(await page.locator('table.teilplan-zeilen').textContent()).toContain('Neubau Kita „Am Häusling“');
    await expectNoAxeViolations(page, 'den Zeilen eines Teilplans');
  });

  it('goes through Aufstellung, Bestätigung, Ratsbeschluss and Anzeige on the case', async () => {
    await page.getByRole('link', { name: /^Vorgang HH / }).click();
    await poll(() => h1(page)).toMatch(/^Vorgang HH /);
    await poll(() => page.locator('.panel-haushaltsplan').textContent()).toContain('Entwurf');
    const act = async (label: string, fill?: () => Promise<void>) => {
      await page.getByRole('button', { name: label, exact: true }).click();
      await settle(page);
      await fill?.();
      await page.getByRole('button', { name: `${label} ausführen` }).click();
    };
    await act('Aufstellen (Kämmerer)');
    await poll(() => page.locator('.case-head').textContent()).toContain('Vom Kämmerer aufgestellt');
    await poll(() => page.locator('.panel-haushaltsplan').textContent()).toContain(
      'Freigegeben wird Fassung 1',
    );
    await act('Bestätigen (Bürgermeister)');
    await poll(() => page.locator('.case-head').textContent()).toContain('Vom Bürgermeister bestätigt');
    await act('Ratsbeschluss erfassen', async () => {
      await page.getByLabel('Tag des Beschlusses').fill(germanDate(0));
      await page.getByLabel('Sitzung und Tagesordnungspunkt').fill('Rat der Stadt Siegen, TOP 4');
    });
    await poll(() => page.locator('.case-head').textContent()).toContain('Vom Rat beschlossen');
    await act('Anzeige an die Aufsicht erfassen', async () => {
      await page.getByLabel('Tag der Anzeige').fill(germanDate(0));
      await page.getByLabel('Aufsichtsbehörde').fill('Landrat des Kreises Siegen-Wittgenstein');
    });
    await poll(() => page.locator('.case-head').textContent()).toContain('Der Aufsichtsbehörde angezeigt');
    await expectNoAxeViolations(page, 'dem angezeigten Haushaltsplan');
    await shot(page, '62-haushalt-vorgang-angezeigt');
  });

  it('prints the Gesamtergebnis- and Gesamtfinanzplan of the approved version', async () => {
    await page.goto(planUrl);
    await poll(() => h1(page)).toBe(`Haushaltsplan ${JAHR} – Siegen`);
    await poll(() => page.locator('.plan-state').textContent()).toContain('Der Aufsichtsbehörde angezeigt');
    expect(await page.locator('#haushalt-datei').count()).toBe(0);
    const pdf = await openPdf(page, server, /Gesamtplan als PDF \(Fassung 1\)/);
    const text = await pdfText(pdf);
    expect(text).toContain(`Gesamtergebnisplan und Gesamtfinanzplan ${JAHR}`);
    expect(text).toContain('1.952.000,00');
    expect(text).toContain('Der Aufsichtsbehörde angezeigt');
    await expectNoAxeViolations(page, 'dem Haushaltsplan nach der Anzeige');
  });
});
