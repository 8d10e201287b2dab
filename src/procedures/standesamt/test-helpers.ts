import { randomUUID } from 'node:crypto';
import type { TestContext, TestUser } from '../../../test/harness.js';

/** Small HTTP helpers for the civil-registry tests. */
export const SIEGEN = '05970040';
export const OLPE = '05966024';

export function api(ctx: TestContext) {
  const create = (user: TestUser, procedureId: string, data: unknown, authorityAgs = SIEGEN) =>
    ctx.app.inject({
      method: 'POST',
      url: '/api/cases',
      headers: { ...user.headers, 'idempotency-key': randomUUID() },
      payload: { procedureId, authorityAgs, data } as object,
    });
  const act = (user: TestUser, id: string, action: string, expectedVersion: number, payload?: unknown) =>
    ctx.app.inject({
      method: 'POST',
      url: `/api/cases/${id}/actions/${action}`,
      headers: { ...user.headers, 'idempotency-key': randomUUID() },
      payload: { expectedVersion, ...(payload !== undefined ? { payload } : {}) },
    });
  const get = (user: TestUser, id: string) =>
    ctx.app.inject({ method: 'GET', url: `/api/cases/${id}`, headers: user.headers });
  /** Marks every required document received. */
  const allDocuments = async (
    user: TestUser,
    c: { id: string; version: number; data: { unterlagen: Array<{ id: string }> } },
  ) => {
    const res = await act(user, c.id, 'unterlagen_erfassen', c.version, {
      eingegangen: c.data.unterlagen.map((u) => u.id),
    });
    if (res.statusCode !== 200) throw new Error(`unterlagen_erfassen: ${res.statusCode} ${res.body}`);
    return res.json();
  };
  return { create, act, get, allDocuments };
}

export { pdfText } from '../../../test/pdf.js';
