import { describe, expect, it } from 'vitest';
import {
  BeschaeftigungsRegelError,
  beschaeftigungPruefen,
  parseBeschaeftigungsRegeln,
} from './beschaeftigung.js';
import {
  beschaeftigungszeile,
  type FiktionsFakten,
  fiktionswirkung,
  naechsteGueltigkeit,
  type Wirkung,
} from './fiktion.js';
import { fristEnde, volleMonate } from './fristen.js';
import { DEFAULT_TITELKATALOG, parseTitelkatalog, TitelkatalogError } from './titel.js';

/** Every branch of § 81 AufenthG with the German explanation the clerk and the certificate show. */
const FAELLE: Array<{
  fall: string;
  fakten: FiktionsFakten;
  wirkung: Wirkung;
  norm: string;
  begruendung: string;
}> = [
  {
    fall: 'title, extension applied for before expiry',
    fakten: { status: 'aufenthaltstitel', gueltigBis: '2026-12-31', antragsdatum: '2026-11-20' },
    wirkung: 'abs4',
    norm: '§ 81 Abs. 4 Satz 1 AufenthG',
    begruendung:
      'Der Antrag vom 20.11.2026 wurde vor Ablauf des bisherigen Aufenthaltstitels (gültig bis 31.12.2026) gestellt. Der bisherige Aufenthaltstitel gilt bis zur Entscheidung mit allen Rechten, auch zur Erwerbstätigkeit, als fortbestehend.',
  },
  {
    fall: 'title, applied for on its last day (still timely)',
    fakten: { status: 'aufenthaltstitel', gueltigBis: '2026-11-20', antragsdatum: '2026-11-20' },
    wirkung: 'abs4',
    norm: '§ 81 Abs. 4 Satz 1 AufenthG',
    begruendung:
      'Der Antrag vom 20.11.2026 wurde vor Ablauf des bisherigen Aufenthaltstitels (gültig bis 20.11.2026) gestellt. Der bisherige Aufenthaltstitel gilt bis zur Entscheidung mit allen Rechten, auch zur Erwerbstätigkeit, als fortbestehend.',
  },
  {
    fall: 'national visa, title applied for before expiry',
    fakten: { status: 'nationales_visum', gueltigBis: '2027-01-15', antragsdatum: '2026-11-02' },
    wirkung: 'abs4',
    norm: '§ 81 Abs. 4 Satz 1 AufenthG',
    begruendung:
      'Der Antrag vom 02.11.2026 wurde vor Ablauf des bisherigen nationalen Visums (gültig bis 15.01.2027) gestellt. Das bisherige nationale Visum gilt bis zur Entscheidung mit allen Rechten, auch zur Erwerbstätigkeit, als fortbestehend.',
  },
  {
    fall: 'title, late application, hardship ordered',
    fakten: {
      status: 'aufenthaltstitel',
      gueltigBis: '2026-10-31',
      antragsdatum: '2026-11-03',
      haerteAnordnung: true,
    },
    wirkung: 'abs4',
    norm: '§ 81 Abs. 4 Satz 3 AufenthG',
    begruendung:
      'Der Antrag vom 03.11.2026 wurde erst nach Ablauf des bisherigen Aufenthaltstitels (gültig bis 31.10.2026) gestellt. Zur Vermeidung einer unbilligen Härte hat die Ausländerbehörde die Fortgeltung angeordnet.',
  },
  {
    fall: 'title, late application, no hardship order',
    fakten: { status: 'aufenthaltstitel', gueltigBis: '2026-10-31', antragsdatum: '2026-11-01' },
    wirkung: 'keine',
    norm: '§ 81 Abs. 4 AufenthG',
    begruendung:
      'Der Antrag vom 01.11.2026 wurde erst nach Ablauf des bisherigen Aufenthaltstitels (gültig bis 31.10.2026) gestellt; eine Fortgeltung zur Vermeidung einer unbilligen Härte (§ 81 Abs. 4 Satz 3 AufenthG) wurde nicht angeordnet.',
  },
  {
    fall: 'title without an end of validity',
    fakten: { status: 'aufenthaltstitel', antragsdatum: '2026-11-01' },
    wirkung: 'keine',
    norm: '§ 81 Abs. 4 AufenthG',
    begruendung:
      'Ohne Gültigkeitsende des bisherigen Aufenthaltstitels lässt sich die Fiktionswirkung nicht feststellen.',
  },
  {
    fall: 'Schengen visa, timely application: no Abs. 4',
    fakten: { status: 'schengen_visum', gueltigBis: '2026-12-10', antragsdatum: '2026-11-20' },
    wirkung: 'keine',
    norm: '§ 81 Abs. 4 Satz 2 AufenthG',
    begruendung:
      'Für ein Schengen-Visum (§ 6 Abs. 1 Nr. 1 AufenthG) tritt keine Fortgeltungsfiktion ein (§ 81 Abs. 4 Satz 2 AufenthG), auch wenn der Antrag vom 20.11.2026 rechtzeitig gestellt wurde.',
  },
  {
    fall: 'lawful visa-free stay, application during it',
    fakten: { status: 'visumfrei', gueltigBis: '2026-12-01', antragsdatum: '2026-11-20' },
    wirkung: 'abs3s1',
    norm: '§ 81 Abs. 3 Satz 1 AufenthG',
    begruendung:
      'Der Aufenthalt war ohne Aufenthaltstitel rechtmäßig (bis 01.12.2026) und der Antrag vom 20.11.2026 wurde währenddessen gestellt. Der Aufenthalt gilt bis zur Entscheidung als erlaubt.',
  },
  {
    fall: 'lawful visa-free stay, late application',
    fakten: { status: 'visumfrei', gueltigBis: '2026-11-01', antragsdatum: '2026-11-20' },
    wirkung: 'abs3s2',
    norm: '§ 81 Abs. 3 Satz 2 AufenthG',
    begruendung:
      'Der rechtmäßige Aufenthalt ohne Aufenthaltstitel endete am 01.11.2026; der Antrag vom 20.11.2026 wurde verspätet gestellt. Ab der Antragstellung gilt bis zur Entscheidung die Abschiebung als ausgesetzt.',
  },
  {
    fall: 'visa-free stay without an end',
    fakten: { status: 'visumfrei', antragsdatum: '2026-11-20' },
    wirkung: 'keine',
    norm: '§ 81 Abs. 3 AufenthG',
    begruendung:
      'Ohne Ende des rechtmäßigen Aufenthalts lässt sich nicht feststellen, ob der Antrag rechtzeitig gestellt wurde.',
  },
  {
    fall: 'Duldung',
    fakten: { status: 'duldung', gueltigBis: '2027-01-01', antragsdatum: '2026-11-20' },
    wirkung: 'keine',
    norm: '§ 81 Abs. 3 und 4 AufenthG',
    begruendung:
      'Die Duldung (§ 60a AufenthG) ist kein Aufenthaltstitel und begründet keinen rechtmäßigen Aufenthalt; der Antrag löst keine Fiktionswirkung aus.',
  },
  {
    fall: 'no lawful stay',
    fakten: { status: 'ohne', antragsdatum: '2026-11-20' },
    wirkung: 'keine',
    norm: '§ 81 Abs. 3 und 4 AufenthG',
    begruendung:
      'Zum Zeitpunkt des Antrags bestand weder ein Aufenthaltstitel noch ein rechtmäßiger Aufenthalt; der Antrag löst keine Fiktionswirkung aus.',
  },
];

describe('§ 81 AufenthG: Fiktionswirkung from the facts', () => {
  it.each(FAELLE)('$fall -> $wirkung ($norm)', ({ fakten, wirkung, norm, begruendung }) => {
    expect(fiktionswirkung(fakten)).toEqual({ wirkung, norm, begruendung });
  });

  it('covers every effect in the table', () => {
    expect(new Set(FAELLE.map((f) => f.wirkung))).toEqual(new Set(['abs3s1', 'abs3s2', 'abs4', 'keine']));
  });

  it('carries the previous title’s employment line under Abs. 4 and refuses work under Abs. 3', () => {
    const p18b = DEFAULT_TITELKATALOG.find((t) => t.id === 'p18b');
    const p16b = DEFAULT_TITELKATALOG.find((t) => t.id === 'p16b');
    expect(beschaeftigungszeile('abs4', p18b)).toBe(
      'Erwerbstätigkeit erlaubt (wie bisheriger Aufenthaltstitel nach § 18b AufenthG).',
    );
    expect(beschaeftigungszeile('abs4', p16b)).toContain('140 Tage');
    expect(beschaeftigungszeile('abs3s1', undefined)).toBe(
      'Erwerbstätigkeit nicht gestattet, soweit nicht von der Ausländerbehörde erlaubt (§ 4a Abs. 4 AufenthG).',
    );
    expect(beschaeftigungszeile('abs3s2', p18b)).toContain('nicht gestattet');
  });
});

describe('validity periods across month ends', () => {
  it.each([
    ['2026-01-15', 1, '2026-02-14'],
    ['2026-01-31', 1, '2026-02-28'],
    ['2028-01-31', 1, '2028-02-29'],
    ['2026-02-01', 1, '2026-02-28'],
    ['2026-11-30', 3, '2027-02-28'],
    ['2026-11-26', 3, '2027-02-25'],
    ['2026-08-31', 6, '2027-02-28'],
    ['2026-12-01', 6, '2027-05-31'],
  ] as const)('%s + %i months ends on %s', (ab, m, bis) => {
    expect(fristEnde(ab, m)).toBe(bis);
  });

  it('numbers renewals and continues each without a gap, or from today when the last one lapsed', () => {
    const first = naechsteGueltigkeit([], '2026-11-30', 3);
    expect(first).toEqual({ nr: 0, gueltigAb: '2026-11-30', gueltigBis: '2027-02-28' });
    const prev = [{ ...first, bescheinigungsNr: 'x', ausgestelltAm: '2026-11-30', monate: 3 }];
    expect(naechsteGueltigkeit(prev, '2027-02-20', 6)).toEqual({
      nr: 1,
      gueltigAb: '2027-03-01',
      gueltigBis: '2027-08-31',
    });
    expect(naechsteGueltigkeit(prev, '2027-03-10', 3)).toEqual({
      nr: 1,
      gueltigAb: '2027-03-10',
      gueltigBis: '2027-06-09',
    });
  });

  it('counts full months with the event day not counted', () => {
    expect(volleMonate('2026-01-15', '2026-02-15')).toBe(0);
    expect(volleMonate('2026-01-15', '2026-02-16')).toBe(1);
    expect(volleMonate('2026-01-31', '2026-02-28')).toBe(0);
    expect(volleMonate('2026-01-31', '2026-03-01')).toBe(1);
    expect(volleMonate('2022-11-26', '2026-11-27')).toBe(48);
  });
});

describe('Beschäftigungserlaubnis (§ 61 AsylG, § 4a AufenthG)', () => {
  const base = {
    status: 'gestattung' as const,
    seit: '2026-08-15',
    wohnpflichtAufnahmeeinrichtung: false,
    sichererHerkunftsstaat: false,
  };
  it.each([
    ['outside reception centre, 3 months not yet over', base, '2026-11-15', 'noch_nicht', true, '2026-11-16'],
    ['outside reception centre, after 3 months', base, '2026-11-16', 'ermessen', true, undefined],
    [
      'reception centre, before 6 months',
      { ...base, wohnpflichtAufnahmeeinrichtung: true },
      '2026-11-26',
      'noch_nicht',
      true,
      '2027-02-16',
    ],
    [
      'reception centre, after 6 months',
      { ...base, wohnpflichtAufnahmeeinrichtung: true, seit: '2026-05-01' },
      '2026-11-26',
      'anspruch',
      true,
      undefined,
    ],
    [
      'safe country of origin',
      { ...base, sichererHerkunftsstaat: true },
      '2026-11-26',
      'ausgeschlossen',
      false,
      undefined,
    ],
    [
      'after four years: no BA consent',
      { ...base, seit: '2022-11-01' },
      '2026-11-26',
      'ermessen',
      false,
      undefined,
    ],
    [
      'Duldung after 3 months',
      { ...base, status: 'duldung' as const },
      '2026-11-26',
      'ermessen',
      true,
      undefined,
    ],
  ] as const)('%s', (_t, f, heute, lage, ba, ab) => {
    const r = beschaeftigungPruefen(f, heute);
    expect(r.lage).toBe(lage);
    expect(r.zustimmungBaNoetig).toBe(ba);
    expect(r.moeglichAb).toBe(ab);
  });

  it('explains the reason in German', () => {
    expect(beschaeftigungPruefen({ ...base, sichererHerkunftsstaat: true }, '2026-11-26').begruendung).toBe(
      'Staatsangehörige eines sicheren Herkunftsstaates (§ 29a AsylG) erhalten keine Beschäftigungserlaubnis. Asylantrag seit 15.08.2026 (3 volle Monate).',
    );
    expect(beschaeftigungPruefen(base, '2026-11-26').begruendung).toBe(
      'Die Beschäftigung kann nach Ermessen erlaubt werden (mehr als 3 Monate, keine Wohnpflicht in einer Aufnahmeeinrichtung). Asylantrag seit 15.08.2026 (3 volle Monate). Die Zustimmung der Bundesagentur für Arbeit ist erforderlich.',
    );
  });
});

describe('Beschäftigungserlaubnis figures are configuration', () => {
  const duldung = {
    status: 'duldung' as const,
    seit: '2026-08-15',
    wohnpflichtAufnahmeeinrichtung: false,
    sichererHerkunftsstaat: false,
  };
  it('uses a changed waiting period for a Duldung and says when the permit becomes possible', () => {
    const r = parseBeschaeftigungsRegeln('{"duldungWartezeitMonate": 6}');
    expect(r.wartezeitMonate).toBe(3);
    const p = beschaeftigungPruefen(duldung, '2026-11-26', r);
    expect(p).toMatchObject({ lage: 'noch_nicht', moeglichAb: '2027-02-16' });
    expect(p.begruendung).toBe(
      'Eine Beschäftigung kann erst nach Ablauf der Wartezeit erlaubt werden: 6 Monate, frühestens ab 16.02.2027. Duldung seit 15.08.2026 (3 volle Monate).',
    );
    expect(beschaeftigungPruefen(duldung, '2026-11-26').lage).toBe('ermessen');
  });
  it('refuses bad figures in German', () => {
    expect(() => parseBeschaeftigungsRegeln('{"wartezeitMonate": -1}')).toThrow(
      'Beschäftigungsregeln: wartezeitMonate ungültig (ganze Monate erwartet).',
    );
    expect(() => parseBeschaeftigungsRegeln('{"unbekannt": 1}')).toThrow(BeschaeftigungsRegelError);
  });
});

describe('title catalogue configuration', () => {
  it('replaces and adds entries, and refuses a bad entry in German', () => {
    const k = parseTitelkatalog(
      JSON.stringify([
        { ...DEFAULT_TITELKATALOG[0], beschaeftigungsvermerk: 'Beschäftigung bis 20 Std./Woche.' },
        {
          id: 'p19c',
          paragraph: '§ 19c AufenthG',
          zweck: 'Sonstige Beschäftigung',
          bezeichnung: 'Aufenthaltserlaubnis',
          erwerbstaetigkeit: 'beschraenkt',
          beschaeftigungsvermerk: 'Beschäftigung nur bei Firma X.',
          quelle: '§ 19c AufenthG',
        },
      ]),
    );
    expect(k).toHaveLength(DEFAULT_TITELKATALOG.length + 1);
    expect(k.find((t) => t.id === 'p16b')?.beschaeftigungsvermerk).toBe('Beschäftigung bis 20 Std./Woche.');
    expect(() => parseTitelkatalog('[{"id":"X"}]')).toThrow(TitelkatalogError);
    expect(() => parseTitelkatalog('{')).toThrow('Titelkatalog: kein gültiges JSON.');
  });
});
