import { z } from 'zod';

/**
 * Number plates (amtliche Kennzeichen), browser-safe: parsing and checking a plate, the legal
 * order of the series and the walk through the configured pool in that order. The server
 * (server/plates.ts) allocates with these functions inside the case's transaction.
 *
 * Facts (FACTS.md §4; FZV § 8/§ 9, old FZV Anlage 2, kba.de glossary): Unterscheidungszeichen
 * 1-3 letters (umlauts possible, e.g. LÖ); Erkennungsnummer 1-2 letters A-Z (no umlauts) and
 * 1-4 digits without a leading zero; at most 8 characters in total without separators, the
 * suffix E (electric, EmoG) or H (historic) takes one of them. Letter combinations KZ, HJ, NS, SA,
 * SS are never issued; further combinations per Land are configuration (the NRW list is
 * UNCONFIRMED). Series in the order A 1-999, AA 1-99, AA 100-999, A 1000-9999, AA 1000-9999.
 * Kurzzeitkennzeichen (FZV § 16a): digits only after the Unterscheidungszeichen, beginning with
 * 03 or 04 (kfz-versicherungsvergleich.de, k-f-z-versicherung.com).
 */

export const MAX_PLATE_CHARS = 8;
export const BANNED_LETTERS = ['KZ', 'HJ', 'NS', 'SA', 'SS'] as const;
/** Default for the Land-specific list (configurable per office; NRW UNCONFIRMED, FACTS.md §4). */
export const DEFAULT_EXTRA_BANNED = ['AH 18', 'AH 88', 'HH 18', 'HH 88', 'SD'];

export type Suffix = 'E' | 'H';
export type PlateKind = 'standard' | 'kurzzeit';

export interface Plate {
  unterscheidungszeichen: string;
  /** Letters of the Erkennungsnummer ('' for a Kurzzeitkennzeichen). */
  buchstaben: string;
  /** Digits of the Erkennungsnummer as written (a Kurzzeitkennzeichen starts with 03/04). */
  ziffern: string;
  art: PlateKind;
}

/** "SI-AB 123" (the plate's identity; the E/H suffix is not part of it). */
export function plateKey(p: Plate): string {
  return p.art === 'kurzzeit'
    ? `${p.unterscheidungszeichen}-${p.ziffern}`
    : `${p.unterscheidungszeichen}-${p.buchstaben} ${p.ziffern}`;
}

/** The plate as printed: "SI-AB 123E". */
export function plateText(p: Plate, suffix?: Suffix | null): string {
  return `${plateKey(p)}${suffix ?? ''}`;
}

export function plateLength(p: Plate, suffix?: Suffix | null): number {
  return p.unterscheidungszeichen.length + p.buchstaben.length + p.ziffern.length + (suffix ? 1 : 0);
}

/**
 * The XKfz fixed-width form (el:Kennzeichen, 9 characters of [0-9A-ZÄÖÜ ]): Unterscheidungszeichen
 * left-aligned in 3, letters left-aligned in 2, digits right-aligned in 4 ("SI AB 123"). The
 * alignment is our reading of the schema's pattern (it admits this form), UNCONFIRMED against the
 * KBA's SDÜ description; see docs/KFZ.md.
 */
export function xkfzKennzeichen(p: Plate): string {
  if (p.art === 'kurzzeit') {
    return `${p.unterscheidungszeichen.padEnd(3)}${p.ziffern.slice(0, 2)}${p.ziffern.slice(2).padStart(4)}`;
  }
  return `${p.unterscheidungszeichen.padEnd(3)}${p.buchstaben.padEnd(2)}${p.ziffern.padStart(4)}`;
}

export type PlateCheck = { ok: true; plate: Plate; suffix: Suffix | null } | { ok: false; message: string };

const EXAMPLE =
  'Bitte in der Form SI-AB 123 angeben (Unterscheidungszeichen, Bindestrich, 1–2 Buchstaben, 1–4 Ziffern, ggf. E oder H).';

function upper(input: string): string {
  return input.normalize('NFC').trim().toUpperCase();
}

/** A Land-specific banned entry: letters only ("SD") or letters and number ("AH 18"). */
export function parseBannedEntry(entry: string): { buchstaben: string; ziffern?: string } | null {
  const m = /^([A-Z]{1,2})(?:\s+([1-9]\d{0,3}))?$/.exec(upper(entry));
  if (!m) return null;
  return m[2] ? { buchstaben: m[1] as string, ziffern: m[2] } : { buchstaben: m[1] as string };
}

/** Why the letters (and number) of an Erkennungsnummer may not be issued, or null. */
export function bannedReason(
  buchstaben: string,
  ziffern: string,
  extraBanned: readonly string[],
): string | null {
  if ((BANNED_LETTERS as readonly string[]).includes(buchstaben)) {
    return `Die Buchstabenfolge „${buchstaben}“ wird als Erkennungsnummer nicht vergeben.`;
  }
  for (const raw of extraBanned) {
    const e = parseBannedEntry(raw);
    if (!e || e.buchstaben !== buchstaben) continue;
    if (!e.ziffern) return `Die Buchstabenfolge „${buchstaben}“ wird in diesem Land nicht vergeben.`;
    if (e.ziffern === ziffern)
      return `Die Kombination „${buchstaben} ${ziffern}“ wird in diesem Land nicht vergeben.`;
  }
  return null;
}

/**
 * Reads and checks a plate typed by a clerk ("SI-AB 123", "si ab123 e", "SI-04123"). Every refusal
 * is a German sentence that says what is wrong.
 */
export function checkPlate(input: string, opts: { extraBanned?: readonly string[] } = {}): PlateCheck {
  const s = upper(input).replace(/\s+/g, ' ');
  if (s.length === 0) return { ok: false, message: `Kennzeichen fehlt. ${EXAMPLE}` };
  if (s.length > 16) return { ok: false, message: `Kennzeichen ist zu lang. ${EXAMPLE}` };
  const kurz = /^([A-ZÄÖÜ]{1,3})[- ]+(0[34]\d{1,4})$/.exec(s);
  if (kurz) {
    const plate: Plate = {
      unterscheidungszeichen: kurz[1] as string,
      buchstaben: '',
      ziffern: kurz[2] as string,
      art: 'kurzzeit',
    };
    if (plateLength(plate) > MAX_PLATE_CHARS) {
      return {
        ok: false,
        message: `Ein Kennzeichen hat höchstens ${MAX_PLATE_CHARS} Zeichen (ohne Trennzeichen).`,
      };
    }
    return { ok: true, plate, suffix: null };
  }
  const m = /^([A-ZÄÖÜ]{1,3})[- ]+([A-ZÄÖÜ]{1,3}) ?-? ?(\d{1,5}) ?([EH])?$/.exec(s);
  if (!m) return { ok: false, message: `Kennzeichen nicht lesbar. ${EXAMPLE}` };
  const [, code, letters, digits, suffix] = m as unknown as [
    string,
    string,
    string,
    string,
    Suffix | undefined,
  ];
  if (/[ÄÖÜ]/.test(letters)) {
    return { ok: false, message: 'Umlaute (Ä, Ö, Ü) sind in der Erkennungsnummer nicht zulässig.' };
  }
  if (letters.length > 2) {
    return { ok: false, message: 'Die Erkennungsnummer hat höchstens zwei Buchstaben.' };
  }
  if (digits.startsWith('0')) {
    return { ok: false, message: 'Die Zahl der Erkennungsnummer beginnt nicht mit 0.' };
  }
  if (digits.length > 4) {
    return { ok: false, message: 'Die Erkennungsnummer hat höchstens vier Ziffern.' };
  }
  const plate: Plate = {
    unterscheidungszeichen: code,
    buchstaben: letters,
    ziffern: digits,
    art: 'standard',
  };
  const len = plateLength(plate, suffix ?? null);
  if (len > MAX_PLATE_CHARS) {
    return {
      ok: false,
      message: `Ein Kennzeichen hat höchstens ${MAX_PLATE_CHARS} Zeichen ohne Trennzeichen, ein E oder H eingerechnet; ${plateText(plate, suffix ?? null)} hat ${len}.`,
    };
  }
  const banned = bannedReason(letters, digits, opts.extraBanned ?? DEFAULT_EXTRA_BANNED);
  if (banned) return { ok: false, message: banned };
  return { ok: true, plate, suffix: suffix ?? null };
}

// ---- the legal order -------------------------------------------------------------------------

/**
 * Serienklasse in the legal order: 0 = A 1-999, 1 = AA 1-99, 2 = AA 100-999, 3 = A 1000-9999,
 * 4 = AA 1000-9999.
 */
export function seriesClass(letters: number, n: number): number {
  if (letters === 1) return n <= 999 ? 0 : 3;
  if (n <= 99) return 1;
  return n <= 999 ? 2 : 4;
}

const CLASS_RANGES: Record<1 | 2, Array<[cls: number, from: number, to: number]>> = {
  1: [
    [0, 1, 999],
    [3, 1000, 9999],
  ],
  2: [
    [1, 1, 99],
    [2, 100, 999],
    [4, 1000, 9999],
  ],
};

function lettersIndex(letters: string): number {
  const a = (letters.charCodeAt(0) - 65) as number;
  return letters.length === 1 ? a : a * 26 + (letters.charCodeAt(1) - 65);
}

const CLASS_STEP = 100_000_000;
const LETTER_STEP = 10_000;

/** Position of a plate in the legal order of its Unterscheidungszeichen (an integer). */
export function plateRank(p: Plate): number {
  if (p.art === 'kurzzeit') return kurzzeitRank(p);
  const n = Number(p.ziffern);
  return seriesClass(p.buchstaben.length, n) * CLASS_STEP + lettersIndex(p.buchstaben) * LETTER_STEP + n;
}

// ---- configuration of the pool ---------------------------------------------------------------

const code = z
  .string({ error: 'Unterscheidungszeichen: Bitte angeben.' })
  .trim()
  .toUpperCase()
  .regex(/^[A-ZÄÖÜ]{1,3}$/, 'Unterscheidungszeichen: 1 bis 3 Buchstaben.');
const range = {
  von: z.number({ error: 'Von: Bitte eine Zahl angeben.' }).int().min(1, 'Von: mindestens 1.').max(9999),
  bis: z.number({ error: 'Bis: Bitte eine Zahl angeben.' }).int().min(1).max(9999, 'Bis: höchstens 9999.'),
};

export const seriesSchema = z
  .object({
    unterscheidungszeichen: code,
    buchstaben: z
      .array(
        z
          .string()
          .trim()
          .toUpperCase()
          .regex(/^[A-Z]{1,2}$/, 'Buchstaben: je 1 oder 2 Buchstaben A–Z, ohne Umlaute.'),
      )
      .min(1, 'Buchstaben: Bitte mindestens eine Buchstabenfolge angeben.')
      .max(200, 'Buchstaben: höchstens 200 Folgen je Serie.'),
    ...range,
  })
  .strict()
  .superRefine((s, ctx) => {
    if (s.von > s.bis)
      ctx.addIssue({ code: 'custom', path: ['bis'], message: 'Bis: muss mindestens „von“ sein.' });
    s.buchstaben.forEach((b, i) => {
      if ((BANNED_LETTERS as readonly string[]).includes(b)) {
        ctx.addIssue({
          code: 'custom',
          path: ['buchstaben', i],
          message: `Die Buchstabenfolge „${b}“ wird nie vergeben und kann keine Serie sein.`,
        });
      }
    });
  });

export const kurzzeitSeriesSchema = z
  .object({
    unterscheidungszeichen: code,
    praefix: z.enum(['03', '04'], { error: 'Präfix: 03 oder 04.' }),
    von: range.von,
    bis: z.number({ error: 'Bis: Bitte eine Zahl angeben.' }).int().min(1).max(999, 'Bis: höchstens 999.'),
  })
  .strict()
  .superRefine((s, ctx) => {
    if (s.von > s.bis)
      ctx.addIssue({ code: 'custom', path: ['bis'], message: 'Bis: muss mindestens „von“ sein.' });
  });

export const WUNSCH_MODES = {
  aus: 'keine Wunschkennzeichen',
  nur_serien: 'nur aus den Notbetriebsserien',
  alle: 'alle zulässigen Kennzeichen des Kreises',
} as const;

/**
 * The office's pool (Kennzeichenvorrat) for emergency operation. During the outage the register
 * of existing plates cannot be queried, so plates are handed out only from series the office
 * knows to be free (FACTS.md §0: "plates handed out from predefined series"); Wunschkennzeichen
 * outside them are off by default for the same reason.
 */
export const plateConfigSchema = z
  .object({
    serien: z.array(seriesSchema).max(50, 'Höchstens 50 Serien.'),
    kurzzeit: z.array(kurzzeitSeriesSchema).max(10, 'Höchstens 10 Kurzzeitserien.').default([]),
    /** Days a deregistered plate stays blocked before it returns to the pool (UNCONFIRMED, configurable). */
    sperrfristTage: z.number().int().min(0).max(3650).default(90),
    /** Days a Wunschkennzeichen stays reserved (90 days e.g. in Bremen, service.bremen.de). */
    reservierungTage: z.number().int().min(1).max(365).default(90),
    wunschkennzeichen: z.enum(['aus', 'nur_serien', 'alle']).default('nur_serien'),
    zusaetzlichGesperrt: z
      .array(
        z
          .string()
          .trim()
          .toUpperCase()
          .refine((v) => parseBannedEntry(v) !== null, 'Gesperrte Kombination: z. B. „SD“ oder „AH 18“.'),
      )
      .max(200)
      .default(DEFAULT_EXTRA_BANNED),
  })
  .strict();

export type SeriesConfig = z.output<typeof seriesSchema>;
export type KurzzeitSeriesConfig = z.output<typeof kurzzeitSeriesSchema>;
export type PlateConfig = z.output<typeof plateConfigSchema>;

export const EMPTY_PLATE_CONFIG: PlateConfig = plateConfigSchema.parse({ serien: [] });

/** One contiguous run of the pool: the same letters, one Serienklasse, a number range. */
export interface Segment {
  buchstaben: string;
  from: number;
  to: number;
  /** Rank of number 0 in this run (rank of n = base + n). */
  base: number;
}

/**
 * The pool of one Unterscheidungszeichen as runs in the legal order (overlapping entries merged).
 */
export function segmentsOf(config: PlateConfig, unterscheidungszeichen: string): Segment[] {
  const byKey = new Map<string, Array<[number, number]>>();
  for (const s of config.serien) {
    if (s.unterscheidungszeichen !== unterscheidungszeichen) continue;
    for (const b of s.buchstaben) {
      for (const [cls, from, to] of CLASS_RANGES[b.length as 1 | 2]) {
        const lo = Math.max(from, s.von);
        const hi = Math.min(to, s.bis);
        if (lo > hi) continue;
        const key = `${cls}|${b}`;
        const list = byKey.get(key) ?? [];
        list.push([lo, hi]);
        byKey.set(key, list);
      }
    }
  }
  const out: Segment[] = [];
  for (const [key, ranges] of byKey) {
    const [cls, b] = key.split('|') as [string, string];
    const base = Number(cls) * CLASS_STEP + lettersIndex(b) * LETTER_STEP;
    ranges.sort((x, y) => x[0] - y[0]);
    let cur: [number, number] | undefined;
    for (const r of ranges) {
      if (cur && r[0] <= cur[1] + 1) cur[1] = Math.max(cur[1], r[1]);
      else {
        if (cur) out.push({ buchstaben: b, from: cur[0], to: cur[1], base });
        cur = [r[0], r[1]];
      }
    }
    if (cur) out.push({ buchstaben: b, from: cur[0], to: cur[1], base });
  }
  return out.sort((x, y) => x.base + x.from - (y.base + y.from));
}

export interface Candidate {
  plate: Plate;
  rank: number;
}

/**
 * The plates of the pool after `afterRank`, in the legal order, that may be issued with the given
 * suffix (length, banned combinations). A generator: the caller stops when it found a free one.
 * `issuableWithoutSuffix` tells the caller whether a skipped plate is skipped for everybody.
 */
export function* poolAfter(
  config: PlateConfig,
  unterscheidungszeichen: string,
  afterRank: number,
): Generator<Candidate & { issuable: (suffix: Suffix | null) => boolean }> {
  for (const seg of segmentsOf(config, unterscheidungszeichen)) {
    if (seg.base + seg.to <= afterRank) continue;
    for (let n = Math.max(seg.from, afterRank - seg.base + 1); n <= seg.to; n++) {
      const plate: Plate = {
        unterscheidungszeichen,
        buchstaben: seg.buchstaben,
        ziffern: String(n),
        art: 'standard',
      };
      const lenWithout = plateLength(plate);
      // Numbers only grow within a run: once too long without a suffix, the rest of the run is too.
      if (lenWithout > MAX_PLATE_CHARS) break;
      const banned = bannedReason(seg.buchstaben, plate.ziffern, config.zusaetzlichGesperrt) !== null;
      yield {
        plate,
        rank: seg.base + n,
        issuable: (suffix) => !banned && plateLength(plate, suffix) <= MAX_PLATE_CHARS,
      };
    }
  }
}

/** True when the plate lies in the office's configured pool. */
export function inPool(config: PlateConfig, p: Plate): boolean {
  if (p.art === 'kurzzeit') {
    const n = Number(p.ziffern.slice(2));
    return config.kurzzeit.some(
      (k) =>
        k.unterscheidungszeichen === p.unterscheidungszeichen &&
        p.ziffern === kurzzeitDigits(k.praefix, n) &&
        n >= k.von &&
        n <= k.bis,
    );
  }
  const n = Number(p.ziffern);
  return config.serien.some(
    (s) =>
      s.unterscheidungszeichen === p.unterscheidungszeichen &&
      s.buchstaben.includes(p.buchstaben) &&
      n >= s.von &&
      n <= s.bis,
  );
}

export function kurzzeitDigits(praefix: string, n: number): string {
  return `${praefix}${String(n).padStart(3, '0')}`;
}

/** Kurzzeitkennzeichen of the pool after `afterRank` (rank = number within the series). */
export function* kurzzeitPoolAfter(
  config: PlateConfig,
  unterscheidungszeichen: string,
  afterRank: number,
): Generator<Candidate> {
  const series = config.kurzzeit
    .filter((k) => k.unterscheidungszeichen === unterscheidungszeichen)
    .sort((a, b) => a.praefix.localeCompare(b.praefix) || a.von - b.von);
  for (const k of series) {
    const offset = k.praefix === '03' ? 0 : 1000;
    for (let n = Math.max(k.von, afterRank - offset + 1); n <= k.bis; n++) {
      yield {
        plate: {
          unterscheidungszeichen,
          buchstaben: '',
          ziffern: kurzzeitDigits(k.praefix, n),
          art: 'kurzzeit',
        },
        rank: offset + n,
      };
    }
  }
}

/** Rank of a Kurzzeitkennzeichen: 03-series before 04-series. */
export function kurzzeitRank(p: Plate): number {
  return (p.ziffern.startsWith('03') ? 0 : 1000) + Number(p.ziffern.slice(2));
}

/** The Unterscheidungszeichen a pool configures, in the order of first appearance. */
export function configuredCodes(config: PlateConfig, art: PlateKind = 'standard'): string[] {
  const list = art === 'standard' ? config.serien : config.kurzzeit;
  return [...new Set(list.map((s) => s.unterscheidungszeichen))];
}
