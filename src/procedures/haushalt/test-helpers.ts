import { randomUUID } from 'node:crypto';
import type { TestContext, TestUser } from '../../../test/harness.js';
import { userWith } from '../../../test/harness.js';
import type { Role } from '../../core/access.js';
import { beispielHaushalt } from './fixtures.js';
import type { HaushaltsZeile } from './katalog.js';
import { writeBudgetXlsx } from './server/xlsx.js';
import { gesamtplan } from './totals.js';

/** HTTP helpers of the Kämmerei tests. */
export const SIEGEN = '05970040';
export const OLPE = '05966024';

export async function kaemmereiUsers(ctx: TestContext) {
  const at = (role: Role, displayName: string, ags = SIEGEN) =>
    userWith(ctx, [{ ags, office: 'kaemmerei', role }], { displayName });
  return {
    clerk: await at('sachbearbeitung', 'Sabine Sachbearbeiterin'),
    kaemmerer: await at('leitung', 'Klaus Kämmerer'),
    bm: await at('buergermeister', 'Steffen Bürgermeister'),
    rat: await at('ratsbuero', 'Rita Ratsbüro'),
    olpe: await at('leitung', 'Otto Olpe', OLPE),
    standesamt: await userWith(ctx, [{ ags: SIEGEN, office: 'standesamt', role: 'leitung' }]),
  };
}

export async function xlsxBase64(
  zeilen: HaushaltsZeile[] = beispielHaushalt(),
  jahr = 2027,
): Promise<string> {
  const buf = await writeBudgetXlsx(
    {
      authorityName: 'Siegen',
      authorityAgs: SIEGEN,
      haushaltsjahr: jahr,
      versionNo: 1,
      statusLabel: 'Entwurf',
      createdAt: new Date('2026-11-20T08:00:00Z'),
    },
    zeilen,
    gesamtplan(zeilen),
  );
  return buf.toString('base64');
}

export function api(ctx: TestContext) {
  const write = (user: TestUser, url: string, payload: object, key: string = randomUUID()) =>
    ctx.app.inject({ method: 'POST', url, headers: { ...user.headers, 'idempotency-key': key }, payload });
  const get = (user: TestUser, url: string) => ctx.app.inject({ method: 'GET', url, headers: user.headers });
  const createPlan = (user: TestUser, haushaltsjahr: number, authorityAgs = SIEGEN) =>
    write(user, '/api/cases', { procedureId: 'haushaltsplan', authorityAgs, data: { haushaltsjahr } });
  const importFile = (
    user: TestUser,
    planId: string,
    body: { format?: 'xlsx' | 'csv'; content: string; basedOnVersion: number; fileName?: string },
    key?: string,
  ) =>
    write(
      user,
      `/api/haushalt/plans/${planId}/import`,
      { format: body.format ?? 'xlsx', fileName: body.fileName ?? 'haushalt-2027.xlsx', ...body },
      key,
    );
  const act = (user: TestUser, id: string, action: string, expectedVersion: number, payload?: unknown) =>
    write(user, `/api/cases/${id}/actions/${action}`, {
      expectedVersion,
      ...(payload !== undefined ? { payload } : {}),
    });
  const caseOf = (user: TestUser, id: string) => get(user, `/api/cases/${id}`);
  return { write, get, createPlan, importFile, act, caseOf };
}

export { pdfText } from '../../../test/pdf.js';
