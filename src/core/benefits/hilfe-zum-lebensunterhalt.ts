import { ageOn, type IsoDate } from '../dates.js';
import {
  DEFAULT_REGELBEDARF_TABLE,
  firstOfMonth,
  type Regelbedarfsstufe,
  type RegelbedarfTable,
  regelbedarf,
  regelbedarfsstufe,
  STUFE_LABELS,
  type Wohnsituation,
} from './regelbedarf.js';

/**
 * The monthly need and entitlement of a Bedarfsgemeinschaft under the Third and Fourth Chapter of
 * SGB XII (Hilfe zum Lebensunterhalt, Grundsicherung im Alter und bei Erwerbsminderung), as a
 * provisional calculation in emergency operation (FACTS.md §6):
 *
 *   need = Regelbedarf of every member (§ 27a, § 28 with Anlage, dated table in core/benefits)
 *        + Mehrbedarfe (§ 30 SGB XII, percentages configurable)
 *        + Kosten der Unterkunft und Heizung, actual amounts (§ 35 SGB XII)
 *   entitlement = need − countable income (§§ 82–84 SGB XII, entered as the countable amount), ≥ 0
 *
 * Browser-safe (data and pure functions): the web app shows the lines the server computed, and the
 * tests work households out by hand. Money in integer cents; percentages in basis points
 * (1/100 %), a share of cents rounded half up to the cent. Every line carries its legal source.
 */

export interface Person {
  familienname: string;
  vornamen: string;
  geburtsdatum: IsoDate;
  wohnsituation: Wohnsituation;
  /** § 30 Abs. 1: Merkzeichen G and Altersgrenze (§ 41 Abs. 2) reached or voll erwerbsgemindert. */
  merkzeichenG?: boolean | undefined;
  /** § 30 Abs. 2: werdende Mutter nach der 12. Schwangerschaftswoche. */
  schwanger?: boolean | undefined;
  /** § 30 Abs. 3: lives with minor children and cares for them alone. */
  alleinerziehend?: boolean | undefined;
  /** § 30 Abs. 4: receives Eingliederungshilfe (§ 112 SGB IX), from age 15. */
  eingliederungshilfe?: boolean | undefined;
  /** § 30 Abs. 5: kostenaufwändige Ernährung, the recognised monthly amount. */
  ernaehrungCents?: number | undefined;
  /** Countable monthly income (§§ 82–84 SGB XII, after deductions). */
  einkommenCents?: number | undefined;
  einkommensart?: string | undefined;
}

export interface Unterkunft {
  /** Grundmiete (Kaltmiete) per month. */
  grundmieteCents: number;
  /** Kalte Nebenkosten per month. */
  nebenkostenCents: number;
  /** Heizkosten per month (incl. central hot water). */
  heizkostenCents: number;
  /** Hot water produced in the flat (boiler, Durchlauferhitzer): § 30 Abs. 7 instead of § 35 Abs. 4. */
  warmwasserDezentral: boolean;
}

export interface Haushalt {
  personen: Person[];
  unterkunft: Unterkunft;
}

/** Angemessenheitsgrenze of a municipality (or a whole Kreis) by household size. */
export interface KduGrenze {
  /** AGS of the municipality, or of the Kreis (Gemeinde part 000) for all its municipalities. */
  ags: string;
  /** Bruttokaltmiete (Grundmiete + kalte Nebenkosten) limit for 1, 2, 3 … persons. */
  bruttokaltCents: number[];
  /** For each person beyond the list. */
  jeWeiterePersonCents: number;
  /** Heating limit for 1, 2, 3 … persons (optional; else no heating check). */
  heizungCents?: number[] | undefined;
  /** Where the limit comes from (Richtlinie of the Kreis, date). */
  quelle: string;
}

export interface MehrbedarfSaetze {
  /** § 30 Abs. 1 SGB XII: 17 % of the person's Regelbedarfsstufe. */
  gehbehinderungBp: number;
  /** § 30 Abs. 2 SGB XII: 17 %. */
  schwangerschaftBp: number;
  /** § 30 Abs. 3 Nr. 1: 36 % of Stufe 1 for one child under 7 or two or three under 16. */
  alleinerziehendBp: number;
  /** § 30 Abs. 3 Nr. 2: 12 % of Stufe 1 per child … */
  alleinerziehendJeKindBp: number;
  /** … at most 60 %. */
  alleinerziehendHoechstBp: number;
  /** § 30 Abs. 4: 35 %. */
  eingliederungshilfeBp: number;
  /** § 30 Abs. 7: hot water by Stufe: 2.3 % (1–3), 1.4 % (4), 1.2 % (5), 0.8 % (6). */
  warmwasserBp: Record<Regelbedarfsstufe, number>;
  /**
   * UNCONFIRMED (configurable): whether § 30 Abs. 1 is recognised beside Abs. 4 for the same
   * person. Default false: only the higher Abs. 4 line is taken, with a note.
   */
  gehbehinderungNebenEingliederung: boolean;
}

export interface SozialhilfeRegeln {
  regelbedarf: RegelbedarfTable;
  mehrbedarf: MehrbedarfSaetze;
  kdu: KduGrenze[];
}

export const STANDARD_MEHRBEDARF: MehrbedarfSaetze = {
  gehbehinderungBp: 1700,
  schwangerschaftBp: 1700,
  alleinerziehendBp: 3600,
  alleinerziehendJeKindBp: 1200,
  alleinerziehendHoechstBp: 6000,
  eingliederungshilfeBp: 3500,
  warmwasserBp: { 1: 230, 2: 230, 3: 230, 4: 140, 5: 120, 6: 80 },
  gehbehinderungNebenEingliederung: false,
};

/** No Angemessenheitsgrenzen are built in: they are the Kreis's, set by configuration. */
export const STANDARD_REGELN: SozialhilfeRegeln = {
  regelbedarf: DEFAULT_REGELBEDARF_TABLE,
  mehrbedarf: STANDARD_MEHRBEDARF,
  kdu: [],
};

export type ZeilenArt = 'regelbedarf' | 'mehrbedarf' | 'unterkunft' | 'heizung' | 'einkommen';

export interface Zeile {
  art: ZeilenArt;
  /** Index of the member in the household, null for lines of the household. */
  person: number | null;
  text: string;
  /** Legal source of the line (and of its rate). */
  quelle: string;
  /** Positive for needs, negative for income. */
  cents: number;
}

export interface Berechnung {
  monat: string;
  /** The day whose law applies: the first of the benefit month. */
  stichtag: IsoDate;
  haushaltsgroesse: number;
  zeilen: Zeile[];
  bedarfCents: number;
  einkommenCents: number;
  anspruchCents: number;
  /** Warnings for the clerk (limit exceeded, unconfirmed table, a Mehrbedarf that does not apply). */
  hinweise: string[];
}

export class BerechnungError extends Error {}

/** A share in basis points of an amount in cents, rounded half up to the cent. */
export function anteil(cents: number, bp: number): number {
  return Math.floor((cents * bp + 5000) / 10000);
}

/** "1.234,56 €" (pure; the web app has its own formatter). */
export function euro(cents: number): string {
  const neg = cents < 0;
  const abs = Math.abs(cents);
  const eur = Math.floor(abs / 100)
    .toString()
    .replace(/\B(?=(\d{3})+(?!\d))/g, '.');
  return `${neg ? '−' : ''}${eur},${String(abs % 100).padStart(2, '0')} €`;
}

const prozent = (bp: number) => `${(bp / 100).toLocaleString('de-DE')} %`;

export const nameVon = (p: Pick<Person, 'familienname' | 'vornamen'>) => `${p.vornamen} ${p.familienname}`;

/** The limit for a household in a municipality: the municipality's own, else its Kreis's. */
export function kduGrenzeFuer(ags: string, regeln: SozialhilfeRegeln): KduGrenze | undefined {
  const kreis = `${ags.slice(0, 5)}000`;
  return regeln.kdu.find((g) => g.ags === ags) ?? regeln.kdu.find((g) => g.ags === kreis);
}

function grenzeFuer(list: readonly number[], n: number, weitere: number): number | undefined {
  if (list.length === 0) return undefined;
  if (n <= list.length) return list[n - 1];
  return (list[list.length - 1] as number) + (n - list.length) * weitere;
}

/** The calculation of one benefit month for a household of the authority `ags`. */
export function berechne(
  haushalt: Haushalt,
  monat: string,
  ags: string,
  regeln: SozialhilfeRegeln = STANDARD_REGELN,
): Berechnung {
  const stichtag = firstOfMonth(monat);
  const saetze = regeln.mehrbedarf;
  const zeilen: Zeile[] = [];
  const hinweise: string[] = [];
  const mitglieder = haushalt.personen.filter((p) => p.geburtsdatum <= stichtag);
  if (mitglieder.length === 0)
    throw new BerechnungError('Die Bedarfsgemeinschaft hat in diesem Monat keine Mitglieder.');
  if (mitglieder.length < haushalt.personen.length)
    hinweise.push(
      'Ein Mitglied ist am Stichtag noch nicht geboren und wird in diesem Monat nicht berücksichtigt.',
    );
  const stufe1 = regelbedarf(1, stichtag, regeln.regelbedarf);
  if (stufe1.unconfirmed)
    hinweise.push(
      `Regelbedarf für ${monat} nicht bestätigt: die Beträge von ${stufe1.source} gelten fort, bis die neue RBSFV hinterlegt ist.`,
    );

  haushalt.personen.forEach((p, i) => {
    if (p.geburtsdatum > stichtag) return;
    const name = nameVon(p);
    const s = regelbedarfsstufe(p, stichtag);
    const rb = regelbedarf(s.stufe, stichtag, regeln.regelbedarf);
    zeilen.push({
      art: 'regelbedarf',
      person: i,
      text: `Regelbedarf ${name}: ${STUFE_LABELS[s.stufe]} – ${s.reason}`,
      quelle: `§ 27a, § 28 SGB XII mit Anlage; ${rb.source}`,
      cents: rb.cents,
    });
    // Mehrbedarfe § 30 Abs. 1–5, capped by Abs. 6 at the person's Regelbedarfsstufe.
    const mb: Zeile[] = [];
    const eingliederung = p.eingliederungshilfe && s.age >= 15;
    if (p.eingliederungshilfe && !eingliederung)
      hinweise.push(`${name}: Mehrbedarf nach § 30 Abs. 4 SGB XII erst ab 15 Jahren – nicht berücksichtigt.`);
    if (p.merkzeichenG) {
      if (eingliederung && !saetze.gehbehinderungNebenEingliederung)
        hinweise.push(
          `${name}: Mehrbedarf nach § 30 Abs. 1 neben Abs. 4 SGB XII nicht berücksichtigt (Einstellung der Behörde).`,
        );
      else
        mb.push({
          art: 'mehrbedarf',
          person: i,
          text: `Mehrbedarf ${name}: Merkzeichen G, ${prozent(saetze.gehbehinderungBp)} der Regelbedarfsstufe ${s.stufe}`,
          quelle: '§ 30 Abs. 1 SGB XII',
          cents: anteil(rb.cents, saetze.gehbehinderungBp),
        });
    }
    if (p.schwanger)
      mb.push({
        art: 'mehrbedarf',
        person: i,
        text: `Mehrbedarf ${name}: Schwangerschaft nach der 12. Woche, ${prozent(saetze.schwangerschaftBp)} der Regelbedarfsstufe ${s.stufe}`,
        quelle: '§ 30 Abs. 2 SGB XII',
        cents: anteil(rb.cents, saetze.schwangerschaftBp),
      });
    if (p.alleinerziehend) {
      const kinder = mitglieder
        .filter((q) => q !== p)
        .map((q) => ageOn(q.geburtsdatum, stichtag))
        .filter((a) => a < 18);
      if (kinder.length === 0) {
        hinweise.push(`${name}: alleinerziehend angegeben, aber kein minderjähriges Kind im Haushalt.`);
      } else {
        const unter7 = kinder.filter((a) => a < 7).length;
        const unter16 = kinder.filter((a) => a < 16).length;
        const nr1 = unter7 >= 1 || unter16 === 2 || unter16 === 3;
        const nr2 = Math.min(kinder.length * saetze.alleinerziehendJeKindBp, saetze.alleinerziehendHoechstBp);
        // Nr. 2 applies where Nr. 1 does not; with four or more children it may give more than
        // Nr. 1: the higher share is recognised.
        const bp = nr1 ? Math.max(saetze.alleinerziehendBp, nr2) : nr2;
        const welche = nr1 && bp === saetze.alleinerziehendBp ? 'Nr. 1' : 'Nr. 2';
        mb.push({
          art: 'mehrbedarf',
          person: i,
          text: `Mehrbedarf ${name}: alleinerziehend mit ${kinder.length} ${kinder.length === 1 ? 'Kind' : 'Kindern'}, ${prozent(bp)} der Regelbedarfsstufe 1`,
          quelle: `§ 30 Abs. 3 ${welche} SGB XII`,
          cents: anteil(stufe1.cents, bp),
        });
      }
    }
    if (eingliederung)
      mb.push({
        art: 'mehrbedarf',
        person: i,
        text: `Mehrbedarf ${name}: Eingliederungshilfe, ${prozent(saetze.eingliederungshilfeBp)} der Regelbedarfsstufe ${s.stufe}`,
        quelle: '§ 30 Abs. 4 SGB XII',
        cents: anteil(rb.cents, saetze.eingliederungshilfeBp),
      });
    if (p.ernaehrungCents && p.ernaehrungCents > 0)
      mb.push({
        art: 'mehrbedarf',
        person: i,
        text: `Mehrbedarf ${name}: kostenaufwändige Ernährung`,
        quelle: '§ 30 Abs. 5 SGB XII',
        cents: p.ernaehrungCents,
      });
    const summe = mb.reduce((a, z) => a + z.cents, 0);
    if (summe > rb.cents) {
      mb.push({
        art: 'mehrbedarf',
        person: i,
        text: `Kürzung ${name}: Mehrbedarfe höchstens in Höhe der Regelbedarfsstufe ${s.stufe}`,
        quelle: '§ 30 Abs. 6 SGB XII',
        cents: rb.cents - summe,
      });
    }
    zeilen.push(...mb);
    if (haushalt.unterkunft.warmwasserDezentral)
      zeilen.push({
        art: 'mehrbedarf',
        person: i,
        text: `Mehrbedarf ${name}: dezentrale Warmwassererzeugung, ${prozent(saetze.warmwasserBp[s.stufe])} der Regelbedarfsstufe ${s.stufe}`,
        quelle: '§ 30 Abs. 7 SGB XII',
        cents: anteil(rb.cents, saetze.warmwasserBp[s.stufe]),
      });
  });

  const u = haushalt.unterkunft;
  const bruttokalt = u.grundmieteCents + u.nebenkostenCents;
  zeilen.push({
    art: 'unterkunft',
    person: null,
    text: `Unterkunft: Grundmiete ${euro(u.grundmieteCents)} + Nebenkosten ${euro(u.nebenkostenCents)} (tatsächliche Aufwendungen)`,
    quelle: '§ 35 Abs. 1 SGB XII',
    cents: bruttokalt,
  });
  zeilen.push({
    art: 'heizung',
    person: null,
    text: 'Heizung (tatsächliche Aufwendungen)',
    quelle: '§ 35 Abs. 4 SGB XII',
    cents: u.heizkostenCents,
  });
  const n = mitglieder.length;
  const grenze = kduGrenzeFuer(ags, regeln);
  if (!grenze) {
    hinweise.push(
      `Für diese Gemeinde ist keine Angemessenheitsgrenze der Unterkunftskosten hinterlegt: tatsächliche Kosten anerkannt, Angemessenheit bitte prüfen.`,
    );
  } else {
    const g = grenzeFuer(grenze.bruttokaltCents, n, grenze.jeWeiterePersonCents);
    if (g !== undefined && bruttokalt > g)
      hinweise.push(
        `Unterkunftskosten ${euro(bruttokalt)} liegen über der Angemessenheitsgrenze von ${euro(g)} für ${n} ${n === 1 ? 'Person' : 'Personen'} (${grenze.quelle}). Sie sind in tatsächlicher Höhe anerkannt; eine Kürzung erst nach Kostensenkungsaufforderung und Frist (§ 35 Abs. 2 SGB XII).`,
      );
    const h = grenze.heizungCents ? grenzeFuer(grenze.heizungCents, n, 0) : undefined;
    if (h !== undefined && u.heizkostenCents > h)
      hinweise.push(
        `Heizkosten ${euro(u.heizkostenCents)} liegen über dem Grenzwert von ${euro(h)} für ${n} ${n === 1 ? 'Person' : 'Personen'} (${grenze.quelle}). Sie sind in tatsächlicher Höhe anerkannt; bitte Angemessenheit prüfen (§ 35 Abs. 4 SGB XII).`,
      );
  }
  const bedarfCents = zeilen.reduce((a, z) => a + z.cents, 0);

  haushalt.personen.forEach((p, i) => {
    if (p.geburtsdatum > stichtag || !p.einkommenCents) return;
    zeilen.push({
      art: 'einkommen',
      person: i,
      text: `Einkommen ${nameVon(p)}${p.einkommensart ? `: ${p.einkommensart}` : ''} (anrechenbarer Betrag)`,
      quelle: '§§ 82–84 SGB XII',
      cents: -p.einkommenCents,
    });
  });
  const einkommenCents = zeilen.filter((z) => z.art === 'einkommen').reduce((a, z) => a - z.cents, 0);
  const anspruchCents = Math.max(0, bedarfCents - einkommenCents);
  if (einkommenCents >= bedarfCents)
    hinweise.push(
      'Das anrechenbare Einkommen deckt den Bedarf: kein Anspruch in diesem Monat (§ 19 Abs. 1, 2 SGB XII).',
    );
  return {
    monat,
    stichtag,
    haushaltsgroesse: n,
    zeilen,
    bedarfCents,
    einkommenCents,
    anspruchCents,
    hinweise,
  };
}

/**
 * Reads the rules from JSON: Angemessenheitsgrenzen, Mehrbedarf shares. The families read the
 * setting themselves (Sozialhilfe: NOTBETRIEB_SOZIALHILFE_JSON, procedures/sozialhilfe/server/regeln.ts).
 */
export function parseRegeln(json: string, base: SozialhilfeRegeln = STANDARD_REGELN): SozialhilfeRegeln {
  let raw: unknown;
  try {
    raw = JSON.parse(json);
  } catch {
    throw new BerechnungError('Sozialhilfe-Regeln: kein gültiges JSON.');
  }
  const o = raw as { kdu?: unknown; mehrbedarf?: unknown };
  if (!o || typeof o !== 'object') throw new BerechnungError('Sozialhilfe-Regeln: ein Objekt erwartet.');
  const positiv = (v: unknown) => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;
  const kdu: KduGrenze[] = [];
  if (o.kdu !== undefined) {
    if (!Array.isArray(o.kdu)) throw new BerechnungError('Sozialhilfe-Regeln: "kdu" muss eine Liste sein.');
    for (const [i, g] of (o.kdu as KduGrenze[]).entries()) {
      const nr = `Sozialhilfe-Regeln, Angemessenheitsgrenze ${i + 1}`;
      if (typeof g?.ags !== 'string' || !/^\d{8}$/.test(g.ags))
        throw new BerechnungError(`${nr}: "ags" hat acht Ziffern.`);
      if (
        !Array.isArray(g.bruttokaltCents) ||
        g.bruttokaltCents.length === 0 ||
        !g.bruttokaltCents.every(positiv)
      )
        throw new BerechnungError(`${nr}: "bruttokaltCents" muss eine Liste von Beträgen in Cent sein.`);
      if (!positiv(g.jeWeiterePersonCents)) throw new BerechnungError(`${nr}: "jeWeiterePersonCents" fehlt.`);
      if (g.heizungCents !== undefined && (!Array.isArray(g.heizungCents) || !g.heizungCents.every(positiv)))
        throw new BerechnungError(`${nr}: "heizungCents" muss eine Liste von Beträgen in Cent sein.`);
      if (typeof g.quelle !== 'string' || !g.quelle.trim())
        throw new BerechnungError(`${nr}: "quelle" fehlt.`);
      kdu.push(g);
    }
  }
  const mehrbedarf = { ...base.mehrbedarf, ...((o.mehrbedarf as Partial<MehrbedarfSaetze>) ?? {}) };
  for (const [k, v] of Object.entries(mehrbedarf)) {
    if (k === 'gehbehinderungNebenEingliederung') {
      if (typeof v !== 'boolean') throw new BerechnungError(`Sozialhilfe-Regeln: "${k}" ist ja/nein.`);
    } else if (k === 'warmwasserBp') {
      if (![1, 2, 3, 4, 5, 6].every((s) => positiv((v as Record<number, unknown>)?.[s])))
        throw new BerechnungError('Sozialhilfe-Regeln: "warmwasserBp" braucht Stufen 1 bis 6.');
    } else if (!positiv(v) || (v as number) > 10000) {
      throw new BerechnungError(`Sozialhilfe-Regeln: "${k}" in Basispunkten (0 bis 10000).`);
    }
  }
  return { regelbedarf: base.regelbedarf, mehrbedarf, kdu: kdu.length ? kdu : base.kdu };
}
