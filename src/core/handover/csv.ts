import type { HandoverCase, HandoverContext, OneFileFormat } from './format.js';

/**
 * CSV for re-keying (German spreadsheet convention: semicolon, UTF-8 with BOM, CRLF). Cells that
 * a spreadsheet would run as a formula (=, +, -, @, tab, CR at the start) get a leading apostrophe
 * (OWASP "CSV injection").
 */
export const CSV_BOM = '\uFEFF';

export function csvCell(value: unknown): string {
  if (value === undefined || value === null) return '';
  let s = String(value);
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  if (/[";\r\n]/.test(s)) s = `"${s.replace(/"/g, '""')}"`;
  return s;
}

/** The cells of one line in this convention (quoted cells, doubled quotes inside). */
export function splitCsvLine(line: string): string[] {
  const cells: string[] = [];
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
      cells.push(cur);
      cur = '';
    } else cur += ch;
  }
  cells.push(cur);
  return cells;
}

export function csvLine(values: readonly unknown[]): string {
  return `${values.map(csvCell).join(';')}\r\n`;
}

/**
 * A handover file in this convention holding all cases of a batch: BOM and header line, then the
 * line(s) of each case (`lines` returns them already terminated, e.g. from csvLine).
 */
export function csvFileFormat(
  fileName: (ctx: HandoverContext) => string,
  columns: readonly string[],
  lines: (c: HandoverCase) => string,
): OneFileFormat {
  return {
    formatId: 'csv',
    layout: 'one-file',
    contentType: 'text/csv; charset=utf-8',
    fileName,
    header: () => CSV_BOM + csvLine(columns),
    entry: (c) => lines(c),
  };
}
