import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  axeViolations,
  chromiumAvailable,
  createClerk,
  type E2EServer,
  fillVerlustanzeige,
  firstLogin,
  launchBrowser,
  newContext,
  settle,
  shot,
  startServer,
} from './support.js';

/**
 * Administration in the browser: accounts (create with one-time password, roles and scopes,
 * lock and unlock, reset the second factor) and the authorities with their offices; axe-core
 * (WCAG 2.1 A/AA) on each page.
 */
const d = chromiumAvailable ? describe : describe.skip;

async function expectNoAxeViolations(page: Page, what: string): Promise<void> {
  await settle(page);
  expect(await axeViolations(page), `axe (WCAG 2.1 A/AA) auf ${what}`).toEqual([]);
}

d('Administration im Browser', { timeout: 90_000 }, () => {
  let server: E2EServer;
  let browser: Browser;
  let page: Page;
  const h1 = () => page.locator('h1').textContent();

  beforeAll(async () => {
    server = await startServer();
    browser = await launchBrowser();
    page = await (await newContext(browser)).newPage();
    const admin = await createClerk(server.handle, {
      username: 'admin',
      displayName: 'Administration',
      isAdmin: true,
    });
    await firstLogin(page, server.url, admin, 'Verwaltung-Olpe-2026!');
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  let oneTimePassword = '';

  it('creates an account with a role at an office and shows its one-time password once', async () => {
    await page.getByRole('link', { name: 'Benutzer', exact: true }).click();
    await expect.poll(h1).toBe('Benutzerkonten');
    await expectNoAxeViolations(page, 'der Kontenliste');
    await page.getByRole('link', { name: 'Neues Konto anlegen' }).click();
    await expect.poll(h1).toBe('Neues Konto');
    await page.getByLabel(/^Benutzername/).fill('m.beispiel');
    await page.getByLabel(/^Anzeigename/).fill('Max Beispiel');
    await page.getByRole('button', { name: 'Berechtigung hinzufügen' }).click();
    await page.getByLabel('Behörde').selectOption({ label: 'Olpe (05966024)' });
    await page.getByLabel('Amt').selectOption({ label: 'Meldebehörde / Bürgerbüro' });
    await page.getByLabel('Rolle').selectOption({ label: 'Sachbearbeitung' });
    await expectNoAxeViolations(page, 'dem Formular „Neues Konto“');
    await page.getByRole('button', { name: 'Konto anlegen' }).click();
    await expect.poll(h1).toBe('Konto angelegt');
    oneTimePassword = ((await page.locator('.one-time-password code').textContent()) ?? '').trim();
    expect(oneTimePassword.length).toBeGreaterThanOrEqual(12);
    await page.getByRole('link', { name: 'Zum Konto m.beispiel' }).click();
    await expect.poll(h1).toBe('Konto m.beispiel');
    expect(await page.locator('main').textContent()).toContain(
      'Olpe: Meldebehörde / Bürgerbüro (Sachbearbeitung)',
    );
  });

  it('locks and unlocks the account and resets its second factor', async () => {
    await page.getByRole('button', { name: 'Sperren' }).click();
    await expect.poll(() => page.locator('.case-head').textContent()).toContain('Gesperrt');
    await page.getByRole('button', { name: 'Entsperren' }).click();
    await expect.poll(() => page.locator('.case-head').textContent()).toContain('Aktiv');
    await page.getByRole('button', { name: 'Zweiten Faktor zurücksetzen' }).click();
    await expect
      .poll(() => page.getByRole('status').allTextContents())
      .toEqual(expect.arrayContaining([expect.stringContaining('Zweiten Faktor zurücksetzen: erledigt.')]));
    await expectNoAxeViolations(page, 'der Kontoseite');
    await shot(page, '09-verwaltung-konto');

    // The new person can log in with the one-time password and is asked for a new one.
    const other = await (await newContext(browser)).newPage();
    await other.goto(server.url);
    await other.getByLabel('Benutzername').fill('m.beispiel');
    await other.getByLabel('Passwort').fill(oneTimePassword);
    await other.getByRole('button', { name: 'Anmelden' }).click();
    await expect.poll(() => other.locator('h1').textContent()).toBe('Neues Passwort vergeben');
    await other.close();
  });

  it('changes the roles and scopes of an account; a wrong one is refused at its field', async () => {
    await page.getByRole('button', { name: 'Berechtigung hinzufügen' }).click();
    // Olpe (a Gemeinde) has no Zulassungsstelle: the server refuses and says so at the row.
    const rows = page.locator('fieldset.group-item');
    await rows.nth(1).getByLabel('Behörde').selectOption({ label: 'Olpe (05966024)' });
    await rows.nth(1).getByLabel('Amt').selectOption({ label: 'Straßenverkehrsamt – Zulassungsstelle' });
    await page.getByRole('button', { name: 'Berechtigungen speichern' }).click();
    await expect.poll(() => page.getByRole('alert').allTextContents()).not.toEqual([]);
    await rows.nth(1).getByLabel('Behörde').selectOption({ label: 'Kreis Olpe (05966000)' });
    await rows.nth(1).getByLabel('Rolle').selectOption({ label: 'Amtsleitung' });
    await page.getByRole('button', { name: 'Berechtigungen speichern' }).click();
    await expect
      .poll(() => page.locator('main').textContent())
      .toContain('Kreis Olpe: Straßenverkehrsamt – Zulassungsstelle (Amtsleitung)');
  });

  it('shows the authorities and their offices', async () => {
    await page.getByRole('link', { name: 'Behörden', exact: true }).click();
    await expect.poll(h1).toBe('Behörden und Ämter');
    await expect.poll(() => page.locator('tbody tr').count()).toBeGreaterThan(50);
    await expectNoAxeViolations(page, 'der Behördenliste');
    await shot(page, '10-verwaltung-behoerden');
    await page.getByRole('link', { name: 'Siegen', exact: true }).click();
    await expect.poll(h1).toBe('Siegen');
    expect(await page.locator('main').textContent()).toContain('Meldebehörde / Bürgerbüro');
    await expectNoAxeViolations(page, 'der Behördenseite');
    await page.getByRole('link', { name: 'Benutzer', exact: true }).click();
    await expect.poll(h1).toBe('Benutzerkonten');
    await shot(page, '08-verwaltung-konten');
  });

  it('lets the first administrator give themself a role and record a Verlustanzeige (fresh install)', async () => {
    await page.getByRole('link', { name: 'admin', exact: true }).click();
    await expect.poll(h1).toBe('Konto admin');
    await page.getByRole('button', { name: 'Berechtigung hinzufügen' }).click();
    await page.getByLabel('Behörde').selectOption({ label: 'Siegen (05970040)' });
    await page.getByLabel('Amt').selectOption({ label: 'Meldebehörde / Bürgerbüro' });
    await page.getByRole('button', { name: 'Berechtigungen speichern' }).click();
    await expect
      .poll(() => page.locator('main').textContent())
      .toContain('Siegen: Meldebehörde / Bürgerbüro (Sachbearbeitung)');
    await page.goto(`${server.url}/vorgaenge/neu/verlustanzeige`);
    await settle(page);
    await fillVerlustanzeige(page, 'Erstinstallation');
    await page.getByRole('button', { name: /Erfassen und speichern/ }).click();
    await expect.poll(h1).toMatch(/^Vorgang /);
  });
});
