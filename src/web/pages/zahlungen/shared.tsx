import { useMemo } from 'react';
import { type Role, roleSatisfies } from '../../../core/access.js';
import { addDays, isTargetBusinessDay, todayInGermany } from '../../../core/dates.js';
import { monatText } from '../../../core/months.js';
import type { PaymentAccountView, PaymentRunView, PaymentView } from '../../../core/payments/service.js';
import { WEB_FAMILIES } from '../../families.js';
import { formatDate } from '../../format.js';
import { officeLabel } from '../../labels.js';
import { useSession } from '../../session.js';

/** Shapes of the payment API (src/server/routes/payments.ts) and helpers of the payment pages. */
export type Run = PaymentRunView;
export type Payment = PaymentView;
export type Account = PaymentAccountView;

/** Offices whose families contribute payments (WebFamily.paymentOffices). */
export const PAYMENT_OFFICES: ReadonlySet<string> = new Set(
  WEB_FAMILIES.flatMap((f) => f.paymentOffices ?? []),
);

/** "authorityAgs/officeType" of every office where the user holds a role and payments are made. */
export function usePaymentScopes(): string[] {
  const { session } = useSession();
  return useMemo(() => {
    const seen = new Set<string>();
    return session.user.grants
      .filter((g) => PAYMENT_OFFICES.has(g.officeType))
      .map((g) => `${g.authorityAgs}/${g.officeType}`)
      .filter((s) => !seen.has(s) && seen.add(s));
  }, [session.user.grants]);
}

/** Whether the user holds the role at the office (Amtsleitung includes Sachbearbeitung, as on the server). */
export function useHasRole(): (authorityAgs: string, officeType: string, role: Role) => boolean {
  const { session } = useSession();
  return (authorityAgs, officeType, role) =>
    session.user.grants.some(
      (g) =>
        g.authorityAgs === authorityAgs && g.officeType === officeType && roleSatisfies(g.role as Role, role),
    );
}

export function scopeLabel(scope: string, names: Map<string, string>): string {
  const [ags = '', office = ''] = scope.split('/');
  return `${names.get(ags) ?? ags}, ${officeLabel(office)}`;
}

/** What a run pays for: "Dezember 2026" or "fällig bis 07.12.2026". */
export function runPeriod(run: Pick<Run, 'period' | 'dueUntil'>): string {
  return run.period ? monatText(run.period) : `fällig bis ${formatDate(run.dueUntil)}`;
}

/** "MM.JJJJ" or "JJJJ-MM" -> "JJJJ-MM"; anything else unchanged (the server names the error). */
export function parseMonth(text: string): string {
  const t = text.trim();
  const de = /^(\d{1,2})\.(\d{4})$/.exec(t);
  return de ? `${de[2]}-${(de[1] ?? '').padStart(2, '0')}` : t;
}

/** "JJJJ-MM" -> "MM.JJJJ". */
export function monthInput(month: string): string {
  const [y, m] = month.split('-');
  return `${m}.${y}`;
}

/** The first TARGET2 business day from today on (the earliest execution day of a run). */
export function nextBusinessDay(now: Date = new Date()): string {
  let d = todayInGermany(now);
  while (!isTargetBusinessDay(d)) d = addDays(d, 1);
  return d;
}
