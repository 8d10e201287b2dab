import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { pdfText } from '../pdf.js';
import {
  clerkInBrowser,
  type EnrolledClerk,
  expectNoAxeViolations,
  field,
  germanDate,
  h1,
  login,
  openPdf,
  poll,
  shot,
} from './fachverfahren-support.js';
import { chromiumAvailable, type E2EServer, settle } from './support.js';

/**
 * The Sozialhilfe family in the browser (issue 13, item 1), lean: a clerk of the Sozialamt records
 * an application of a Bedarfsgemeinschaft of two from the generated form, sees the calculation line
 * by line with its sources, pays a Vorschuss of half the provisional entitlement, decides it (Bewilligung from the month of the application) and opens the
 * Bescheid as PDF. axe (WCAG 2.1 A/AA) on the form and on the case page.
 */
const d = chromiumAvailable ? describe : describe.skip;

d('Sozialhilfe im Browser: Antrag, Berechnung, Bewilligung, Bescheid', { timeout: 90_000 }, () => {
  let server: E2EServer;
  let page: Page;
  let clerk: EnrolledClerk;
  clerkInBrowser(
    {
      username: 's.sozialhilfe',
      displayName: 'Sören Sozialhilfe',
      grants: [{ authorityAgs: '05970040', officeType: 'sozialamt', role: 'sachbearbeitung' }],
    },
    (s) => {
      ({ server, page, clerk } = s);
    },
  );

  it('records an application of two, shows the calculation, decides, opens the Bescheid and records an Änderung', async () => {
    await login(page, server, clerk);
    await page.goto(`${server.url}/vorgaenge/neu/sozialhilfe_leistungen`);
    await poll(() => h1(page)).toBe('Neuer Vorgang: Hilfe zum Lebensunterhalt / Grundsicherung (SGB XII)');
    await settle(page);
    const text = (id: string, value: string) => field(page, id).locator('input').fill(value);
    const select = (id: string, label: string) => field(page, id).locator('select').selectOption({ label });
    await select('antrag-leistungsart', 'Hilfe zum Lebensunterhalt (3. Kapitel SGB XII)');
    await text('antrag-antragsdatum', germanDate(-2));
    await text('personen-0-familienname', 'Weiß');
    await text('personen-0-vornamen', 'Jürgen');
    await text('personen-0-geburtsdatum', '10.01.1985');
    await select('personen-0-wohnsituation', 'Wohnung ohne Partner (allein, mit Kindern, bei Eltern)');
    await field(page, 'personen-0-alleinerziehend').getByRole('radio', { name: 'Ja' }).check();
    await page.getByRole('button', { name: 'Mitglied hinzufügen' }).click();
    await text('personen-1-familienname', 'Weiß');
    await text('personen-1-vornamen', 'Zoë');
    await text('personen-1-geburtsdatum', '01.06.2022');
    await select('personen-1-wohnsituation', 'Wohnung ohne Partner (allein, mit Kindern, bei Eltern)');
    await text('unterkunft-grundmieteCents', '400,00');
    await text('unterkunft-nebenkostenCents', '90,00');
    await text('unterkunft-heizkostenCents', '70,00');
    await field(page, 'unterkunft-warmwasserDezentral').getByRole('radio', { name: 'Nein' }).check();
    await text('anschrift-strasse', 'Kölner Straße');
    await text('anschrift-hausnummer', '7a');
    await text('anschrift-plz', '57072');
    await text('anschrift-ort', 'Siegen');
    await select('zahlung-weg', 'Barauszahlung (Kasse)');
    await expectNoAxeViolations(page, 'dem Antragsformular');
    await page.getByRole('button', { name: /Antrag erfassen/ }).click();

    await poll(() => h1(page)).toMatch(/^Vorgang SH \d+\//);
    // Provisional calculation from the application: Stufe 1 (563,00 €) + 36 % alleinerziehend
    // (202,68 €) + Stufe 6 (357,00 €) + 490,00 € Unterkunft + 70,00 € Heizung = 1.682,68 €.
    await poll(() => page.locator('.sozialhilfe-anspruch').textContent()).toMatch(/1\.682,68\s€/);
    const panel = page.locator('.panel-sozialhilfe-berechnung');
    expect(await panel.textContent()).toContain('Vorläufige Berechnung aus dem Antrag');
    expect(await panel.textContent()).toContain('§ 30 Abs. 3 Nr. 1 SGB XII');
    expect(await panel.locator('.sozialhilfe-hinweise').textContent()).toContain(
      'keine Angemessenheitsgrenze der Unterkunftskosten hinterlegt',
    );
    await expectNoAxeViolations(page, 'dem beantragten Fall');
    await shot(page, '85-sozialhilfe-berechnung');
    // A Vorschuss of half the provisional entitlement (§ 42 SGB I): 841,34 €.
    await page.locator('#sozialhilfe-anteil').fill('50');
    await poll(() => page.locator('#sozialhilfe-vorschuss-betrag').inputValue()).toBe('841,34');
    await page.locator('#sozialhilfe-vorschuss-grund').fill('Miete fällig');
    await page.getByRole('button', { name: 'Vorschuss zahlen' }).click();
    await poll(() => page.locator('.sozialhilfe-vorschuss').textContent()).toContain(
      'noch anzurechnen 841,34',
    );
    await page.getByRole('button', { name: 'Bewilligen' }).click();
    await poll(() => page.locator('.case-head').textContent()).toContain('Bewilligt');
    await poll(() => page.locator('.sozialhilfe-vorschuss').textContent()).toMatch(
      /Vorschüsse: 841,34\s€, davon angerechnet 841,34\s€/,
    );
    await poll(() => panel.textContent()).toContain('Nach dem Bescheid ab');
    await expectNoAxeViolations(page, 'dem bewilligten Fall');
    const pdf = await openPdf(page, server, /Bescheid über Leistungen nach dem SGB XII/);
    const t = (await pdfText(pdf)).replace(/\s+/g, ' ');
    expect(t).toContain('Weiß, Zoë');
    expect(t).toContain('Monatlicher Anspruch: 1.682,68 EUR');
    expect(t).toContain(
      'Gezahlte Vorschüsse von 841,34 EUR werden auf die bewilligten Leistungen angerechnet',
    );
    expect(t).toContain('Rechtsbehelfsbelehrung');

    // Änderung der Verhältnisse from this month, prefilled: the rent rises to 600,00 €.
    await page.locator('#sozialhilfe-kosten-0').fill('600,00');
    await page.locator('#sozialhilfe-grund').fill('Mieterhöhung');
    await page.getByRole('button', { name: 'Änderung bescheiden' }).click();
    await poll(() => page.locator('.sozialhilfe-anspruch').textContent()).toMatch(/1\.882,68\s€/);
    await expectNoAxeViolations(page, 'dem geänderten Fall');
  });
});
