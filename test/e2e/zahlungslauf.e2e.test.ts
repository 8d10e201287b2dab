import { createHash, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, todayInGermany } from '../../src/core/dates.js';
import { findXmlTools, schemaErrors, sepaXsd, xpath } from '../../src/core/handover/xml-tools.js';
import { zuweisungDaten } from '../../src/procedures/asyl/fixtures.js';
import {
  type EnrolledClerk,
  enrolledClerk,
  expectNoAxeViolations,
  h1,
  login,
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
 * A payment run with four eyes in the browser (issue 13, items 3 and 5), lean: two people of one
 * Sozialamt in two browser contexts. Three AsylbLG cases are decided through the API (one paid by
 * transfer, one in cash, one with an IBAN outside SEPA, which the run lists as not taken). Anna —
 * Sachbearbeitung and Amtsleitung — prepares the run on the page and is told she may not approve it; the server refuses her approval too. Bernd (Amtsleitung) sets the
 * paying account, approves, downloads the SEPA file (the SHA-256 shown on the page, the same on a
 * second download; valid against the EPC XSD), records a return with re-queueing and pays the
 * cash payment out through the cash journal. axe (WCAG 2.1 A/AA) on every page.
 */
const d = chromiumAvailable ? describe : describe.skip;
const SIEGEN = '05970040';
const { tools, missing } = findXmlTools();

/** The browser session's own API calls (cookie of the context, CSRF token of the session). */
async function apiPost(page: Page, server: E2EServer, url: string, data: object) {
  const request = page.context().request;
  const { csrfToken } = (await (await request.get(`${server.url}/api/session`)).json()) as {
    csrfToken: string;
  };
  return request.post(`${server.url}${url}`, {
    headers: { 'x-csrf-token': csrfToken, 'idempotency-key': randomUUID() },
    data,
  });
}

d('Zahlungslauf im Browser: Vorbereitung, Vier-Augen-Freigabe, SEPA-Datei', { timeout: 120_000 }, () => {
  let server: E2EServer;
  let browser: Browser;
  let anna: Page;
  let bernd: Page;
  let annaAccount: EnrolledClerk;
  let berndAccount: EnrolledClerk;
  const aktenzeichen: string[] = [];
  let runUrl = '';

  beforeAll(async () => {
    server = await startServer();
    annaAccount = await enrolledClerk(server, {
      username: 'a.sachbearbeitung',
      displayName: 'Anna Ärztin-Weiß',
      grants: [
        { authorityAgs: SIEGEN, officeType: 'sozialamt', role: 'sachbearbeitung' },
        { authorityAgs: SIEGEN, officeType: 'sozialamt', role: 'leitung' },
      ],
    });
    berndAccount = await enrolledClerk(server, {
      username: 'b.amtsleitung',
      displayName: 'Bernd Größer',
      grants: [{ authorityAgs: SIEGEN, officeType: 'sozialamt', role: 'leitung' }],
    });
    browser = await launchBrowser();
    anna = await (await newContext(browser)).newPage();
    bernd = await (await newContext(browser)).newPage();
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('decides two AsylbLG cases and sets the paying account of the Sozialamt', async () => {
    await login(anna, server, annaAccount);
    const today = todayInGermany();
    // Haddad by transfer, Öztürk in cash, Yılmaz with a Turkish IBAN: valid, but outside SEPA.
    for (const [name, weg, iban] of [
      ['Haddad', 'ueberweisung', undefined],
      ['Öztürk', 'bar', undefined],
      ['Yılmaz', 'ueberweisung', 'TR33 0006 1005 1978 6457 8413 26'],
    ] as const) {
      const data = zuweisungDaten({ familienname: name, ...(iban ? { iban } : {}) });
      data.zuweisung.zuweisungsdatum = addDays(today, -20);
      data.zuweisung.bescheidDatum = addDays(today, -25);
      for (const p of data.personen as Array<{ aufenthaltSeit: string }>)
        p.aufenthaltSeit = addDays(today, -40);
      if (weg === 'bar') data.zahlung = { weg: 'bar' } as typeof data.zahlung;
      const created = await apiPost(anna, server, '/api/cases', {
        procedureId: 'asyl_leistungen',
        authorityAgs: SIEGEN,
        data,
      });
      expect(created.status(), await created.text()).toBe(201);
      const c = (await created.json()) as { id: string; aktenzeichen: string; version: number };
      const decided = await apiPost(anna, server, `/api/cases/${c.id}/actions/bewilligen`, {
        expectedVersion: c.version,
        payload: { leistungsBeginn: data.zuweisung.zuweisungsdatum },
      });
      expect(decided.status(), await decided.text()).toBe(200);
      aktenzeichen.push(c.aktenzeichen);
    }

    await login(bernd, server, berndAccount);
    await bernd.getByRole('link', { name: 'Zahlungsläufe', exact: true }).click();
    await poll(() => h1(bernd)).toBe('Zahlungsläufe');
    await settle(bernd);
    await poll(() => bernd.getByText('Es ist noch kein Konto hinterlegt.', { exact: false }).count()).toBe(1);
    await bernd.locator('#feld-konto-name input').fill('Stadt Siegen – Sozialamt');
    await bernd.locator('#feld-konto-iban input').fill('DE02 1203 0000 0000 2020 51');
    await bernd.locator('#feld-konto-ort input').fill('Siegen');
    await bernd.getByRole('button', { name: 'Konto speichern' }).click();
    await poll(() => bernd.locator('.payment-account').textContent()).toContain(
      'DE02 1203 0000 0000 2020 51',
    );
    await expectNoAxeViolations(bernd, 'den Zahlungsläufen (Amtsleitung)');
  });

  it('Anna prepares the run and is told, and refused, that she may not approve it herself', async () => {
    await anna.getByRole('link', { name: 'Zahlungsläufe', exact: true }).click();
    await poll(() => h1(anna)).toBe('Zahlungsläufe');
    await settle(anna);
    // By keyboard: the month field is prefilled with the current month, the day with the next bank day.
    await anna.locator('#feld-ausfuehrung input').focus();
    await anna.keyboard.press('Enter');
    await poll(() => h1(anna)).toMatch(
      /^Zahlungslauf (Januar|Februar|März|April|Mai|Juni|Juli|August|September|Oktober|November|Dezember) \d{4}$/,
    );
    runUrl = anna.url();
    const runId = runUrl.split('/').pop() as string;
    const run = (await (
      await anna.context().request.get(`${server.url}/api/payment-runs/${runId}`)
    ).json()) as {
      transferCount: number;
      transferSumCents: number;
      cashCount: number;
      cashSumCents: number;
    };
    expect(run.transferCount).toBeGreaterThan(0);
    expect(run.cashCount).toBeGreaterThan(0);
    const euro = (cents: number) =>
      new Intl.NumberFormat('de-DE', { style: 'currency', currency: 'EUR' }).format(cents / 100);
    await poll(() => anna.locator('.run-transfers').textContent()).toBe(
      `${run.transferCount}, Kontrollsumme ${euro(run.transferSumCents)}`,
    );
    expect(await anna.locator('.run-status').textContent()).toBe('Vorbereitet – Freigabe ausstehend');
    const rows = anna.locator('table.payments tbody tr');
    await poll(() => rows.count()).toBe(run.transferCount + run.cashCount);
    for (const az of aktenzeichen) {
      await expect(
        anna.getByRole('link', { name: az, exact: true }).first().getAttribute('href'),
      ).resolves.toMatch(/^\/vorgaenge\/[0-9a-f-]{36}$/);
    }
    // The warning: the payment with the non-SEPA IBAN is not in the run, with the reason.
    await poll(() => anna.locator('table.payments-skipped').textContent()).toContain(
      aktenzeichen[2] as string,
    );
    expect(await anna.locator('table.payments-skipped').textContent()).toContain(
      'IBAN gehört nicht zum SEPA-Raum.',
    );
    // The page says it plainly and offers no approval.
    await poll(() => anna.locator('.four-eyes-notice').textContent()).toContain(
      'Sie haben diesen Zahlungslauf vorbereitet. Freigeben muss eine andere Person',
    );
    expect(await anna.getByRole('button', { name: /^Zahlungslauf freigeben/ }).count()).toBe(0);
    await expectNoAxeViolations(anna, 'dem vorbereiteten Lauf (Vorbereiterin)');
    await shot(anna, '80-zahlungslauf-vorbereitet');
    // The server refuses her, although she holds the Amtsleitung role.
    const refused = await apiPost(anna, server, `/api/payment-runs/${runId}/approval`, {});
    expect(refused.status()).toBe(409);
    expect(((await refused.json()) as { title: string }).title).toBe('Vier-Augen-Prinzip');
  });

  it('Bernd approves, downloads the SEPA file twice with the same SHA-256, and it validates against the EPC XSD', async () => {
    await bernd.goto(runUrl);
    await poll(() => h1(bernd)).toMatch(/^Zahlungslauf /);
    await settle(bernd);
    await bernd.getByRole('button', { name: /^Zahlungslauf freigeben/ }).click();
    await poll(() => bernd.locator('.run-status').textContent()).toBe('Freigegeben');
    expect(await bernd.locator('.run-decided').textContent()).toContain('von Bernd Größer');
    const shown = ((await bernd.locator('.sepa-sha256').textContent()) ?? '').trim();
    expect(shown).toMatch(/^[0-9a-f]{64}$/);

    const [download] = await Promise.all([
      bernd.waitForEvent('download'),
      bernd.getByRole('link', { name: /^SEPA-Datei .* herunterladen$/ }).click(),
    ]);
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'e2e-sepa-')), download.suggestedFilename());
    await download.saveAs(file);
    const bytes = fs.readFileSync(file);
    expect(createHash('sha256').update(bytes).digest('hex')).toBe(shown);
    const again = await bernd
      .context()
      .request.get(`${server.url}/api/payment-runs/${runUrl.split('/').pop()}/file`);
    expect(again.headers()['x-content-sha256']).toBe(shown);
    expect(
      createHash('sha256')
        .update(await again.body())
        .digest('hex'),
    ).toBe(shown);
    await expectNoAxeViolations(bernd, 'dem freigegebenen Lauf');
    await shot(bernd, '81-zahlungslauf-freigegeben');
    if (!tools) return console.warn(missing);
    expect(schemaErrors(tools, sepaXsd(tools), file)).toBe('');
    const sum = ((await bernd.locator('.run-transfers').textContent()) ?? '').replace(
      /^.*Kontrollsumme /,
      '',
    );
    expect(
      new Intl.NumberFormat('de-DE', { style: 'currency', currency: 'EUR' }).format(
        Number(xpath(tools, file, "string(//*[local-name()='GrpHdr']/*[local-name()='CtrlSum'])")),
      ),
    ).toBe(sum);
    expect(bytes.toString('utf8')).toContain('<Nm>Rami Haddad</Nm>');
  });

  it('records a returned transfer for the next run and pays the cash payment out through the cash journal', async () => {
    await bernd
      .getByRole('button', { name: `Rückläufer erfassen: ${aktenzeichen[0]}` })
      .first()
      .click();
    await poll(() => bernd.locator('#ruecklaeufer-titel').count()).toBe(1);
    await settle(bernd);
    await bernd.locator('#feld-rueckgabegrund select').selectOption({ label: 'AC04 – Konto aufgelöst' });
    await bernd.getByRole('button', { name: 'Rückläufer speichern' }).click();
    await poll(() =>
      bernd.getByRole('status').filter({ hasText: 'kommt in den nächsten Lauf' }).count(),
    ).toBe(1);
    await poll(() => bernd.locator('table.payments').textContent()).toContain(
      'Zurückgekommen, erneut vorgemerkt',
    );

    // The till needs the money before it can be paid out.
    const scope = `/api/cashjournal/${SIEGEN}/sozialamt`;
    const cash = await apiPost(bernd, server, `${scope}/entries`, {
      kind: 'einzahlung',
      amountCents: 500_000,
      purpose: 'Barmittel für Auszahlungen',
    });
    expect(cash.status(), await cash.text()).toBe(201);
    await bernd
      .getByRole('button', { name: `${aktenzeichen[1]} bar auszahlen (Kassenbuch)` })
      .first()
      .click();
    await poll(() => bernd.locator('table.payments').textContent()).toContain('Bar ausgezahlt');
    await expectNoAxeViolations(bernd, 'dem Lauf mit Rückläufer und Barauszahlung');
    const day = (await (await bernd.context().request.get(`${server.url}${scope}/days/today`)).json()) as {
      entries: Array<{ kind: string; reference: { type: string; label: string | null } | null }>;
    };
    expect(day.entries.filter((e) => e.kind === 'auszahlung').map((e) => e.reference?.label)).toEqual(
      expect.arrayContaining([aktenzeichen[1]]),
    );

    // From the payment to its case, and back: the case lists its payments with their runs.
    await bernd
      .getByRole('link', { name: aktenzeichen[0] as string, exact: true })
      .first()
      .click();
    await poll(() => h1(bernd)).toBe(`Vorgang ${aktenzeichen[0]}`);
    await poll(() => bernd.locator('table.case-payments').textContent()).toContain(
      'Zurückgekommen, erneut vorgemerkt',
    );
    expect(await bernd.locator('table.case-payments a').first().getAttribute('href')).toBe(
      new URL(runUrl).pathname,
    );
    await expectNoAxeViolations(bernd, 'dem Vorgang mit seinen Zahlungen');
    await bernd.locator('table.case-payments a').first().click();
    await poll(() => h1(bernd)).toMatch(/^Zahlungslauf /);

    // The list of runs: the approved run with its approver.
    await bernd.getByRole('link', { name: 'Zurück zu den Zahlungsläufen' }).click();
    await poll(() => h1(bernd)).toBe('Zahlungsläufe');
    await poll(() => bernd.locator('table.payment-runs tbody tr').count()).toBe(1);
    expect(await bernd.locator('table.payment-runs tbody tr').textContent()).toContain('Bernd Größer');
    await expectNoAxeViolations(bernd, 'der Liste der Zahlungsläufe');
    await shot(bernd, '82-zahlungslaeufe');
  });
});
