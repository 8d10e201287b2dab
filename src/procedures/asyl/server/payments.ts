import { monatText, monthOf, nextMonth } from '../../../core/months.js';
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
import { ASYL_ID, type AsylDaten, leistungsfallAus, nameOf, OFFICE } from '../definition.js';
import { AsylRegelError, type AsylRegeln, monatsanspruch } from '../saetze.js';

/**
 * The AsylbLG family's due payments for the payment runs (core/payments, docs/PAYMENTS.md): one
 * obligation per decided case and benefit month (`asyl:<case id>:<YYYY-MM>`), due on the first
 * of the month, from the month the benefits begin up to the run's day and the last benefit day.
 * The amount is the month's entitlement under the decision in force for the month (the Bewilligung
 * or the latest Änderung from that month on); `decision.actionId` names that case action. A month
 * the rules cannot compute (e.g. an unconfirmed rate) and a month with nothing to pay are left out.
 *
 * A later decision that raises the amount of a month already claimed by a run (paid or being
 * paid) yields the difference as an obligation of its own (docs/PAYMENTS.md: never change the
 * amount under a claimed key): `asyl:<case id>:<YYYY-MM>:nachzahlung:<decision action id>`; a
 * re-queued month is paid minus the Nachzahlungen still claimed (core/payments/claims.ts). A
 * lower amount is not paid back automatically (a claim for repayment is the clerk's decision).
 */
export function asylPayments(regeln: () => AsylRegeln): PaymentSource {
  return {
    id: 'asyl',
    officeTypes: [OFFICE],
    async *due(trx, q): AsyncIterable<DuePayment> {
      const rules = regeln();
      for (const c of await casesForRun(trx, ASYL_ID, q, ['bewilligt', 'eingestellt'])) {
        const d = JSON.parse(c.data) as AsylDaten;
        const fall = leistungsfallAus(d);
        if (!fall || !d.bewilligung) continue;
        const decisions = await caseActionsOf(trx, c.id, ['bewilligen', 'aendern']);
        const claimed = await claimedOf(trx, 'asyl', c.id);
        const last = fall.leistungsEnde ? monthOf(fall.leistungsEnde) : null;
        const first = d.personen[0];
        const payee = benefitPayee(d.zahlung, d.anschrift, first ? nameOf(first) : c.aktenzeichen);
        for (
          let m = d.bewilligung.abMonat;
          `${m}-01` <= q.dueUntil && (!last || m <= last);
          m = nextMonth(m)
        ) {
          let amount: number;
          try {
            amount = monatsanspruch(fall, m, rules).summeCents;
          } catch (e) {
            if (e instanceof AsylRegelError) continue;
            throw e;
          }
          const decision = decisionFor(decisions, m);
          if (amount <= 0 || !decision) continue;
          const claim = monthClaim(`asyl:${c.id}:${m}`, amount, claimed, decision.id);
          if (!claim) continue;
          yield {
            key: claim.key,
            caseId: c.id,
            aktenzeichen: c.aktenzeichen,
            decision: decisionRef(decision, c.aktenzeichen),
            period: m,
            dueOn: `${m}-01`,
            amountCents: claim.amountCents,
            method: d.zahlung.weg,
            purpose: `${claim.nachzahlung ? 'Nachzahlung AsylbLG' : 'Leistungen nach dem AsylbLG'} ${monatText(m)}`,
            payee,
          };
        }
      }
    },
  };
}
