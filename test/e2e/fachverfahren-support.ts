import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect } from 'vitest';
import { newTotpSecret } from '../../src/core/auth/totp.js';
import {
  axeViolations,
  createClerk,
  type E2EServer,
  germanDate,
  launchBrowser,
  newContext,
  settle,
  shot,
  startServer,
  totp,
} from './support.js';

export { germanDate, shot };

/**
 * Shared steps of the Standesamt and Meldewesen end-to-end tests (on top of support.ts): a clerk
 * whose second factor is already enrolled (the first-login enrolment is covered by
 * clerk.e2e.test.ts), login with password and TOTP, axe and screenshots.
 */
export interface EnrolledClerk {
  username: string;
  password: string;
  secret: string;
}

export async function enrolledClerk(
  server: E2EServer,
  opts: Parameters<typeof createClerk>[1],
): Promise<EnrolledClerk> {
  const account = await createClerk(server.handle, opts);
  const secret = newTotpSecret();
  await server.handle.db
    .updateTable('app_user')
    .set({ must_change_password: 0, totp_secret: secret, totp_enrolled_at: new Date().toISOString() })
    .where('username', '=', opts.username)
    .execute();
  return { ...account, secret };
}

/** The generated form's field of a schema path (FormRenderer renders `#feld-<id>`). */
export const field = (page: Page, id: string) => page.locator(`#feld-${id}`);

export interface ClerkInBrowser {
  server: E2EServer;
  browser: Browser;
  page: Page;
  clerk: EnrolledClerk;
}

/**
 * The setup of a family's lean flow: before the block's tests a server, one enrolled clerk of the
 * given office and a browser page; after them everything is closed. `use` receives them (e.g.
 * `(s) => { ({ server, page, clerk } = s); }`).
 */
export function clerkInBrowser(
  opts: Parameters<typeof createClerk>[1],
  use: (s: ClerkInBrowser) => void,
): void {
  let s: Partial<ClerkInBrowser> = {};
  beforeAll(async () => {
    const server = await startServer();
    s.server = server;
    const clerk = await enrolledClerk(server, opts);
    const browser = await launchBrowser();
    s.browser = browser;
    const page = await (await newContext(browser)).newPage();
    s = { server, browser, page, clerk };
    use(s as ClerkInBrowser);
  }, 60_000);
  afterAll(async () => {
    await s.browser?.close();
    await s.server?.close();
  });
}

export async function h1(page: Page): Promise<string> {
  return ((await page.locator('h1').first().textContent()) ?? '').trim();
}

/**
 * Logs in with password and TOTP code, by keyboard. `again`: after a logout in the same tab (no
 * reload), with the next step's code (each code works once). `landing`: the first page's title
 * (the worklist unless the user's family names a start page, WebFamily.startPage).
 */
export async function login(
  page: Page,
  server: E2EServer,
  clerk: EnrolledClerk,
  opts: { again?: boolean; landing?: string } = {},
): Promise<void> {
  if (!opts.again) await page.goto(server.url);
  await poll(() => h1(page)).toBe('Anmeldung');
  await settle(page);
  await page.getByLabel('Benutzername').focus();
  await page.keyboard.type(clerk.username);
  await page.keyboard.press('Tab');
  await page.keyboard.type(clerk.password);
  await page.keyboard.press('Enter');
  await poll(() => h1(page)).toBe('Anmeldung: zweiter Faktor');
  await settle(page);
  await page.getByLabel('Sicherheitscode').focus();
  await page.keyboard.type(totp(clerk.secret, opts.again ? 1 : 0));
  await page.keyboard.press('Enter');
  await poll(() => h1(page)).toBe(opts.landing ?? 'Arbeitsliste');
}

export async function expectNoAxeViolations(page: Page, what: string): Promise<void> {
  await settle(page);
  expect(await axeViolations(page), `axe (WCAG 2.1 A/AA) auf ${what}`).toEqual([]);
}

/** Follows a PDF link of the page with the browser's session and checks it is a PDF. */
export async function openPdf(page: Page, server: E2EServer, linkName: RegExp): Promise<Buffer> {
  const link = page.getByRole('link', { name: linkName });
  const href = await link.getAttribute('href');
  expect(href, `Link ${linkName}`).toBeTruthy();
  const res = await page.context().request.get(new URL(href ?? '', server.url).toString());
  expect(res.status()).toBe(200);
  expect(res.headers()['content-type']).toBe('application/pdf');
  const body = await res.body();
  expect(body.subarray(0, 5).toString()).toBe('%PDF-');
  return body;
}

/**
 * expect.poll with a timeout fit for a loaded CI machine (the default is one second): waits for a
 * state, never for a fixed time.
 */
export function poll<T>(fn: () => T | Promise<T>) {
  return expect.poll(fn, { timeout: 15_000, interval: 100 });
}
