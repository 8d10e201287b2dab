import { randomUUID } from 'node:crypto';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eheDaten } from '../../src/procedures/standesamt/fixtures.js';
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
 * The Standesamt in the browser (issue 5): a death is reported from the generated form, its
 * required documents are marked received, the confirmation of the report (for the funeral) is
 * opened as PDF, the case is registered (register number) and its provisional certificate opened;
 * a second, similar report raises the duplicate warning and is linked; the registered case is
 * exported in a handover batch (manifest, files) and acknowledged with a CSV file, after which it
 * shows as handed over — and a second export finds nothing new. The Amtsleitung creates a ceremony
 * room and a slot; a marriage books it from the free slots and is conducted (register number E).
 * Keyboard where it matters; axe (WCAG 2.1 A/AA) on every new page.
 */
const d = chromiumAvailable ? describe : describe.skip;

function berlin(at: Date): { date: string; time: string; iso: string } {
  const f = (o: Intl.DateTimeFormatOptions) =>
    new Intl.DateTimeFormat('de-DE', { timeZone: 'Europe/Berlin', ...o }).format(at);
  const date = f({ day: '2-digit', month: '2-digit', year: 'numeric' });
  const [dd, mm, yyyy] = date.split('.');
  return {
    date,
    time: f({ hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }),
    iso: `${yyyy}-${mm}-${dd}`,
  };
}
const isoToday = () => berlin(new Date()).iso;

/** A ceremony slot later today (so it can be conducted), or tomorrow morning close to midnight. */
const slot = (() => {
  const start = berlin(new Date(Date.now() + 10 * 60_000));
  const end = berlin(new Date(Date.now() + 40 * 60_000));
  if (start.iso === isoToday() && end.iso === isoToday() && end.time > start.time)
    return { date: start.date, start: start.time, end: end.time, today: true };
  return { date: berlin(new Date(Date.now() + 86_400_000)).date, start: '10:00', end: '10:30', today: false };
})();

async function fillSterbefall(page: Page): Promise<void> {
  await page.getByLabel('Familienname').fill('Weiß');
  await page.getByLabel('Vornamen').fill('Günter');
  await page.getByLabel('Geschlecht').selectOption({ label: 'männlich' });
  await page.getByLabel('Geburtsdatum').fill('17.05.1938');
  await page.getByLabel('Geburtsort').fill('Olpe');
  await page.getByLabel('Familienstand').selectOption({ label: 'verwitwet' });
  await page.getByLabel('Staatsangehörigkeit').fill('deutsch');
  await page.getByLabel('Straße und Hausnummer').fill('Löhrtor 7');
  await page.getByLabel('Postleitzahl').fill('57072');
  await page.getByLabel('Wohnort').fill('Siegen');
  await page.getByLabel('Sterbetag').fill(germanDate(-1));
  await page.getByLabel('Sterbeort').fill('Siegen');
  await page.getByLabel('Name der anzeigenden Person oder Stelle').fill('Bestattungshaus Müller GmbH');
  await page
    .getByLabel('Eigenschaft der anzeigenden Person')
    .selectOption({ label: 'Bestattungsunternehmen – schriftlich (§ 29 Abs. 2 PStG)' });
  await page.getByRole('radio', { name: 'Ja' }).check();
  await page.getByLabel('Tag der Anzeige').fill(germanDate(0));
}

async function reportDeath(page: Page, server: E2EServer): Promise<void> {
  await page.goto(`${server.url}/vorgaenge/neu/sterbefall`);
  await poll(() => h1(page)).toBe('Neuer Vorgang: Sterbefall');
  await settle(page);
  await fillSterbefall(page);
  await page.getByRole('button', { name: /Sterbefall anzeigen und speichern/ }).click();
  await poll(() => h1(page)).toMatch(/^Vorgang SF /);
}

d('Standesamt im Browser: Sterbefall bis zur Übergabe', { timeout: 60_000 }, () => {
  let server: E2EServer;
  let browser: Browser;
  let page: Page;
  let clerk: EnrolledClerk;
  let caseUrl = '';
  let aktenzeichen = '';

  beforeAll(async () => {
    server = await startServer();
    clerk = await enrolledClerk(server, {
      username: 's.standesamt',
      displayName: 'Sabine Standesbeamtin',
      grants: [
        { authorityAgs: '05970040', officeType: 'standesamt', role: 'sachbearbeitung' },
        { authorityAgs: '05970040', officeType: 'standesamt', role: 'leitung' },
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

  it('reports a death, marks the documents received by keyboard and prints the confirmation', async () => {
    await reportDeath(page, server);
    caseUrl = page.url();
    aktenzeichen = (await h1(page)).replace(/^Vorgang /, '');
    await poll(() => page.locator('.panel-unterlagen .panel-state').textContent()).toContain('Es fehlen');

    // Keyboard: each document's checkbox with Space, then the save button with Enter.
    const boxes = page.locator('.panel-unterlagen input[type=checkbox]');
    const n = await boxes.count();
    expect(n).toBeGreaterThan(0);
    for (let i = 0; i < n; i++) {
      await boxes.nth(i).focus();
      await page.keyboard.press('Space');
    }
    await page.getByRole('button', { name: 'Unterlagen speichern' }).focus();
    await page.keyboard.press('Enter');
    await poll(() => page.locator('.panel-unterlagen .panel-state').textContent()).toBe(
      'Alle Unterlagen liegen vor.',
    );

    // The confirmation of the report lets the funeral proceed: available before registration.
    await openPdf(page, server, /Bestätigung der Sterbefallanzeige öffnen/);
    await expectNoAxeViolations(page, 'dem Sterbefall mit Unterlagen');
  });

  it('registers the death with a register number and opens the provisional certificate', async () => {
    await page.getByRole('button', { name: 'Beurkunden', exact: true }).click();
    await page.getByRole('button', { name: 'Beurkunden ausführen' }).focus();
    await page.keyboard.press('Enter');
    await poll(() => page.locator('.case-head').textContent()).toContain('Beurkundet');
    await poll(() => page.locator('.register-number').textContent()).toMatch(
      new RegExp(`Registernummer S \\d+/${new Date().getFullYear()}`),
    );
    await openPdf(page, server, /Vorläufige Sterbeurkunde öffnen/);
    await expectNoAxeViolations(page, 'dem beurkundeten Sterbefall');
    await shot(page, '30-sterbefall-beurkundet');
  });

  it('lists the entry in the register book of the year', async () => {
    await page.getByRole('link', { name: 'Registerbuch' }).click();
    await poll(() => h1(page)).toBe('Registerbuch');
    const rows = page.locator('table.register-book tbody tr');
    await poll(() => rows.count()).toBe(1);
    expect(await rows.first().textContent()).toContain(aktenzeichen);
    await expectNoAxeViolations(page, 'dem Registerbuch');
    await shot(page, '35-registerbuch');
  });

  it('warns about a similar second report and links it to the first', async () => {
    await reportDeath(page, server);
    await poll(() => page.locator('.panel-duplikat h2').textContent()).toBe('Warnung: mögliches Duplikat');
    expect(await page.locator('.panel-duplikat .candidates').textContent()).toContain(aktenzeichen);
    await expectNoAxeViolations(page, 'der Duplikatwarnung');
    await shot(page, '31-sterbefall-duplikatwarnung');
    await page.getByRole('button', { name: `Mit ${aktenzeichen} verknüpfen` }).click();
    await poll(() => page.locator('.case-head').textContent()).toContain('Mit bestehendem Vorgang verknüpft');
  });

  it('exports a handover batch with manifest and files, and acknowledges it with a CSV file', async () => {
    await page.getByRole('link', { name: 'Übergabe', exact: true }).click();
    await poll(() => h1(page)).toBe('Übergabe an die Fachverfahren');
    await settle(page);
    await page.getByLabel('Verfahren').selectOption({ label: 'Sterbefall (Standesamt)' });
    await poll(() => page.getByText('Noch keine Übergaben für dieses Verfahren.').count()).toBe(1);
    await expectNoAxeViolations(page, 'der Übergabeseite');
    await page.getByRole('button', { name: /Übergabe erstellen/ }).click();

    await poll(() => h1(page)).toBe('Übergabe: Sterbefall');
    await poll(() => page.locator('.batch-status').textContent()).toContain('Exportiert');
    const rows = page.locator('table.handover-cases tbody tr');
    await poll(() => rows.count()).toBe(1);
    expect(await rows.first().textContent()).toContain(aktenzeichen);
    const manifestHref = await page
      .getByRole('link', { name: 'manifest.json herunterladen' })
      .getAttribute('href');
    const manifest = await page.context().request.get(new URL(manifestHref ?? '', server.url).toString());
    expect(manifest.status()).toBe(200);
    const m = (await manifest.json()) as {
      caseCount: number;
      files: Array<{ name: string; sha256: string }>;
    };
    expect(m.caseCount).toBe(1);
    expect(m.files.some((f) => f.name.endsWith('.xml'))).toBe(true);
    expect(m.files.some((f) => f.name.endsWith('.csv'))).toBe(true);
    expect(await page.locator('ul.files li').count()).toBe(m.files.length + 1);
    await expectNoAxeViolations(page, 'der exportierten Übergabe');
    await shot(page, '32-uebergabe-exportiert');

    // The registry software's acknowledgement, read from a file.
    await page.locator('#quittung-datei').setInputFiles({
      name: 'quittung.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from(`aktenzeichen;status;grund\n${aktenzeichen};uebernommen;\n`, 'utf8'),
    });
    await poll(() => page.locator('#feld-quittung textarea').inputValue()).toContain(
      `${aktenzeichen};uebernommen`,
    );
    await page.getByRole('button', { name: 'Quittung einlesen' }).click();
    await poll(() => page.locator('.batch-status').textContent()).toBe('Quittiert');
    await poll(() => rows.first().textContent()).toContain('Übergeben');
    expect((await page.getByRole('status').allTextContents()).join(' ')).toContain('1 übernommen');
  });

  it('shows the case as handed over and never exports it twice', async () => {
    await page.goto(caseUrl);
    await poll(() => page.locator('.panel-uebergabe').textContent()).toContain('Übergeben');
    await page.goto(`${server.url}/uebergabe`);
    await settle(page);
    await page.getByLabel('Verfahren').selectOption({ label: 'Sterbefall (Standesamt)' });
    await poll(() => page.locator('table.batches tbody tr').count()).toBe(1);
    await page.getByRole('button', { name: /Übergabe erstellen/ }).click();
    await poll(async () => (await page.getByRole('status').allTextContents()).join(' ')).toContain(
      'Nichts zu übergeben',
    );
    await shot(page, '33-uebergaben');
  });

  it('lets the Amtsleitung create a ceremony room and a slot', async () => {
    await page.getByRole('link', { name: 'Trauräume' }).click();
    await poll(() => h1(page)).toBe('Trauräume und Termine');
    await poll(() => page.getByText('Noch keine Trauräume angelegt.').count()).toBe(1);
    await settle(page);
    await page.getByLabel('Name des Raums').fill('Trauzimmer Oberes Schloss');
    await page.getByLabel('Plätze (optional)').fill('30');
    await page.getByRole('button', { name: 'Raum anlegen' }).click();
    await poll(() => page.locator('section.room h2').first().textContent()).toBe(
      'Trauzimmer Oberes Schloss (30 Plätze)',
    );
    await settle(page);
    const room = page.locator('section.room').first();
    await room.getByLabel('Datum').fill(slot.date);
    await room.getByLabel('Beginn (HH:MM)').fill(slot.start);
    await room.getByLabel('Ende (HH:MM)').fill(slot.end);
    await room.getByRole('button', { name: /^Termin in Trauzimmer/ }).click();
    await poll(() => room.locator('.slot-list').textContent()).toContain('frei');
    await expectNoAxeViolations(page, 'den Trauräumen');
    await shot(page, '34-trauraeume');
  });

  it('books the slot for a marriage from the free slots and conducts it', async () => {
    // The notice of marriage comes in over the API (its form is covered by the API tests).
    const session = await page.context().request.get(`${server.url}/api/session`);
    const { csrfToken } = (await session.json()) as { csrfToken: string };
    const created = await page.context().request.post(`${server.url}/api/cases`, {
      headers: { 'x-csrf-token': csrfToken, 'idempotency-key': randomUUID() },
      data: {
        procedureId: 'eheschliessung',
        authorityAgs: '05970040',
        data: eheDaten({ anmeldung: { datum: isoToday() } }),
      },
    });
    expect(created.status()).toBe(201);
    const { id } = (await created.json()) as { id: string };
    await page.goto(`${server.url}/vorgaenge/${id}`);
    await poll(() => h1(page)).toMatch(/^Vorgang EH /);

    const boxes = page.locator('.panel-unterlagen input[type=checkbox]');
    await poll(() => boxes.count()).toBeGreaterThan(0);
    for (let i = 0; i < (await boxes.count()); i++) await boxes.nth(i).check();
    await page.getByRole('button', { name: 'Unterlagen speichern' }).click();
    await poll(() => page.locator('.panel-unterlagen .panel-state').textContent()).toBe(
      'Alle Unterlagen liegen vor.',
    );

    const choice = page.locator('.panel-termin input[type=radio]');
    await poll(() => choice.count()).toBe(1);
    await choice.first().focus();
    await page.keyboard.press('Space');
    await expectNoAxeViolations(page, 'der Terminauswahl');
    await page.locator('.panel-termin').getByRole('button', { name: 'Termin buchen' }).click();
    await poll(() => page.locator('.panel-termin h2').textContent()).toBe('Termin der Eheschließung');
    expect(await page.locator('.panel-termin').textContent()).toContain('Trauzimmer Oberes Schloss');
    if (!slot.today) return; // Conducting waits for the day of the ceremony.
    await page.getByRole('button', { name: 'Eheschließung beurkunden', exact: true }).click();
    await page.getByRole('button', { name: 'Eheschließung beurkunden ausführen' }).click();
    await poll(() => page.locator('.case-head').textContent()).toContain('Ehe geschlossen');
    await poll(() => page.locator('.register-number').textContent()).toMatch(/Registernummer E \d+\//);
    await openPdf(page, server, /Vorläufige Eheurkunde öffnen/);
  });
});
