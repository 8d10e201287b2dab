import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import AxeBuilder from '@axe-core/playwright';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import type { Role } from '../../src/core/access.js';
import { createAccount } from '../../src/core/auth/accounts.js';
import { totpCode } from '../../src/core/auth/totp.js';
import { seedDemoAuthorities } from '../../src/core/authorities/seed.js';
import type { OfficeType } from '../../src/core/offices.js';
import { type DatabaseHandle, openDatabase } from '../../src/db/database.js';
import { buildApp } from '../../src/server/app.js';
import { migrate } from '../../src/server/platform.js';

/**
 * End-to-end support: the real server (buildApp on a temporary SQLite file with the demo
 * authorities, listening on a random port) and Debian's Chromium driven by playwright-core.
 * Locally a missing /usr/bin/chromium skips the suite with a message; under CI it fails.
 */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const IS_CI = process.env.CI === 'true';
export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const WEB_ROOT = path.join(ROOT, 'dist/web');
export const SCREENSHOTS = path.join(ROOT, 'docs/screenshots');

export const chromiumAvailable = existsSync(CHROMIUM);
if (!chromiumAvailable) {
  const msg = `Chromium nicht gefunden unter ${CHROMIUM}`;
  if (IS_CI)
    throw new Error(`${msg}: unter CI müssen die End-to-End-Tests laufen (apt-get install chromium).`);
  console.warn(`\n⚠  ${msg} – End-to-End-Tests werden übersprungen (apt-get install chromium).\n`);
}

/** Builds the web app when it is missing (npm test builds it before vitest runs). */
export async function ensureWebBuilt(): Promise<void> {
  if (existsSync(path.join(WEB_ROOT, 'index.html'))) return;
  const { build } = await import('vite');
  await build({ configFile: path.join(ROOT, 'vite.config.ts'), logLevel: 'warn' });
}

export interface E2EServer {
  url: string;
  port: number;
  handle: DatabaseHandle;
  /** Stops listening (the database stays): the browser sees connection errors. */
  stop: () => Promise<void>;
  /** Listens again on the same port and database. */
  start: () => Promise<void>;
  close: () => Promise<void>;
}

export async function startServer(): Promise<E2EServer> {
  await ensureWebBuilt();
  const dir = mkdtempSync(path.join(tmpdir(), 'nb-e2e-'));
  const handle = openDatabase({ sqliteFile: path.join(dir, 'notbetrieb.sqlite') });
  await migrate(handle.db);
  await seedDemoAuthorities(handle.db, new Date());
  let app: Awaited<ReturnType<typeof buildApp>> | null = null;
  let port = 0;
  const listen = async () => {
    app = await buildApp({ config: { logLevel: 'silent' }, database: handle });
    await app.listen({ host: '127.0.0.1', port });
    port = (app.server.address() as AddressInfo).port;
  };
  await listen();
  const server: E2EServer = {
    get url() {
      return `http://127.0.0.1:${port}`;
    },
    get port() {
      return port;
    },
    handle,
    stop: async () => {
      await app?.close();
      app = null;
    },
    start: listen,
    close: async () => {
      await app?.close();
      await handle.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  return server;
}

export interface Account {
  username: string;
  password: string;
}

/** A clerk account as an administrator would create it (one-time password, no second factor yet). */
export async function createClerk(
  handle: DatabaseHandle,
  opts: {
    username: string;
    displayName: string;
    grants?: Array<{ authorityAgs: string; officeType: OfficeType; role: Role }>;
    isAdmin?: boolean;
  },
): Promise<Account> {
  const c = await createAccount(
    handle.db,
    {
      username: opts.username,
      displayName: opts.displayName,
      isAdmin: opts.isAdmin ?? false,
      grants: opts.grants ?? [],
    },
    new Date(),
  );
  return { username: opts.username, password: c.oneTimePassword };
}

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

export async function newContext(browser: Browser): Promise<BrowserContext> {
  return browser.newContext({
    locale: 'de-DE',
    timezoneId: 'Europe/Berlin',
    viewport: { width: 1280, height: 900 },
  });
}

/** The current TOTP code, or the next step's code (each code works only once). */
export function totp(secret: string, stepsAhead = 0): string {
  return totpCode(secret, new Date(Date.now() + stepsAhead * 30_000));
}

/** axe-core with the WCAG 2.1 A/AA tags; returns the violations, readable. */
export async function axeViolations(page: Page): Promise<string[]> {
  // Hover styles and their transitions are not what is being measured: move the pointer away.
  await page.mouse.move(0, 0);
  await page.waitForTimeout(400);
  const result = await new AxeBuilder({ page })
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'])
    .analyze();
  return result.violations.map(
    (v) => `${v.id} (${v.impact}): ${v.help} – ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`,
  );
}

/** Waits until the KoliBri components on the page are hydrated. */
export async function settle(page: Page): Promise<void> {
  await page.waitForLoadState('networkidle');
  // A function, not a string (the CSP forbids eval); this file has no DOM types, hence `any`.
  await page.waitForFunction(() => {
    // biome-ignore lint/suspicious/noExplicitAny: evaluated in the browser
    const doc = (globalThis as any).document;
    return [...doc.querySelectorAll('*')]
      .filter((e: { tagName: string }) => e.tagName.startsWith('KOL-'))
      .every((e: { classList: { contains: (c: string) => boolean } }) => e.classList.contains('hydrated'));
  });
}

/**
 * The first login of an account through the UI: one-time password, new password, enrolment of
 * the authenticator (secret read from the page, as a person would type it into the app),
 * recovery codes. Ends on the worklist.
 */
export async function firstLogin(
  page: Page,
  url: string,
  account: Account,
  newPassword: string,
): Promise<{ secret: string; recoveryCodes: string[] }> {
  const h1 = () => page.locator('h1').textContent();
  const until = async (text: string) => {
    for (let i = 0; i < 100 && (await h1()) !== text; i++) await page.waitForTimeout(100);
    if ((await h1()) !== text) throw new Error(`Erwartet: Seite „${text}“, ist: „${await h1()}“`);
  };
  await page.goto(url);
  await until('Anmeldung');
  await page.getByLabel('Benutzername').fill(account.username);
  await page.getByLabel('Passwort').fill(account.password);
  await page.getByRole('button', { name: 'Anmelden' }).click();
  await until('Neues Passwort vergeben');
  await page.getByLabel('Bisheriges Passwort').fill(account.password);
  await page.getByLabel('Neues Passwort', { exact: true }).fill(newPassword);
  await page.getByLabel('Neues Passwort wiederholen').fill(newPassword);
  await page.getByRole('button', { name: 'Passwort ändern' }).click();
  await until('Anmeldung: zweiten Faktor einrichten');
  await page.locator('code.secret').waitFor();
  const secret = ((await page.locator('code.secret').textContent()) ?? '').replace(/\s+/g, '');
  await page.getByLabel('Code aus der App').fill(totp(secret));
  await page.getByRole('button', { name: 'Einrichtung abschließen' }).click();
  await page.locator('.recovery-codes li').first().waitFor();
  const recoveryCodes = (await page.locator('.recovery-codes li').allTextContents()).map((c) => c.trim());
  await page.getByRole('button', { name: /Codes notiert/ }).click();
  await until('Arbeitsliste');
  return { secret, recoveryCodes };
}

/** Name of the focused element, looking into KoliBri's shadow roots: its label, aria-label or text. */
export async function focusedName(page: Page): Promise<string> {
  return page.evaluate(() => {
    // biome-ignore lint/suspicious/noExplicitAny: evaluated in the browser
    let a: any = (globalThis as any).document.activeElement;
    while (a?.shadowRoot?.activeElement) a = a.shadowRoot.activeElement;
    if (!a) return '';
    const root = a.getRootNode();
    const byIds = (a.getAttribute?.('aria-labelledby') ?? '')
      .split(/\s+/)
      .filter(Boolean)
      .map((id: string) => root.getElementById?.(id)?.textContent ?? '')
      .join(' ');
    const label =
      a.labels?.[0]?.textContent ||
      byIds ||
      (a.id ? root.querySelector?.(`label[for="${a.id}"]`)?.textContent : '') ||
      a.getAttribute?.('aria-label') ||
      a.closest?.('label')?.textContent ||
      a.textContent ||
      '';
    return `${a.tagName.toLowerCase()}:${label.replace(/\s+/g, ' ').trim()}`;
  });
}

/**
 * Presses Tab until the focused element's name matches; fails when it is not reachable by
 * keyboard within `max` steps. Names are "tag:label", e.g. "input:Familienname *".
 */
export async function tabTo(page: Page, name: RegExp, max = 80): Promise<void> {
  const seen: string[] = [];
  for (let i = 0; i < max; i++) {
    await page.keyboard.press('Tab');
    const now = await focusedName(page);
    if (name.test(now)) return;
    if (seen.length < 12) seen.push(now);
  }
  throw new Error(`Mit der Tabulatortaste nicht erreichbar: ${name} (unterwegs: ${seen.join(' | ')})`);
}

/** A date relative to today in German form (TT.MM.JJJJ). */
export function germanDate(offsetDays: number): string {
  const t = new Date(Date.now() + offsetDays * 86_400_000);
  const p = new Intl.DateTimeFormat('de-DE', {
    timeZone: 'Europe/Berlin',
    day: '2-digit',
    month: '2-digit',
    year: 'numeric',
  });
  return p.format(t);
}

/** Fills the Verlustanzeige form with a complete, valid report. */
export async function fillVerlustanzeige(page: Page, familienname: string): Promise<void> {
  await page.getByLabel('Familienname').fill(familienname);
  await page.getByLabel('Vornamen').fill('Erika');
  await page.getByLabel('Geburtsdatum').fill('12.08.1964');
  await page.getByLabel('Geburtsort').fill('Siegen');
  await page.getByLabel('Straße und Hausnummer').fill('Kölner Straße 1');
  await page.getByLabel('Postleitzahl').fill('57072');
  await page.getByLabel('Wohnort').fill('Siegen');
  await page.getByLabel('Art des Dokuments').selectOption({ label: 'Personalausweis' });
  await page.getByLabel('Verloren oder gestohlen?').selectOption({ label: 'Verloren' });
  await page.getByLabel('Datum des Verlusts').fill(germanDate(-1));
  await page.getByLabel('Ort des Verlusts').fill('Bahnhof Siegen');
  await page.getByRole('radio', { name: 'Nein' }).check();
}

/**
 * Screenshot into docs/screenshots: missing ones always, existing ones only with
 * UPDATE_SCREENSHOTS=1, so that a test run does not change committed files.
 */
export async function shot(page: Page, name: string): Promise<void> {
  const file = path.join(SCREENSHOTS, `${name}.png`);
  if (existsSync(file) && process.env.UPDATE_SCREENSHOTS !== '1') return;
  mkdirSync(SCREENSHOTS, { recursive: true });
  await settle(page);
  await page.screenshot({ path: file, fullPage: true });
}
