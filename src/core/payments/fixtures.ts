import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { Principal } from '../access.js';
import { defineProcedure, type ProcedureDefinition } from '../procedure.js';
import type { DuePayment, PaymentSource } from './source.js';

/**
 * Test data of core/payments (tests and bench/payments.ts): a toy procedure of the Sozialamt
 * ("zahltest") whose cases are decided on creation and paid monthly from their first month on,
 * its PaymentSource, persons with roles at Siegen's Sozialamt, and the office's paying account.
 */
export const SIEGEN = '05970040';
export interface ToyData {
  name: string;
  iban: string;
  betragCents: number;
  ab: string;
  bar?: boolean;
}

export const toy = defineProcedure({
  id: 'zahltest',
  version: 1,
  office: 'sozialamt',
  title: 'Zahltest',
  description: 'nur für Tests',
  aktenzeichenCode: 'ZT',
  form: {
    schema: z
      .object({
        name: z.string(),
        iban: z.string(),
        betragCents: z.number().int(),
        ab: z.string(),
        bar: z.boolean().optional(),
      })
      .strict(),
    sections: [],
  },
  states: { bewilligt: { label: 'Bewilligt' } },
  create: { id: 'bewilligen', label: 'Bewilligen', to: 'bewilligt', roles: ['sachbearbeitung'] },
  actions: [],
  documents: [],
  handover: [{ id: 'csv', title: 'CSV', kind: 'csv', describe: 'aktenzeichen;name' }],
  searchText: (d) => [d.name],
  summary: (d) => d.name,
}) as unknown as ProcedureDefinition;

function monthsFrom(ab: string, until: string): string[] {
  const out: string[] = [];
  let [y, m] = ab.split('-').map(Number) as [number, number];
  for (;;) {
    const month = `${y}-${String(m).padStart(2, '0')}`;
    if (`${month}-01` > until) return out;
    out.push(month);
    m++;
    if (m > 12) {
      m = 1;
      y++;
    }
  }
}

/** The toy family's payments: the monthly amount of each decided case from its first month on. */
export const source: PaymentSource = {
  id: 'zahltest',
  officeTypes: ['sozialamt'],
  async *due(trx, q): AsyncGenerator<DuePayment> {
    const rows = await trx
      .selectFrom('cases')
      .innerJoin('case_action', 'case_action.case_id', 'cases.id')
      .select(['cases.id', 'cases.aktenzeichen', 'cases.data', 'case_action.id as action_id'])
      .where('cases.procedure_id', '=', 'zahltest')
      .where('cases.authority_ags', '=', q.authorityAgs)
      .where('case_action.seq', '=', 1)
      .orderBy('cases.aktenzeichen')
      .execute();
    for (const r of rows) {
      const d = JSON.parse(r.data) as ToyData;
      for (const month of monthsFrom(d.ab, q.dueUntil)) {
        yield {
          key: `zahltest:${r.id}:${month}`,
          caseId: r.id,
          aktenzeichen: r.aktenzeichen,
          decision: { actionId: r.action_id, label: `Bewilligung ${r.aktenzeichen}` },
          period: month,
          dueOn: `${month}-01`,
          amountCents: d.betragCents,
          method: d.bar ? 'bar' : 'ueberweisung',
          purpose: `Leistung ${month}`,
          payee: {
            name: d.name,
            iban: d.iban,
            address: {
              street: 'Löhrtor',
              buildingNumber: '7',
              postcode: '57072',
              town: 'Siegen',
              country: 'DE',
            },
          },
        };
      }
    }
  },
};

export function person(
  userId: string,
  roles: Array<'sachbearbeitung' | 'leitung'>,
  isAdmin = false,
): Principal {
  return {
    userId,
    username: userId,
    displayName: `Person ${userId}`,
    grants: roles.map((role) => ({ authorityAgs: SIEGEN, officeType: 'sozialamt', role })),
    isAdmin,
    isCrisisTeam: false,
  };
}

export const idem = () => ({ key: randomUUID(), scope: 'test', requestHash: 'x' });
export const ACCOUNT = {
  name: 'Stadt Siegen Sozialamt',
  iban: 'DE85 4605 0001 0000 0123 45',
  bic: null,
  town: 'Siegen',
  country: 'DE',
};

/** Two decided cases of the tests: Müller from November 2026 at 612,34 EUR, Öztürk from December at 1.003,00 EUR. */
export const MUELLER: ToyData = {
  name: 'Jürgen Müller',
  iban: 'DE89370400440532013000',
  betragCents: 61234,
  ab: '2026-11',
};
export const OEZTUERK: ToyData = {
  name: 'Ayşe Öztürk',
  iban: 'DE75512108001245126199',
  betragCents: 100300,
  ab: '2026-12',
};
