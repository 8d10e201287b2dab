import ExcelJS from 'exceljs';
import type { FieldError } from '../../../core/errors.js';
import {
  BETRAG_SPALTEN,
  type HaushaltsZeile,
  PLAN_LABELS,
  PRODUKTBEREICHE,
  type Produktbereich,
  positionOf,
  spaltenTitel,
} from '../katalog.js';
import { type Gesamtplan, type PlanRow, teilplanSummen } from '../totals.js';
import { mapHeader, type RawCell, type RawRow, SPALTEN, type Spalte, spaltenKoepfe } from './zeilen.js';

/**
 * The budget as a workbook in the layout a Kämmerei keeps (exceljs): a summary sheet
 * „Übersicht“ (Gesamtergebnisplan, Gesamtfinanzplan, Teilpläne — computed, not read back) and one
 * sheet per Teilplan „TP 01 Innere Verwaltung“ with a title row, the heading row and one row per
 * line. Amounts are euros as numbers with two decimals; codes are text. Reading accepts the same
 * layout with the columns in any order (found by their headings), ignores other sheets and says so.
 */

export const UEBERSICHT = 'Übersicht';
const MONEY_FORMAT = '#,##0.00;-#,##0.00';

export interface ExportMeta {
  authorityName: string;
  authorityAgs: string;
  haushaltsjahr: number;
  versionNo: number;
  statusLabel: string;
  createdAt: Date;
}

/** Sheet name of a Teilplan (Excel allows at most 31 characters and no : \ / ? * [ ]). */
export function teilplanSheetName(pb: Produktbereich): string {
  return `TP ${pb} ${PRODUKTBEREICHE[pb]}`
    .replace(/[:\\/?*[\]]/g, ' ')
    .slice(0, 31)
    .trimEnd();
}

function euros(cents: number): number {
  return cents / 100;
}

function planTable(ws: ExcelJS.Worksheet, title: string, rows: PlanRow[], jahr: number) {
  const titel = spaltenTitel(jahr);
  ws.addRow([]);
  ws.addRow([title]).font = { bold: true, size: 12 };
  const head = ws.addRow(['Nr.', 'Position', ...BETRAG_SPALTEN.map((c) => titel[c])]);
  head.font = { bold: true };
  for (const r of rows) {
    const line = ws.addRow([r.nr ?? '', r.label, ...BETRAG_SPALTEN.map((c) => euros(r[c]))]);
    if (r.kind !== 'position') line.font = { bold: true };
    for (let i = 3; i <= 8; i++) line.getCell(i).numFmt = MONEY_FORMAT;
  }
}

/** Writes the workbook of one version. */
export async function writeBudgetXlsx(
  meta: ExportMeta,
  zeilen: readonly HaushaltsZeile[],
  gesamt: Gesamtplan,
): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = 'Notbetrieb';
  wb.created = meta.createdAt;
  wb.modified = meta.createdAt;

  const ue = wb.addWorksheet(UEBERSICHT);
  ue.columns = [{ width: 8 }, { width: 52 }, ...BETRAG_SPALTEN.map(() => ({ width: 18 }))];
  ue.addRow([`Haushaltsplan ${meta.haushaltsjahr} – ${meta.authorityName}`]).font = { bold: true, size: 14 };
  ue.addRow(['AGS', meta.authorityAgs]);
  ue.addRow(['Haushaltsjahr', meta.haushaltsjahr]);
  ue.addRow(['Fassung', meta.versionNo]);
  ue.addRow(['Stand', meta.statusLabel]);
  ue.addRow(['Erstellt', meta.createdAt.toISOString()]);
  ue.addRow([
    'Hinweis',
    'Dieses Blatt wird aus den Teilplänen berechnet und beim Einlesen nicht gelesen. Beträge in Euro.',
  ]);
  planTable(ue, 'Gesamtergebnisplan', gesamt.ergebnisplan, meta.haushaltsjahr);
  planTable(ue, 'Gesamtfinanzplan', gesamt.finanzplan, meta.haushaltsjahr);
  ue.addRow([]);
  ue.addRow(['Teilpläne']).font = { bold: true, size: 12 };
  const titel = spaltenTitel(meta.haushaltsjahr);
  ue.addRow(['PB', 'Produktbereich', `Jahresergebnis ${titel.ansatz}`, 'Zeilen', 'Produkte']).font = {
    bold: true,
  };
  for (const t of teilplanSummen(zeilen)) {
    const r = ue.addRow([t.produktbereich, t.name, euros(t.jahresergebnis.ansatz), t.zeilen, t.produkte]);
    r.getCell(3).numFmt = MONEY_FORMAT;
  }

  const koepfe = spaltenKoepfe(meta.haushaltsjahr);
  const byPb = new Map<Produktbereich, HaushaltsZeile[]>();
  for (const z of zeilen) {
    const list = byPb.get(z.produktbereich);
    if (list) list.push(z);
    else byPb.set(z.produktbereich, [z]);
  }
  for (const [pb, list] of [...byPb.entries()].sort(([a], [b]) => a.localeCompare(b))) {
    const ws = wb.addWorksheet(teilplanSheetName(pb), { views: [{ state: 'frozen', ySplit: 2 }] });
    ws.columns = SPALTEN.map((c) => ({
      width: c === 'positionText' || c === 'erlaeuterung' ? 40 : c.endsWith('Name') ? 30 : 16,
    }));
    ws.addRow([
      `Teilplan ${pb} ${PRODUKTBEREICHE[pb]} – Haushaltsplan ${meta.haushaltsjahr} – ${meta.authorityName}`,
    ]).font = { bold: true };
    ws.addRow(SPALTEN.map((c) => koepfe[c])).font = { bold: true };
    for (const z of list) {
      const row = ws.addRow([
        z.produktbereich,
        z.produktgruppe,
        z.produktgruppeName,
        z.produkt,
        z.produktName,
        PLAN_LABELS[z.plan],
        z.position,
        positionOf(z.plan, z.position)?.label ?? '',
        ...BETRAG_SPALTEN.map((c) => euros(z[c])),
        z.erlaeuterung ?? '',
      ]);
      for (let i = 9; i <= 14; i++) row.getCell(i).numFmt = MONEY_FORMAT;
    }
  }
  return Buffer.from(await wb.xlsx.writeBuffer());
}

/**
 * A cheap look at the zip directory before the spreadsheet library unpacks anything: refuses
 * what is no zip, too many entries, or entries that claim to unpack to more than MAX_UNPACKED
 * (a zip bomb). Sizes are what the archive claims; the library's own limits stay the second line.
 */
const MAX_ENTRIES = 2_000;
const MAX_UNPACKED = 200 * 1024 * 1024;

export function zipProblem(buf: Buffer): string | null {
  if (buf.length < 22 || buf.readUInt32LE(0) !== 0x04034b50) return 'Die Datei ist keine XLSX-Datei.';
  const from = Math.max(0, buf.length - 22 - 65_535);
  let eocd = -1;
  for (let i = buf.length - 22; i >= from; i--) {
    if (buf.readUInt32LE(i) === 0x06054b50) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) return 'Die XLSX-Datei ist unvollständig oder beschädigt.';
  const entries = buf.readUInt16LE(eocd + 10);
  const dirOffset = buf.readUInt32LE(eocd + 16);
  if (entries > MAX_ENTRIES || dirOffset === 0xffffffff) return 'Die XLSX-Datei ist zu groß.';
  let p = dirOffset;
  let total = 0;
  for (let i = 0; i < entries; i++) {
    if (p + 46 > buf.length || buf.readUInt32LE(p) !== 0x02014b50)
      return 'Die XLSX-Datei ist unvollständig oder beschädigt.';
    const size = buf.readUInt32LE(p + 24);
    if (size === 0xffffffff) return 'Die XLSX-Datei ist zu groß.';
    total += size;
    if (total > MAX_UNPACKED) return 'Die XLSX-Datei ist entpackt zu groß (mehr als 200 MB).';
    p += 46 + buf.readUInt16LE(p + 28) + buf.readUInt16LE(p + 30) + buf.readUInt16LE(p + 32);
  }
  return null;
}

/** A cell value as the row check understands it. */
export function rawCell(v: ExcelJS.CellValue): RawCell {
  if (v === null || v === undefined) return null;
  if (typeof v === 'number' || typeof v === 'string') return v;
  if (typeof v === 'boolean') return { unreadable: 'Wahrheitswert' };
  if (v instanceof Date) return { unreadable: 'Datum' };
  if (typeof v === 'object') {
    if ('richText' in v && Array.isArray(v.richText)) return v.richText.map((t) => t.text).join('');
    if ('formula' in v || 'sharedFormula' in v) {
      const r = (v as { result?: unknown }).result;
      if (typeof r === 'number' || typeof r === 'string') return r;
      return { unreadable: 'Formel ohne berechneten Wert' };
    }
    if ('text' in v && typeof v.text === 'string') return v.text;
    if ('error' in v) return { unreadable: String(v.error) };
  }
  return { unreadable: 'unbekannter Zelltyp' };
}

export interface ReadResult {
  rows: RawRow[];
  errors: FieldError[];
  ignoredSheets: string[];
}

const fileError = (message: string): ReadResult => ({
  rows: [],
  errors: [{ path: 'datei', message }],
  ignoredSheets: [],
});

/** Reads the Teilplan sheets of a workbook into raw rows (checked afterwards by checkRows). */
export async function readBudgetXlsx(buf: Buffer, haushaltsjahr: number): Promise<ReadResult> {
  const problem = zipProblem(buf);
  if (problem) return fileError(problem);
  const wb = new ExcelJS.Workbook();
  try {
    await wb.xlsx.load(buf as unknown as ArrayBuffer);
  } catch {
    return fileError('Die Datei ist keine lesbare XLSX-Datei.');
  }
  const rows: RawRow[] = [];
  const errors: FieldError[] = [];
  const ignoredSheets: string[] = [];
  let teilplaene = 0;
  wb.eachSheet((ws) => {
    const m = /^TP\s*(\d{1,2})(?:\s|$)/i.exec(ws.name.trim());
    const pb = m ? (m[1] ?? '').padStart(2, '0') : null;
    if (!pb || !(pb in PRODUKTBEREICHE)) {
      if (ws.name !== UEBERSICHT) ignoredSheets.push(ws.name);
      return;
    }
    teilplaene++;
    let header: Map<number, Spalte> | null = null;
    const maxRow = ws.actualRowCount === 0 ? 0 : ws.rowCount;
    for (let n = 1; n <= maxRow; n++) {
      const row = ws.getRow(n);
      const values = (row.values as ExcelJS.CellValue[]).slice(1).map(rawCell);
      if (!header) {
        if (n > 10) break;
        if (values.some((v) => typeof v === 'string' && v.trim().toLowerCase() === 'produkt')) {
          const mapped = mapHeader(values, haushaltsjahr, `Blatt „${ws.name}“`);
          if (mapped.errors.length) {
            errors.push(...mapped.errors);
            return;
          }
          header = mapped.columns;
        }
        continue;
      }
      const cells: Partial<Record<Spalte, RawCell>> = {};
      let empty = true;
      for (const [i, col] of header) {
        const v = values[i] ?? null;
        cells[col] = v;
        if (v !== null && !(typeof v === 'string' && v.trim() === '')) empty = false;
      }
      if (!empty) rows.push({ sheet: ws.name, row: n, cells, sheetProduktbereich: pb as Produktbereich });
    }
    if (!header) {
      errors.push({
        path: `datei/${ws.name}`,
        message: `Blatt „${ws.name}“: Die Kopfzeile (mit „Produkt“, „Plan“, „Zeile“ …) fehlt in den ersten zehn Zeilen.`,
      });
    }
  });
  if (teilplaene === 0 && errors.length === 0) {
    return fileError(
      `Die Datei enthält keine Teilplan-Blätter (Blattnamen wie „${teilplanSheetName('01')}“).`,
    );
  }
  return { rows, errors, ignoredSheets };
}
