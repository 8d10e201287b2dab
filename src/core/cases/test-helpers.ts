import { randomUUID } from 'node:crypto';
import { expect } from 'vitest';
import type { TestContext, TestUser } from '../../../test/harness.js';
import { verlustanzeigeDaten } from '../../procedures/verlustanzeige/fixtures.js';

/** Test helper: records a Verlustanzeige over HTTP (201 expected) and returns the case view. */
export async function recordVerlustanzeige(
  ctx: TestContext,
  clerk: TestUser,
  authorityAgs: string,
  data: Parameters<typeof verlustanzeigeDaten>[0],
): Promise<{ id: string; aktenzeichen: string }> {
  const res = await ctx.app.inject({
    method: 'POST',
    url: '/api/cases',
    headers: { ...clerk.headers, 'idempotency-key': randomUUID() },
    payload: { procedureId: 'verlustanzeige', authorityAgs, data: verlustanzeigeDaten(data) },
  });
  expect(res.statusCode).toBe(201);
  return res.json();
}

/** Test helper: POST /api/cases/search as the clerk (200 expected); returns the answer. */
export async function searchCases(
  ctx: TestContext,
  clerk: TestUser,
  body: object,
): Promise<{ total: number; items: Array<{ id: string; authorityAgs: string }> }> {
  const res = await ctx.app.inject({
    method: 'POST',
    url: '/api/cases/search',
    headers: clerk.headers,
    payload: body,
  });
  expect(res.statusCode).toBe(200);
  return res.json();
}
