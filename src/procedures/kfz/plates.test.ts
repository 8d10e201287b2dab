import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { testPlateConfig } from './fixtures.js';
import {
  checkPlate,
  inPool,
  kurzzeitPoolAfter,
  type Plate,
  plateConfigSchema,
  plateKey,
  plateLength,
  plateRank,
  plateText,
  poolAfter,
  seriesClass,
  xkfzKennzeichen,
} from './plates.js';

const letter = fc.constantFrom(...'ABCDEFGHIJKLMNOPQRSTUVWXYZ'.split(''));
const code = fc.oneof(
  fc.stringMatching(/^[A-Z]{1,3}$/),
  fc.constantFrom('SI', 'BLB', 'OE', 'MK', 'HSK', 'SO', 'LP', 'LÖ', 'TÜ'),
);
const plateArb = fc
  .record({
    unterscheidungszeichen: code,
    buchstaben: fc.oneof(
      letter,
      fc.tuple(letter, letter).map(([a, b]) => a + b),
    ),
    n: fc.integer({ min: 1, max: 9999 }),
  })
  .map(
    ({ unterscheidungszeichen, buchstaben, n }): Plate => ({
      unterscheidungszeichen,
      buchstaben,
      ziffern: String(n),
      art: 'standard',
    }),
  );
const BANNED = ['KZ', 'HJ', 'NS', 'SA', 'SS'];

/** The XKfz pattern of el:Kennzeichen (shared/xsd/xkfz/Elementdefinitionen.xsd). */
const XKFZ_PATTERN = /^[0-9A-ZÄÖÜ][0-9A-ZÄÖÜ ][0-9A-ZÄÖÜ ][0-9A-Z ][0-9A-Z ][0-9A-Z ][0-9 ][0-9 ][0-9A-Z ]$/;

describe('Kennzeichen: Prüfung', () => {
  it('reads every plate of at most 8 characters in any spelling, and refuses longer ones', () => {
    fc.assert(
      fc.property(
        plateArb,
        fc.constantFrom(null, 'E', 'H'),
        fc.constantFrom('-', ' ', ' - '),
        fc.boolean(),
        (p, suffix, sep, gap) => {
          const typed = `${p.unterscheidungszeichen.toLowerCase()}${sep}${p.buchstaben}${gap ? ' ' : ''}${p.ziffern}${suffix ?? ''}`;
          const r = checkPlate(typed, { extraBanned: [] });
          const tooLong = plateLength(p, suffix as 'E' | null) > 8;
          if (BANNED.includes(p.buchstaben)) {
            expect(r.ok).toBe(false);
            return;
          }
          if (tooLong) {
            expect(r).toMatchObject({ ok: false });
            expect(!r.ok && r.message).toContain('höchstens 8 Zeichen');
            return;
          }
          expect(r.ok).toBe(true);
          if (r.ok) {
            expect(plateKey(r.plate)).toBe(plateKey(p));
            expect(r.suffix).toBe(suffix);
            expect(plateText(r.plate, r.suffix)).toBe(
              `${p.unterscheidungszeichen}-${p.buchstaben} ${p.ziffern}${suffix ?? ''}`,
            );
            expect(xkfzKennzeichen(r.plate)).toMatch(XKFZ_PATTERN);
          }
        },
      ),
    );
  });

  it('says why a plate is refused', () => {
    const msg = (t: string, extra: string[] = ['AH 18', 'SD']) => {
      const r = checkPlate(t, { extraBanned: extra });
      return r.ok ? 'ok' : r.message;
    };
    expect(msg('SI-SS 123')).toBe('Die Buchstabenfolge „SS“ wird als Erkennungsnummer nicht vergeben.');
    expect(msg('SI-KZ 1')).toContain('„KZ“');
    expect(msg('SI-AH 18')).toBe('Die Kombination „AH 18“ wird in diesem Land nicht vergeben.');
    expect(msg('SI-AH 19')).toBe('ok');
    expect(msg('SI-SD 5')).toBe('Die Buchstabenfolge „SD“ wird in diesem Land nicht vergeben.');
    expect(msg('SI-ÄB 12')).toBe('Umlaute (Ä, Ö, Ü) sind in der Erkennungsnummer nicht zulässig.');
    expect(msg('LÖ-AB 12')).toBe('ok');
    expect(msg('SI-AB 0123')).toBe('Die Zahl der Erkennungsnummer beginnt nicht mit 0.');
    expect(msg('SI-ABC 1')).toBe('Die Erkennungsnummer hat höchstens zwei Buchstaben.');
    expect(msg('HSK-AB 1234')).toBe(
      'Ein Kennzeichen hat höchstens 8 Zeichen ohne Trennzeichen, ein E oder H eingerechnet; HSK-AB 1234 hat 9.',
    );
    expect(msg('SI-AB 1234E')).toContain('SI-AB 1234E hat 9');
    expect(msg('SIAB123')).toContain('Kennzeichen nicht lesbar');
    expect(msg('SI-04123')).toBe('ok');
  });
});

describe('Kennzeichen: gesetzliche Reihenfolge der Serien', () => {
  it('orders A 1-999, AA 1-99, AA 100-999, A 1000-9999, AA 1000-9999; letters, then numbers', () => {
    const order = ['Z 999', 'A 999', 'AA 1', 'ZZ 99', 'AB 100', 'A 1000', 'Z 9999', 'AA 1000', 'A 1', 'B 1'];
    const sorted = [...order].sort(
      (x, y) => plateRank(checkPlateOk(`SI-${x}`)) - plateRank(checkPlateOk(`SI-${y}`)),
    );
    expect(sorted).toEqual([
      'A 1',
      'A 999',
      'B 1',
      'Z 999',
      'AA 1',
      'ZZ 99',
      'AB 100',
      'A 1000',
      'Z 9999',
      'AA 1000',
    ]);
    fc.assert(
      fc.property(plateArb, plateArb, (p, q) => {
        const key = (x: Plate) => [
          seriesClass(x.buchstaben.length, Number(x.ziffern)),
          x.buchstaben.length === 1
            ? x.buchstaben.charCodeAt(0) * 1000
            : x.buchstaben.charCodeAt(0) * 1000 + x.buchstaben.charCodeAt(1),
          Number(x.ziffern),
        ];
        const [a, b] = [key(p), key(q)];
        const cmp =
          (a[0] as number) - (b[0] as number) ||
          (a[1] as number) - (b[1] as number) ||
          (a[2] as number) - (b[2] as number);
        expect(Math.sign(plateRank(p) - plateRank(q))).toBe(Math.sign(cmp));
      }),
    );
  });

  it('walks the configured pool in that order, each plate once, also with overlapping series', () => {
    const cfg = plateConfigSchema.parse({
      serien: [
        { unterscheidungszeichen: 'BLB', buchstaben: ['X', 'XA'], von: 998, bis: 1001 },
        { unterscheidungszeichen: 'BLB', buchstaben: ['X'], von: 999, bis: 1000 },
      ],
    });
    const walked = [...poolAfter(cfg, 'BLB', 0)].map(
      (c) => `${plateKey(c.plate)}${c.issuable(null) ? '' : '!'}${c.issuable('E') ? '' : '-E'}`,
    );
    // BLB-XA 1000 has 9 characters: not in the walk; with E only BLB-X 998/999 fit.
    expect(walked).toEqual([
      'BLB-X 998',
      'BLB-X 999',
      'BLB-XA 998-E',
      'BLB-XA 999-E',
      'BLB-X 1000-E',
      'BLB-X 1001-E',
    ]);
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            buchstaben: fc.uniqueArray(
              fc.oneof(
                letter,
                fc.tuple(letter, letter).map(([a, b]) => a + b),
              ),
              {
                minLength: 1,
                maxLength: 3,
              },
            ),
            von: fc.integer({ min: 1, max: 9999 }),
            len: fc.integer({ min: 0, max: 150 }),
          }),
          { minLength: 1, maxLength: 4 },
        ),
        fc.integer({ min: 0, max: 410_000_000 }),
        (series, after) => {
          const parsed = plateConfigSchema.safeParse({
            serien: series.map((s) => ({
              unterscheidungszeichen: 'SI',
              buchstaben: s.buchstaben,
              von: s.von,
              bis: Math.min(9999, s.von + s.len),
            })),
          });
          if (!parsed.success) return; // e.g. a banned letter pair in the series
          const ranks = [...poolAfter(parsed.data, 'SI', after)].map((c) => {
            expect(inPool(parsed.data, c.plate)).toBe(true);
            expect(c.issuable(null)).toBe(checkPlate(plateKey(c.plate)).ok);
            return c.rank;
          });
          for (let i = 1; i < ranks.length; i++)
            expect(ranks[i] as number).toBeGreaterThan(ranks[i - 1] as number);
          if (ranks.length) expect(ranks[0] as number).toBeGreaterThan(after);
        },
      ),
      { numRuns: 60 },
    );
  });

  it('numbers Kurzzeitkennzeichen 03… before 04…, with three digits', () => {
    const cfg = testPlateConfig({
      kurzzeit: [
        { unterscheidungszeichen: 'SI', praefix: '04', von: 1, bis: 2 },
        { unterscheidungszeichen: 'SI', praefix: '03', von: 998, bis: 999 },
      ],
    });
    expect([...kurzzeitPoolAfter(cfg, 'SI', 0)].map((c) => plateKey(c.plate))).toEqual([
      'SI-03998',
      'SI-03999',
      'SI-04001',
      'SI-04002',
    ]);
    expect(xkfzKennzeichen(checkPlateOk('SI-04001'))).toMatch(XKFZ_PATTERN);
  });

  it('refuses a series with a banned letter pair', () => {
    const r = plateConfigSchema.safeParse({
      serien: [{ unterscheidungszeichen: 'SI', buchstaben: ['SS'], von: 1, bis: 9 }],
    });
    expect(r.success).toBe(false);
    expect(r.error?.issues[0]?.message).toBe(
      'Die Buchstabenfolge „SS“ wird nie vergeben und kann keine Serie sein.',
    );
  });
});

function checkPlateOk(t: string): Plate {
  const r = checkPlate(t, { extraBanned: [] });
  if (!r.ok) throw new Error(r.message);
  return r.plate;
}
