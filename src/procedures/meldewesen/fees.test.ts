import { describe, expect, it } from 'vitest';
import { mrzCheckDigit } from '../../core/icao9303.js';
import { ausweisFees, DEFAULT_FEE_TABLE, parseFeeTable, totalCents, validUntil } from './fees.js';
import { checkMrz } from './mrz.js';

const sum = (i: Parameters<typeof ausweisFees>[0]) => totalCents(ausweisFees(i));

describe('ID document fees by age and application date', () => {
  it('charges 37.00 / 22.80 EUR for a Personalausweis until 6 Feb 2026 and 46.00 / 27.60 EUR from 7 Feb 2026', () => {
    const adult = '1990-01-01';
    const young = '2005-01-01';
    expect(sum({ art: 'personalausweis', geburtsdatum: adult, antragsdatum: '2026-02-06' })).toBe(3700);
    expect(sum({ art: 'personalausweis', geburtsdatum: adult, antragsdatum: '2026-02-07' })).toBe(4600);
    expect(sum({ art: 'personalausweis', geburtsdatum: young, antragsdatum: '2026-02-06' })).toBe(2280);
    expect(sum({ art: 'personalausweis', geburtsdatum: young, antragsdatum: '2026-02-07' })).toBe(2760);
  });

  it('counts the age on the application date: the 24th birthday itself is the adult fee', () => {
    expect(sum({ art: 'personalausweis', geburtsdatum: '2002-11-26', antragsdatum: '2026-11-25' })).toBe(
      2760,
    );
    expect(sum({ art: 'personalausweis', geburtsdatum: '2002-11-26', antragsdatum: '2026-11-26' })).toBe(
      4600,
    );
  });

  it('adds the 13 EUR surcharge outside office hours or at a non-responsible authority', () => {
    expect(
      sum({ art: 'personalausweis', geburtsdatum: '1990-01-01', antragsdatum: '2026-11-26', zuschlag: true }),
    ).toBe(5900);
    expect(
      sum({ art: 'vorlaeufiger_personalausweis', geburtsdatum: '1990-01-01', antragsdatum: '2026-11-26' }),
    ).toBe(1000);
  });

  it('charges a Reisepass 70.00 EUR (60.00 in 2023), 37.50 under 24, +22 for 48 pages, +32 express', () => {
    expect(sum({ art: 'reisepass', geburtsdatum: '1980-05-05', antragsdatum: '2023-12-31' })).toBe(6000);
    expect(sum({ art: 'reisepass', geburtsdatum: '1980-05-05', antragsdatum: '2024-01-01' })).toBe(7000);
    expect(sum({ art: 'reisepass', geburtsdatum: '2010-05-05', antragsdatum: '2026-11-26' })).toBe(3750);
    expect(
      sum({
        art: 'reisepass',
        geburtsdatum: '1980-05-05',
        antragsdatum: '2026-11-26',
        seiten: '48',
        express: true,
      }),
    ).toBe(7000 + 2200 + 3200);
    expect(
      sum({ art: 'vorlaeufiger_reisepass', geburtsdatum: '1980-05-05', antragsdatum: '2026-11-26' }),
    ).toBe(2600);
  });

  it('marks the unconfirmed 2026 passport fees and lets operations replace the table', () => {
    const fees = ausweisFees({ art: 'reisepass', geburtsdatum: '1980-05-05', antragsdatum: '2026-11-26' });
    expect(fees[0]?.label).toContain('nicht bestätigt');
    const table = structuredClone(DEFAULT_FEE_TABLE);
    table.reisepass.push({
      validFrom: '2026-07-01',
      ab24Cents: 7500,
      unter24Cents: 4000,
      seiten48Cents: 2200,
      expressCents: 3200,
    });
    const custom = parseFeeTable(JSON.stringify(table));
    expect(
      totalCents(
        ausweisFees({ art: 'reisepass', geburtsdatum: '1980-05-05', antragsdatum: '2026-11-26' }, custom),
      ),
    ).toBe(7500);
    expect(() =>
      parseFeeTable(JSON.stringify({ ...table, personalausweis: [{ validFrom: 'x', ab24Cents: 1 }] })),
    ).toThrow();
  });

  it('computes validity: 10 years, 6 under 24, temporary ID 3 months, temporary passport 1 year', () => {
    expect(validUntil('personalausweis', '1990-01-01', '2026-11-26', '2026-11-26')).toBe('2036-11-25');
    expect(validUntil('personalausweis', '2005-01-01', '2026-11-26', '2026-11-26')).toBe('2032-11-25');
    expect(validUntil('reisepass', '1990-01-01', '2026-11-26', '2026-12-10')).toBe('2036-12-09');
    expect(validUntil('vorlaeufiger_personalausweis', '1990-01-01', '2026-11-26', '2026-11-30')).toBe(
      '2027-02-27',
    );
    expect(validUntil('vorlaeufiger_reisepass', '1990-01-01', '2026-11-26', '2026-11-26')).toBe('2027-11-25');
  });
});

describe('MRZ check digits (ICAO 9303, specimen vectors from FACTS.md)', () => {
  it('computes the specimen check digits', () => {
    expect(mrzCheckDigit('T22000129')).toBe(3);
    expect(mrzCheckDigit('640812')).toBe(5);
    expect(mrzCheckDigit('201031')).toBe(5);
  });

  it('accepts the specimen TD1 lines with composite check digit 4', () => {
    const r = checkMrz([
      'IDD<<T220001293<<<<<<<<<<<<<<<',
      '6408125<2010315D<<<<<<<<<<<<<4',
      'MUSTERMANN<<ERIKA<<<<<<<<<<<<<',
    ]);
    expect(r).toMatchObject({ ok: true, format: 'TD1', documentNumber: 'T22000129' });
  });

  it('names the wrong check digit', () => {
    expect(
      checkMrz([
        'IDD<<T220001293<<<<<<<<<<<<<<<',
        '6408125<2010315D<<<<<<<<<<<<<3',
        'MUSTERMANN<<ERIKA<<<<<<<<<<<<<',
      ]).errors,
    ).toEqual(['Gesamtprüfziffer: Prüfziffer stimmt nicht.']);
    expect(
      checkMrz([
        'IDD<<T220001294<<<<<<<<<<<<<<<',
        '6408125<2010315D<<<<<<<<<<<<<4',
        'MUSTERMANN<<ERIKA<<<<<<<<<<<<<',
      ]).errors,
    ).toContain('Dokumentennummer: Prüfziffer stimmt nicht.');
    expect(checkMrz(['ABC']).ok).toBe(false);
  });
});
