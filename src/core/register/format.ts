import { koelnerPhonetik } from '../phonetik.js';
import { foldForSearch } from '../text.js';

/**
 * The CSV layout of a resident register export (docs/REGISTER.md). Semicolon-separated, one
 * header line with exactly these column names (order free), fields quoted with `"` when they hold
 * `;`, `"` or line breaks (RFC 4180 style, doubled quotes inside). UTF-8 or ISO-8859-1.
 */
export const REGISTER_COLUMNS = [
  'personen_id',
  'familienname',
  'namensbestandteil',
  'vornamen',
  'geburtsname',
  'geburtsdatum',
  'geburtsort',
  'geschlecht',
  'staatsangehoerigkeit',
  'strasse',
  'hausnummer',
  'plz',
  'ort',
  'ags',
  'haushalt_id',
  'ehegatte_id',
  'eltern_ids',
  'einzugsdatum',
] as const;

export type RegisterColumn = (typeof REGISTER_COLUMNS)[number];

/** Sex as recorded by the register (BMG § 3 Abs. 1 Nr. 7): männlich, weiblich, divers, ohne Angabe. */
export const GESCHLECHTER = { m: 'männlich', w: 'weiblich', d: 'divers', x: 'ohne Angabe' } as const;

export interface RegisterPerson {
  personenId: string;
  familienname: string;
  namensbestandteil: string | null;
  vornamen: string;
  geburtsname: string | null;
  geburtsdatum: string;
  geburtsort: string | null;
  geschlecht: string;
  staatsangehoerigkeit: string | null;
  strasse: string;
  hausnummer: string;
  plz: string;
  ort: string;
  ags: string;
  haushaltId: string | null;
  ehegatteId: string | null;
  elternIds: string | null;
  einzugsdatum: string | null;
}

/** Derived, indexed search keys of a person (stored beside the person at import). */
export interface SearchKeys {
  famFold: string;
  famPhon: string;
  famFold2: string | null;
  famPhon2: string | null;
  vornameFold: string;
  strasseFold: string;
}

export interface RowProblem {
  line: number;
  message: string;
}

const phonCache = new Map<string, string>();

/** Kölner Phonetik with a cache: register names repeat heavily, so the import computes each once. */
export function phon(foldedPart: string): string {
  let code = phonCache.get(foldedPart);
  if (code === undefined) {
    code = koelnerPhonetik(foldedPart);
    if (phonCache.size < 500_000) phonCache.set(foldedPart, code);
  }
  return code;
}

/** Name particles that a search may put before the name ("von der Heide", "van Dijk"). */
const PARTICLES = new Set([
  'von',
  'vom',
  'van',
  'der',
  'den',
  'de',
  'zu',
  'zum',
  'zur',
  'dem',
  'des',
  'la',
  'le',
  'di',
  'da',
  'del',
  'ten',
  'ter',
  'op',
  'auf',
  'am',
  'freiherr',
  'graf',
]);

/** Folded name parts of a family name, particles and separators removed: "von Müller-Lüdenscheidt" -> [muller, ludenscheidt]. */
export function nameParts(name: string): string[] {
  const words = foldForSearch(name)
    .split(/[\s\-'’]+/)
    .map((w) => w.replace(/[^\p{L}]/gu, ''))
    .filter((w) => w.length > 0);
  const core = words.filter((w) => !PARTICLES.has(w));
  return core.length > 0 ? core : words;
}

/** Street names fold to one key: "Weidenauer Straße" and "weidenauer str." both -> "weidenauer str". */
export function foldStreet(street: string): string {
  return foldForSearch(street)
    .replace(/(strasse|str\.?)(\s|$)/g, 'str$2')
    .replace(/[^\p{L}\p{N} ]/gu, '')
    .replace(/\s+/g, ' ')
    .trim();
}

const partsCache = new Map<string, string[]>();
const vornameCache = new Map<string, string>();
const streetCache = new Map<string, string>();

function cached<T>(cache: Map<string, T>, key: string, compute: (k: string) => T): T {
  let v = cache.get(key);
  if (v === undefined) {
    v = compute(key);
    if (cache.size < 200_000) cache.set(key, v);
  }
  return v;
}

export function searchKeysOf(p: {
  familienname: string;
  geburtsname?: string | null;
  vornamen: string;
  strasse?: string | null;
}): SearchKeys {
  const parts = [...cached(partsCache, p.familienname, nameParts)];
  if (p.geburtsname) {
    for (const g of cached(partsCache, p.geburtsname, nameParts)) if (!parts.includes(g)) parts.push(g);
  }
  const first = parts[0] ?? '';
  const second = parts[1] ?? null;
  return {
    famFold: first,
    famPhon: phon(first),
    famFold2: second,
    famPhon2: second ? phon(second) : null,
    vornameFold: cached(vornameCache, p.vornamen, (v) => foldForSearch(v).split(' ')[0] ?? ''),
    strasseFold: p.strasse ? cached(streetCache, p.strasse, foldStreet) : '',
  };
}

const CONTROL = /[\p{Cc}]/u;
const DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
const DIGIT_POSITIONS = [0, 1, 2, 3, 5, 6, 8, 9];

/** YYYY-MM-DD that exists; without Date objects (the import checks millions of them). */
export function isIsoDate(s: string): boolean {
  if (s.length !== 10 || s.charCodeAt(4) !== 45 || s.charCodeAt(7) !== 45) return false;
  for (const i of DIGIT_POSITIONS) {
    const c = s.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  const y = Number(s.slice(0, 4));
  const m = Number(s.slice(5, 7));
  const d = Number(s.slice(8, 10));
  if (m < 1 || m > 12 || d < 1) return false;
  const leap = (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
  return d <= (m === 2 && leap ? 29 : (DAYS[m - 1] as number));
}
const ID = /^[A-Za-z0-9._-]{1,40}$/;

/**
 * Checks one data row (already split into fields by header position). Returns the person or the
 * German reason why the row is refused.
 */
export function parseRow(
  get: (col: RegisterColumn) => string,
): { ok: true; person: RegisterPerson } | { ok: false; message: string } {
  const v = (col: RegisterColumn) => get(col).trim();
  const opt = (col: RegisterColumn) => {
    const s = v(col);
    return s === '' ? null : s;
  };
  for (const col of REGISTER_COLUMNS) {
    const s = get(col);
    if (s.length > 200) return { ok: false, message: `${col}: länger als 200 Zeichen` };
    // Cheap pre-check; the regex only runs on rows with a character below U+0020 or in U+007F–U+009F.
    for (let i = 0; i < s.length; i++) {
      const c = s.charCodeAt(i);
      if (c < 0x20 || (c >= 0x7f && c <= 0x9f)) {
        if (CONTROL.test(s)) return { ok: false, message: `${col}: enthält Steuerzeichen` };
        break;
      }
    }
  }
  const personenId = v('personen_id');
  if (!ID.test(personenId))
    return {
      ok: false,
      message: 'personen_id: fehlt oder enthält unzulässige Zeichen (erlaubt: A-Z a-z 0-9 . _ -)',
    };
  const familienname = v('familienname');
  if (familienname === '') return { ok: false, message: 'familienname: fehlt' };
  const vornamen = v('vornamen');
  if (vornamen === '') return { ok: false, message: 'vornamen: fehlt' };
  const geburtsdatum = v('geburtsdatum');
  if (!isIsoDate(geburtsdatum))
    return { ok: false, message: `geburtsdatum: „${geburtsdatum.slice(0, 20)}" ist kein Datum (JJJJ-MM-TT)` };
  const geschlecht = v('geschlecht').toLowerCase();
  if (!(geschlecht in GESCHLECHTER)) return { ok: false, message: 'geschlecht: erlaubt sind m, w, d, x' };
  const plz = v('plz');
  if (!/^\d{5}$/.test(plz)) return { ok: false, message: 'plz: fünf Ziffern erwartet' };
  const ags = v('ags');
  if (!/^\d{8}$/.test(ags)) return { ok: false, message: 'ags: acht Ziffern erwartet' };
  const strasse = v('strasse');
  if (strasse === '') return { ok: false, message: 'strasse: fehlt' };
  const ort = v('ort');
  if (ort === '') return { ok: false, message: 'ort: fehlt' };
  const einzugsdatum = opt('einzugsdatum');
  if (einzugsdatum !== null && !isIsoDate(einzugsdatum))
    return { ok: false, message: 'einzugsdatum: kein Datum (JJJJ-MM-TT)' };
  const staat = opt('staatsangehoerigkeit');
  if (staat !== null && !/^[A-Z]{3}(,[A-Z]{3})*$/.test(staat))
    return {
      ok: false,
      message: 'staatsangehoerigkeit: Staatencodes mit drei Großbuchstaben (z. B. DEU), mehrere mit Komma',
    };
  for (const col of ['haushalt_id', 'ehegatte_id'] as const) {
    const s = opt(col);
    if (s !== null && !ID.test(s)) return { ok: false, message: `${col}: unzulässige Zeichen` };
  }
  const eltern = opt('eltern_ids');
  if (eltern !== null && !eltern.split(',').every((e) => ID.test(e)))
    return { ok: false, message: 'eltern_ids: Personen-IDs mit Komma getrennt erwartet' };
  return {
    ok: true,
    person: {
      personenId,
      familienname,
      namensbestandteil: opt('namensbestandteil'),
      vornamen,
      geburtsname: opt('geburtsname'),
      geburtsdatum,
      geburtsort: opt('geburtsort'),
      geschlecht,
      staatsangehoerigkeit: staat,
      strasse,
      hausnummer: v('hausnummer'),
      plz,
      ort,
      ags,
      haushaltId: opt('haushalt_id'),
      ehegatteId: opt('ehegatte_id'),
      elternIds: eltern,
      einzugsdatum,
    },
  };
}

/** Quotes a CSV field when needed (for the generator and exports). */
export function csvField(value: string | null | undefined): string {
  const s = value ?? '';
  return /[;"\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/**
 * Incremental CSV record splitter for `;`-separated text with `"` quoting. Feed it decoded text
 * chunks; it calls `onRecord(fields, line)` for each complete record, `line` being the 1-based
 * number of the record's first physical line.
 */
export class CsvSplitter {
  private carry = '';
  private line = 1;

  constructor(private readonly onRecord: (fields: string[], line: number) => void) {}

  push(chunk: string): void {
    const text = this.carry + chunk;
    let start = 0;
    const n = text.length;
    // Position of the next quote at or after `start` (n when none): found once, not per line.
    let quote = -2;
    while (start < n) {
      const nl = text.indexOf('\n', start);
      if (nl === -1) break;
      if (quote !== n && quote < start) {
        quote = text.indexOf('"', start);
        if (quote === -1) quote = n;
      }
      // Fast path: a line without quotes is one record.
      if (quote > nl) {
        let end = nl;
        if (end > start && text.charCodeAt(end - 1) === 13) end--;
        this.emit(text.slice(start, end).split(';'), this.line);
        this.line++;
        start = nl + 1;
        continue;
      }
      const parsed = this.parseQuoted(text, start);
      if (parsed === null) break; // record continues in the next chunk
      this.onRecord(parsed.fields, this.line);
      this.line += parsed.lines;
      start = parsed.next;
    }
    this.carry = text.slice(start);
  }

  end(): void {
    if (this.carry.length > 0) {
      const text = this.carry.endsWith('\n') ? this.carry : `${this.carry}\n`;
      this.carry = '';
      this.push(text);
      if (this.carry.length > 0) {
        // Unterminated quote: hand over what there is; the row check will refuse it.
        this.onRecord([this.carry], this.line);
        this.carry = '';
      }
    }
  }

  private emit(fields: string[], line: number): void {
    if (fields.length === 1 && fields[0] === '') return; // blank line
    this.onRecord(fields, line);
  }

  private parseQuoted(text: string, start: number): { fields: string[]; next: number; lines: number } | null {
    const fields: string[] = [];
    let i = start;
    let lines = 1;
    let field = '';
    const n = text.length;
    for (;;) {
      if (i >= n) return null;
      if (text[i] === '"') {
        i++;
        for (;;) {
          if (i >= n) return null;
          const c = text[i];
          if (c === '"') {
            if (text[i + 1] === '"') {
              field += '"';
              i += 2;
              continue;
            }
            if (i + 1 >= n) return null;
            i++;
            break;
          }
          if (c === '\n') lines++;
          field += c;
          i++;
        }
        // Characters after the closing quote up to the separator are kept (lenient).
        while (i < n && text[i] !== ';' && text[i] !== '\n') {
          if (text[i] !== '\r') field += text[i];
          i++;
        }
      } else {
        while (i < n && text[i] !== ';' && text[i] !== '\n') {
          field += text[i];
          i++;
        }
        if (i >= n) return null;
        if (field.endsWith('\r') && text[i] === '\n') field = field.slice(0, -1);
      }
      fields.push(field);
      field = '';
      if (text[i] === ';') {
        i++;
        continue;
      }
      // newline
      return { fields, next: i + 1, lines };
    }
  }
}
