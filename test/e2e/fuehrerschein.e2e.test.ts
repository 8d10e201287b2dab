import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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
 * The Fahrerlaubnisbehörde in the browser (issue 12, driving licences): a BF17 application is
 * recorded from the generated form with a named companion, the class check shows the minimum age,
 * the fee is paid in cash (cash receipt), the Prüfungsbescheinigung / Vorläufiger Nachweis is
 * issued and opened as PDF (umlauts in the text), the case is handed over as CSV and
 * acknowledged; the counter page computes an overdue exchange deadline and refuses a wrong check
 * digit, by keyboard. axe (WCAG 2.1 A/AA) on every new page.
 */
const d = chromiumAvailable ? describe : describe.skip;
const field = (page: Page, id: string) => page.locator(`#feld-${id}`);

/** TT.MM.JJJJ of the day `years` years and `days` days ago (Berlin). */
function yearsAgo(years: number, days: number): string {
  const [dd, mm, yyyy] = germanDate(-days).split('.');
  return `${dd}.${mm}.${Number(yyyy) - years}`;
}

d('Fahrerlaubnisbehörde im Browser: BF17 bis zur Übergabe, Umtauschfrist', { timeout: 90_000 }, () => {
  let server: E2EServer;
  let browser: Browser;
  let page: Page;
  let clerk: EnrolledClerk;

  beforeAll(async () => {
    server = await startServer();
    clerk = await enrolledClerk(server, {
      username: 'f.fahrerlaubnis',
      displayName: 'Fenja Fahrerlaubnis',
      grants: [{ authorityAgs: '05970000', officeType: 'fahrerlaubnisbehoerde', role: 'sachbearbeitung' }],
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

  it('records a BF17 application with a companion and shows the class check and the fee', async () => {
    await page.goto(`${server.url}/vorgaenge/neu/fahrerlaubnis_ersterteilung`);
    await poll(() => h1(page)).toBe('Neuer Vorgang: Ersterteilung / Erweiterung der Fahrerlaubnis');
    await settle(page);
    const text = (id: string, value: string) => field(page, id).locator('input').fill(value);
    await text('bewerber-familienname', 'Müßig');
    await text('bewerber-vornamen', 'Lea');
    await text('bewerber-geburtsdatum', yearsAgo(17, 60));
    await text('bewerber-geburtsort', 'Kreuztal');
    await text('anschrift-strasse', 'Koblenzer Straße');
    await text('anschrift-hausnummer', '73');
    await text('anschrift-plz', '57072');
    await text('anschrift-ort', 'Siegen');
    await text('antrag-antragsdatum', germanDate(0));
    await text('antrag-klassen', 'B');
    await field(page, 'antrag-begleitetesFahren').getByRole('radio', { name: 'Ja' }).check();
    await page.getByRole('button', { name: 'Begleitperson hinzufügen' }).click();
    await text('begleitpersonen-0-familienname', 'Müßig');
    await text('begleitpersonen-0-vornamen', 'Bärbel');
    await text('begleitpersonen-0-geburtsdatum', '03.03.1975');
    await text('begleitpersonen-0-klasseBSeit', '01.06.1993');
    await text('begleitpersonen-0-punkte', '0');
    await expectNoAxeViolations(page, 'dem Antragsformular');
    await page.getByRole('button', { name: /Antrag erfassen und speichern/ }).click();

    await poll(() => h1(page)).toMatch(/^Vorgang FE \d+\//);
    await poll(() => page.locator('.panel-fe-pruefung').textContent()).toContain('Begleitetes Fahren ab 17');
    expect(await page.locator('.panel-fe-pruefung').textContent()).toContain('nur in Begleitung');
    await poll(() => page.locator('.fee-total').textContent()).toMatch(/^\d+,\d{2}\s€$/);
    await expectNoAxeViolations(page, 'dem erfassten Antrag');
    await shot(page, '50-fahrerlaubnis-antrag');
  });

  it('books the fee in cash and opens the cash receipt', async () => {
    await page.getByRole('button', { name: 'Gebühr bar bezahlt', exact: true }).click();
    await page.getByRole('button', { name: 'Gebühr bar bezahlt ausführen' }).click();
    await poll(() => page.locator('.case-head').textContent()).toContain('Gebühr bezahlt');
    await poll(() => page.locator('.panel-fe-gebuehr .payment').textContent()).toContain('Beleg-Nr. 1');
    await openPdf(page, server, /Kassenquittung öffnen/);
  });

  it('issues the Prüfungsbescheinigung by keyboard and opens the PDF', async () => {
    await page.getByRole('button', { name: 'Vorläufigen Nachweis ausstellen', exact: true }).click();
    const form = page.locator('form.action-form');
    await form.getByLabel('Ausgestellt am').fill(germanDate(0));
    await form.getByLabel('Praktische Prüfung bestanden am').fill(germanDate(0));
    await form.getByLabel('Neue Führerscheinnummer').fill('B072RRE2I55');
    await form.getByRole('button', { name: 'Vorläufigen Nachweis ausstellen ausführen' }).focus();
    await page.keyboard.press('Enter');
    await poll(() => page.locator('.case-head').textContent()).toContain('Vorläufiger Nachweis ausgestellt');
    await poll(() => page.locator('.panel-fe-nachweis').textContent()).toContain('Müßig, Bärbel');
    const pdf = await openPdf(page, server, /Vorläufiger Nachweis der Fahrberechtigung öffnen/);
    const text = await pdfText(pdf);
    expect(text).toContain('Prüfungsbescheinigung zum „Begleiteten Fahren ab 17 Jahre"');
    expect(text).toContain('Müßig, Lea');
    expect(text).toContain('Führerscheinnummer: B072RRE2I55');
    await expectNoAxeViolations(page, 'dem ausgestellten Nachweis');
    await shot(page, '51-fahrerlaubnis-nachweis');
  });

  it('hands the case over as CSV and acknowledges it', async () => {
    await page.getByRole('link', { name: 'Übergabe', exact: true }).click();
    await poll(() => h1(page)).toBe('Übergabe an die Fachverfahren');
    await settle(page);
    await page.getByLabel('Verfahren').selectOption({
      label: 'Ersterteilung / Erweiterung der Fahrerlaubnis (Straßenverkehrsamt – Fahrerlaubnisbehörde)',
    });
    await poll(() => page.getByText('Noch keine Übergaben für dieses Verfahren.').count()).toBe(1);
    await page.getByRole('button', { name: /Übergabe erstellen/ }).click();
    await poll(() => h1(page)).toBe('Übergabe: Ersterteilung / Erweiterung der Fahrerlaubnis');
    await poll(() => page.locator('table.handover-cases tbody tr').count()).toBe(1);
    expect(await page.locator('ul.files').textContent()).toMatch(/fahrerlaubnis-ersterteilung-05970000\.csv/);
    await expectNoAxeViolations(page, 'der Übergabe');
    await page.getByRole('button', { name: 'Alle 1 offenen Vorgänge als übernommen quittieren' }).click();
    await poll(() => page.locator('.batch-status').textContent()).toBe('Quittiert');
  });

  it('computes an overdue exchange deadline and checks a Führerscheinnummer on the counter page, by keyboard', async () => {
    await page.getByRole('link', { name: 'Umtauschfristen', exact: true }).click();
    await poll(() => h1(page)).toBe('Umtauschfristen und Führerscheinnummern');
    await settle(page);
    await field(page, 'geburtsdatum').locator('input').focus();
    await page.keyboard.type('14.07.1966');
    await field(page, 'ausgestellt').locator('input').focus();
    await page.keyboard.type('12.05.1987');
    await page.keyboard.press('Enter');
    await poll(() => page.locator('.fe-frist-ergebnis').textContent()).toContain(
      'Umtausch bis 19.01.2024 – überfällig',
    );
    await field(page, 'nummer').locator('input').focus();
    await page.keyboard.type('B072RRE2I45');
    await page.keyboard.press('Enter');
    await poll(() => page.locator('.fe-nummer-ergebnis').textContent()).toContain('Prüfziffer stimmt nicht');
    await expectNoAxeViolations(page, 'den Umtauschfristen');
    await shot(page, '52-umtauschfristen');
  });
});
