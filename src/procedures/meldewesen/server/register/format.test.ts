import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CsvSplitter, foldStreet, nameParts, parseRow, REGISTER_COLUMNS, searchKeysOf } from './format.js';
import { generatePersons, mulberry32, writeSyntheticExport } from './generate.js';
import { detectEncoding } from './import.js';

describe('register CSV format', () => {
  it('splits quoted fields with semicolons, doubled quotes and line breaks, keeping line numbers', () => {
    const records: Array<[string[], number]> = [];
    const s = new CsvSplitter((f, l) => records.push([f, l]));
    s.push('a;b\r\n"x;y";"he said ""hi"""\n"multi\nline";z\n');
    s.push('last;row');
    s.end();
    expect(records).toEqual([
      [['a', 'b'], 1],
      [['x;y', 'he said "hi"'], 2],
      [['multi\nline', 'z'], 3],
      [['last', 'row'], 5],
    ]);
  });

  it('splits unquoted lines at their own semicolons only, keeping empty fields', () => {
    const records: string[][] = [];
    const s = new CsvSplitter((f) => records.push(f));
    s.push('p\nq;r\nx;;\r\n;\n\nlast;');
    s.end();
    expect(records).toEqual([['p'], ['q', 'r'], ['x', '', ''], ['', ''], ['last', '']]);
  });

  it('handles a record split across chunks', () => {
    const records: string[][] = [];
    const s = new CsvSplitter((f) => records.push(f));
    s.push('a;"b');
    s.push('c";d\ne;f');
    s.end();
    expect(records).toEqual([
      ['a', 'bc', 'd'],
      ['e', 'f'],
    ]);
  });

  it('strips name particles and splits double names into search keys', () => {
    expect(nameParts('von der Heide')).toEqual(['heide']);
    expect(nameParts('Müller-Lüdenscheidt')).toEqual(['muller', 'ludenscheidt']);
    const k = searchKeysOf({
      familienname: 'Schmidt',
      geburtsname: 'Meier',
      vornamen: 'Anna Lena',
      strasse: 'Weidenauer Straße',
    });
    expect(k).toMatchObject({
      famFold: 'schmidt',
      famPhon: '862',
      famFold2: 'meier',
      famPhon2: '67',
      vornameFold: 'anna',
    });
    expect(k.strasseFold).toBe('weidenauer str');
    expect(foldStreet('Weidenauer Str.')).toBe('weidenauer str');
  });

  it('refuses a row with a reason a clerk understands', () => {
    const row: Record<string, string> = Object.fromEntries(REGISTER_COLUMNS.map((c) => [c, '']));
    Object.assign(row, {
      personen_id: 'P1',
      familienname: 'Meier',
      vornamen: 'Jörg',
      geburtsdatum: '1980-02-30',
      geschlecht: 'm',
      strasse: 'Hauptstraße',
      plz: '57072',
      ort: 'Siegen',
      ags: '05970040',
    });
    const r = parseRow((c) => row[c] ?? '');
    expect(r).toEqual({ ok: false, message: 'geburtsdatum: „1980-02-30" ist kein Datum (JJJJ-MM-TT)' });
    row.geburtsdatum = '1980-02-28';
    expect(parseRow((c) => row[c] ?? '').ok).toBe(true);
  });

  it('detects UTF-8 and ISO-8859-1', () => {
    expect(detectEncoding(Buffer.from('familienname\nMüßig\n', 'utf8'))).toBe('utf-8');
    expect(detectEncoding(Buffer.from('familienname\nMüßig\n', 'latin1'))).toBe('iso-8859-1');
  });
});

describe('synthetic register', () => {
  it('is reproducible with a seed and differs with another seed', () => {
    const a = [...generatePersons({ count: 300, seed: 42 })];
    const b = [...generatePersons({ count: 300, seed: 42 })];
    const c = [...generatePersons({ count: 300, seed: 43 })];
    expect(a).toEqual(b);
    expect(a).not.toEqual(c);
    expect(a).toHaveLength(300);
    expect(mulberry32(1)()).toBe(mulberry32(1)());
  });

  it('writes realistic persons: umlauts, households, families, valid rows only', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nb-gen-'));
    const file = path.join(dir, 'r.csv');
    const n = writeSyntheticExport(file, { count: 5000, seed: 7 });
    expect(n).toBe(5000);
    const lines = fs.readFileSync(file, 'utf8').trim().split('\n');
    expect(lines[0]).toBe(REGISTER_COLUMNS.join(';'));
    expect(lines).toHaveLength(5001);
    const persons = [...generatePersons({ count: 5000, seed: 7 })];
    expect(persons.some((p) => /[äöüß]/i.test(p.familienname))).toBe(true);
    expect(persons.some((p) => p.familienname.includes('-'))).toBe(true);
    expect(persons.some((p) => p.namensbestandteil !== null)).toBe(true);
    expect(persons.some((p) => p.elternIds !== null)).toBe(true);
    expect(persons.some((p) => p.ehegatteId !== null)).toBe(true);
    expect(new Set(persons.map((p) => p.haushaltId)).size).toBeLessThan(persons.length);
    const ids = new Set(persons.map((p) => p.personenId));
    expect(ids.size).toBe(5000);
    for (const p of persons.slice(0, 500)) {
      const values: Record<string, string> = {
        personen_id: p.personenId,
        familienname: p.familienname,
        namensbestandteil: p.namensbestandteil ?? '',
        vornamen: p.vornamen,
        geburtsname: p.geburtsname ?? '',
        geburtsdatum: p.geburtsdatum,
        geburtsort: p.geburtsort ?? '',
        geschlecht: p.geschlecht,
        staatsangehoerigkeit: p.staatsangehoerigkeit ?? '',
        strasse: p.strasse,
        hausnummer: p.hausnummer,
        plz: p.plz,
        ort: p.ort,
        ags: p.ags,
        haushalt_id: p.haushaltId ?? '',
        ehegatte_id: p.ehegatteId ?? '',
        eltern_ids: p.elternIds ?? '',
        einzugsdatum: p.einzugsdatum ?? '',
      };
      const r = parseRow((c) => values[c] ?? '');
      expect(r.ok, JSON.stringify(r)).toBe(true);
    }
    fs.rmSync(dir, { recursive: true });
  });
});

describe('fast ISO date check', () => {
  it('agrees with the calendar', async () => {
    const { isValidIsoDate } = await import('../../../../core/dates.js');
    const { isIsoDate } = await import('./format.js');
    for (const s of [
      '2024-02-29',
      '2023-02-29',
      '1900-02-29',
      '2000-02-29',
      '2026-04-31',
      '2026-12-31',
      '2026-13-01',
      '2026-00-10',
      '2026-01-00',
      '26-01-01',
      '2026-1-01',
      'abcd-ef-gh',
      '2026-0a-01',
      '2026-01-1/',
      '202:-01-01',
      '2026-01-01 ',
      '０２６-01-01',
    ]) {
      expect(isIsoDate(s), s).toBe(isValidIsoDate(s));
    }
  });
});
