import { createHash } from 'node:crypto';
import type { FieldError } from '../../../core/errors.js';
import { noControlCharsExceptLineBreaks } from '../../../core/schema-helpers.js';
import { eurosToCents, parseGermanAmount } from '../geld.js';
import {
  BETRAG_SPALTEN,
  type BetragSpalte,
  CODE_PATTERN,
  type HaushaltsZeile,
  isProduktbereich,
  MAX_BETRAG_CENTS,
  MAX_ZEILEN,
  PLAN_LABELS,
  type Plan,
  type Produktbereich,
  positionOf,
  spaltenTitel,
  zeilenSchluessel,
} from '../katalog.js';

/**
 * The rows of an imported file (XLSX sheet or CSV) checked into budget lines: the one place that
 * knows the column layout a Kämmerei keeps and what a valid line is. All-or-nothing: either every
 * row is a valid line, or the errors of the rows (at most MAX_ERRORS, with sheet, row and column)
 * and no lines.
 */

export const SPALTEN = [
  'produktbereich',
  'produktgruppe',
  'produktgruppeName',
  'produkt',
  'produktName',
  'plan',
  'position',
  'positionText',
  ...BETRAG_SPALTEN,
  'erlaeuterung',
] as const;
export type Spalte = (typeof SPALTEN)[number];

/** The column headings of the layout for a plan year. */
export function spaltenKoepfe(haushaltsjahr: number): Record<Spalte, string> {
  return {
    produktbereich: 'Produktbereich',
    produktgruppe: 'Produktgruppe',
    produktgruppeName: 'Bezeichnung Produktgruppe',
    produkt: 'Produkt',
    produktName: 'Bezeichnung Produkt',
    plan: 'Plan',
    position: 'Zeile',
    positionText: 'Position',
    ...spaltenTitel(haushaltsjahr),
    erlaeuterung: 'Erläuterung',
  };
}

/** A cell as the readers hand it over: text, number, empty, or something unusable. */
export type RawCell = string | number | null | { unreadable: string };

export interface RawRow {
  /** Where the row is, for messages: sheet name (XLSX) or null (CSV), 1-based row number. */
  sheet: string | null;
  row: number;
  cells: Partial<Record<Spalte, RawCell>>;
  /** Sheet of a Teilplan: its Produktbereich (XLSX), which the rows must match. */
  sheetProduktbereich?: Produktbereich;
  /** Names the row in messages instead of sheet and row number (edited lines). */
  label?: string;
}

export const MAX_ERRORS = 100;

const norm = (s: string) => s.replace(/\s+/g, ' ').trim().toLowerCase();

/**
 * Maps the heading row of a sheet to columns. Errors name a missing column, and a file of another
 * budget year ("Ansatz 2026" where "Ansatz 2027" is expected) by its year.
 */
export function mapHeader(
  headings: readonly RawCell[],
  haushaltsjahr: number,
  where: string,
): { columns: Map<number, Spalte>; errors: FieldError[] } {
  const expected = spaltenKoepfe(haushaltsjahr);
  const byText = new Map(Object.entries(expected).map(([k, v]) => [norm(v), k as Spalte]));
  const columns = new Map<number, Spalte>();
  const seen = new Set<Spalte>();
  const errors: FieldError[] = [];
  const ansatzYears: number[] = [];
  headings.forEach((h, i) => {
    if (typeof h !== 'string' && typeof h !== 'number') return;
    const text = norm(String(h));
    const m = /^ansatz (\d{4})$/.exec(text);
    if (m) ansatzYears.push(Number(m[1]));
    const col = byText.get(text);
    if (col && !seen.has(col)) {
      columns.set(i, col);
      seen.add(col);
    }
  });
  const missing = SPALTEN.filter((c) => c !== 'positionText' && c !== 'erlaeuterung' && !seen.has(c));
  if (missing.length) {
    // The plan year of a file is its later "Ansatz" column (the other is last year's).
    const fileYear = ansatzYears.length ? Math.max(...ansatzYears) : undefined;
    const hint =
      fileYear !== undefined && fileYear !== haushaltsjahr
        ? ` Die Datei scheint zum Haushaltsjahr ${fileYear} zu gehören, der Entwurf ist für ${haushaltsjahr}.`
        : '';
    errors.push({
      path: `datei/${where}`,
      message: `${where}: Es fehlen die Spalten ${missing.map((c) => `„${expected[c]}“`).join(', ')}.${hint}`,
    });
  }
  return { columns, errors };
}

function cellText(c: RawCell | undefined): string | null {
  if (c === null || c === undefined) return null;
  if (typeof c === 'number') return String(c);
  if (typeof c === 'string') {
    const t = c.trim();
    return t === '' ? null : t;
  }
  return null;
}

function checkedText(c: RawCell | undefined, title: string, max: number, multiline = false) {
  if (c && typeof c === 'object') return { error: `${title}: Zellinhalt nicht lesbar (${c.unreadable}).` };
  const t = cellText(c);
  if (t === null) return { value: null };
  if (t.length > max) return { error: `${title}: höchstens ${max} Zeichen.` };
  const ok = multiline ? noControlCharsExceptLineBreaks(t) : /^[^\p{Cc}]*$/u.test(t);
  if (!ok) return { error: `${title}: enthält unzulässige Steuerzeichen.` };
  return { value: t };
}

function amountOf(c: RawCell | undefined): { cents: number } | { error: string } {
  if (c === null || c === undefined) return { cents: 0 };
  if (typeof c === 'object') return { error: `Zellinhalt nicht lesbar (${c.unreadable})` };
  if (typeof c === 'number') {
    const cents = eurosToCents(c);
    return cents === null ? { error: 'höchstens zwei Nachkommastellen' } : { cents };
  }
  const t = c.trim();
  if (t === '') return { cents: 0 };
  const cents = parseGermanAmount(t);
  return cents === null
    ? { error: `keine Zahl in deutscher Schreibweise (z. B. 1.234,56): „${t.slice(0, 40)}“` }
    : { cents };
}

function planOf(c: RawCell | undefined): Plan | null {
  const t = cellText(c)?.toLowerCase();
  if (t === 'e' || t === 'ergebnisplan') return 'E';
  if (t === 'f' || t === 'finanzplan') return 'F';
  return null;
}

function produktbereichOf(c: RawCell | undefined): Produktbereich | null {
  const t = cellText(c);
  if (t === null || !/^\d{1,2}$/.test(t)) return null;
  const code = t.padStart(2, '0');
  return isProduktbereich(code) ? code : null;
}

export interface CheckResult {
  zeilen: HaushaltsZeile[];
  errors: FieldError[];
  /** Errors beyond MAX_ERRORS that were counted but not listed. */
  moreErrors: number;
}

/**
 * Checks the rows of a file and turns them into lines, ordered by Produktbereich and then as in
 * the file (the order an export writes them in, so that a round trip keeps the order).
 */
export function checkRows(rows: readonly RawRow[], haushaltsjahr: number): CheckResult {
  const titles = spaltenKoepfe(haushaltsjahr);
  const at = (r: RawRow) => r.label ?? (r.sheet ? `Blatt „${r.sheet}“, Zeile ${r.row}` : `Zeile ${r.row}`);
  const errors: FieldError[] = [];
  let moreErrors = 0;
  const fail = (r: RawRow, col: Spalte | null, message: string) => {
    if (errors.length >= MAX_ERRORS) {
      moreErrors++;
      return;
    }
    errors.push({
      path: r.label
        ? ['zeilen', r.row - 1, col].filter((x) => x !== null).join('/')
        : ['datei', r.sheet, `zeile ${r.row}`, col].filter(Boolean).join('/'),
      message: `${at(r)}${col ? `, ${titles[col]}` : ''}: ${message}`,
    });
  };
  if (rows.length > MAX_ZEILEN) {
    return {
      zeilen: [],
      errors: [
        {
          path: 'datei',
          message: `Die Datei hat ${rows.length} Zeilen; ein Entwurf hat höchstens ${MAX_ZEILEN}.`,
        },
      ],
      moreErrors: 0,
    };
  }
  const zeilen: Array<HaushaltsZeile & { order: number }> = [];
  const byKey = new Map<string, RawRow>();
  const produkte = new Map<string, { pg: string; name: string; pb: string; at: RawRow }>();
  const gruppen = new Map<string, { name: string; pb: string; at: RawRow }>();

  rows.forEach((r, order) => {
    const before = errors.length + moreErrors;
    const c = r.cells;
    const pb =
      produktbereichOf(c.produktbereich) ?? (cellText(c.produktbereich) ? null : r.sheetProduktbereich);
    if (!pb) fail(r, 'produktbereich', 'Bitte einen der 17 Produktbereiche 01 bis 17 angeben.');
    else if (r.sheetProduktbereich && pb !== r.sheetProduktbereich)
      fail(r, 'produktbereich', `gehört nicht in den Teilplan ${r.sheetProduktbereich} dieses Blatts.`);
    const code = (col: 'produktgruppe' | 'produkt', label: string) => {
      const t = cellText(c[col]);
      if (t === null) fail(r, col, `Bitte die Nummer ${label} angeben.`);
      else if (!CODE_PATTERN.test(t))
        fail(r, col, 'höchstens 20 Zeichen aus Ziffern, Buchstaben, Punkt, Bindestrich oder Unterstrich.');
      return t ?? '';
    };
    const name = (col: 'produktgruppeName' | 'produktName') => {
      const t = checkedText(c[col], titles[col], 120);
      if ('error' in t) fail(r, col, (t.error as string).replace(`${titles[col]}: `, ''));
      else if (t.value === null) fail(r, col, 'Bitte angeben.');
      return 'value' in t && t.value ? t.value : '';
    };
    const produktgruppe = code('produktgruppe', 'der Produktgruppe');
    const produktgruppeName = name('produktgruppeName');
    const produkt = code('produkt', 'des Produkts');
    const produktName = name('produktName');
    const plan = planOf(c.plan);
    if (!plan) fail(r, 'plan', '„Ergebnisplan“ (E) oder „Finanzplan“ (F) angeben.');
    const posText = cellText(c.position);
    const nr = posText !== null && /^\d{1,2}$/.test(posText) ? Number(posText) : Number.NaN;
    const pos = plan ? positionOf(plan, nr) : undefined;
    if (plan && !pos)
      fail(
        r,
        'position',
        `Im ${PLAN_LABELS[plan]} gibt es die Zeilen 1 bis ${plan === 'E' ? 19 : 27} (§ ${plan === 'E' ? 2 : 3} KomHVO NRW).`,
      );
    const erl = checkedText(c.erlaeuterung, titles.erlaeuterung, 1000, true);
    if ('error' in erl)
      fail(r, 'erlaeuterung', (erl.error as string).replace(`${titles.erlaeuterung}: `, ''));
    const betraege = {} as Record<BetragSpalte, number>;
    for (const col of BETRAG_SPALTEN) {
      const a = amountOf(c[col]);
      if ('error' in a) {
        fail(r, col, a.error);
        continue;
      }
      if (Math.abs(a.cents) > MAX_BETRAG_CENTS) fail(r, col, 'höchstens 10 Mrd. Euro je Zeile.');
      else if (a.cents < 0 && pos && !pos.signed)
        fail(r, col, 'darf nicht negativ sein (Aufwendungen und Auszahlungen als positiven Betrag angeben).');
      betraege[col] = a.cents;
    }
    if (errors.length + moreErrors > before || !pb || !plan || !pos) return;

    const key = zeilenSchluessel({ produkt, plan, position: nr });
    const dup = byKey.get(key);
    if (dup) {
      fail(r, 'position', `Produkt ${produkt}, ${PLAN_LABELS[plan]} Zeile ${nr} gibt es schon (${at(dup)}).`);
      return;
    }
    byKey.set(key, r);
    const p = produkte.get(produkt);
    if (!p) produkte.set(produkt, { pg: produktgruppe, name: produktName, pb, at: r });
    else if (p.pg !== produktgruppe || p.name !== produktName || p.pb !== pb) {
      fail(
        r,
        'produkt',
        `Produkt ${produkt} steht in ${at(p.at)} mit anderer Bezeichnung, Produktgruppe oder anderem Produktbereich.`,
      );
      return;
    }
    const g = gruppen.get(produktgruppe);
    if (!g) gruppen.set(produktgruppe, { name: produktgruppeName, pb, at: r });
    else if (g.name !== produktgruppeName || g.pb !== pb) {
      fail(
        r,
        'produktgruppe',
        `Produktgruppe ${produktgruppe} steht in ${at(g.at)} mit anderer Bezeichnung oder anderem Produktbereich.`,
      );
      return;
    }
    zeilen.push({
      order,
      produktbereich: pb,
      produktgruppe,
      produktgruppeName,
      produkt,
      produktName,
      plan,
      position: nr,
      erlaeuterung: 'value' in erl ? (erl.value ?? null) : null,
      ...betraege,
    });
  });
  if (errors.length || moreErrors) return { zeilen: [], errors, moreErrors };
  zeilen.sort((a, b) => a.produktbereich.localeCompare(b.produktbereich) || a.order - b.order);
  return { zeilen: zeilen.map(({ order: _o, ...z }) => z), errors: [], moreErrors: 0 };
}

/** SHA-256 of the content of a version: the lines in order, every field. What approvals pin. */
export function inhaltSha256(zeilen: readonly HaushaltsZeile[]): string {
  const h = createHash('sha256');
  for (const z of zeilen) {
    h.update(
      `${JSON.stringify([
        z.produktbereich,
        z.produktgruppe,
        z.produktgruppeName,
        z.produkt,
        z.produktName,
        z.plan,
        z.position,
        z.erlaeuterung,
        ...BETRAG_SPALTEN.map((c) => z[c]),
      ])}\n`,
    );
  }
  return h.digest('hex');
}
