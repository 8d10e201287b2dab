import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SIEGEN_WITTGENSTEIN, testPlateConfig } from '../../src/procedures/kfz/fixtures.js';
import { saveConfig } from '../../src/procedures/kfz/server/plates.js';
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
 * The Zulassungsstelle in the browser (issue 12, item 7): a Neuzulassung is recorded from the
 * generated form (holder with umlauts, vehicle, eVB, SEPA mandate), a Wunschkennzeichen of the
 * emergency series is allocated on the plate panel, the Prägeschein is opened as PDF and its text
 * checked, and the Kennzeichen page lists the allocation beside the next free plate of the
 * series. axe (WCAG 2.1 A/AA) on every page. The series are set up as the Amtsleitung would
 * (saveConfig), so that the flow starts at the counter.
 */
const d = chromiumAvailable ? describe : describe.skip;
const field = (page: Page, id: string) => page.locator(`#feld-${id}`);

d('Zulassungsstelle im Browser: Neuzulassung mit Wunschkennzeichen', { timeout: 90_000 }, () => {
  let server: E2EServer;
  let browser: Browser;
  let page: Page;
  let clerk: EnrolledClerk;

  beforeAll(async () => {
    server = await startServer();
    await server.handle.db.transaction().execute((trx) =>
      saveConfig(trx, {
        authorityAgs: SIEGEN_WITTGENSTEIN,
        config: testPlateConfig(),
        actor: 'e2e',
        now: new Date(),
      }),
    );
    clerk = await enrolledClerk(server, {
      username: 'z.zulassung',
      displayName: 'Zoë Zulassung',
      grants: [
        { authorityAgs: SIEGEN_WITTGENSTEIN, officeType: 'zulassungsstelle', role: 'sachbearbeitung' },
      ],
    });
    browser = await launchBrowser();
    page = await (await newContext(browser)).newPage();
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('logs in with password and TOTP code, by keyboard', async () => {
    await login(page, server, clerk);
  });

  it('records a Neuzulassung with eVB and SEPA mandate and shows the fee', async () => {
    await page.goto(`${server.url}/vorgaenge/neu/neuzulassung`);
    await poll(() => h1(page)).toBe('Neuer Vorgang: Neuzulassung');
    await settle(page);
    const text = (id: string, value: string) => field(page, id).locator('input').fill(value);
    const pick = (id: string, label: string) => field(page, id).locator('select').selectOption({ label });
    await text('antrag-antragsdatum', germanDate(0));
    await pick('halter-art', 'Natürliche Person');
    await text('halter-familienname', 'Schäfer');
    await text('halter-vornamen', 'Jülide');
    await text('halter-geburtsdatum', '12.04.1985');
    await text('halter-strasse', 'Koblenzer Straße');
    await text('halter-hausnummer', '12a');
    await text('halter-plz', '57072');
    await text('halter-ort', 'Siegen');
    await text('fahrzeug-fin', 'WVWZZZ1KZ8W123456');
    await text('fahrzeug-herstellerschluessel', '0603');
    await text('fahrzeug-typschluessel', 'BPF');
    await text('fahrzeug-hersteller', 'Volkswagen');
    await pick('fahrzeug-fahrzeugklasse', 'M1 – Pkw');
    await pick('fahrzeug-kraftstoff', 'Benzin');
    await text('fahrzeug-naechsteHu', '12/2029');
    await pick('kennzeichen-zusatz', 'kein Zusatz');
    await text('versicherung-evb', 'E2E4711');
    await text('papiere-zb2Nummer', 'AB1234567');
    await text('sepa-kontoinhaber', 'Jülide Schäfer');
    await text('sepa-iban', 'DE89 3704 0044 0532 0130 00');
    await field(page, 'sepa-mandatErteilt').getByRole('radio', { name: 'Ja' }).check();
    await expectNoAxeViolations(page, 'dem Antragsformular der Neuzulassung');
    await page.getByRole('button', { name: /Antrag erfassen und speichern/ }).click();

    await poll(() => h1(page)).toMatch(/^Vorgang NZ \d+\//);
    await poll(() => page.locator('.fee-total').textContent()).toMatch(/^\d+,\d{2}\s€$/);
    expect(await page.locator('.case-head').textContent()).toContain('Erfasst');
    await expectNoAxeViolations(page, 'dem erfassten Antrag');
  });

  it('allocates a Wunschkennzeichen of the series and opens the Prägeschein', async () => {
    const panel = page.locator('.plate-form');
    await panel.getByRole('radio', { name: 'Wunschkennzeichen', exact: true }).check();
    await field(page, 'kennzeichen-wunsch').locator('input').fill('si-xb 123');
    await panel.getByRole('button', { name: 'Kennzeichen zuteilen' }).click();
    await poll(() => page.locator('.case-head').textContent()).toContain('Kennzeichen zugeteilt');
    await poll(() => page.locator('.panel-state strong.plate').textContent()).toBe('SI-XB 123');
    const pdf = await openPdf(page, server, /Prägeschein öffnen/);
    const text = (await pdfText(pdf)).replace(/\s+/g, ' ');
    expect(text).toContain('Prägeschein');
    expect(text).toContain('SI-XB 123');
    expect(text).toContain('Wunschkennzeichen');
    expect(text).toContain('Schäfer, Jülide');
    expect(text).toContain('Koblenzer Straße 12a, 57072 Siegen');
    await expectNoAxeViolations(page, 'dem Vorgang mit zugeteiltem Kennzeichen');
    await shot(page, '60-kfz-neuzulassung');
  });

  it('shows the allocation and the next free plate on the Kennzeichen page', async () => {
    await page.getByRole('link', { name: 'Kennzeichen', exact: true }).click();
    await poll(() => h1(page)).toBe('Kennzeichen');
    await settle(page);
    await poll(() => page.locator('table.allocations').textContent()).toContain('SI-XB 123');
    expect(await page.locator('table.allocations').textContent()).toContain('zugeteilt');
    // The wish did not move the series: the next free plate is still the first of the series.
    expect(await page.locator('table.plate-next').textContent()).toContain('SI-XA 1');
    await expectNoAxeViolations(page, 'der Seite Kennzeichen');
    await shot(page, '61-kfz-kennzeichen');
  });
});
