import type { TestContext, TestUser } from './harness.js';

/** A payment as `GET /api/payments/by-case/:caseId` shows it (the fields the family tests read). */
export interface CasePayment {
  id: string;
  period: string;
  amountCents: number;
  decisionRef: string;
  purpose: string;
  method: string;
}

/** The payments of a case, as the given user sees them. */
export async function paymentsOfCase(
  ctx: TestContext,
  user: TestUser,
  caseId: string,
): Promise<CasePayment[]> {
  const r = (
    await ctx.app.inject({ method: 'GET', url: `/api/payments/by-case/${caseId}`, headers: user.headers })
  ).json();
  return (r.items ?? r) as CasePayment[];
}
