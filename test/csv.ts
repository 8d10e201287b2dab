import { expect } from 'vitest';

/** The cells of one line of a handover CSV (semicolon, double quotes doubled inside quotes). */
export function csvCells(line: string): string[] {
  const out: string[] = [];
  let cur = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i];
    if (quoted) {
      if (ch === '"' && line[i + 1] === '"') {
        cur += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cur += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ';') {
      out.push(cur);
      cur = '';
    } else cur += ch;
  }
  out.push(cur);
  return out;
}

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
