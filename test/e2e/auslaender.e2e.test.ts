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
 * The Ausländerbehörde in the browser (issue 14, item 6), lean: a clerk records an extension
 * application from the generated form, sees the § 81 effect with its reason, issues the
 * Fiktionsbescheinigung and opens its PDF (umlauts, employment line), then opens the Ablaufliste,
 * widens it, sorts it and prints it. axe (WCAG 2.1 A/AA) on every new page.
 */
const d = chromiumAvailable ? describe : describe.skip;

d('Ausländerbehörde im Browser: Fiktionsbescheinigung und Ablaufliste', { timeout: 90_000 }, () => {
  let server: E2EServer;
  let page: Page;
  let clerk: EnrolledClerk;
  clerkInBrowser(
    {
      username: 'a.abh',
      displayName: 'Ayşe Ausländerbehörde',
      grants: [{ authorityAgs: '05970000', officeType: 'auslaenderbehoerde', role: 'sachbearbeitung' }],
    },
    (s) => {
      ({ server, page, clerk } = s);
    },
  );

  it('records an extension application and issues the Fiktionsbescheinigung with its PDF', async () => {
    // The clerk's first page is the Ablaufliste; the worklist is one link away.
    await login(page, server, clerk, { landing: 'Ablaufliste' });
    await page.getByRole('link', { name: 'Arbeitsliste', exact: true }).click();
    await poll(() => h1(page)).toBe('Arbeitsliste');
    await page.goto(`${server.url}/vorgaenge/neu/aufenthaltstitel_antrag`);
    await poll(() => h1(page)).toBe(
      'Neuer Vorgang: Aufenthaltstitel: Antrag auf Erteilung oder Verlängerung',
    );
    await settle(page);
    const text = (id: string, value: string) => field(page, id).locator('input').fill(value);
    const choose = (id: string, label: string) => field(page, id).locator('select').selectOption({ label });
    await text('person-familienname', 'Kovalenko-Müller');
    await text('person-vornamen', 'Oleksandr Jürgen');
    await text('person-geburtsdatum', '12.04.1990');
    await text('person-geburtsort', 'Charkiw');
    await choose('person-geschlecht', 'männlich');
    await text('person-staatsangehoerigkeit', 'ukrainisch');
    await text('pass-nummer', 'FX123456');
    await text('pass-ausstellerstaat', 'Ukraine');
    await text('pass-gueltigBis', '31.01.2030');
    await choose(
      'bisher-status',
      'Aufenthaltstitel (Aufenthaltserlaubnis, Blaue Karte EU, Niederlassungserlaubnis …)',
    );
    await choose(
      'bisher-titel',
      'Aufenthaltserlaubnis nach § 18b AufenthG (Fachkräfte mit akademischer Ausbildung)',
    );
    await text('bisher-gueltigBis', germanDate(10));
    await choose('antrag-art', 'Verlängerung des Aufenthaltstitels');
    await choose(
      'antrag-titel',
      'Aufenthaltserlaubnis nach § 18b AufenthG (Fachkräfte mit akademischer Ausbildung)',
    );
    await text('antrag-antragsdatum', germanDate(0));
    await text('anschrift-strasse', 'Koblenzer Straße');
    await text('anschrift-hausnummer', '7');
    await text('anschrift-plz', '57072');
    await text('anschrift-ort', 'Siegen');
    await text('arbeitgeber-name', 'Südwestfälische Maschinenbau GmbH');
    await text('arbeitgeber-ort', 'Kreuztal');
    await expectNoAxeViolations(page, 'dem Antragsformular');
    await page.getByRole('button', { name: /Antrag erfassen/ }).click();

    await poll(() => h1(page)).toMatch(/^Vorgang AT \d+\//);
    await poll(() => page.locator('.panel-abh-pruefung').textContent()).toContain(
      'Der Aufenthaltstitel gilt als fortbestehend',
    );
    expect(await page.locator('.panel-abh-pruefung').textContent()).toContain('§ 81 Abs. 4 Satz 1 AufenthG');
    await expectNoAxeViolations(page, 'dem erfassten Antrag');

    await page.getByRole('button', { name: 'Fiktionsbescheinigung ausstellen', exact: true }).click();
    const form = page.locator('form.action-form');
    await form.locator('select').first().selectOption({ label: '3 Monate' });
    await form.getByRole('button', { name: 'Fiktionsbescheinigung ausstellen ausführen' }).click();
    await poll(() => page.locator('.case-head').textContent()).toContain('Fiktionsbescheinigung ausgestellt');
    await poll(() => page.locator('.panel-abh-bescheinigungen').textContent()).toContain('Erstausstellung');
    await expectNoAxeViolations(page, 'dem Fall mit Fiktionsbescheinigung');
    await shot(page, '70-auslaender-fiktion');
    const pdf = await openPdf(page, server, /Fiktionsbescheinigung \(§ 81 Abs\. 5 AufenthG\) öffnen/);
    const t = (await pdfText(pdf)).replace(/\s+/g, ' ');
    expect(t).toContain('Kovalenko-Müller');
    expect(t).toContain('Oleksandr Jürgen');
    expect(t).toContain('[X] Der Aufenthaltstitel gilt als fortbestehend (§ 81 Abs. 4 AufenthG).');
    expect(t).toContain(
      'Erwerbstätigkeit: Erwerbstätigkeit erlaubt (wie bisheriger Aufenthaltstitel nach § 18b AufenthG).',
    );
  });

  it('opens the Ablaufliste, widens and sorts it, and prints it', async () => {
    await page.getByRole('link', { name: 'Ablaufliste', exact: true }).click();
    await poll(() => h1(page)).toBe('Ablaufliste');
    await settle(page);
    // The certificate runs 3 months: not within 4 weeks, within 14.
    await poll(() => page.locator('table.abh-ablaufliste caption').textContent()).toBe('0 Einträge');
    await page.getByLabel('Zeitraum in Wochen').fill('14');
    await poll(() => page.locator('table.abh-ablaufliste tbody tr').count()).toBe(1);
    const row = await page.locator('table.abh-ablaufliste tbody tr').first().textContent();
    expect(row).toContain('Kovalenko-Müller, Oleksandr Jürgen');
    expect(row).toContain('Fiktionsbescheinigung');
    await page.getByLabel('Sortieren nach').selectOption({ label: 'Name' });
    await poll(() => page.locator('table.abh-ablaufliste tbody tr').count()).toBe(1);
    await expectNoAxeViolations(page, 'der Ablaufliste');
    await shot(page, '71-auslaender-ablaufliste');
    const pdf = await openPdf(page, server, /Drucken \(PDF\)/);
    const t = (await pdfText(pdf)).replace(/\s+/g, ' ');
    expect(t).toContain('Ablaufliste – Kreis Siegen-Wittgenstein, Ausländerbehörde');
    expect(t).toContain('Kovalenko-Müller, Oleksandr Jürgen');
  });
});
