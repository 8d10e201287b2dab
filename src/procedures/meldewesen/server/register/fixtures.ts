import fs from 'node:fs';
import { csvField, REGISTER_COLUMNS, type RegisterColumn } from './format.js';

/** Test helper: writes a register CSV from partial rows (defaults fill the rest). */
export type FixtureRow = Partial<Record<RegisterColumn, string>>;

export function registerRow(overrides: FixtureRow): Record<RegisterColumn, string> {
  return {
    personen_id: 'P1',
    familienname: 'Mustermann',
    namensbestandteil: '',
    vornamen: 'Erika',
    geburtsname: '',
    geburtsdatum: '1964-08-12',
    geburtsort: 'Siegen',
    geschlecht: 'w',
    staatsangehoerigkeit: 'DEU',
    strasse: 'Hauptstraße',
    hausnummer: '1',
    plz: '57072',
    ort: 'Siegen',
    ags: '05970040',
    haushalt_id: '',
    ehegatte_id: '',
    eltern_ids: '',
    einzugsdatum: '',
    ...overrides,
  };
}

export function writeRegisterCsv(
  file: string,
  rows: FixtureRow[],
  opts: { encoding?: 'utf8' | 'latin1'; extraLines?: string[] } = {},
): void {
  const lines = [REGISTER_COLUMNS.join(';')];
  for (const r of rows) {
    const full = registerRow(r);
    lines.push(REGISTER_COLUMNS.map((c) => csvField(full[c])).join(';'));
  }
  for (const l of opts.extraLines ?? []) lines.push(l);
  fs.writeFileSync(file, Buffer.from(`${lines.join('\n')}\n`, opts.encoding ?? 'utf8'));
}

/** The persons the register tests search for (Siegen unless noted). */
export const REGISTER_FIXTURE: FixtureRow[] = [
  {
    personen_id: 'P1',
    familienname: 'Meier',
    vornamen: 'Jürgen',
    geburtsdatum: '1964-08-12',
    geschlecht: 'm',
    haushalt_id: 'H1',
    ehegatte_id: 'P2',
  },
  {
    personen_id: 'P2',
    familienname: 'Meier',
    vornamen: 'Özlem',
    geburtsname: 'Yılmaz',
    geburtsdatum: '1966-01-02',
    haushalt_id: 'H1',
    ehegatte_id: 'P1',
  },
  {
    personen_id: 'P3',
    familienname: 'Meier',
    vornamen: 'Lena',
    geburtsdatum: '2010-05-05',
    haushalt_id: 'H1',
    eltern_ids: 'P1,P2',
  },
  {
    personen_id: 'P4',
    familienname: 'Mayer',
    vornamen: 'Karl',
    geburtsdatum: '1950-03-03',
    geschlecht: 'm',
    strasse: 'Weidenauer Straße',
    hausnummer: '12',
  },
  {
    personen_id: 'P5',
    familienname: 'Maier',
    vornamen: 'Gisela',
    geburtsdatum: '1955-04-04',
    strasse: 'Koblenzer Straße',
    hausnummer: '7',
  },
  {
    personen_id: 'P6',
    familienname: 'Meierhof',
    vornamen: 'Paul',
    geburtsdatum: '1990-06-06',
    geschlecht: 'm',
  },
  { personen_id: 'P7', familienname: 'Schmitt', vornamen: 'Anna', geburtsdatum: '1980-07-07' },
  {
    personen_id: 'P8',
    familienname: 'Schmidt',
    vornamen: 'Bernd',
    geburtsdatum: '1981-08-08',
    geschlecht: 'm',
  },
  {
    personen_id: 'P9',
    familienname: 'Heide',
    namensbestandteil: 'von der',
    vornamen: 'Clara',
    geburtsdatum: '1977-09-09',
  },
  {
    personen_id: 'P10',
    familienname: 'Müller-Lüdenscheidt',
    vornamen: 'Hans',
    geburtsdatum: '1960-10-10',
    geschlecht: 'm',
  },
  { personen_id: 'P11', familienname: 'Weiß', vornamen: 'Jörg', geburtsdatum: '1970-11-11', geschlecht: 'm' },
  // Olpe: not visible to a Siegen clerk.
  {
    personen_id: 'O1',
    familienname: 'Meier',
    vornamen: 'Otto',
    geburtsdatum: '1964-08-12',
    geschlecht: 'm',
    plz: '57462',
    ort: 'Olpe',
    ags: '05966024',
  },
];
