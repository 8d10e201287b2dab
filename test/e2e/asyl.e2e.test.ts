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
} from './fachverfahren-support.js';
import { chromiumAvailable, type E2EServer, settle } from './support.js';

/**
 * The AsylbLG family in the browser (issue 13, item 2), lean: the head of a Sozialamt sets up an
 * Unterkunft, records a Zuweisung from the generated form, gives the person a place, decides the
 * benefits and sees the calculation with the § 2 date; the Bescheid opens as PDF. axe (WCAG 2.1
 * A/AA) on every new page.
 */
const d = chromiumAvailable ? describe : describe.skip;

d('AsylbLG im Browser: Zuweisung, Unterbringung, Bewilligung', { timeout: 90_000 }, () => {
  let server: E2EServer;
  let page: Page;
  let clerk: EnrolledClerk;
  clerkInBrowser(
    {
      username: 's.sozialamt',
      displayName: 'Selma Sozialamt',
      grants: [{ authorityAgs: '05970040', officeType: 'sozialamt', role: 'leitung' }],
    },
    (s) => {
      ({ server, page, clerk } = s);
    },
  );

  it('sets up an Unterkunft with places', async () => {
    await login(page, server, clerk);
    await page.getByRole('link', { name: 'Unterkünfte', exact: true }).click();
    await poll(() => h1(page)).toBe('Unterkünfte und Plätze');
    await settle(page);
    await page.getByLabel('Name').fill('Übergangsheim Lindenplatz');
    await page.getByLabel('Anschrift').fill('Am Lindenplatz 3, 57076 Siegen');
    await page.getByLabel('Plätze').fill('2');
    await page.getByRole('button', { name: 'Anlegen' }).click();
    await poll(() => page.locator('table.asyl-unterkuenfte tbody tr').count()).toBe(1);
    await page.getByLabel('Neue Anzahl der Plätze').fill('3');
    await page.getByRole('button', { name: 'Plätze ändern' }).click();
    await poll(() => page.locator('table.asyl-unterkuenfte tbody tr td').nth(1).textContent()).toBe('3');
    await expectNoAxeViolations(page, 'den Unterkünften');
  });

  it('records a Zuweisung, houses the person, decides and shows the calculation with the § 2 date', async () => {
    await page.goto(`${server.url}/vorgaenge/neu/asyl_leistungen`);
    await poll(() => h1(page)).toBe('Neuer Vorgang: Leistungen nach dem AsylbLG (Zuweisung)');
    await settle(page);
    const text = (id: string, value: string) => field(page, id).locator('input').fill(value);
    await text('zuweisung-zuweisungsdatum', germanDate(-3));
    await text('zuweisung-zuweisendeStelle', 'Bezirksregierung Arnsberg');
    await text('zuweisung-bescheidAktenzeichen', 'ZW 4711/26');
    await text('zuweisung-bescheidDatum', germanDate(-5));
    await text('zuweisung-herkunftsland', 'Syrien');
    await text('personen-0-familienname', 'Haddad');
    await text('personen-0-vornamen', 'Jörg Ömer');
    await text('personen-0-geburtsdatum', '02.02.1988');
    await text('personen-0-staatsangehoerigkeit', 'syrisch');
    await text('personen-0-aufenthaltSeit', '15.12.2023');
    await field(page, 'personen-0-wohnsituation')
      .locator('select')
      .selectOption({ label: 'Persönlicher Wohnraum, weitere Räume geteilt (§ 42a Abs. 2 S. 3 SGB XII)' });
    await text('anschrift-strasse', 'Am Lindenplatz');
    await text('anschrift-hausnummer', '3');
    await text('anschrift-plz', '57076');
    await text('anschrift-ort', 'Siegen');
    await field(page, 'zahlung-weg').locator('select').selectOption({ label: 'Barauszahlung (Kasse)' });
    await expectNoAxeViolations(page, 'dem Zuweisungsformular');
    await page.getByRole('button', { name: /Zuweisung erfassen/ }).click();

    await poll(() => h1(page)).toMatch(/^Vorgang AS \d+\//);
    await page.locator('#asyl-unterkunft').selectOption({ index: 0 });
    await page.getByRole('button', { name: 'Platz zuweisen' }).click();
    await poll(() => page.locator('.asyl-belegung').textContent()).toContain(
      'Übergangsheim Lindenplatz, Platz 1',
    );
    await page.getByRole('button', { name: 'Bewilligen' }).click();
    await poll(() => page.locator('.case-head').textContent()).toContain('Leistungen bewilligt');
    await poll(() => page.locator('.asyl-summe').textContent()).toMatch(/^\d+,\d{2}\s€$/);
    expect(await page.locator('.asyl-wechsel').textContent()).toContain('ab 15.12.2026');
    await expectNoAxeViolations(page, 'dem bewilligten Fall');
    await page
      .locator('#asyl-wohn-0')
      .selectOption({ label: 'Wohnung ohne Partner (allein, mit Kindern, bei Eltern)' });
    await page.locator('#asyl-grund').fill('Umzug in eine Wohnung');
    await page.getByRole('button', { name: 'Änderung bescheiden' }).click();
    await poll(() => page.locator('.panel-asyl-berechnung').textContent()).toContain(
      'Wohnung ohne Partner(in)',
    );
    const pdf = await openPdf(page, server, /Bescheid über Leistungen nach dem AsylbLG/);
    const t = await pdfText(pdf);
    expect(t).toContain('Haddad, Jörg Ömer');
    expect(t).toContain('Rechtsbehelfsbelehrung');
  });
});
