import {
  DEFAULT_REGELBEDARF_TABLE,
  type Regelbedarfsstufe,
  type RegelbedarfTable,
  regelbedarf,
  regelbedarfsstufe,
  type Wohnsituation,
} from '../../core/benefits/regelbedarf.js';
import { ageOn, formatGermanDate, type IsoDate, isValidIsoDate } from '../../core/dates.js';
import { addMonthsTo, daysInMonth, isMonth, monatText, nextMonth } from '../../core/months.js';

/**
 * The pure rules of the AsylbLG family: the dated § 3a table, the Bedarfsstufe of a person, the
 * switch to § 2 (analogue SGB XII rates) and the monthly entitlement line by line, in integer
 * cents. Browser-safe (data and pure functions): the case panel shows what the server computes.
 *
 * Sources (FACTS.md §7):
 * - § 3a AsylbLG totals (notwendiger Bedarf, § 3a Abs. 2, + notwendiger persönlicher Bedarf,
 *   § 3a Abs. 1), EUR per month:
 *   2024: 460 / 413 / 368 / 408 / 341 / 312 (hadelnhilft.de 2024; totals only);
 *   2025: 441 (245+196) / 397 (220+177) / 353 (196+157); Stufen 4-6 UNCONFIRMED → configuration
 *   (solex.walhalla.de 2025);
 *   2026: 455 (253+202) / 409 (227+182) / 365 (202+163) / 405 (267+138) / 337 (202+135) /
 *   309 (179+130) (bmas.de; BGBl. 2025 I Nr. 251).
 * - § 2 Abs. 1 AsylbLG: after 36 months of stay in the Bundesgebiet without essential
 *   interruption, benefits analogue to SGB XII (core/benefits/regelbedarf.ts, RBSFV 2024-2026).
 *   36 months since the Rückführungsverbesserungsgesetz (in force 27.02.2024); before, 18 months.
 * - § 2 Abs. 3 AsylbLG: a minor living with a parent gets § 2 only when a parent does.
 * - Partial months: one thirtieth of the monthly amount per day (30-day month), as for SGB XII
 *   (§ 27a Abs. 4 S. 2 SGB XII, docs/PAYMENTS.md).
 */

export const BEDARFSSTUFEN = [1, 2, 3, 4, 5, 6] as const;
export type Bedarfsstufe = (typeof BEDARFSSTUFEN)[number];

/** One Stufe of one § 3a row; the split is known for 2025 and 2026, not for 2024. */
export interface Para3aSatz {
  gesamtCents: number;
  notwendigCents?: number;
  persoenlichCents?: number;
}

export interface Para3aRow {
  validFrom: IsoDate;
  /** null: not confirmed and not configured — the calculation refuses that Stufe. */
  stufen: Record<Bedarfsstufe, Para3aSatz | null>;
  source: string;
}

export interface AsylRegeln {
  para3a: Para3aRow[];
  /** Last day for which the § 3a table is confirmed (later months continue the last row, marked). */
  confirmedUntil: IsoDate;
  /** Months of stay before § 2 applies (§ 2 Abs. 1 AsylbLG). */
  para2Monate: number;
  /** First benefit month the rules here cover (the 36-month rule holds from 27.02.2024). */
  ersterMonat: string;
  /**
   * Bedarfsstufe of a single adult in shared accommodation (Gemeinschaftsunterkunft,
   * `geteilter_wohnraum`): under § 3a the law reads Stufe 2 (§ 3a Abs. 1 Nr. 2 b AsylbLG); under
   * § 2 the BVerfG (19.10.2022, 1 BvL 3/21) ordered Stufe 1 until a new rule. Configurable.
   */
  stufeGemeinschaftsunterkunft: { para3a: Bedarfsstufe; para2: Bedarfsstufe };
  regelbedarf: RegelbedarfTable;
}

const satz = (gesamt: number, notwendig?: number, persoenlich?: number): Para3aSatz =>
  notwendig === undefined
    ? { gesamtCents: gesamt * 100 }
    : {
        gesamtCents: gesamt * 100,
        notwendigCents: notwendig * 100,
        persoenlichCents: (persoenlich ?? 0) * 100,
      };

export const DEFAULT_PARA3A: Para3aRow[] = [
  {
    validFrom: '2024-01-01',
    stufen: { 1: satz(460), 2: satz(413), 3: satz(368), 4: satz(408), 5: satz(341), 6: satz(312) },
    source: '§ 3a AsylbLG, Bekanntmachung 2024',
  },
  {
    validFrom: '2025-01-01',
    stufen: {
      1: satz(441, 245, 196),
      2: satz(397, 220, 177),
      3: satz(353, 196, 157),
      4: null,
      5: null,
      6: null,
    },
    source: '§ 3a AsylbLG, Bekanntmachung 2025',
  },
  {
    validFrom: '2026-01-01',
    stufen: {
      1: satz(455, 253, 202),
      2: satz(409, 227, 182),
      3: satz(365, 202, 163),
      4: satz(405, 267, 138),
      5: satz(337, 202, 135),
      6: satz(309, 179, 130),
    },
    source: '§ 3a AsylbLG, Bekanntmachung 2026 (BGBl. 2025 I Nr. 251)',
  },
];

export const DEFAULT_ASYL_REGELN: AsylRegeln = {
  para3a: DEFAULT_PARA3A,
  confirmedUntil: '2026-12-31',
  para2Monate: 36,
  ersterMonat: '2024-03',
  stufeGemeinschaftsunterkunft: { para3a: 2, para2: 1 },
  regelbedarf: DEFAULT_REGELBEDARF_TABLE,
};

export class AsylRegelError extends Error {}

const de = formatGermanDate;
/**
 * The first day after a period of `months` months that began on `start` (the day of entry counts:
 * §§ 187 Abs. 2, 188 Abs. 2 BGB). Where the corresponding day does not exist (31st, 29 February)
 * the period ends with the last day of that month (§ 188 Abs. 3 BGB), so the day after is the 1st.
 */
export function dayAfterMonths(start: IsoDate, months: number): IsoDate {
  const d = Number(start.slice(8, 10));
  const month = addMonthsTo(start.slice(0, 7), months);
  if (d <= daysInMonth(month)) return `${month}-${String(d).padStart(2, '0')}`;
  return `${nextMonth(month)}-01`;
}

/** The § 3a row in force on a day, with the Stufe's amounts; refuses unconfirmed, unconfigured ones. */
export function para3aSatz(
  stufe: Bedarfsstufe,
  on: IsoDate,
  regeln: AsylRegeln = DEFAULT_ASYL_REGELN,
): Para3aSatz & { validFrom: IsoDate; source: string; unconfirmed: boolean } {
  let row: Para3aRow | undefined;
  for (const r of regeln.para3a) if (r.validFrom <= on && (!row || r.validFrom > row.validFrom)) row = r;
  if (!row) throw new AsylRegelError(`Für den ${de(on)} ist kein Satz nach § 3a AsylbLG hinterlegt.`);
  const s = row.stufen[stufe];
  if (!s) {
    throw new AsylRegelError(
      `Der Satz der Bedarfsstufe ${stufe} nach § 3a AsylbLG ab ${de(row.validFrom)} ist nicht bestätigt. Bitte den amtlichen Betrag in der Konfiguration (NOTBETRIEB_ASYLBLG_JSON) hinterlegen.`,
    );
  }
  return { ...s, validFrom: row.validFrom, source: row.source, unconfirmed: on > regeln.confirmedUntil };
}

export interface AsylPerson {
  familienname: string;
  vornamen: string;
  geburtsdatum: IsoDate;
  /** First day of the stay in the Bundesgebiet (start of the 36 months of § 2 Abs. 1). */
  aufenthaltSeit: IsoDate;
  /** The stay was prolonged by the person's own abuse of rights (§ 2 Abs. 1 AsylbLG): no § 2. */
  rechtsmissbrauch?: boolean;
}

export interface StufeInfo {
  stufe: Bedarfsstufe;
  reason: string;
}

/** The Bedarfsstufe on a day (the first of the benefit month), under § 3a or § 2. */
export function bedarfsstufe(
  person: { geburtsdatum: IsoDate },
  wohnsituation: Wohnsituation,
  on: IsoDate,
  art: 'para3a' | 'para2',
  regeln: AsylRegeln = DEFAULT_ASYL_REGELN,
): StufeInfo {
  const base = regelbedarfsstufe({ geburtsdatum: person.geburtsdatum, wohnsituation }, on);
  if (base.age >= 18 && wohnsituation === 'geteilter_wohnraum') {
    const stufe = regeln.stufeGemeinschaftsunterkunft[art];
    const basis =
      art === 'para3a' ? '§ 3a Abs. 1 Nr. 2 b AsylbLG' : 'BVerfG, Beschluss vom 19.10.2022, 1 BvL 3/21';
    return { stufe, reason: `${base.age} Jahre, Gemeinschaftsunterkunft (${basis})` };
  }
  return { stufe: base.stufe as Bedarfsstufe, reason: base.reason };
}

export interface Para2Info {
  /** Day from which § 2 applies to the person, null when never (abuse of rights). */
  ab: IsoDate | null;
  /** Day the person's own 36 months are complete (before § 2 Abs. 3). */
  eigeneFristAb: IsoDate | null;
  reason: string;
}

/**
 * When each person of the case gets § 2 benefits: 36 months after the start of the stay; a minor
 * (on the day their own period ends) not before an adult of the case does (§ 2 Abs. 3; the
 * adults of a case are taken as the household's parents). Shown in advance on the case.
 */
export function para2Wechsel(
  personen: readonly AsylPerson[],
  regeln: AsylRegeln = DEFAULT_ASYL_REGELN,
): Para2Info[] {
  const own = personen.map((p) =>
    p.rechtsmissbrauch ? null : dayAfterMonths(p.aufenthaltSeit, regeln.para2Monate),
  );
  return personen.map((p, i) => {
    const d = own[i] ?? null;
    if (!d) {
      return {
        ab: null,
        eigeneFristAb: null,
        reason:
          'Kein Wechsel: Aufenthaltsdauer rechtsmissbräuchlich selbst beeinflusst (§ 2 Abs. 1 AsylbLG).',
      };
    }
    const frist = `${regeln.para2Monate} Monate Aufenthalt seit ${de(p.aufenthaltSeit)}`;
    const adults = personen
      .map((q, j) => ({ q, j }))
      .filter(({ q, j }) => j !== i && ageOn(q.geburtsdatum, d) >= 18);
    if (ageOn(p.geburtsdatum, d) >= 18 || adults.length === 0) {
      return { ab: d, eigeneFristAb: d, reason: `${frist}: ab ${de(d)} (§ 2 Abs. 1 AsylbLG)` };
    }
    const parent = adults
      .map(({ j }) => own[j])
      .filter((x): x is IsoDate => typeof x === 'string')
      .sort()[0];
    if (!parent) {
      return {
        ab: null,
        eigeneFristAb: d,
        reason: `${frist}, aber kein Elternteil erhält Leistungen nach § 2 (§ 2 Abs. 3 AsylbLG).`,
      };
    }
    const ab = parent.localeCompare(d) > 0 ? parent : d;
    return {
      ab,
      eigeneFristAb: d,
      reason:
        ab === d
          ? `${frist}: ab ${de(d)} (§ 2 Abs. 1, Abs. 3 AsylbLG)`
          : `${frist}; minderjährig: erst mit dem Elternteil ab ${de(ab)} (§ 2 Abs. 3 AsylbLG)`,
    };
  });
}

/** One line of a monthly calculation. */
export interface Position {
  /** Index of the person in the case (0-based), null for household lines (income). */
  person: number | null;
  text: string;
  grundlage: string;
  /** Days of the month the line covers (30 = whole month). */
  tage: number;
  /** Full monthly amount the line is based on (before the share for days). */
  monatsbetragCents: number;
  /** Amount of the line (negative for income). */
  betragCents: number;
  quelle?: string;
}

export interface Fassung {
  /** First benefit month this version of the decision applies to. */
  abMonat: string;
  /** Living situation of each person (same order as the persons). */
  wohnsituation: Wohnsituation[];
  /** Countable income of the household per month (§ 7 AsylbLG), cents. */
  einkommenCents: number;
}

export interface Leistungsfall {
  personen: AsylPerson[];
  /** Day benefits begin (the Bewilligung's "ab"). */
  leistungsBeginn: IsoDate;
  /** Last day of benefits (Einstellung), if any. */
  leistungsEnde?: IsoDate | null;
  fassungen: Fassung[];
}

export interface Monatsberechnung {
  monat: string;
  positionen: Position[];
  summeCents: number;
  /** Warnings for the clerk (unconfirmed table, § 2 switch in this month). */
  hinweise: string[];
}

/** Share of a monthly amount for `tage` days of a 30-day month, rounded to the cent. */
export function anteil(monatsCents: number, tage: number): number {
  return tage >= 30 ? monatsCents : Math.round((monatsCents * tage) / 30);
}

/**
 * Days from day `from` to day `to` of a month counted in the 30-day month: a day's position is its
 * number, at most 30, and the last day of the month is always 30 — so the days of a month add up
 * to 30 however it is split (February included; the 31st adds none).
 */
function tageImMonat(month: string, from: number, to: number): number {
  const last = daysInMonth(month);
  const pos = (d: number) => (d <= 0 ? 0 : d >= last ? 30 : Math.min(d, 30));
  return Math.max(0, pos(to) - pos(from - 1));
}

function fassungFuer(fall: Leistungsfall, month: string): Fassung {
  let f: Fassung | undefined;
  for (const x of fall.fassungen) if (x.abMonat <= month && (!f || x.abMonat >= f.abMonat)) f = x;
  if (!f) throw new AsylRegelError(`Für ${monatText(month)} liegt keine Bewilligung vor.`);
  return f;
}

/**
 * The entitlement of the case for a benefit month, line by line: per person and part of the
 * month the § 3a amounts (notwendiger Bedarf and persönlicher Bedarf where the split is known) or
 * the § 2 Regelbedarf, then the countable income. Refuses a month outside the benefit period.
 */
export function monatsanspruch(
  fall: Leistungsfall,
  month: string,
  regeln: AsylRegeln = DEFAULT_ASYL_REGELN,
): Monatsberechnung {
  if (!isMonth(month)) throw new AsylRegelError(`Kein gültiger Monat: ${month}`);
  if (month < regeln.ersterMonat) {
    throw new AsylRegelError(
      `Leistungsmonate vor ${monatText(regeln.ersterMonat)} (bis 26.02.2024 galt die 18-Monats-Frist des § 2 AsylbLG) bitte im Fachverfahren berechnen.`,
    );
  }
  if (!isValidIsoDate(fall.leistungsBeginn)) throw new AsylRegelError('Leistungsbeginn ungültig.');
  const first = `${month}-01`;
  const last = `${month}-${String(daysInMonth(month)).padStart(2, '0')}`;
  const von = fall.leistungsBeginn > first ? fall.leistungsBeginn : first;
  const bis = fall.leistungsEnde && fall.leistungsEnde < last ? fall.leistungsEnde : last;
  if (von > bis) throw new AsylRegelError(`${monatText(month)} liegt außerhalb des Leistungszeitraums.`);
  const fassung = fassungFuer(fall, month);
  const wechsel = para2Wechsel(fall.personen, regeln);
  const positionen: Position[] = [];
  const hinweise = new Set<string>();
  const day = (iso: IsoDate) => Number(iso.slice(8, 10));

  fall.personen.forEach((p, i) => {
    const name = `${p.vornamen} ${p.familienname}`;
    const wohn = fassung.wohnsituation[i] ?? 'geteilter_wohnraum';
    const w = wechsel[i]?.ab ?? null;
    const segments: Array<{ art: 'para3a' | 'para2'; from: IsoDate; to: IsoDate }> = [];
    if (w === null || w > bis) segments.push({ art: 'para3a', from: von, to: bis });
    else if (w <= von) segments.push({ art: 'para2', from: von, to: bis });
    else {
      const dayBefore = `${month}-${String(day(w) - 1).padStart(2, '0')}`;
      segments.push({ art: 'para3a', from: von, to: dayBefore }, { art: 'para2', from: w, to: bis });
      hinweise.add(`${name}: Wechsel zu Leistungen nach § 2 AsylbLG ab ${de(w)} (Teilmonat).`);
    }
    for (const s of segments) {
      const tage = tageImMonat(month, day(s.from), day(s.to));
      if (tage === 0) continue;
      const teil = tage < 30 ? ` (${tage}/30)` : '';
      const st = bedarfsstufe(p, wohn, first, s.art, regeln);
      if (s.art === 'para3a') {
        const r = para3aSatz(st.stufe, first, regeln);
        if (r.unconfirmed) {
          hinweise.add(
            `Die Sätze nach § 3a AsylbLG sind nur bis ${de(regeln.confirmedUntil)} bestätigt; für ${monatText(month)} gilt vorläufig der Satz ab ${de(r.validFrom)}.`,
          );
        }
        const lines: Array<[string, string, number]> =
          r.notwendigCents !== undefined && r.persoenlichCents !== undefined
            ? [
                ['Notwendiger Bedarf', '§ 3a Abs. 2 AsylbLG', r.notwendigCents],
                ['Notwendiger persönlicher Bedarf', '§ 3a Abs. 1 AsylbLG', r.persoenlichCents],
              ]
            : [
                [
                  'Grundleistung (notwendiger und persönlicher Bedarf)',
                  '§ 3a Abs. 1 und 2 AsylbLG',
                  r.gesamtCents,
                ],
              ];
        for (const [label, grundlage, cents] of lines) {
          positionen.push({
            person: i,
            text: `${name}: ${label}, Bedarfsstufe ${st.stufe}${teil} – ${st.reason}`,
            grundlage,
            tage,
            monatsbetragCents: cents,
            betragCents: anteil(cents, tage),
            quelle: r.source,
          });
        }
      } else {
        const rb = regelbedarf(st.stufe as Regelbedarfsstufe, first, regeln.regelbedarf);
        if (rb.unconfirmed) {
          hinweise.add(
            `Der Regelbedarf nach SGB XII ist für ${monatText(month)} nicht bestätigt (Satz ab ${de(rb.validFrom)}).`,
          );
        }
        positionen.push({
          person: i,
          text: `${name}: Regelbedarf entsprechend SGB XII, Regelbedarfsstufe ${st.stufe}${teil} – ${st.reason}`,
          grundlage: '§ 2 Abs. 1 AsylbLG i. V. m. § 27a, § 28 SGB XII',
          tage,
          monatsbetragCents: rb.cents,
          betragCents: anteil(rb.cents, tage),
          quelle: rb.source,
        });
      }
    }
  });
  const brutto = positionen.reduce((a, p) => a + p.betragCents, 0);
  if (fassung.einkommenCents > 0) {
    const abzug = Math.min(fassung.einkommenCents, brutto);
    positionen.push({
      person: null,
      text: 'Anrechenbares Einkommen des Haushalts',
      grundlage: '§ 7 AsylbLG',
      tage: 30,
      monatsbetragCents: fassung.einkommenCents,
      betragCents: -abzug,
    });
  }
  return {
    monat: month,
    positionen,
    summeCents: positionen.reduce((a, p) => a + p.betragCents, 0),
    hinweise: [...hinweise],
  };
}

/**
 * Reads additional or corrected § 3a rows from JSON (env NOTBETRIEB_ASYLBLG_JSON), e.g. the
 * confirmed 2025 amounts of Stufen 4-6 or the 2027 table: `{ "confirmedUntil": "2027-12-31",
 * "rows": [{ "validFrom": "2025-01-01", "source": "…", "stufen": { "4": { "gesamtCents": 40800,
 * "notwendigCents": …, "persoenlichCents": … } } }] }`. Stufen given replace those of the row with
 * the same validFrom; a new validFrom adds a row (Stufen not given: unconfirmed).
 */
export function parseAsylRegeln(json: string, base: AsylRegeln = DEFAULT_ASYL_REGELN): AsylRegeln {
  let raw: unknown;
  try {
    raw = JSON.parse(json);
  } catch {
    throw new AsylRegelError('AsylbLG-Tabelle: kein gültiges JSON.');
  }
  const o = raw as { confirmedUntil?: unknown; rows?: unknown };
  if (!o || typeof o !== 'object' || !Array.isArray(o.rows))
    throw new AsylRegelError('AsylbLG-Tabelle: "rows" fehlt.');
  if (
    o.confirmedUntil !== undefined &&
    (typeof o.confirmedUntil !== 'string' || !isValidIsoDate(o.confirmedUntil))
  ) {
    throw new AsylRegelError('AsylbLG-Tabelle: "confirmedUntil" muss ein Datum sein.');
  }
  const rows = new Map(base.para3a.map((r) => [r.validFrom, { ...r, stufen: { ...r.stufen } }]));
  for (const [i, r] of (o.rows as unknown[]).entries()) {
    const row = r as { validFrom?: unknown; source?: unknown; stufen?: Record<string, unknown> };
    const where = `AsylbLG-Tabelle, Zeile ${i + 1}`;
    if (typeof row?.validFrom !== 'string' || !isValidIsoDate(row.validFrom)) {
      throw new AsylRegelError(`${where}: "validFrom" muss ein Datum sein.`);
    }
    if (typeof row.source !== 'string' || row.source.trim() === '') {
      throw new AsylRegelError(`${where}: "source" (Rechtsquelle) fehlt.`);
    }
    if (!row.stufen || typeof row.stufen !== 'object') throw new AsylRegelError(`${where}: "stufen" fehlt.`);
    const target = rows.get(row.validFrom) ?? {
      validFrom: row.validFrom,
      source: row.source.trim(),
      stufen: { 1: null, 2: null, 3: null, 4: null, 5: null, 6: null },
    };
    for (const [k, v] of Object.entries(row.stufen)) {
      const stufe = Number(k) as Bedarfsstufe;
      if (!BEDARFSSTUFEN.includes(stufe)) throw new AsylRegelError(`${where}: unbekannte Bedarfsstufe ${k}.`);
      const s = v as Partial<Para3aSatz>;
      const ok = (n: unknown) => typeof n === 'number' && Number.isSafeInteger(n) && n > 0 && n <= 1_000_000;
      if (!ok(s?.gesamtCents)) throw new AsylRegelError(`${where}: Stufe ${k} braucht "gesamtCents" (Cent).`);
      const split = s.notwendigCents !== undefined || s.persoenlichCents !== undefined;
      if (
        split &&
        (!ok(s.notwendigCents) ||
          !ok(s.persoenlichCents) ||
          (s.notwendigCents as number) + (s.persoenlichCents as number) !== s.gesamtCents)
      ) {
        throw new AsylRegelError(
          `${where}: Stufe ${k}: notwendiger und persönlicher Bedarf ergeben nicht den Gesamtbetrag.`,
        );
      }
      target.stufen[stufe] = split
        ? {
            gesamtCents: s.gesamtCents as number,
            notwendigCents: s.notwendigCents,
            persoenlichCents: s.persoenlichCents,
          }
        : { gesamtCents: s.gesamtCents as number };
    }
    target.source = `${target.source}; ergänzt: ${row.source.trim()}`;
    rows.set(row.validFrom, target);
  }
  return {
    ...base,
    para3a: [...rows.values()].sort((a, b) => a.validFrom.localeCompare(b.validFrom)),
    confirmedUntil: (o.confirmedUntil as string | undefined) ?? base.confirmedUntil,
  };
}

/** The rules in force: built in, extended by NOTBETRIEB_ASYLBLG_JSON where set. */
export function asylRegelnAusUmgebung(regelbedarfTable?: RegelbedarfTable): AsylRegeln {
  const json = typeof process !== 'undefined' ? process.env?.NOTBETRIEB_ASYLBLG_JSON : undefined;
  const r = json ? parseAsylRegeln(json) : DEFAULT_ASYL_REGELN;
  return regelbedarfTable ? { ...r, regelbedarf: regelbedarfTable } : r;
}
