import { describe, expect, it } from 'vitest';
import {
  anteil,
  berechne,
  type Haushalt,
  parseRegeln,
  type SozialhilfeRegeln,
  STANDARD_REGELN,
} from './hilfe-zum-lebensunterhalt.js';

/**
 * Households worked out by hand. Rates (FACTS.md §6, RBSFV 2024–2026 "Nullrunde"): Stufe 1
 * 563,00 €, 2 506,00 €, 3 451,00 €, 4 471,00 €, 5 390,00 €, 6 357,00 €. Mehrbedarfe § 30 SGB XII:
 * Abs. 1 and 2 17 % of the person's Stufe, Abs. 3 36 % (Nr. 1) or 12 % per child up to 60 % (Nr. 2)
 * of Stufe 1, Abs. 4 35 %, Abs. 5 the recognised amount, Abs. 6 cap at the person's Stufe, Abs. 7
 * hot water 2,3 % (Stufen 1–3), 1,4 % (4), 1,2 % (5), 0,8 % (6). Shares rounded half up to the cent.
 */

const SIEGEN = '05970040';
const OLPE_STADT = '05966032';

const REGELN: SozialhilfeRegeln = {
  ...STANDARD_REGELN,
  kdu: [
    {
      ags: '05970000',
      bruttokaltCents: [45000, 55000, 65000, 75000],
      jeWeiterePersonCents: 10000,
      heizungCents: [60000, 80000, 10000],
      quelle: 'KdU-Richtlinie Kreis Siegen-Wittgenstein (Testwerte)',
    },
  ],
};

const person = (familienname: string, vornamen: string, geburtsdatum: string, extra: object = {}) => ({
  familienname,
  vornamen,
  geburtsdatum,
  wohnsituation: 'eigener_haushalt' as const,
  ...extra,
});
const wohnung = (grund: number, neben: number, heizung: number, warmwasserDezentral = false) => ({
  grundmieteCents: grund,
  nebenkostenCents: neben,
  heizkostenCents: heizung,
  warmwasserDezentral,
});

interface Fall {
  name: string;
  haushalt: Haushalt;
  monat: string;
  ags: string;
  /** Each line by hand: [text fragment, cents, source fragment]. */
  zeilen: Array<[string, number, string]>;
  bedarf: number;
  einkommen: number;
  anspruch: number;
  hinweise: string[];
}

const FAELLE: Fall[] = [
  {
    name: 'Alleinstehende, eigene Wohnung',
    haushalt: {
      personen: [person('Özdemir', 'Jürgen', '1980-05-05')],
      unterkunft: wohnung(38000, 9000, 7500),
    },
    monat: '2026-12',
    ags: SIEGEN,
    zeilen: [
      ['Regelbedarfsstufe 1', 56300, 'RBSFV 2026'], // Stufe 1, 563,00 €
      ['Unterkunft', 47000, '§ 35 Abs. 1'], // 380,00 + 90,00
      ['Heizung', 7500, '§ 35 Abs. 4'],
    ],
    bedarf: 110800, // 563 + 470 + 75 = 1.108,00 €
    einkommen: 0,
    anspruch: 110800, // 470,00 over the 450,00 limit for 1 person: warned, not cut (§ 35 Abs. 2)
    hinweise: ['über der Angemessenheitsgrenze von 450,00'],
  },
  {
    name: 'Ehepaar im Alter, Merkzeichen G, Durchlauferhitzer, zwei Renten',
    haushalt: {
      personen: [
        person('Schäfer', 'Günther', '1950-02-02', {
          wohnsituation: 'mit_partner',
          merkzeichenG: true,
          einkommenCents: 82000,
          einkommensart: 'Altersrente',
        }),
        person('Schäfer', 'Hildegard', '1952-09-09', { wohnsituation: 'mit_partner', einkommenCents: 31000 }),
      ],
      unterkunft: wohnung(45000, 11000, 9500, true),
    },
    monat: '2026-12',
    ags: SIEGEN,
    zeilen: [
      ['Günther Schäfer: Regelbedarfsstufe 2', 50600, 'RBSFV 2026'],
      ['Merkzeichen G, 17 %', 8602, '§ 30 Abs. 1'], // 17 % of 506,00 = 86,02
      ['Günther Schäfer: dezentrale Warmwassererzeugung, 2,3 %', 1164, '§ 30 Abs. 7'], // 11,638 → 11,64
      ['Hildegard Schäfer: Regelbedarfsstufe 2', 50600, 'RBSFV 2026'],
      ['Hildegard Schäfer: dezentrale Warmwassererzeugung', 1164, '§ 30 Abs. 7'],
      ['Unterkunft', 56000, '§ 35 Abs. 1'],
      ['Heizung', 9500, '§ 35 Abs. 4'],
      ['Einkommen Günther Schäfer: Altersrente', -82000, '§§ 82–84'],
      ['Einkommen Hildegard Schäfer', -31000, '§§ 82–84'],
    ],
    bedarf: 177630, // 506 + 86,02 + 11,64 + 506 + 11,64 + 560 + 95 = 1.776,30 €
    einkommen: 113000,
    anspruch: 64630, // 1.776,30 − 1.130,00
    // 560,00 € bruttokalt > 550,00 € for 2 persons
    hinweise: ['über der Angemessenheitsgrenze von 550,00 € für 2 Personen'],
  },
  {
    name: 'Alleinerziehende mit zwei Kindern (5 und 11 Jahre), Heizkosten über dem Grenzwert',
    haushalt: {
      personen: [
        person('Kowalski', 'Maria', '1990-03-10', { alleinerziehend: true }),
        person('Kowalski', 'Lena', '2021-06-01', {
          einkommenCents: 30000,
          einkommensart: 'Unterhaltsvorschuss',
        }),
        person('Kowalski', 'Jonas', '2015-02-01'),
      ],
      unterkunft: wohnung(52000, 13000, 11000),
    },
    monat: '2026-12',
    ags: SIEGEN,
    zeilen: [
      ['Maria Kowalski: Regelbedarfsstufe 1', 56300, 'RBSFV 2026'],
      ['alleinerziehend mit 2 Kindern, 36 %', 20268, '§ 30 Abs. 3 Nr. 1'], // 36 % of 563,00 = 202,68
      ['Lena Kowalski: Regelbedarfsstufe 6', 35700, 'RBSFV 2026'], // 5 years
      ['Jonas Kowalski: Regelbedarfsstufe 5', 39000, 'RBSFV 2026'], // 11 years
      ['Unterkunft', 65000, '§ 35 Abs. 1'],
      ['Heizung', 11000, '§ 35 Abs. 4'],
      ['Einkommen Lena Kowalski: Unterhaltsvorschuss', -30000, '§§ 82–84'],
    ],
    bedarf: 227268, // 563 + 202,68 + 357 + 390 + 650 + 110
    einkommen: 30000,
    anspruch: 197268,
    // 650,00 € = limit for 3 persons (not over); heating 110,00 € > 100,00 €
    hinweise: ['Heizkosten 110,00 € liegen über dem Grenzwert von 100,00 € für 3 Personen'],
  },
  {
    name: 'Kind wird 14: im Dezember Stufe 5, im Januar Stufe 4 (Alleinerziehende, 12 %)',
    haushalt: {
      personen: [
        person('Weiß', 'Sabine', '1985-01-01', { alleinerziehend: true }),
        person('Weiß', 'Tim', '2012-12-15'),
      ],
      unterkunft: wohnung(40000, 8000, 7000),
    },
    monat: '2026-12',
    ags: OLPE_STADT,
    zeilen: [
      ['Sabine Weiß: Regelbedarfsstufe 1', 56300, 'RBSFV 2026'],
      ['alleinerziehend mit 1 Kind, 12 %', 6756, '§ 30 Abs. 3 Nr. 2'], // one child of 13: Nr. 2, 12 % of 563 = 67,56
      ['Tim Weiß: Regelbedarfsstufe 5 (Kinder von 6 bis 13 Jahren) – 13 Jahre', 39000, 'RBSFV 2026'],
      ['Unterkunft', 48000, '§ 35 Abs. 1'],
      ['Heizung', 7000, '§ 35 Abs. 4'],
    ],
    bedarf: 157056,
    einkommen: 0,
    anspruch: 157056,
    hinweise: ['keine Angemessenheitsgrenze der Unterkunftskosten hinterlegt'],
  },
  {
    name: 'derselbe Haushalt im Januar 2027 (Tabelle nicht bestätigt, Stufe 4)',
    haushalt: {
      personen: [
        person('Weiß', 'Sabine', '1985-01-01', { alleinerziehend: true }),
        person('Weiß', 'Tim', '2012-12-15'),
      ],
      unterkunft: wohnung(40000, 8000, 7000),
    },
    monat: '2027-01',
    ags: OLPE_STADT,
    zeilen: [
      ['Sabine Weiß: Regelbedarfsstufe 1', 56300, 'RBSFV 2026'],
      ['alleinerziehend mit 1 Kind, 12 %', 6756, '§ 30 Abs. 3 Nr. 2'],
      ['Tim Weiß: Regelbedarfsstufe 4 (Jugendliche von 14 bis 17 Jahren) – 14 Jahre', 47100, 'RBSFV 2026'],
      ['Unterkunft', 48000, '§ 35 Abs. 1'],
      ['Heizung', 7000, '§ 35 Abs. 4'],
    ],
    bedarf: 165156, // 563 + 67,56 + 471 + 480 + 70
    einkommen: 0,
    anspruch: 165156,
    hinweise: ['Regelbedarf für 2027-01 nicht bestätigt', 'keine Angemessenheitsgrenze'],
  },
  {
    name: 'Mehrbedarfe über der Regelbedarfsstufe: Kürzung nach § 30 Abs. 6',
    haushalt: {
      personen: [
        person('Brandt', 'Aylin', '1996-04-04', {
          schwanger: true,
          eingliederungshilfe: true,
          ernaehrungCents: 30000,
          einkommenCents: 100000,
        }),
      ],
      unterkunft: wohnung(30000, 6000, 5000),
    },
    monat: '2026-12',
    ags: SIEGEN,
    zeilen: [
      ['Regelbedarfsstufe 1', 56300, 'RBSFV 2026'],
      ['Schwangerschaft nach der 12. Woche, 17 %', 9571, '§ 30 Abs. 2'], // 95,71
      ['Eingliederungshilfe, 35 %', 19705, '§ 30 Abs. 4'], // 197,05
      ['kostenaufwändige Ernährung', 30000, '§ 30 Abs. 5'],
      ['Kürzung', -2976, '§ 30 Abs. 6'], // 95,71 + 197,05 + 300 = 592,76 − 563 = 29,76
      ['Unterkunft', 36000, '§ 35 Abs. 1'],
      ['Heizung', 5000, '§ 35 Abs. 4'],
      ['Einkommen', -100000, '§§ 82–84'],
    ],
    bedarf: 153600, // 563 + 563 + 360 + 50
    einkommen: 100000,
    anspruch: 53600,
    hinweise: [],
  },
  {
    name: 'Einkommen deckt den Bedarf (geteilter Wohnraum, Stufe 2)',
    haushalt: {
      personen: [
        person('Nowak', 'Piotr', '1960-06-06', {
          wohnsituation: 'geteilter_wohnraum',
          einkommenCents: 90000,
        }),
      ],
      unterkunft: wohnung(25000, 5000, 4000),
    },
    monat: '2026-12',
    ags: SIEGEN,
    zeilen: [
      ['Regelbedarfsstufe 2', 50600, 'RBSFV 2026'],
      ['Unterkunft', 30000, '§ 35 Abs. 1'],
      ['Heizung', 4000, '§ 35 Abs. 4'],
      ['Einkommen', -90000, '§§ 82–84'],
    ],
    bedarf: 84600,
    einkommen: 90000,
    anspruch: 0,
    hinweise: ['kein Anspruch in diesem Monat'],
  },
  {
    name: 'Einrichtung, Merkzeichen G neben Eingliederungshilfe (nur Abs. 4)',
    haushalt: {
      personen: [
        person('Krüger', 'Heinz', '1986-08-08', {
          wohnsituation: 'einrichtung',
          merkzeichenG: true,
          eingliederungshilfe: true,
        }),
      ],
      unterkunft: wohnung(0, 0, 0),
    },
    monat: '2026-12',
    ags: SIEGEN,
    zeilen: [
      ['Regelbedarfsstufe 3', 45100, 'RBSFV 2026'],
      ['Eingliederungshilfe, 35 %', 15785, '§ 30 Abs. 4'], // 35 % of 451,00 = 157,85
      ['Unterkunft', 0, '§ 35 Abs. 1'],
      ['Heizung', 0, '§ 35 Abs. 4'],
    ],
    bedarf: 60885,
    einkommen: 0,
    anspruch: 60885,
    hinweise: ['§ 30 Abs. 1 neben Abs. 4 SGB XII nicht berücksichtigt'],
  },
  {
    name: 'Alleinerziehend mit vier Kindern: 4 × 12 % = 48 % (mehr als 36 %)',
    haushalt: {
      personen: [
        person('Yılmaz', 'Derya', '1988-11-11', { alleinerziehend: true }),
        person('Yılmaz', 'Ada', '2024-03-01'),
        person('Yılmaz', 'Can', '2022-05-01'),
        person('Yılmaz', 'Elif', '2017-01-10'),
        person('Yılmaz', 'Emre', '2014-07-07'),
      ],
      unterkunft: wohnung(70000, 15000, 13000),
    },
    monat: '2026-12',
    ags: SIEGEN,
    zeilen: [
      ['Derya Yılmaz: Regelbedarfsstufe 1', 56300, 'RBSFV 2026'],
      ['alleinerziehend mit 4 Kindern, 48 %', 27024, '§ 30 Abs. 3 Nr. 2'], // 48 % of 563 = 270,24
      ['Ada Yılmaz: Regelbedarfsstufe 6', 35700, 'RBSFV 2026'],
      ['Can Yılmaz: Regelbedarfsstufe 6', 35700, 'RBSFV 2026'],
      ['Elif Yılmaz: Regelbedarfsstufe 5', 39000, 'RBSFV 2026'],
      ['Emre Yılmaz: Regelbedarfsstufe 5', 39000, 'RBSFV 2026'],
      ['Unterkunft', 85000, '§ 35 Abs. 1'], // = 750 + 1 × 100 for 5 persons: not over
      ['Heizung', 13000, '§ 35 Abs. 4'],
    ],
    bedarf: 330724, // 563 + 270,24 + 357 + 357 + 390 + 390 + 850 + 130
    einkommen: 0,
    anspruch: 330724, // heating 130,00 over the last listed limit 100,00 (no per-person step): warned, not cut
    hinweise: ['Heizkosten 130,00 € liegen über dem Grenzwert von 100,00 € für 5 Personen'],
  },
];

describe('Sozialhilfe: monthly calculation of hand-worked households', () => {
  it.each(FAELLE)('$name', (f) => {
    const b = berechne(f.haushalt, f.monat, f.ags, REGELN);
    expect(b.zeilen.map((z) => z.cents)).toEqual(f.zeilen.map(([, c]) => c));
    f.zeilen.forEach(([text, , quelle], i) => {
      expect(b.zeilen[i]?.text).toContain(text);
      expect(b.zeilen[i]?.quelle).toContain(quelle);
    });
    expect(b.bedarfCents).toBe(f.bedarf);
    expect(b.einkommenCents).toBe(f.einkommen);
    expect(b.anspruchCents).toBe(f.anspruch);
    expect(b.hinweise).toHaveLength(f.hinweise.length);
    f.hinweise.forEach((h, i) => {
      expect(b.hinweise[i]).toContain(h);
    });
  });

  it('rounds a share half up to the cent', () => {
    expect(anteil(50600, 230)).toBe(1164); // 11,638
    expect(anteil(45100, 80)).toBe(361); // 3,608
    expect(anteil(100, 50)).toBe(1); // 0,005 → 0,01
    expect(anteil(100, 49)).toBe(0);
  });

  it('takes other shares and limits from configuration, and refuses malformed ones in German', () => {
    const r = parseRegeln(
      JSON.stringify({
        mehrbedarf: { gehbehinderungBp: 2000 },
        kdu: [{ ags: SIEGEN, bruttokaltCents: [40000], jeWeiterePersonCents: 5000, quelle: 'Test' }],
      }),
    );
    const b = berechne(
      {
        personen: [person('A', 'B', '1950-01-01', { merkzeichenG: true })],
        unterkunft: wohnung(41000, 0, 0),
      },
      '2026-12',
      SIEGEN,
      r,
    );
    expect(b.zeilen[1]?.cents).toBe(11260); // 20 % of 563,00
    expect(b.hinweise[0]).toContain('über der Angemessenheitsgrenze von 400,00 €');
    expect(() => parseRegeln('{"kdu":[{"ags":"123"}]}')).toThrow('"ags" hat acht Ziffern');
    expect(() => parseRegeln('{"mehrbedarf":{"schwangerschaftBp":-1}}')).toThrow('Basispunkten');
    expect(() => parseRegeln('kein json')).toThrow('kein gültiges JSON');
  });

  it('refuses a month before the dated table', () => {
    expect(() =>
      berechne(
        { personen: [person('A', 'B', '1950-01-01')], unterkunft: wohnung(0, 0, 0) },
        '2023-12',
        SIEGEN,
      ),
    ).toThrow('kein Regelbedarf hinterlegt');
  });
});
