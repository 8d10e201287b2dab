import type { Transaction } from 'kysely';
import { formatGermanDate, todayInGermany } from '../../../core/dates.js';
import { monatText, monthOf, nextMonth } from '../../../core/months.js';
import type { DuePayment, PaymentSource } from '../../../core/payments/source.js';
import type { Database } from '../../../db/types.js';
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
 * amount under a claimed key): `asyl:<case id>:<YYYY-MM>:nachzahlung:<decision action id>`. A
 * lower amount is not paid back automatically (a claim for repayment is the clerk's decision).
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
    if (a.abMonat > month) continue;
    if (!best || a.abMonat > best.abMonat || (a.abMonat === best.abMonat && a.seq > best.seq)) best = a;
  }
  return best;
}

/** Amounts under claimed keys of a case (live runs: prepared, approved; returned and not re-queued). */
async function claimedOf(trx: Transaction<Database>, caseId: string): Promise<Map<string, number>> {
  const rows = await trx
    .selectFrom('payment_claim')
    .innerJoin('payment', 'payment.id', 'payment_claim.payment_id')
    .select(['payment.obligation_key', 'payment.amount_cents'])
    .where('payment.case_id', '=', caseId)
    .where('payment.source', '=', 'asyl')
    .execute();
  return new Map(rows.map((r) => [r.obligation_key, Number(r.amount_cents)]));
}

export async function decisionsOf(trx: Transaction<Database>, caseId: string): Promise<DecisionAction[]> {
  const rows = await trx
    .selectFrom('case_action')
    .select(['id', 'seq', 'action', 'payload', 'created_at'])
    .where('case_id', '=', caseId)
    .where('action', 'in', ['bewilligen', 'aendern'])
    .orderBy('seq')
    .execute();
  return rows.map((r) => ({
    id: r.id,
    seq: Number(r.seq),
    action: r.action,
    abMonat: (JSON.parse(r.payload) as { abMonat: string }).abMonat,
    created_at: r.created_at,
  }));
}

export function asylPayments(regeln: () => AsylRegeln): PaymentSource {
  return {
    id: 'asyl',
    officeTypes: [OFFICE],
    async *due(trx, q): AsyncIterable<DuePayment> {
      const rules = regeln();
      const cases = await trx
        .selectFrom('cases')
        .select(['id', 'aktenzeichen', 'data'])
        .where('procedure_id', '=', ASYL_ID)
        .where('authority_ags', '=', q.authorityAgs)
        .where('office_type', '=', q.officeType)
        .where('status', 'in', ['bewilligt', 'eingestellt'])
        .orderBy('year')
        .orderBy('seq')
        .execute();
      for (const c of cases) {
        const d = JSON.parse(c.data) as AsylDaten;
        const fall = leistungsfallAus(d);
        if (!fall || !d.bewilligung) continue;
        const decisions = await decisionsOf(trx, c.id);
        const claimed = await claimedOf(trx, c.id);
        const last = fall.leistungsEnde ? monthOf(fall.leistungsEnde) : null;
        const first = d.personen[0];
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
          const label = decision.action === 'bewilligen' ? 'Bewilligung' : 'Änderungsbescheid';
          const base = `asyl:${c.id}:${m}`;
          // What live runs hold for the month already (the month itself and its Nachzahlungen): a
          // month whose own payment came back and was re-queued is paid without the Nachzahlungen
          // (before: in full, i.e. the Nachzahlung twice).
          let paid = 0;
          for (const [k, v] of claimed) if (k === base || k.startsWith(`${base}:`)) paid += v;
          if (amount <= paid) continue;
          const nachzahlung = claimed.has(base);
          const key = nachzahlung ? `${base}:nachzahlung:${decision.id}` : base;
          const due = amount - paid;
          const purpose = `${nachzahlung ? 'Nachzahlung AsylbLG' : 'Leistungen nach dem AsylbLG'} ${monatText(m)}`;
          yield {
            key,
            caseId: c.id,
            aktenzeichen: c.aktenzeichen,
            decision: {
              actionId: decision.id,
              label: `${label} vom ${formatGermanDate(todayInGermany(new Date(decision.created_at)))} (${c.aktenzeichen})`,
            },
            period: m,
            dueOn: `${m}-01`,
            amountCents: due,
            method: d.zahlung.weg,
            purpose,
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
          };
        }
      }
    },
  };
}
