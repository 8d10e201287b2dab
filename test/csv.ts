import { expect } from 'vitest';
import { splitCsvLine } from '../src/core/handover/csv.js';

/** The cells of one line of a handover CSV: the core's own splitter (semicolon, quotes doubled). */
export const csvCells = splitCsvLine;

/**
 * The records of a handover CSV file (core/handover/csv.ts: BOM, CRLF, header line), keyed by
 * column; checks the BOM, that the header is exactly `columns` and that every line has one cell
 * per column.
 */
export function csvRecords<C extends string>(body: string, columns: readonly C[]): Array<Record<C, string>> {
  expect(body.startsWith('\uFEFF'), 'CSV beginnt mit BOM').toBe(true);
  const lines = body.slice(1).split('\r\n').filter(Boolean).map(csvCells);
  expect(lines[0]).toEqual([...columns]);
  return lines.slice(1).map((l, n) => {
    expect(l, `CSV-Zeile ${n + 2}: eine Zelle je Spalte`).toHaveLength(columns.length);
    return Object.fromEntries(columns.map((c, i) => [c, l[i] ?? ''])) as Record<C, string>;
  });
}
