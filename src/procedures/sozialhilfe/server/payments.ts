import type { Transaction } from 'kysely';
import type { SozialhilfeRegeln } from '../../../core/benefits/hilfe-zum-lebensunterhalt.js';
import { formatGermanDate, todayInGermany } from '../../../core/dates.js';
import { monatText, monthOf } from '../../../core/months.js';
import type { DuePayment, PaymentSource } from '../../../core/payments/source.js';
import type { Database } from '../../../db/types.js';
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
 *   key ever changes; a lower amount is not reclaimed automatically (the clerk decides).
 */

export interface DecisionAction {
  id: string;
  seq: number;
  action: string;
  abMonat: string;
  created_at: string;
}

/** The decision in force for a month: the latest version starting on or before it. */
export function decisionFor(actions: readonly DecisionAction[], month: string): DecisionAction | undefined {
  let best: DecisionAction | undefined;
  for (const a of actions) {
    if (a.action === 'vorschuss' || a.abMonat > month) continue;
    if (!best || a.abMonat > best.abMonat || (a.abMonat === best.abMonat && a.seq > best.seq)) best = a;
  }
  return best;
}

async function actionsOf(trx: Transaction<Database>, caseId: string): Promise<DecisionAction[]> {
  const rows = await trx
    .selectFrom('case_action')
    .select(['id', 'seq', 'action', 'payload', 'created_at'])
    .where('case_id', '=', caseId)
    .where('action', 'in', ['bewilligen', 'aendern', 'vorschuss'])
    .orderBy('seq')
    .execute();
  return rows.map((r) => ({
    id: r.id,
    seq: Number(r.seq),
    action: r.action,
    abMonat: (JSON.parse(r.payload) as { abMonat?: string }).abMonat ?? '',
    created_at: r.created_at,
  }));
}

/** Amounts under the claimed keys of a case (live runs; returned and not re-queued payments). */
async function claimedOf(trx: Transaction<Database>, caseId: string): Promise<Map<string, number>> {
  const rows = await trx
    .selectFrom('payment_claim')
    .innerJoin('payment', 'payment.id', 'payment_claim.payment_id')
    .select(['payment.obligation_key', 'payment.amount_cents'])
    .where('payment.case_id', '=', caseId)
    .where('payment.source', '=', 'sozialhilfe')
    .execute();
  return new Map(rows.map((r) => [r.obligation_key, Number(r.amount_cents)]));
}

const datum = (createdAt: string) => formatGermanDate(todayInGermany(new Date(createdAt)));

export function sozialhilfePayments(regeln: () => SozialhilfeRegeln): PaymentSource {
  return {
    id: 'sozialhilfe',
    officeTypes: [OFFICE],
    async *due(trx, q): AsyncIterable<DuePayment> {
      const rules = regeln();
      const cases = await trx
        .selectFrom('cases')
        .select(['id', 'aktenzeichen', 'data', 'status'])
        .where('procedure_id', '=', SOZIALHILFE_ID)
        .where('authority_ags', '=', q.authorityAgs)
        .where('office_type', '=', q.officeType)
        .where('status', 'in', ['beantragt', 'bewilligt', 'eingestellt'])
        .orderBy('year')
        .orderBy('seq')
        .execute();
      for (const c of cases) {
        const d = JSON.parse(c.data) as SozialhilfeDaten;
        if (!d.bewilligung && !d.vorschuesse?.length) continue;
        const actions = await actionsOf(trx, c.id);
        const claimed = await claimedOf(trx, c.id);
        const first = d.personen[0];
        const base = {
          caseId: c.id,
          aktenzeichen: c.aktenzeichen,
          method: d.zahlung.weg,
          payee: {
            name: d.zahlung.kontoinhaber ?? (first ? nameOf(first) : c.aktenzeichen),
            iban: d.zahlung.iban ?? null,
            bic: d.zahlung.bic ?? null,
            address: {
              street: d.anschrift.strasse,
              buildingNumber: d.anschrift.hausnummer,
              postcode: d.anschrift.plz,
              town: d.anschrift.ort,
              country: 'DE',
            },
          },
        } as const;
        const vorschuesse = actions.filter((a) => a.action === 'vorschuss');
        for (const [i, v] of (d.vorschuesse ?? []).entries()) {
          const a = vorschuesse[i];
          if (!a || v.am > q.dueUntil) continue;
          yield {
            ...base,
            key: `sozialhilfe:${c.id}:vorschuss:${i + 1}`,
            decision: { actionId: a.id, label: `Vorschuss vom ${datum(a.created_at)} (${c.aktenzeichen})` },
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
          const label = decision.action === 'bewilligen' ? 'Bewilligung' : 'Änderungsbescheid';
          const key0 = `sozialhilfe:${c.id}:${m.monat}`;
          // What live runs hold for the month already (the month itself and its Nachzahlungen): a
          // month whose own payment came back and was re-queued is paid without the Nachzahlungen.
          let paid = 0;
          for (const [k, v] of claimed) if (k === key0 || k.startsWith(`${key0}:`)) paid += v;
          if (m.zahlCents <= paid) continue;
          const nachzahlung = claimed.has(key0);
          const key = nachzahlung ? `${key0}:nachzahlung:${decision.id}` : key0;
          const amountCents = m.zahlCents - paid;
          const purpose = `${nachzahlung ? 'Nachzahlung Sozialhilfe' : 'Sozialhilfe (SGB XII)'} ${monatText(m.monat)}`;
          yield {
            ...base,
            key,
            decision: {
              actionId: decision.id,
              label: `${label} vom ${datum(decision.created_at)} (${c.aktenzeichen})`,
            },
            period: m.monat,
            dueOn: `${m.monat}-01`,
            amountCents,
            purpose,
          };
        }
      }
    },
  };
}
