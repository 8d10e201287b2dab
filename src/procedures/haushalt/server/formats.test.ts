import ExcelJS from 'exceljs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { beispielHaushalt, grosserHaushalt } from '../fixtures.js';
import { BETRAG_SPALTEN, type HaushaltsZeile, type Produktbereich } from '../katalog.js';
import { gesamtplan } from '../totals.js';
import { readBudgetCsv, writeBudgetCsv } from './csv.js';
import { readBudgetXlsx, teilplanSheetName, UEBERSICHT, writeBudgetXlsx, zipProblem } from './xlsx.js';
import { checkRows, inhaltSha256 } from './zeilen.js';

/** XLSX and CSV of a budget: lossless round trips and the row-level errors of a bad file (no DB). */

const JAHR = 2027;
const meta = {
  authorityName: 'Universitätsstadt Siegen',
  authorityAgs: '05970040',
  haushaltsjahr: JAHR,
  versionNo: 1,
  statusLabel: 'Entwurf',
  createdAt: new Date('2026-12-03T09:00:00Z'),
};

async function xlsxOf(zeilen: HaushaltsZeile[]): Promise<Buffer> {
  return writeBudgetXlsx(meta, zeilen, gesamtplan(zeilen));
}

async function readXlsx(buf: Buffer, jahr = JAHR) {
  const read = await readBudgetXlsx(buf, jahr);
  if (read.errors.length) return { ...read, zeilen: [] as HaushaltsZeile[] };
  const checked = checkRows(read.rows, jahr);
  return { ...read, errors: checked.errors, zeilen: checked.zeilen };
}

function readCsv(text: string, jahr = JAHR) {
  const read = readBudgetCsv(text, jahr);
  if (read.errors.length) return { errors: read.errors, zeilen: [] as HaushaltsZeile[] };
  return checkRows(read.rows, jahr);
}

/** A workbook edited "by hand": the export, changed through exceljs as a spreadsheet program would. */
async function edited(zeilen: HaushaltsZeile[], edit: (wb: ExcelJS.Workbook) => void): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load((await xlsxOf(zeilen)) as unknown as ArrayBuffer);
  edit(wb);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

const nameArb = fc
  .array(fc.constantFrom(...'abcdefghijklmnopqrstuvwxyzäöüßÄÖÜ -–„“()&/.,'.split('')), {
    minLength: 1,
    maxLength: 40,
  })
  .map((cs) => cs.join('').trim())
  .filter((s) => s.length > 0 && !/^[=+\-@]/.test(s));

/** Random valid budgets: any Produktbereich, plan and position, amounts up to the limit. */
const budgetArb = fc
  .array(
    fc.record({
      pb: fc.constantFrom<Produktbereich>('01', '02', '05', '09', '12', '16', '17'),
      name: nameArb,
      plan: fc.constantFrom('E' as const, 'F' as const),
      pos: fc.integer({ min: 1, max: 27 }),
      amounts: fc.array(fc.integer({ min: 0, max: 1_000_000_000_000 }), { minLength: 6, maxLength: 6 }),
      erl: fc.option(
        fc
          .string({ maxLength: 60 })
          .filter((s) => !/[\p{Cc}]/u.test(s.replace(/\n/g, '')) && s.trim() === s && !/^[=+\-@']/.test(s)),
        { nil: null },
      ),
      negative: fc.boolean(),
    }),
    { minLength: 1, maxLength: 40 },
  )
  .map((rs) =>
    rs.map((r, i): HaushaltsZeile => {
      const position = r.plan === 'E' ? ((r.pos - 1) % 19) + 1 : r.pos;
      const z: HaushaltsZeile = {
        produktbereich: r.pb,
        produktgruppe: `${r.pb}.${i}`,
        produktgruppeName: `Gruppe ${r.name}`,
        produkt: `${r.pb}.${i}.01`,
        produktName: r.name,
        plan: r.plan,
        position,
        erlaeuterung: r.erl === '' ? null : r.erl,
        ergebnisVorvorjahr: 0,
        ansatzVorjahr: 0,
        ansatz: 0,
        planung1: 0,
        planung2: 0,
        planung3: 0,
      };
      BETRAG_SPALTEN.forEach((c, k) => {
        const v = r.amounts[k] ?? 0;
        // (0, not -0: whole cents have no negative zero, and the reader gives 0 back)
        z[c] = r.negative && r.plan === 'E' && position === 9 && v !== 0 ? -v : v;
      });
      return z;
    }),
  )
  // The order an export writes: by Produktbereich, then as given.
  .map((zs) => [...zs].sort((a, b) => a.produktbereich.localeCompare(b.produktbereich)));

describe('Kämmerei: XLSX', () => {
  it('writes a summary sheet and one sheet per Teilplan, in the layout a Kämmerei keeps', async () => {
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load((await xlsxOf(beispielHaushalt())) as unknown as ArrayBuffer);
    expect(wb.worksheets.map((w) => w.name)).toEqual([
      UEBERSICHT,
      'TP 01 Innere Verwaltung',
      teilplanSheetName('06'),
      teilplanSheetName('16'),
    ]);
    const tp = wb.getWorksheet('TP 01 Innere Verwaltung') as ExcelJS.Worksheet;
    expect(tp.getRow(2).values).toEqual([
      undefined,
      'Produktbereich',
      'Produktgruppe',
      'Bezeichnung Produktgruppe',
      'Produkt',
      'Bezeichnung Produkt',
      'Plan',
      'Zeile',
      'Position',
      'Ergebnis 2025',
      'Ansatz 2026',
      'Ansatz 2027',
      'Planung 2028',
      'Planung 2029',
      'Planung 2030',
      'Erläuterung',
    ]);
    expect(tp.getRow(3).getCell(5).value).toBe('Rat und Ausschüsse');
    expect(tp.getRow(3).getCell(11).value).toBe(12000);
    expect(tp.getRow(3).getCell(11).numFmt).toBe('#,##0.00;-#,##0.00');
    const summary = wb.getWorksheet(UEBERSICHT) as ExcelJS.Worksheet;
    const jahres: unknown[] = [];
    summary.eachRow((r) => {
      if (r.getCell(2).value === 'Jahresergebnis') jahres.push(r.getCell(5).value);
    });
    expect(jahres).toEqual([1_952_000]);
    expect(teilplanSheetName('09').length).toBeLessThanOrEqual(31);
  });

  it('gives back the same budget after export and import (sample and 5 000 generated lines)', async () => {
    for (const zeilen of [beispielHaushalt(), grosserHaushalt(5000)]) {
      const back = await readXlsx(await xlsxOf(zeilen));
      expect(back.errors).toEqual([]);
      expect(back.ignoredSheets).toEqual([]);
      expect(back.zeilen).toEqual(zeilen);
      expect(inhaltSha256(back.zeilen)).toBe(inhaltSha256(zeilen));
    }
  });

  it('round-trips any valid budget losslessly (property)', async () => {
    await fc.assert(
      fc.asyncProperty(budgetArb, async (zeilen) => {
        const back = await readXlsx(await xlsxOf(zeilen));
        expect(back.errors).toEqual([]);
        expect(back.zeilen).toEqual(zeilen);
      }),
      { numRuns: 25 },
    );
  });

  it('reads a sheet a person edited: columns moved, amounts typed as German text, a notes sheet', async () => {
    const buf = await edited(beispielHaushalt(), (wb) => {
      const ws = wb.getWorksheet('TP 01 Innere Verwaltung') as ExcelJS.Worksheet;
      ws.spliceColumns(8, 1); // the informational "Position" column removed
      ws.getRow(3).getCell(10).value = '12.500,00'; // Ansatz 2027 typed as text
      ws.getRow(4).getCell(10).value = { formula: '250000+1', result: 250001 };
      wb.addWorksheet('Notizen').addRow(['Telefonliste']);
    });
    const back = await readXlsx(buf);
    expect(back.errors).toEqual([]);
    expect(back.ignoredSheets).toEqual(['Notizen']);
    expect(back.zeilen[0]?.ansatz).toBe(1_250_000);
    expect(back.zeilen[1]?.ansatz).toBe(25_000_100);
  });

  it('reports the errors of each row with sheet, row and column, and reads nothing', async () => {
    const buf = await edited(beispielHaushalt(), (wb) => {
      const ws = wb.getWorksheet('TP 01 Innere Verwaltung') as ExcelJS.Worksheet;
      ws.getRow(3).getCell(11).value = 'zwölf'; // Ansatz 2027
      ws.getRow(4).getCell(7).value = 20; // Zeile 20 of the Ergebnisplan does not exist
      ws.getRow(5).getCell(12).value = -100; // negative Personalaufwand (Planung 2028)
      ws.getRow(6).getCell(11).value = 12.345; // third decimal
      ws.getRow(7).getCell(5).value = 'Bürgerbüro (alt)'; // same product, other name than row 9
      ws.getRow(8).getCell(1).value = '06'; // wrong Teilplan for this sheet
      const tp16 = wb.getWorksheet(teilplanSheetName('16')) as ExcelJS.Worksheet;
      tp16.getRow(4).getCell(7).value = 1; // duplicates Produkt 16.01.01, Ergebnisplan 1
    });
    const back = await readXlsx(buf);
    expect(back.zeilen).toEqual([]);
    const messages = back.errors.map((e) => e.message);
    expect(messages).toEqual([
      'Blatt „TP 01 Innere Verwaltung“, Zeile 3, Ansatz 2027: keine Zahl in deutscher Schreibweise (z. B. 1.234,56): „zwölf“',
      'Blatt „TP 01 Innere Verwaltung“, Zeile 4, Zeile: Im Ergebnisplan gibt es die Zeilen 1 bis 19 (§ 2 KomHVO NRW).',
      'Blatt „TP 01 Innere Verwaltung“, Zeile 5, Planung 2028: darf nicht negativ sein (Aufwendungen und Auszahlungen als positiven Betrag angeben).',
      'Blatt „TP 01 Innere Verwaltung“, Zeile 6, Ansatz 2027: höchstens zwei Nachkommastellen',
      'Blatt „TP 01 Innere Verwaltung“, Zeile 8, Produktbereich: gehört nicht in den Teilplan 01 dieses Blatts.',
      'Blatt „TP 01 Innere Verwaltung“, Zeile 9, Produkt: Produkt 01.01.02 steht in Blatt „TP 01 Innere Verwaltung“, Zeile 7 mit anderer Bezeichnung, Produktgruppe oder anderem Produktbereich.',
      `Blatt „${teilplanSheetName('16')}“, Zeile 4, Zeile: Produkt 16.01.01, Ergebnisplan Zeile 1 gibt es schon (Blatt „${teilplanSheetName('16')}“, Zeile 3).`,
    ]);
    expect(back.errors[0]?.path).toBe('datei/TP 01 Innere Verwaltung/zeile 3/ansatz');
  });

  it('recognises a file of another budget year by its column headings', async () => {
    const back = await readXlsx(await xlsxOf(beispielHaushalt()), 2028);
    expect(back.zeilen).toEqual([]);
    expect(back.errors[0]?.message).toContain(
      'Die Datei scheint zum Haushaltsjahr 2027 zu gehören, der Entwurf ist für 2028.',
    );
  });

  it('refuses what is no workbook, a workbook without Teilpläne and a zip bomb, without unpacking it', async () => {
    expect((await readXlsx(Buffer.from('Produkt;Plan\n'))).errors[0]?.message).toBe(
      'Die Datei ist keine XLSX-Datei.',
    );
    const empty = new ExcelJS.Workbook();
    empty.addWorksheet('Tabelle1').addRow(['Hallo']);
    const noTp = await readXlsx(Buffer.from(await empty.xlsx.writeBuffer()));
    expect(noTp.errors[0]?.message).toContain('keine Teilplan-Blätter');
    const buf = await xlsxOf(beispielHaushalt());
    const bomb = Buffer.from(buf);
    // Claim 300 MB for the first entry of the central directory.
    const eocd = bomb.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
    const dir = bomb.readUInt32LE(eocd + 16);
    bomb.writeUInt32LE(300 * 1024 * 1024, dir + 24);
    expect(zipProblem(bomb)).toBe('Die XLSX-Datei ist entpackt zu groß (mehr als 200 MB).');
    expect(zipProblem(buf.subarray(0, buf.length - 30))).toBe(
      'Die XLSX-Datei ist unvollständig oder beschädigt.',
    );
  });
});

describe('Kämmerei: CSV', () => {
  it('writes semicolon CSV with BOM, German decimals and guarded negative amounts, and reads it back', () => {
    const zeilen = beispielHaushalt();
    const csv = writeBudgetCsv(JAHR, zeilen);
    expect(csv.startsWith('\uFEFFProduktbereich;Produktgruppe;')).toBe(true);
    expect(csv).toContain(
      "01;01.01;Verwaltungssteuerung und -service;01.01.02;Bürgerbüro;Ergebnisplan;9;Bestandsveränderungen;1200,00;0,00;'-5000,00;0,00;0,00;0,00;Abbau des Vorrats an Vordrucken\r\n",
    );
    const back = readCsv(csv);
    expect(back.errors).toEqual([]);
    expect(back.zeilen).toEqual(zeilen);
  });

  it('round-trips any valid budget losslessly (property)', () => {
    fc.assert(
      fc.property(budgetArb, (zeilen) => {
        const back = readCsv(writeBudgetCsv(JAHR, zeilen));
        expect(back.errors).toEqual([]);
        expect(back.zeilen).toEqual(zeilen);
      }),
      { numRuns: 100 },
    );
  });

  it('names the row of each error and refuses a broken file', () => {
    const csv = writeBudgetCsv(JAHR, beispielHaushalt())
      .replace('12000,00', '12.000.00')
      .replace(';Ergebnisplan;10;', ';Haushalt;10;');
    const back = readCsv(csv);
    expect(back.zeilen).toEqual([]);
    expect(back.errors.map((e) => e.message)).toEqual([
      'Zeile 2, Ansatz 2027: keine Zahl in deutscher Schreibweise (z. B. 1.234,56): „12.000.00“',
      'Zeile 3, Plan: „Ergebnisplan“ (E) oder „Finanzplan“ (F) angeben.',
    ]);
    expect(readCsv('Produktbereich;"Produkt\n01;"x').errors[0]?.message).toContain(
      'Die CSV-Datei ist nicht lesbar',
    );
    expect(readCsv('').errors[0]?.message).toBe('Die CSV-Datei ist leer.');
    expect(readCsv('a;b;c\n1;2;3').errors[0]?.message).toContain('Es fehlen die Spalten „Produktbereich“');
  });
});
