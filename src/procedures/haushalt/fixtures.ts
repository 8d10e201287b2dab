import { parseGermanAmount } from './geld.js';
import {
  BETRAG_SPALTEN,
  type HaushaltsZeile,
  type Plan,
  PRODUKTBEREICH_CODES,
  type Produktbereich,
} from './katalog.js';

/**
 * Test data of the Kämmerei: a small sample budget whose totals were computed by hand (the
 * expected figures are in totals.test.ts with the arithmetic), and a generator of large budgets
 * for the benchmark and property tests.
 */

const eur = (s: string): number => {
  const c = parseGermanAmount(s);
  if (c === null) throw new Error(`no amount: ${s}`);
  return c;
};

type Werte = [ergebnis: string, vorjahr: string, ansatz: string, p1: string, p2: string, p3: string];

function zeile(
  pb: Produktbereich,
  pg: [string, string],
  produkt: [string, string],
  plan: Plan,
  position: number,
  w: Werte,
  erlaeuterung: string | null = null,
): HaushaltsZeile {
  return {
    produktbereich: pb,
    produktgruppe: pg[0],
    produktgruppeName: pg[1],
    produkt: produkt[0],
    produktName: produkt[1],
    plan,
    position,
    erlaeuterung,
    ergebnisVorvorjahr: eur(w[0]),
    ansatzVorjahr: eur(w[1]),
    ansatz: eur(w[2]),
    planung1: eur(w[3]),
    planung2: eur(w[4]),
    planung3: eur(w[5]),
  };
}

const PG_0101: [string, string] = ['01.01', 'Verwaltungssteuerung und -service'];
const RAT: [string, string] = ['01.01.01', 'Rat und Ausschüsse'];
const BUERGERBUERO: [string, string] = ['01.01.02', 'Bürgerbüro'];
const PG_0601: [string, string] = ['06.01', 'Kindertagesbetreuung'];
const KITA: [string, string] = ['06.01.01', 'Kindertageseinrichtungen'];
const PG_1601: [string, string] = ['16.01', 'Allgemeine Finanzwirtschaft'];
const STEUERN: [string, string] = ['16.01.01', 'Steuern, allgemeine Zuweisungen und Umlagen'];

/** The hand-checked sample budget 2027 (three Teilpläne, 22 lines). */
export function beispielHaushalt(): HaushaltsZeile[] {
  return [
    zeile('01', PG_0101, RAT, 'E', 4, [
      '11.234,56',
      '11.500,00',
      '12.000,00',
      '12.000,00',
      '12.000,00',
      '12.000,00',
    ]),
    zeile(
      '01',
      PG_0101,
      RAT,
      'E',
      10,
      ['230.500,50', '240.000,00', '250.000,00', '255.000,00', '260.000,00', '265.000,00'],
      'Sitzungsgelder und Geschäftsstelle des Rates',
    ),
    zeile('01', PG_0101, RAT, 'E', 12, [
      '70.123,45',
      '75.000,00',
      '80.000,00',
      '81.000,00',
      '82.000,00',
      '83.000,00',
    ]),
    zeile(
      '01',
      PG_0101,
      BUERGERBUERO,
      'E',
      4,
      ['138.765,43', '140.000,00', '150.000,00', '155.000,00', '160.000,00', '165.000,00'],
      'Gebühren für Ausweise und Pässe; Anstieg durch die Gebührenänderung zum 7. Februar 2026',
    ),
    zeile(
      '01',
      PG_0101,
      BUERGERBUERO,
      'E',
      9,
      ['1.200,00', '0,00', '-5.000,00', '0,00', '0,00', '0,00'],
      'Abbau des Vorrats an Vordrucken',
    ),
    zeile('01', PG_0101, BUERGERBUERO, 'E', 10, [
      '395.000,00',
      '400.000,00',
      '420.000,00',
      '430.000,00',
      '440.000,00',
      '450.000,00',
    ]),
    zeile(
      '01',
      PG_0101,
      BUERGERBUERO,
      'F',
      22,
      ['18.000,00', '20.000,00', '35.000,00', '10.000,00', '10.000,00', '10.000,00'],
      'Ersatz der Ausweisdrucker nach dem Angriff',
    ),
    zeile(
      '06',
      PG_0601,
      KITA,
      'E',
      2,
      ['1.700.000,00', '1.750.000,00', '1.800.000,00', '1.850.000,00', '1.900.000,00', '1.950.000,00'],
      'Landeszuweisungen nach dem KiBiz',
    ),
    zeile('06', PG_0601, KITA, 'E', 14, [
      '2.450.000,00',
      '2.500.000,00',
      '2.600.000,00',
      '2.700.000,00',
      '2.800.000,00',
      '2.900.000,00',
    ]),
    zeile('06', PG_0601, KITA, 'F', 15, [
      '100.000,00',
      '300.000,00',
      '600.000,00',
      '200.000,00',
      '0,00',
      '0,00',
    ]),
    zeile(
      '06',
      PG_0601,
      KITA,
      'F',
      21,
      ['123.456,78', '500.000,00', '900.000,00', '300.000,00', '0,00', '0,00'],
      'Neubau Kita „Am Häusling“ (begonnen 2025)',
    ),
    zeile(
      '16',
      PG_1601,
      STEUERN,
      'E',
      1,
      ['5.050.000,00', '5.200.000,00', '5.400.000,00', '5.500.000,00', '5.600.000,00', '5.700.000,00'],
      'Grund- und Gewerbesteuer, Gemeindeanteile',
    ),
    zeile(
      '16',
      PG_1601,
      STEUERN,
      'E',
      2,
      ['1.950.000,00', '2.000.000,00', '2.100.000,00', '2.150.000,00', '2.200.000,00', '2.250.000,00'],
      'Schlüsselzuweisungen',
    ),
    zeile(
      '16',
      PG_1601,
      STEUERN,
      'E',
      14,
      ['3.700.000,00', '3.800.000,00', '3.900.000,00', '4.000.000,00', '4.100.000,00', '4.200.000,00'],
      'Kreisumlage',
    ),
    zeile('16', PG_1601, STEUERN, 'E', 16, [
      '18.500,00',
      '20.000,00',
      '25.000,00',
      '25.000,00',
      '25.000,00',
      '25.000,00',
    ]),
    zeile('16', PG_1601, STEUERN, 'E', 17, [
      '290.000,00',
      '300.000,00',
      '310.000,00',
      '320.000,00',
      '330.000,00',
      '340.000,00',
    ]),
    zeile(
      '16',
      PG_1601,
      STEUERN,
      'E',
      18,
      ['40.000,00', '0,00', '50.000,00', '0,00', '0,00', '0,00'],
      'Versicherungsleistung zum Cyberangriff',
    ),
    zeile('16', PG_1601, STEUERN, 'E', 19, ['10.000,00', '0,00', '20.000,00', '0,00', '0,00', '0,00']),
    zeile('16', PG_1601, STEUERN, 'F', 1, [
      '5.000.000,00',
      '5.150.000,00',
      '5.300.000,00',
      '5.400.000,00',
      '5.500.000,00',
      '5.600.000,00',
    ]),
    zeile('16', PG_1601, STEUERN, 'F', 13, [
      '3.700.000,00',
      '3.800.000,00',
      '3.900.000,00',
      '4.000.000,00',
      '4.100.000,00',
      '4.200.000,00',
    ]),
    zeile('16', PG_1601, STEUERN, 'F', 26, [
      '0,00',
      '200.000,00',
      '400.000,00',
      '100.000,00',
      '0,00',
      '0,00',
    ]),
    zeile('16', PG_1601, STEUERN, 'F', 27, [
      '230.000,00',
      '240.000,00',
      '250.000,00',
      '260.000,00',
      '270.000,00',
      '280.000,00',
    ]),
  ];
}

/** A deterministic pseudo-random number generator (mulberry32) so that generated budgets repeat. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * A budget of `n` lines (each a Produkt × position with six amounts), spread over the 17
 * Teilpläne with 10 positions per Produkt, as a large town's would be. Deterministic per seed.
 */
export function grosserHaushalt(n: number, seed = 2027): HaushaltsZeile[] {
  const rnd = random(seed);
  const positions: Array<[Plan, number]> = [
    ['E', 1],
    ['E', 2],
    ['E', 4],
    ['E', 6],
    ['E', 10],
    ['E', 12],
    ['E', 13],
    ['E', 14],
    ['F', 21],
    ['F', 22],
  ];
  const out: HaushaltsZeile[] = [];
  for (let i = 0; out.length < n; i++) {
    const pb = PRODUKTBEREICH_CODES[i % PRODUKTBEREICH_CODES.length] as Produktbereich;
    const pg = `${pb}.${String((Math.floor(i / 17) % 9) + 1).padStart(2, '0')}`;
    const produkt = `${pg}.${String(Math.floor(i / 153) + 1).padStart(2, '0')}`;
    for (const [plan, position] of positions) {
      if (out.length >= n) break;
      const base = Math.round(rnd() * 50_000_000) * 100 + Math.round(rnd() * 99);
      const z: HaushaltsZeile = {
        produktbereich: pb,
        produktgruppe: pg,
        produktgruppeName: `Produktgruppe ${pg} – Aufgaben für Bürgerinnen und Bürger`,
        produkt,
        produktName: `Produkt ${produkt} (Größe ${i % 7})`,
        plan,
        position,
        erlaeuterung: rnd() < 0.2 ? `Erläuterung zu ${produkt}: Veränderung gegenüber dem Vorjahr.` : null,
        ergebnisVorvorjahr: 0,
        ansatzVorjahr: 0,
        ansatz: 0,
        planung1: 0,
        planung2: 0,
        planung3: 0,
      };
      BETRAG_SPALTEN.forEach((c, k) => {
        z[c] = Math.round(base * (0.9 + k * 0.03));
      });
      out.push(z);
    }
  }
  // In the order of a file: by Teilplan (Produktbereich), then as generated.
  return out.sort((a, b) => a.produktbereich.localeCompare(b.produktbereich));
}

/** A commitment under the vorläufige Haushaltsführung (§ 82 GO NRW) with its legal ground and proof. */
export function verpflichtungDaten(over: Record<string, unknown> = {}) {
  return {
    datum: '2027-01-12',
    produkt: '01.01.02',
    art: 'aufwand',
    gegenstand: 'Toner und Papier für das Bürgerbüro',
    betragCents: 1_200_000,
    rechtsgrund: 'rechtliche_verpflichtung',
    nachweis: 'Rahmenvertrag Büromaterial vom 03.03.2025, Abruf Nr. 17',
    ...over,
  };
}
