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
