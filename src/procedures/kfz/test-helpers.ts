import { randomUUID } from 'node:crypto';
import type { TestContext, TestUser } from '../../../test/harness.js';
import { SIEGEN_WITTGENSTEIN, testPlateConfig } from './fixtures.js';
import type { PlateConfig } from './plates.js';

/** Small HTTP helpers for the tests of the Zulassungsstelle. */
export function kfzApi(ctx: TestContext) {
  const headers = (user: TestUser | null) => ({ ...(user?.headers ?? {}), 'idempotency-key': randomUUID() });
  const create = (user: TestUser, procedureId: string, data: unknown, authorityAgs = SIEGEN_WITTGENSTEIN) =>
    ctx.app.inject({
      method: 'POST',
      url: '/api/cases',
      headers: headers(user),
      payload: { procedureId, authorityAgs, data } as object,
    });
  const act = (user: TestUser, id: string, action: string, expectedVersion: number, payload?: unknown) =>
    ctx.app.inject({
      method: 'POST',
      url: `/api/cases/${id}/actions/${action}`,
      headers: headers(user),
      payload: { expectedVersion, ...(payload !== undefined ? { payload } : {}) },
    });
  const get = (user: TestUser | null, url: string) =>
    ctx.app.inject({ method: 'GET', url, headers: user?.headers ?? {} });
  const post = (user: TestUser | null, url: string, payload: object) =>
    ctx.app.inject({ method: 'POST', url, headers: headers(user), payload });
  const put = (user: TestUser | null, url: string, payload: object) =>
    ctx.app.inject({ method: 'PUT', url, headers: headers(user), payload });
  const configure = async (
    head: TestUser,
    config: PlateConfig = testPlateConfig(),
    authorityAgs = SIEGEN_WITTGENSTEIN,
  ) => {
    const current = (
      await get(head, `/api/kfz/kennzeichen/einstellungen?authorityAgs=${authorityAgs}`)
    ).json();
    const res = await put(head, '/api/kfz/kennzeichen/einstellungen', {
      authorityAgs,
      expectedVersion: current.version,
      config,
    });
    if (res.statusCode !== 200) throw new Error(`configure: ${res.statusCode} ${res.body}`);
    return res.json();
  };
  /** Creates a case and returns its view (throws on refusal). */
  const created = async (
    user: TestUser,
    procedureId: string,
    data: unknown,
    authorityAgs = SIEGEN_WITTGENSTEIN,
  ) => {
    const res = await create(user, procedureId, data, authorityAgs);
    if (res.statusCode !== 201) throw new Error(`create ${procedureId}: ${res.statusCode} ${res.body}`);
    return res.json();
  };
  /** Runs an action on the current version and returns the new view (throws on refusal). */
  const step = async (
    user: TestUser,
    view: { id: string; version: number },
    action: string,
    payload?: unknown,
  ) => {
    const res = await act(user, view.id, action, view.version, payload);
    if (res.statusCode !== 200) throw new Error(`${action}: ${res.statusCode} ${res.body}`);
    return res.json();
  };
  /** Takes the fee in cash, then runs the completion action (e.g. `ausser_betrieb_setzen`). */
  const paidAndDone = async (user: TestUser, view: { id: string; version: number }, completion: string) =>
    step(user, await step(user, view, 'gebuehr_bar_bezahlen', {}), completion, {});
  const caseCount = async () =>
    Number(
      (
        await ctx.handle.db
          .selectFrom('cases')
          .select((eb) => eb.fn.countAll<number | string>().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );
  return { create, act, get, post, put, configure, created, step, paidAndDone, caseCount };
}

import { pdfText as rawPdfText } from '../../../test/pdf.js';

/** The text of a PDF with line breaks folded into spaces (titles may wrap). */
export async function pdfText(buffer: Buffer | Uint8Array): Promise<string> {
  return (await rawPdfText(buffer)).replace(/\s+/g, ' ');
}
