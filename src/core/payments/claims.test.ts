import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { benefitPayee, type CaseAction, decisionFor, decisionRef, monthClaim } from './claims.js';

const KEY = 'asyl:c1:2026-12';
const action = (id: string, seq: number, kind: string, abMonat: string | null): CaseAction => ({
  id,
  seq,
  action: kind,
  abMonat,
  created_at: '2026-11-30T23:30:00.000Z',
});

describe('what is still to be paid for a benefit month', () => {
  it('pays an unclaimed month in full under its own key', () => {
    expect(monthClaim(KEY, 40900, new Map(), 'b1')).toEqual({
      key: KEY,
      amountCents: 40900,
      nachzahlung: false,
    });
  });

  it('pays a raise of a claimed month as a Nachzahlung under the decision, nothing for a cut', () => {
    const claimed = new Map([[KEY, 40900]]);
    expect(monthClaim(KEY, 45500, claimed, 'a1')).toEqual({
      key: `${KEY}:nachzahlung:a1`,
      amountCents: 4600,
      nachzahlung: true,
    });
    expect(monthClaim(KEY, 40900, claimed, 'a1')).toBeNull();
    expect(monthClaim(KEY, 30000, claimed, 'a1')).toBeNull();
  });

  it('pays a re-queued month minus the Nachzahlung still claimed, and a re-queued Nachzahlung again', () => {
    const nach = `${KEY}:nachzahlung:a1`;
    expect(monthClaim(KEY, 45500, new Map([[nach, 4600]]), 'a1')).toEqual({
      key: KEY,
      amountCents: 40900,
      nachzahlung: false,
    });
    expect(monthClaim(KEY, 45500, new Map([[KEY, 40900]]), 'a1')).toMatchObject({
      key: nach,
      amountCents: 4600,
    });
  });

  it('counts only the month itself and its Nachzahlungen, not another month of the case', () => {
    const claimed = new Map([
      ['asyl:c1:2026-1', 1],
      ['asyl:c1:2026-11', 40900],
      [`${KEY}:nachzahlung:x`, 100],
    ]);
    expect(monthClaim(KEY, 40900, claimed, 'b1')).toEqual({
      key: KEY,
      amountCents: 40800,
      nachzahlung: false,
    });
  });

  it('never pays a month more than its highest amount, whatever the order of raises, runs and returns', () => {
    type Step = { kind: 'decide'; amount: number } | { kind: 'run' } | { kind: 'requeue'; pick: number };
    const step: fc.Arbitrary<Step> = fc.oneof(
      fc.record({ kind: fc.constant('decide' as const), amount: fc.integer({ min: 1, max: 100_000 }) }),
      fc.record({ kind: fc.constant('run' as const) }),
      fc.record({ kind: fc.constant('requeue' as const), pick: fc.nat() }),
    );
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 100_000 }), fc.array(step, { maxLength: 30 }), (start, steps) => {
        // `live`: what the bank holds or has paid out (claimed keys); a re-queued payment came back.
        const live = new Map<string, number>();
        let amount = start;
        let decision = 0;
        const sum = () => [...live.values()].reduce((a, b) => a + b, 0);
        for (const s of steps) {
          if (s.kind === 'decide') {
            amount = s.amount;
            decision++;
          } else if (s.kind === 'requeue') {
            const keys = [...live.keys()];
            if (keys.length) live.delete(keys[s.pick % keys.length] as string);
          } else {
            const before = sum();
            const claim = monthClaim(KEY, amount, live, `d${decision}`);
            if (claim) {
              expect(live.has(claim.key)).toBe(false);
              expect(claim.amountCents).toBeGreaterThan(0);
              live.set(claim.key, claim.amountCents);
            }
            expect(sum()).toBe(Math.max(before, amount));
          }
        }
      }),
    );
  });
});

describe('the decision a payment rests on', () => {
  const bewilligung = action('b1', 2, 'bewilligen', '2026-11');
  const aenderung = action('a1', 5, 'aendern', '2027-01');
  const vorschuss = action('v1', 1, 'vorschuss', null);

  it('is the latest decision starting on or before the month, never a Vorschuss', () => {
    const all = [vorschuss, bewilligung, aenderung];
    expect(decisionFor(all, '2026-10')).toBeUndefined();
    expect(decisionFor(all, '2026-12')?.id).toBe('b1');
    expect(decisionFor(all, '2027-03')?.id).toBe('a1');
    const again = action('a2', 7, 'aendern', '2027-01');
    expect(decisionFor([...all, again], '2027-01')?.id).toBe('a2');
    expect(decisionFor([vorschuss], '2027-01')).toBeUndefined();
  });

  it('is labelled with its kind and the German day it was recorded', () => {
    // 23:30 UTC on 30 November is 1 December in Germany.
    expect(decisionRef(bewilligung, 'AS 1/2026')).toEqual({
      actionId: 'b1',
      label: 'Bewilligung vom 01.12.2026 (AS 1/2026)',
    });
    expect(decisionRef(aenderung, 'AS 1/2026').label).toBe('Änderungsbescheid vom 01.12.2026 (AS 1/2026)');
    expect(decisionRef(vorschuss, 'SH 2/2026', 'Vorschuss').label).toBe(
      'Vorschuss vom 01.12.2026 (SH 2/2026)',
    );
  });
});

describe('the payee of a benefit case', () => {
  const anschrift = { strasse: 'Kölner Straße', hausnummer: '12a', plz: '57072', ort: 'Siegen' };

  it('is the account holder with IBAN and the structured address, else the fallback name', () => {
    expect(
      benefitPayee(
        { weg: 'ueberweisung', kontoinhaber: 'Jürgen Özdemir', iban: 'DE02120300000000202051' },
        anschrift,
        'Özdemir, Jürgen',
      ),
    ).toEqual({
      name: 'Jürgen Özdemir',
      iban: 'DE02120300000000202051',
      bic: null,
      address: {
        street: 'Kölner Straße',
        buildingNumber: '12a',
        postcode: '57072',
        town: 'Siegen',
        country: 'DE',
      },
    });
    expect(benefitPayee({ weg: 'bar' }, anschrift, 'Brück, Hans-Jürgen')).toMatchObject({
      name: 'Brück, Hans-Jürgen',
      iban: null,
    });
  });
});
