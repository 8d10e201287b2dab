import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addDays, ageOn } from '../../core/dates.js';
import { addMonths, dateOfAge } from './datum.js';
import { type ErsterteilungForm, ersterteilungSchema, pruefeErsterteilung } from './ersterteilung.js';
import { ersterteilungDaten } from './fixtures.js';
import { gebuehren, parseGebuehren, STANDARD_GEBUEHREN, summeCents } from './gebuehren.js';
import {
  antragFruehestens,
  fehlendeVoraussetzungen,
  mindestalter,
  mitEingeschlossenen,
  parseKlassen,
  parseRegeln,
} from './klassen.js';
import { fuehrerscheinPruefziffer, pruefeFuehrerscheinnummer } from './nummer.js';
import { bewerteUmtauschfrist, umtauschfrist } from './umtauschfrist.js';

const NRW = '05';
const HESSEN = '06';
const u = (over: Partial<Parameters<typeof mindestalter>[1]> = {}) => ({
  geburtsdatum: '2010-03-15',
  stichtag: '2026-11-26',
  land: NRW as string | null,
  begleitetesFahren: false,
  berufsausbildung: false,
  ...over,
});

describe('Führerscheinnummer check digit (FACTS.md §5)', () => {
  it('computes 5 for the specimen B072RRE2I55 and accepts it', () => {
    expect(fuehrerscheinPruefziffer('B072RRE2I')).toBe('5');
    expect(pruefeFuehrerscheinnummer('B072RRE2I55')).toEqual({ ok: true });
    expect(pruefeFuehrerscheinnummer('b072 rre2 i55').ok).toBe(true);
  });

  it('refuses a wrong check digit, a wrong length and umlauts with a German message', () => {
    expect(pruefeFuehrerscheinnummer('B072RRE2I45').message).toContain('Prüfziffer stimmt nicht');
    expect(pruefeFuehrerscheinnummer('B072RRE2I5').message).toContain('11 Zeichen');
    expect(pruefeFuehrerscheinnummer('B072RRÄ2I55').message).toContain('ohne Umlaute');
    expect(pruefeFuehrerscheinnummer('1072RRE2I55').message).toContain('Buchstaben des Landes');
  });

  it('writes remainder 10 as X', () => {
    // Find a serial whose weighted sum leaves 10 and check the round trip.
    const serial = fc
      .sample(fc.stringMatching(/^[A-Z][0-9A-Z]{8}$/), 2000)
      .find((s) => fuehrerscheinPruefziffer(s) === 'X');
    expect(serial).toBeDefined();
    expect(pruefeFuehrerscheinnummer(`${serial}X1`).ok).toBe(true);
  });

  it('catches every single wrong digit and every swap of two neighbouring different digits (property)', () => {
    fc.assert(
      fc.property(
        fc.stringMatching(/^[A-Z][0-9]{8}$/),
        fc.integer({ min: 1, max: 8 }),
        fc.integer({ min: 0, max: 9 }),
        (base, pos, digit) => {
          const good = `${base}${fuehrerscheinPruefziffer(base)}1`;
          expect(pruefeFuehrerscheinnummer(good).ok).toBe(true);
          if (String(digit) !== base[pos]) {
            const typo = `${base.slice(0, pos)}${digit}${base.slice(pos + 1)}${good.slice(9)}`;
            expect(pruefeFuehrerscheinnummer(typo).ok).toBe(false);
          }
          if (pos < 8 && base[pos] !== base[pos + 1]) {
            const swapped = `${base.slice(0, pos)}${base[pos + 1]}${base[pos]}${base.slice(pos + 2)}${good.slice(9)}`;
            expect(pruefeFuehrerscheinnummer(swapped).ok).toBe(false);
          }
        },
      ),
    );
  });
});

describe('Minimum ages (FeV § 10)', () => {
  it('gives the day of the birthday that reaches the age, 29 February on 1 March', () => {
    expect(dateOfAge('2010-03-15', 18)).toBe('2028-03-15');
    expect(dateOfAge('2008-02-29', 17)).toBe('2025-03-01');
    expect(dateOfAge('2008-02-29', 16)).toBe('2024-02-29');
    fc.assert(
      fc.property(
        fc.date({ min: new Date('1940-01-01'), max: new Date('2015-12-31'), noInvalidDate: true }),
        fc.integer({ min: 14, max: 30 }),
        (d, n) => {
          const birth = d.toISOString().slice(0, 10);
          const day = dateOfAge(birth, n);
          expect(ageOn(birth, day)).toBe(n);
          expect(ageOn(birth, addDays(day, -1))).toBe(n - 1);
        },
      ),
    );
  });

  it('allows AM from 15 in NRW since 1 Feb 2020, restricted to Germany until 16; 16 elsewhere and before', () => {
    const nrw = mindestalter('AM', u());
    expect(nrw).toMatchObject({ jahre: 15, ab: '2025-03-15' });
    expect(nrw.auflage).toContain('bis zum 16. Geburtstag (15.03.2026) nur im Inland');
    expect(mindestalter('AM', u({ land: HESSEN }))).toMatchObject({ jahre: 16, ab: '2026-03-15' });
    expect(mindestalter('AM', u({ stichtag: '2020-01-31' })).jahre).toBe(16);
    // Unknown Land (the browser): the most lenient rule.
    expect(mindestalter('AM', u({ land: null })).jahre).toBe(15);
  });

  it('gives B and BE at 17 with accompanied driving or in professional training, C and CE at 18 in training', () => {
    expect(mindestalter('B', u()).jahre).toBe(18);
    expect(mindestalter('B', u({ begleitetesFahren: true })).jahre).toBe(17);
    expect(mindestalter('BE', u({ berufsausbildung: true }))).toMatchObject({ jahre: 17 });
    expect(mindestalter('B', u({ berufsausbildung: true })).auflage).toContain(
      'im Rahmen des Ausbildungsverhältnisses',
    );
    expect(mindestalter('C', u()).jahre).toBe(21);
    expect(mindestalter('CE', u({ berufsausbildung: true })).jahre).toBe(18);
    expect(mindestalter('D', u({ berufsausbildung: true })).jahre).toBe(24);
    expect(mindestalter('D1', u()).jahre).toBe(21);
    expect(mindestalter('A1', u()).jahre).toBe(16);
    expect(mindestalter('T', u()).jahre).toBe(16);
  });

  it('gives A at 24 directly, or at 20 after two years of A2 — whichever comes first', () => {
    const birth = '2000-06-01';
    expect(mindestalter('A', u({ geburtsdatum: birth })).ab).toBe('2024-06-01');
    // A2 at 18 (2018): two years later she is 20 -> 2020-06-01.
    expect(mindestalter('A', u({ geburtsdatum: birth, a2Seit: '2018-06-01' }))).toMatchObject({
      jahre: 20,
      ab: '2020-06-01',
    });
    // A2 only at 21: two years of A2 end at 23.
    expect(mindestalter('A', u({ geburtsdatum: birth, a2Seit: '2021-09-01' })).ab).toBe('2023-09-01');
    // A2 at 23: the direct route at 24 comes first.
    expect(mindestalter('A', u({ geburtsdatum: birth, a2Seit: '2023-09-01' }))).toMatchObject({
      jahre: 24,
      ab: '2024-06-01',
    });
  });

  it('lets an application be made at the earliest six months before the minimum age', () => {
    expect(antragFruehestens(mindestalter('B', u({ begleitetesFahren: true })))).toBe('2026-09-15');
    expect(addMonths('2026-08-31', -6)).toBe('2026-02-28');
  });
});

describe('Included and prerequisite classes (FeV §§ 6, 9)', () => {
  it('includes AM and L in B, A1/A2/AM in A, BE/C1E/T in CE and DE in CE only with D', () => {
    expect([...mitEingeschlossenen(['B'])].sort()).toEqual(['AM', 'B', 'L']);
    expect(mitEingeschlossenen(['A']).has('A1')).toBe(true);
    const ce = mitEingeschlossenen(['CE']);
    expect(['C1E', 'BE', 'T', 'AM', 'L'].every((k) => ce.has(k as never))).toBe(true);
    expect(ce.has('DE')).toBe(false);
    expect(mitEingeschlossenen(['CE', 'D']).has('DE')).toBe(true);
  });

  it('needs B for C1, C, D1, D and BE; the class of the towing vehicle for the E classes; held or applied for at once', () => {
    expect(fehlendeVoraussetzungen('C', new Set(), ['C'])).toEqual(['B']);
    expect(fehlendeVoraussetzungen('C', new Set(), ['B', 'C'])).toEqual([]);
    expect(fehlendeVoraussetzungen('CE', mitEingeschlossenen(['B']), ['CE'])).toEqual(['C']);
    expect(fehlendeVoraussetzungen('C1E', mitEingeschlossenen(['B', 'C']), ['C1E'])).toEqual([]);
    expect(fehlendeVoraussetzungen('DE', new Set(), ['DE'])).toEqual(['D']);
    expect(fehlendeVoraussetzungen('A', new Set(), ['A'])).toEqual([]);
  });

  it('parses typed class lists and names what it does not know', () => {
    expect(parseKlassen('be, b; am')).toEqual({ klassen: ['AM', 'B', 'BE'], unbekannt: [] });
    expect(parseKlassen('B, 3, X')).toEqual({ klassen: ['B'], unbekannt: ['3', 'X'] });
  });

  it('lets operations override single rules and refuses malformed overrides', () => {
    const r = parseRegeln(JSON.stringify({ mindestalter: { D: 21 }, antragVorlaufMonate: 3 }));
    expect(r.mindestalter.D).toBe(21);
    expect(r.mindestalter.B).toBe(18);
    expect(r.antragVorlaufMonate).toBe(3);
    expect(() => parseRegeln('{"mindestalter":{"B":"18"}}')).toThrow(/mindestalter.B/);
    expect(() => parseRegeln('[1]')).toThrow(/JSON-Objekt/);
    expect(() => parseRegeln('{"unbekannt":1}')).toThrow();
  });
});

describe('Application rules of an Ersterteilung', () => {
  const schema = ersterteilungSchema(() => '2026-11-26');
  const form = (over: Parameters<typeof ersterteilungDaten>[0] = {}) =>
    schema.parse(ersterteilungDaten(over)) as ErsterteilungForm;
  const messages = (input: unknown) => {
    const r = schema.safeParse(input);
    return r.success ? [] : r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
  };

  it('accepts the BF17 example with one companion', () => {
    expect(messages(ersterteilungDaten())).toEqual([]);
    expect(form().antrag.klassen).toEqual(['B']);
  });

  it('refuses companions under 30, with B for less than five years, with two points', () => {
    const m = messages(
      ersterteilungDaten({
        begleitpersonen: [
          {
            familienname: 'Jung',
            vornamen: 'Jan',
            geburtsdatum: '1998-01-01',
            klasseBSeit: '2016-02-01',
            punkte: 0,
          },
          {
            familienname: 'Neu',
            vornamen: 'Nina',
            geburtsdatum: '1980-01-01',
            klasseBSeit: '2023-01-01',
            punkte: 0,
          },
          {
            familienname: 'Raser',
            vornamen: 'Rolf',
            geburtsdatum: '1970-01-01',
            klasseBSeit: '1990-01-01',
            punkte: 2,
          },
        ],
      }),
    );
    expect(m).toEqual([
      'begleitpersonen.0.geburtsdatum: Begleitperson Jan Jung: muss mindestens 30 Jahre alt sein (§ 48a Abs. 5 FeV).',
      'begleitpersonen.1.klasseBSeit: Begleitperson Nina Neu: muss die Klasse B seit mindestens 5 Jahren besitzen (§ 48a Abs. 5 FeV).',
      'begleitpersonen.2.punkte: Begleitperson Rolf Raser: darf höchstens 1 Punkt im Fahreignungsregister haben (§ 48a Abs. 5 FeV).',
    ]);
  });

  it('needs a companion for BF17, no companion without it, and B or BE', () => {
    expect(messages(ersterteilungDaten({ begleitpersonen: [] }))).toEqual([
      'begleitpersonen: Begleitpersonen: mindestens eine namentlich benannte Person angeben (§ 48a Abs. 2 FeV).',
    ]);
    const base = ersterteilungDaten();
    expect(messages({ ...base, antrag: { ...(base.antrag as object), begleitetesFahren: false } })).toContain(
      'begleitpersonen: Begleitpersonen nur beim Begleiteten Fahren ab 17 angeben.',
    );
  });

  it('refuses an application more than six months before the minimum age, naming both days', () => {
    // 16 years and 2 months: 17 on 2027-09-10, application from 2027-03-10.
    const m = messages(
      ersterteilungDaten({
        bewerber: {
          familienname: 'Klein',
          vornamen: 'Kai',
          geburtsdatum: '2010-09-10',
          geburtsort: 'Siegen',
        },
      }),
    );
    expect(m).toEqual([
      'antrag.klassen: Klasse B: Mindestalter 17 Jahre (§ 10 Abs. 1 Nr. 5 b aa FeV (Begleitetes Fahren ab 17, § 48a FeV)) erst am 10.09.2027; der Antrag ist frühestens 6 Monate vorher möglich (ab 10.03.2027).',
    ]);
  });

  it('refuses CE without C, a class already held, and A2 dates without A2', () => {
    const m = messages(
      ersterteilungDaten({
        bewerber: { familienname: 'Groß', vornamen: 'Uwe', geburtsdatum: '1990-01-01', geburtsort: 'Olpe' },
        antrag: { antragsdatum: '2026-11-26', klassen: 'CE, B', begleitetesFahren: false },
        vorbesitz: { klassen: 'B, AM', a2Seit: '2010-01-01' },
        begleitpersonen: [],
      }),
    );
    expect(m).toEqual([
      'antrag.klassen: Klasse B ist bereits vorhanden (bisherige Fahrerlaubnis).',
      'antrag.klassen: Klasse CE setzt die Klasse C voraus (§ 9 Abs. 2 FeV); C ist weder vorhanden noch mit beantragt.',
      'vorbesitz.a2Seit: Klasse A2 erteilt am: nur angeben, wenn die Klasse A2 (oder A) vorhanden ist.',
    ]);
  });

  it('refuses unknown classes and BF17 for someone already 18', () => {
    expect(
      messages(
        ersterteilungDaten({
          antrag: { antragsdatum: '2026-11-26', klassen: 'B, Z3', begleitetesFahren: false },
        }),
      ),
    ).toContain(
      'antrag.klassen: Beantragte Klassen: unbekannte Klasse „Z3". Zulässig: AM, A1, A2, A, B, BE, C1, C1E, C, CE, D1, D1E, D, DE, L, T.',
    );
    const adult = pruefeErsterteilung(
      { ...form(), bewerber: { ...form().bewerber, geburtsdatum: '2008-01-01' } },
      { land: NRW },
    );
    expect(adult.map((b) => b.message)).toContain(
      'Begleitetes Fahren ab 17 ist nur vor dem 18. Geburtstag möglich; bitte ohne BF17 beantragen.',
    );
  });

  it('applies the Land: AM at 15 and 2 months is fine in NRW, too early in Hessen', () => {
    const f = form({
      bewerber: {
        familienname: 'Roller',
        vornamen: 'Rita',
        geburtsdatum: '2011-09-01',
        geburtsort: 'Siegen',
      },
      antrag: { antragsdatum: '2026-11-26', klassen: 'AM', begleitetesFahren: false },
      begleitpersonen: [],
    });
    expect(pruefeErsterteilung(f, { land: NRW })).toEqual([]);
    expect(pruefeErsterteilung(f, { land: HESSEN }).map((b) => b.message)).toEqual([
      'Klasse AM: Mindestalter 16 Jahre (§ 10 Abs. 1 FeV) erst am 01.09.2027; der Antrag ist frühestens 6 Monate vorher möglich (ab 01.03.2027).',
    ]);
  });
});

describe('Exchange deadlines (FeV Anlage 8e)', () => {
  it('takes paper licences by birth year and cards by year of issue', () => {
    const f = (birth: string, issued: string) => {
      const r = umtauschfrist(birth, issued);
      return r.pflicht ? r.frist : null;
    };
    expect(f('1950-05-05', '1975-01-01')).toBe('2033-01-19');
    expect(f('1953-01-01', '1975-01-01')).toBe('2022-01-19');
    expect(f('1958-12-31', '1980-01-01')).toBe('2022-01-19');
    expect(f('1959-01-01', '1980-01-01')).toBe('2023-01-19');
    expect(f('1966-07-14', '1987-05-12')).toBe('2024-01-19');
    expect(f('1971-01-01', '1998-12-31')).toBe('2025-01-19');
    expect(f('1980-01-01', '1999-01-01')).toBe('2026-01-19');
    expect(f('1980-01-01', '2004-12-31')).toBe('2027-01-19');
    expect(f('1980-01-01', '2007-06-01')).toBe('2028-01-19');
    expect(f('1980-01-01', '2008-06-01')).toBe('2029-01-19');
    expect(f('1980-01-01', '2009-06-01')).toBe('2030-01-19');
    expect(f('1980-01-01', '2010-06-01')).toBe('2031-01-19');
    expect(f('1980-01-01', '2011-06-01')).toBe('2032-01-19');
    expect(f('1980-01-01', '2013-01-18')).toBe('2033-01-19');
    // Born before 1953: 2033, whatever the year of the card.
    expect(f('1952-12-31', '2000-01-01')).toBe('2033-01-19');
    expect(umtauschfrist('1980-01-01', '2013-01-19')).toMatchObject({ pflicht: false });
  });

  it('is overdue only after the 19 January', () => {
    expect(bewerteUmtauschfrist('1971-01-01', '1995-01-01', '2025-01-19')?.ueberfaellig).toBe(false);
    expect(bewerteUmtauschfrist('1971-01-01', '1995-01-01', '2025-01-20')?.ueberfaellig).toBe(true);
  });

  it('gives every pre-2013 licence a 19 January between 2022 and 2033 (property)', () => {
    fc.assert(
      fc.property(
        fc.date({ min: new Date('1930-01-01'), max: new Date('1995-12-31'), noInvalidDate: true }),
        fc.date({ min: new Date('1960-01-01'), max: new Date('2013-01-18T12:00:00Z'), noInvalidDate: true }),
        (b, i) => {
          const r = umtauschfrist(b.toISOString().slice(0, 10), i.toISOString().slice(0, 10));
          expect(r.pflicht).toBe(true);
          if (r.pflicht) expect(r.frist).toMatch(/^20(2[2-9]|3[0-3])-01-19$/);
        },
      ),
    );
  });
});

describe('Fees (GebOSt, per office and dated)', () => {
  it('uses the office table where one is configured, else the standard, by the application date', () => {
    const t = parseGebuehren(
      JSON.stringify({
        ...STANDARD_GEBUEHREN,
        behoerden: {
          '05970000': {
            FE_UMTAUSCH: [
              { validFrom: '2021-01-01', cents: 2530 },
              { validFrom: '2026-07-01', cents: 2800 },
            ],
          },
        },
      }),
    );
    expect(summeCents(gebuehren(['FE_UMTAUSCH'], '2026-06-30', '05970000', t))).toBe(2530);
    const july = gebuehren(['FE_UMTAUSCH'], '2026-07-01', '05970000', t);
    expect(july[0]).toMatchObject({ amountCents: 2800, label: 'Umtausch des Führerscheins' });
    const other = gebuehren(['FE_UMTAUSCH'], '2026-07-01', '05966000', t);
    expect(other[0]?.amountCents).toBe(2650);
    expect(other[0]?.label).toContain('nicht bestätigt');
    expect(() => gebuehren(['FE_UMTAUSCH'], '2019-01-01', null, t)).toThrow(/Keine Gebühr/);
  });

  it('refuses a malformed table', () => {
    expect(() => parseGebuehren('{"standard":{}}')).toThrow(/standard/);
    expect(() =>
      parseGebuehren(JSON.stringify({ ...STANDARD_GEBUEHREN, behoerden: { '0597': {} } })),
    ).toThrow(/behoerden\.0597/);
    expect(() =>
      parseGebuehren(
        JSON.stringify({
          standard: { ...STANDARD_GEBUEHREN.standard, FE_ERSATZ: [{ validFrom: '2021-01-01', cents: 12.5 }] },
        }),
      ),
    ).toThrow(/ganze Zahl/);
  });
});
