import type { SozialhilfeRegeln } from '../../../core/benefits/hilfe-zum-lebensunterhalt.js';
import { monatText, monthOf } from '../../../core/months.js';
import {
  benefitPayee,
  caseActionsOf,
  casesForRun,
  claimedOf,
  decisionFor,
  decisionRef,
  monthClaim,
} from '../../../core/payments/claims.js';
import type { DuePayment, PaymentSource } from '../../../core/payments/source.js';
import type { SozialhilfeDaten } from '../definition.js';
import { nameOf, OFFICE, SOZIALHILFE_ID } from '../ids.js';
import { zahlplan } from '../leistung.js';

/**
 * The Sozialhilfe family's due payments for the payment runs (core/payments, docs/PAYMENTS.md):
 *
 * - one obligation per decided case and benefit month, key `sozialhilfe:<case id>:<YYYY-MM>`, due
 *   on the first of the month, from the first month of the Bewilligung up to the run's day (and the
 *   last month of an Einstellung); amount = the month's entitlement minus the Vorschuss set off in
 *   that month (leistung.ts `zahlplan`, § 42 Abs. 2 SGB I); `decision.actionId` = the Bewilligung
 *   or Änderung in force for the month;
 * - every Vorschuss, key `sozialhilfe:<case id>:vorschuss:<n>` (n-th advance of the case), due on the day it was
 *   granted, while the case is open or decided (not after an Ablehnung: then it is to be repaid);
 * - a later decision that raises a month already claimed by a run yields the difference under
 *   `sozialhilfe:<case id>:<YYYY-MM>:nachzahlung:<decision action id>`, so no amount under a claimed
 *   key ever changes; a re-queued month is paid minus the Nachzahlungen still claimed; a lower
 *   amount is not reclaimed automatically (the clerk decides). Shared rules: core/payments/claims.ts.
 */
export function sozialhilfePayments(regeln: () => SozialhilfeRegeln): PaymentSource {
  return {
    id: 'sozialhilfe',
    officeTypes: [OFFICE],
    async *due(trx, q): AsyncIterable<DuePayment> {
      const rules = regeln();
      for (const c of await casesForRun(trx, SOZIALHILFE_ID, q, ['beantragt', 'bewilligt', 'eingestellt'])) {
        const d = JSON.parse(c.data) as SozialhilfeDaten;
        if (!d.bewilligung && !d.vorschuesse?.length) continue;
        const actions = await caseActionsOf(trx, c.id, ['bewilligen', 'aendern', 'vorschuss']);
        const claimed = await claimedOf(trx, 'sozialhilfe', c.id);
        const first = d.personen[0];
        const base = {
          caseId: c.id,
          aktenzeichen: c.aktenzeichen,
          method: d.zahlung.weg,
          payee: benefitPayee(d.zahlung, d.anschrift, first ? nameOf(first) : c.aktenzeichen),
        } as const;
        const vorschuesse = actions.filter((a) => a.action === 'vorschuss');
        for (const [i, v] of (d.vorschuesse ?? []).entries()) {
          const a = vorschuesse[i];
          if (!a || v.am > q.dueUntil) continue;
          yield {
            ...base,
            key: `sozialhilfe:${c.id}:vorschuss:${i + 1}`,
            decision: decisionRef(a, c.aktenzeichen, 'Vorschuss'),
            period: monthOf(v.am),
            dueOn: v.am,
            amountCents: v.betragCents,
            purpose: `Vorschuss Sozialhilfe (§ 42 SGB I) ${monatText(monthOf(v.am))}`,
          };
        }
        if (!d.bewilligung) continue;
        const plan = zahlplan(d, monthOf(q.dueUntil), q.authorityAgs, rules);
        for (const m of plan.monate) {
          const decision = decisionFor(actions, m.monat);
          if (m.fehler || m.zahlCents <= 0 || !decision) continue;
          const claim = monthClaim(`sozialhilfe:${c.id}:${m.monat}`, m.zahlCents, claimed, decision.id);
          if (!claim) continue;
          yield {
            ...base,
            key: claim.key,
            decision: decisionRef(decision, c.aktenzeichen),
            period: m.monat,
            dueOn: `${m.monat}-01`,
            amountCents: claim.amountCents,
            purpose: `${claim.nachzahlung ? 'Nachzahlung Sozialhilfe' : 'Sozialhilfe (SGB XII)'} ${monatText(m.monat)}`,
          };
        }
      }
    },
  };
}
