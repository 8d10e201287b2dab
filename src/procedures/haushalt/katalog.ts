/**
 * The fixed structure of an NKF budget in NRW (FACTS.md §9): the 17 Produktbereiche, the
 * positions of the Ergebnisplan (§ 2 KomHVO NRW) and of the Finanzplan (§ 3), the amount columns
 * of a line and the sums the plans show. Data only, browser-safe; the totals are in totals.ts.
 *
 * Sources: § 2 KomHVO NRW (recht.nrw.de, SGV. NRW. 630, Stand 1.10.2024): positions 1–19 and the
 * five results of Abs. 2 as coded below. § 3 Abs. 1: the 27 positions as in § 3 GemHVO NRW
 * (recht.nrw.de, historical SGV, repealed 1.1.2019 by the KomHVO); that the KomHVO kept exactly
 * this list is UNCONFIRMED (the current § 3 text could not be read) — the list is kept in this one
 * place. Balances of § 3 Abs. 2 GemHVO: laufende Verwaltungstätigkeit, Investitionstätigkeit,
 * Finanzmittelüberschuss/-fehlbetrag, Finanzierungstätigkeit, Änderung des Finanzmittelbestands.
 */

export const PRODUKTBEREICHE = {
  '01': 'Innere Verwaltung',
  '02': 'Sicherheit und Ordnung',
  '03': 'Schulträgeraufgaben',
  '04': 'Kultur und Wissenschaft',
  '05': 'Soziale Leistungen',
  '06': 'Kinder-, Jugend- und Familienhilfe',
  '07': 'Gesundheitsdienste',
  '08': 'Sportförderung',
  '09': 'Räumliche Planung und Entwicklung, Geoinformationen',
  '10': 'Bauen und Wohnen',
  '11': 'Ver- und Entsorgung',
  '12': 'Verkehrsflächen und -anlagen, ÖPNV',
  '13': 'Natur- und Landschaftspflege',
  '14': 'Umweltschutz',
  '15': 'Wirtschaft und Tourismus',
  '16': 'Allgemeine Finanzwirtschaft',
  '17': 'Stiftungen',
} as const;

export type Produktbereich = keyof typeof PRODUKTBEREICHE;
export const PRODUKTBEREICH_CODES = Object.keys(PRODUKTBEREICHE) as Produktbereich[];

export function isProduktbereich(v: string): v is Produktbereich {
  return Object.hasOwn(PRODUKTBEREICHE, v);
}

/** 'E' Ergebnisplan (Erträge/Aufwendungen), 'F' Finanzplan (Einzahlungen/Auszahlungen). */
export type Plan = 'E' | 'F';
export const PLAN_LABELS: Record<Plan, string> = { E: 'Ergebnisplan', F: 'Finanzplan' };

/** How a position counts in the sums: income (+), expense (−). */
export type Richtung = 'ertrag' | 'aufwand';

export interface Position {
  plan: Plan;
  /** Number of the position in § 2 / § 3 Abs. 1. */
  nr: number;
  label: string;
  richtung: Richtung;
  /** Group the position belongs to (for the sums). */
  gruppe: string;
  /** May carry negative amounts (Bestandsveränderungen); all others are amounts ≥ 0. */
  signed?: boolean;
}

const e = (nr: number, label: string, richtung: Richtung, gruppe: string, signed = false): Position => ({
  plan: 'E',
  nr,
  label,
  richtung,
  gruppe,
  ...(signed ? { signed } : {}),
});
const f = (nr: number, label: string, richtung: Richtung, gruppe: string): Position => ({
  plan: 'F',
  nr,
  label,
  richtung,
  gruppe,
});

export const ERGEBNISPLAN: readonly Position[] = [
  e(1, 'Steuern und ähnliche Abgaben', 'ertrag', 'ordentlich'),
  e(2, 'Zuwendungen und allgemeine Umlagen', 'ertrag', 'ordentlich'),
  e(3, 'Sonstige Transfererträge', 'ertrag', 'ordentlich'),
  e(4, 'Öffentlich-rechtliche Leistungsentgelte', 'ertrag', 'ordentlich'),
  e(5, 'Privatrechtliche Leistungsentgelte', 'ertrag', 'ordentlich'),
  e(6, 'Kostenerstattungen und Kostenumlagen', 'ertrag', 'ordentlich'),
  e(7, 'Sonstige ordentliche Erträge', 'ertrag', 'ordentlich'),
  e(8, 'Aktivierte Eigenleistungen', 'ertrag', 'ordentlich'),
  e(9, 'Bestandsveränderungen', 'ertrag', 'ordentlich', true),
  e(10, 'Personalaufwendungen', 'aufwand', 'ordentlich'),
  e(11, 'Versorgungsaufwendungen', 'aufwand', 'ordentlich'),
  e(12, 'Aufwendungen für Sach- und Dienstleistungen', 'aufwand', 'ordentlich'),
  e(13, 'Bilanzielle Abschreibungen', 'aufwand', 'ordentlich'),
  e(14, 'Transferaufwendungen', 'aufwand', 'ordentlich'),
  e(15, 'Sonstige ordentliche Aufwendungen', 'aufwand', 'ordentlich'),
  e(16, 'Finanzerträge', 'ertrag', 'finanz'),
  e(17, 'Zinsen und sonstige Finanzaufwendungen', 'aufwand', 'finanz'),
  e(18, 'Außerordentliche Erträge', 'ertrag', 'ausserordentlich'),
  e(19, 'Außerordentliche Aufwendungen', 'aufwand', 'ausserordentlich'),
];

export const FINANZPLAN: readonly Position[] = [
  f(1, 'Steuern und ähnliche Abgaben', 'ertrag', 'laufend'),
  f(2, 'Zuwendungen und allgemeine Umlagen', 'ertrag', 'laufend'),
  f(3, 'Sonstige Transfereinzahlungen', 'ertrag', 'laufend'),
  f(4, 'Öffentlich-rechtliche Leistungsentgelte', 'ertrag', 'laufend'),
  f(5, 'Privatrechtliche Leistungsentgelte', 'ertrag', 'laufend'),
  f(6, 'Kostenerstattungen und Kostenumlagen', 'ertrag', 'laufend'),
  f(7, 'Sonstige Einzahlungen', 'ertrag', 'laufend'),
  f(8, 'Zinsen und sonstige Finanzeinzahlungen', 'ertrag', 'laufend'),
  f(9, 'Personalauszahlungen', 'aufwand', 'laufend'),
  f(10, 'Versorgungsauszahlungen', 'aufwand', 'laufend'),
  f(11, 'Auszahlungen für Sach- und Dienstleistungen', 'aufwand', 'laufend'),
  f(12, 'Zinsen und sonstige Finanzauszahlungen', 'aufwand', 'laufend'),
  f(13, 'Transferauszahlungen', 'aufwand', 'laufend'),
  f(14, 'Sonstige Auszahlungen', 'aufwand', 'laufend'),
  f(15, 'Einzahlungen aus Zuwendungen für Investitionsmaßnahmen', 'ertrag', 'investition'),
  f(16, 'Einzahlungen aus der Veräußerung von Sachanlagen', 'ertrag', 'investition'),
  f(17, 'Einzahlungen aus der Veräußerung von Finanzanlagen', 'ertrag', 'investition'),
  f(18, 'Einzahlungen von Beiträgen u. ä. Entgelten', 'ertrag', 'investition'),
  f(19, 'Sonstige Investitionseinzahlungen', 'ertrag', 'investition'),
  f(20, 'Auszahlungen für den Erwerb von Grundstücken und Gebäuden', 'aufwand', 'investition'),
  f(21, 'Auszahlungen für Baumaßnahmen', 'aufwand', 'investition'),
  f(22, 'Auszahlungen für den Erwerb von beweglichem Anlagevermögen', 'aufwand', 'investition'),
  f(23, 'Auszahlungen für den Erwerb von Finanzanlagen', 'aufwand', 'investition'),
  f(24, 'Auszahlungen von aktivierbaren Zuwendungen', 'aufwand', 'investition'),
  f(25, 'Sonstige Investitionsauszahlungen', 'aufwand', 'investition'),
  f(26, 'Einzahlungen aus der Aufnahme von Krediten für Investitionen', 'ertrag', 'finanzierung'),
  f(27, 'Auszahlungen für die Tilgung von Krediten für Investitionen', 'aufwand', 'finanzierung'),
];

export function positionOf(plan: Plan, nr: number): Position | undefined {
  return (plan === 'E' ? ERGEBNISPLAN : FINANZPLAN)[nr - 1];
}

/**
 * The amount columns of a line, in cents: the latest known result (of the year before last: the
 * last year is not closed while its successor is planned), last year's plan, the plan year and
 * the three planning years (§ 84 GO NRW: mittelfristige Ergebnis- und Finanzplanung).
 */
export const BETRAG_SPALTEN = [
  'ergebnisVorvorjahr',
  'ansatzVorjahr',
  'ansatz',
  'planung1',
  'planung2',
  'planung3',
] as const;
export type BetragSpalte = (typeof BETRAG_SPALTEN)[number];
export type Betraege = Record<BetragSpalte, number>;

/** Column headings for a plan year, e.g. 2027: "Ergebnis 2025", "Ansatz 2026", "Ansatz 2027", … */
export function spaltenTitel(haushaltsjahr: number): Record<BetragSpalte, string> {
  return {
    ergebnisVorvorjahr: `Ergebnis ${haushaltsjahr - 2}`,
    ansatzVorjahr: `Ansatz ${haushaltsjahr - 1}`,
    ansatz: `Ansatz ${haushaltsjahr}`,
    planung1: `Planung ${haushaltsjahr + 1}`,
    planung2: `Planung ${haushaltsjahr + 2}`,
    planung3: `Planung ${haushaltsjahr + 3}`,
  };
}

/** One line of a Teilplan: a position of one Produkt with its amounts (cents). */
export interface HaushaltsZeile extends Betraege {
  produktbereich: Produktbereich;
  produktgruppe: string;
  produktgruppeName: string;
  produkt: string;
  produktName: string;
  plan: Plan;
  position: number;
  erlaeuterung: string | null;
}

/** The identity of a line within a draft (for duplicates and the diff between versions). */
export function zeilenSchluessel(z: Pick<HaushaltsZeile, 'produkt' | 'plan' | 'position'>): string {
  return `${z.produkt}|${z.plan}|${z.position}`;
}

/** No single amount of a municipal budget reaches 10 Mrd. EUR; 5 000 such lines still sum safely. */
export const MAX_BETRAG_CENTS = 1_000_000_000_000;
/** Lines per draft: a large city has a few thousand; beyond this it is a wrong file. */
export const MAX_ZEILEN = 20_000;

/** Codes of Produktgruppe and Produkt as municipalities write them: "01.01", "1.01.01", "010101". */
export const CODE_PATTERN = /^[0-9A-Za-z][0-9A-Za-z._-]{0,19}$/;

/**
 * Positions whose amounts are the "last year's budget" a commitment is compared with: the
 * expenses a commitment can make arise (without the bilanzielle Abschreibungen, which no
 * commitment causes) and the investment payments.
 */
export const VERGLEICH_AUFWAND: ReadonlyArray<[Plan, number]> = [
  ['E', 10],
  ['E', 11],
  ['E', 12],
  ['E', 14],
  ['E', 15],
  ['E', 17],
];
export const VERGLEICH_INVESTITION: ReadonlyArray<[Plan, number]> = [
  ['F', 20],
  ['F', 21],
  ['F', 22],
  ['F', 23],
  ['F', 24],
  ['F', 25],
];
