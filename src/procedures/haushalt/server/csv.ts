import { parse } from 'csv-parse/sync';
import type { FieldError } from '../../../core/errors.js';
import { CSV_BOM, csvLine } from '../../../core/handover/csv.js';
import { centsToDecimal } from '../geld.js';
import { BETRAG_SPALTEN, type HaushaltsZeile, PLAN_LABELS, positionOf } from '../katalog.js';
import { mapHeader, type RawCell, type RawRow, SPALTEN, type Spalte, spaltenKoepfe } from './zeilen.js';

/**
 * The budget lines as one CSV file in the German spreadsheet convention of the project
 * (core/handover/csv.ts: semicolon, UTF-8 with BOM, CRLF, formula guard), with the same columns
 * as a Teilplan sheet. Amounts in euros with a decimal comma and no grouping ("1234567,89").
 * Reading undoes the formula guard (a leading apostrophe before = + - @), so that export → import
 * gives back every value.
 */

export function writeBudgetCsv(haushaltsjahr: number, zeilen: readonly HaushaltsZeile[]): string {
  const koepfe = spaltenKoepfe(haushaltsjahr);
  let out = CSV_BOM + csvLine(SPALTEN.map((c) => koepfe[c]));
  for (const z of zeilen) {
    out += csvLine([
      z.produktbereich,
      z.produktgruppe,
      z.produktgruppeName,
      z.produkt,
      z.produktName,
      PLAN_LABELS[z.plan],
      z.position,
      positionOf(z.plan, z.position)?.label ?? '',
      ...BETRAG_SPALTEN.map((c) => centsToDecimal(z[c])),
      z.erlaeuterung ?? '',
    ]);
  }
  return out;
}

/** A cell as written by csvCell: a guard apostrophe before a formula character is taken off. */
function unguard(value: string): string {
  return /^'[=+\-@\t\r]/.test(value) ? value.slice(1) : value;
}

export function readBudgetCsv(text: string, haushaltsjahr: number): { rows: RawRow[]; errors: FieldError[] } {
  let records: Array<{ record: string[]; info: { lines: number } }>;
  try {
    records = parse(text, {
      delimiter: ';',
      bom: true,
      relax_column_count: true,
      skip_empty_lines: true,
      info: true,
    }) as unknown as typeof records;
  } catch (err) {
    const line = (err as { lines?: number }).lines;
    return {
      rows: [],
      errors: [
        {
          path: 'datei',
          message: `Die CSV-Datei ist nicht lesbar${line ? ` (bei Zeile ${line})` : ''}: Bitte Semikolon als Trennzeichen und Anführungszeichen paarweise verwenden.`,
        },
      ],
    };
  }
  const [head, ...body] = records;
  if (!head) return { rows: [], errors: [{ path: 'datei', message: 'Die CSV-Datei ist leer.' }] };
  const mapped = mapHeader(head.record, haushaltsjahr, 'Kopfzeile');
  if (mapped.errors.length) return { rows: [], errors: mapped.errors };
  const rows: RawRow[] = [];
  for (const { record, info } of body) {
    const cells: Partial<Record<Spalte, RawCell>> = {};
    let empty = true;
    for (const [i, col] of mapped.columns) {
      const v = record[i] === undefined ? null : unguard(record[i] as string);
      cells[col] = v;
      if (v !== null && v.trim() !== '') empty = false;
    }
    if (!empty) rows.push({ sheet: null, row: info.lines, cells });
  }
  return { rows, errors: [] };
}
