import {
  BETRAG_SPALTEN,
  type Betraege,
  ERGEBNISPLAN,
  FINANZPLAN,
  type HaushaltsZeile,
  type Plan,
  type Position,
  PRODUKTBEREICHE,
  type Produktbereich,
} from './katalog.js';

/**
 * Totals of a budget (pure functions, browser-safe): the Gesamtergebnisplan and the
 * Gesamtfinanzplan sum each position over all Teilpläne and add the results of § 2 Abs. 2 KomHVO
 * NRW and the balances of § 3 Abs. 2; a Teilplan is the same restricted to one Produktbereich.
 * All in integer cents.
 */

export type PlanRowKind = 'position' | 'summe' | 'ergebnis';

export interface PlanRow extends Betraege {
  kind: PlanRowKind;
  /** Position number (§ 2 / § 3 Abs. 1) for positions; absent for sums. */
  nr?: number;
  /** Stable id of the row ("E12", "ordentlichesErgebnis"). */
  id: string;
  label: string;
}

export interface Gesamtplan {
  ergebnisplan: PlanRow[];
  finanzplan: PlanRow[];
}

export function zeroBetraege(): Betraege {
  return { ergebnisVorvorjahr: 0, ansatzVorjahr: 0, ansatz: 0, planung1: 0, planung2: 0, planung3: 0 };
}

function add(into: Betraege, from: Betraege, sign = 1): void {
  for (const c of BETRAG_SPALTEN) into[c] += sign * from[c];
}

function combine(parts: Array<[Betraege, number]>): Betraege {
  const out = zeroBetraege();
  for (const [b, sign] of parts) add(out, b, sign);
  return out;
}

/** Sums per position of one plan (index = position number − 1). */
function positionSums(zeilen: readonly HaushaltsZeile[], plan: Plan, positions: readonly Position[]) {
  const sums = positions.map(() => zeroBetraege());
  for (const z of zeilen) {
    if (z.plan !== plan) continue;
    const s = sums[z.position - 1];
    if (s) add(s, z);
  }
  return sums;
}

function groupSum(sums: Betraege[], positions: readonly Position[], gruppe: string, richtung: string) {
  return combine(
    positions
      .map((p, i) => [p, i] as const)
      .filter(([p]) => p.gruppe === gruppe && p.richtung === richtung)
      .map(([, i]) => [sums[i] as Betraege, 1]),
  );
}

const row = (kind: PlanRowKind, id: string, label: string, b: Betraege, nr?: number): PlanRow => ({
  kind,
  id,
  label,
  ...(nr !== undefined ? { nr } : {}),
  ...b,
});

function positionRows(
  plan: Plan,
  positions: readonly Position[],
  sums: Betraege[],
  from: number,
  to: number,
) {
  return positions
    .slice(from - 1, to)
    .map((p) => row('position', `${plan}${p.nr}`, p.label, sums[p.nr - 1] as Betraege, p.nr));
}

/** The Ergebnisplan of the given lines with the results of § 2 Abs. 2 KomHVO NRW. */
export function ergebnisplan(zeilen: readonly HaushaltsZeile[]): PlanRow[] {
  const s = positionSums(zeilen, 'E', ERGEBNISPLAN);
  const ertraege = groupSum(s, ERGEBNISPLAN, 'ordentlich', 'ertrag');
  const aufwendungen = groupSum(s, ERGEBNISPLAN, 'ordentlich', 'aufwand');
  const ordentlich = combine([
    [ertraege, 1],
    [aufwendungen, -1],
  ]);
  const finanz = combine([
    [s[15] as Betraege, 1],
    [s[16] as Betraege, -1],
  ]);
  const laufend = combine([
    [ordentlich, 1],
    [finanz, 1],
  ]);
  const ausserordentlich = combine([
    [s[17] as Betraege, 1],
    [s[18] as Betraege, -1],
  ]);
  const jahr = combine([
    [laufend, 1],
    [ausserordentlich, 1],
  ]);
  return [
    ...positionRows('E', ERGEBNISPLAN, s, 1, 9),
    row('summe', 'ordentlicheErtraege', 'Ordentliche Erträge', ertraege),
    ...positionRows('E', ERGEBNISPLAN, s, 10, 15),
    row('summe', 'ordentlicheAufwendungen', 'Ordentliche Aufwendungen', aufwendungen),
    row('ergebnis', 'ordentlichesErgebnis', 'Ordentliches Ergebnis', ordentlich),
    ...positionRows('E', ERGEBNISPLAN, s, 16, 17),
    row('ergebnis', 'finanzergebnis', 'Finanzergebnis', finanz),
    row('ergebnis', 'ergebnisLaufendeVerwaltung', 'Ergebnis der laufenden Verwaltungstätigkeit', laufend),
    ...positionRows('E', ERGEBNISPLAN, s, 18, 19),
    row('ergebnis', 'ausserordentlichesErgebnis', 'Außerordentliches Ergebnis', ausserordentlich),
    row('ergebnis', 'jahresergebnis', 'Jahresergebnis', jahr),
  ];
}

/** The Finanzplan of the given lines with the balances of § 3 Abs. 2. */
export function finanzplan(zeilen: readonly HaushaltsZeile[]): PlanRow[] {
  const s = positionSums(zeilen, 'F', FINANZPLAN);
  const einL = groupSum(s, FINANZPLAN, 'laufend', 'ertrag');
  const ausL = groupSum(s, FINANZPLAN, 'laufend', 'aufwand');
  const saldoL = combine([
    [einL, 1],
    [ausL, -1],
  ]);
  const einI = groupSum(s, FINANZPLAN, 'investition', 'ertrag');
  const ausI = groupSum(s, FINANZPLAN, 'investition', 'aufwand');
  const saldoI = combine([
    [einI, 1],
    [ausI, -1],
  ]);
  const fmue = combine([
    [saldoL, 1],
    [saldoI, 1],
  ]);
  const saldoF = combine([
    [s[25] as Betraege, 1],
    [s[26] as Betraege, -1],
  ]);
  const aenderung = combine([
    [fmue, 1],
    [saldoF, 1],
  ]);
  return [
    ...positionRows('F', FINANZPLAN, s, 1, 8),
    row('summe', 'einzahlungenLaufend', 'Einzahlungen aus laufender Verwaltungstätigkeit', einL),
    ...positionRows('F', FINANZPLAN, s, 9, 14),
    row('summe', 'auszahlungenLaufend', 'Auszahlungen aus laufender Verwaltungstätigkeit', ausL),
    row('ergebnis', 'saldoLaufend', 'Saldo aus laufender Verwaltungstätigkeit', saldoL),
    ...positionRows('F', FINANZPLAN, s, 15, 19),
    row('summe', 'einzahlungenInvestition', 'Einzahlungen aus Investitionstätigkeit', einI),
    ...positionRows('F', FINANZPLAN, s, 20, 25),
    row('summe', 'auszahlungenInvestition', 'Auszahlungen aus Investitionstätigkeit', ausI),
    row('ergebnis', 'saldoInvestition', 'Saldo aus Investitionstätigkeit', saldoI),
    row('ergebnis', 'finanzmittelSaldo', 'Finanzmittelüberschuss / Finanzmittelfehlbetrag', fmue),
    ...positionRows('F', FINANZPLAN, s, 26, 27),
    row('ergebnis', 'saldoFinanzierung', 'Saldo aus Finanzierungstätigkeit', saldoF),
    row('ergebnis', 'aenderungFinanzmittel', 'Änderung des Bestands an Finanzmitteln', aenderung),
  ];
}

export function gesamtplan(zeilen: readonly HaushaltsZeile[]): Gesamtplan {
  return { ergebnisplan: ergebnisplan(zeilen), finanzplan: finanzplan(zeilen) };
}

/** The row of a plan by id (e.g. "jahresergebnis"). */
export function rowOf(rows: readonly PlanRow[], id: string): PlanRow {
  const r = rows.find((x) => x.id === id);
  if (!r) throw new Error(`no plan row ${id}`);
  return r;
}

export interface TeilplanSumme {
  produktbereich: Produktbereich;
  name: string;
  zeilen: number;
  produkte: number;
  jahresergebnis: Betraege;
  finanzmittelSaldo: Betraege;
}

/** One summary per Produktbereich that has lines, in code order. */
export function teilplanSummen(zeilen: readonly HaushaltsZeile[]): TeilplanSumme[] {
  const by = new Map<Produktbereich, HaushaltsZeile[]>();
  for (const z of zeilen) {
    const list = by.get(z.produktbereich);
    if (list) list.push(z);
    else by.set(z.produktbereich, [z]);
  }
  return [...by.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([pb, list]) => ({
      produktbereich: pb,
      name: PRODUKTBEREICHE[pb],
      zeilen: list.length,
      produkte: new Set(list.map((z) => z.produkt)).size,
      jahresergebnis: pick(rowOf(ergebnisplan(list), 'jahresergebnis')),
      finanzmittelSaldo: pick(rowOf(finanzplan(list), 'aenderungFinanzmittel')),
    }));
}

export function pick(r: Betraege): Betraege {
  const out = zeroBetraege();
  for (const c of BETRAG_SPALTEN) out[c] = r[c];
  return out;
}
