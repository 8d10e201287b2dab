import { koelnerPhonetik } from '../../../../core/phonetik.js';
import { foldForSearch } from '../../../../core/text.js';

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

function firstNameKey(vornamen: string): string {
  return foldForSearch(vornamen).split(' ')[0] ?? '';
}

export function searchKeysOf(p: {
  familienname: string;
  geburtsname?: string | null;
  vornamen: string;
  strasse?: string | null;
}): SearchKeys {
  // The name parts of the family name, then those of the birth name not yet among them; the
  // first two are the keys. (Without copying arrays: the import runs this for every person.)
  const fam = cached(partsCache, p.familienname, nameParts);
  let first = fam[0];
  let second = fam[1];
  if (second === undefined && p.geburtsname) {
    for (const g of cached(partsCache, p.geburtsname, nameParts)) {
      if (first === undefined) first = g;
      else if (g !== first) {
        second = g;
        break;
      }
    }
  }
  const f = first ?? '';
  return {
    famFold: f,
    famPhon: phon(f),
    famFold2: second ?? null,
    famPhon2: second ? phon(second) : null,
    vornameFold: cached(vornameCache, p.vornamen, firstNameKey),
    strasseFold: p.strasse ? cached(streetCache, p.strasse, foldStreet) : '',
  };
}

const DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
/** YYYY-MM-DD that exists; without Date objects or substrings (the import checks millions). */
export function isIsoDate(s: string): boolean {
  if (s.length !== 10 || s.charCodeAt(4) !== 45 || s.charCodeAt(7) !== 45) return false;
  if (!(isDigitAt(s, 0) && isDigitAt(s, 1) && isDigitAt(s, 2) && isDigitAt(s, 3))) return false;
  if (!(isDigitAt(s, 5) && isDigitAt(s, 6) && isDigitAt(s, 8) && isDigitAt(s, 9))) return false;
  const y = digit(s, 0) * 1000 + digit(s, 1) * 100 + digit(s, 2) * 10 + digit(s, 3);
  const m = digit(s, 5) * 10 + digit(s, 6);
  const d = digit(s, 8) * 10 + digit(s, 9);
  if (m < 1 || m > 12 || d < 1) return false;
  const leap = (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
  return d <= (m === 2 && leap ? 29 : (DAYS[m - 1] as number));
}

function digit(s: string, i: number): number {
  return s.charCodeAt(i) - 48;
}

function isDigitAt(s: string, i: number): boolean {
  const c = s.charCodeAt(i);
  return c >= 48 && c <= 57;
}

/** A register id: 1–40 characters of A-Z a-z 0-9 . _ - (what /^[A-Za-z0-9._-]{1,40}$/ accepts). */
function isId(s: string): boolean {
  const n = s.length;
  if (n < 1 || n > 40) return false;
  for (let i = 0; i < n; i++) {
    const c = s.charCodeAt(i);
    if (
      !(
        (c >= 48 && c <= 57) ||
        (c >= 65 && c <= 90) ||
        (c >= 97 && c <= 122) ||
        c === 46 ||
        c === 95 ||
        c === 45
      )
    )
      return false;
  }
  return true;
}

/** Exactly `n` ASCII digits. */
function isDigits(s: string, n: number): boolean {
  if (s.length !== n) return false;
  for (let i = 0; i < n; i++) {
    const c = s.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return true;
}

/** State codes: three capitals, several separated by commas (/^[A-Z]{3}(,[A-Z]{3})*$/). */
function isStateList(s: string): boolean {
  const n = s.length;
  if ((n + 1) % 4 !== 0) return false;
  for (let i = 0; i < n; i++) {
    const c = s.charCodeAt(i);
    if (i % 4 === 3 ? c !== 44 : c < 65 || c > 90) return false;
  }
  return true;
}

function isIdList(s: string): boolean {
  let start = 0;
  for (;;) {
    const comma = s.indexOf(',', start);
    if (!isId(comma === -1 ? s.slice(start) : s.slice(start, comma))) return false;
    if (comma === -1) return true;
    start = comma + 1;
  }
}

/** The field's value, trimmed; '' for a missing field. */
function field(fields: readonly string[], pos: ArrayLike<number>, col: number): string {
  const s = fields[pos[col] as number];
  return s === undefined ? '' : s.trim();
}

function optional(fields: readonly string[], pos: ArrayLike<number>, col: number): string | null {
  const s = field(fields, pos, col);
  return s === '' ? null : s;
}

type ParseResult = { ok: true; person: RegisterPerson } | { ok: false; message: string };

const C = Object.fromEntries(REGISTER_COLUMNS.map((c, i) => [c, i])) as Record<RegisterColumn, number>;
const IDENTITY = REGISTER_COLUMNS.map((_, i) => i);

/**
 * Checks one data row: `fields` are the CSV fields, `pos[i]` the position of REGISTER_COLUMNS[i]
 * among them. Returns the person or the German reason why the row is refused. (Written without
 * closures and regular expressions: the import runs it for millions of rows.)
 */
export function parseFields(fields: readonly string[], pos: ArrayLike<number>): ParseResult {
  for (let col = 0; col < REGISTER_COLUMNS.length; col++) {
    const s = fields[pos[col] as number];
    if (s === undefined) continue;
    if (s.length > 200) return { ok: false, message: `${REGISTER_COLUMNS[col]}: länger als 200 Zeichen` };
    for (let i = 0; i < s.length; i++) {
      const c = s.charCodeAt(i);
      // Control characters (Unicode category Cc): U+0000–U+001F and U+007F–U+009F.
      if (c < 0x20 || (c >= 0x7f && c <= 0x9f)) {
        return { ok: false, message: `${REGISTER_COLUMNS[col]}: enthält Steuerzeichen` };
      }
    }
  }
  const personenId = field(fields, pos, C.personen_id);
  if (!isId(personenId))
    return {
      ok: false,
      message: 'personen_id: fehlt oder enthält unzulässige Zeichen (erlaubt: A-Z a-z 0-9 . _ -)',
    };
  const familienname = field(fields, pos, C.familienname);
  if (familienname === '') return { ok: false, message: 'familienname: fehlt' };
  const vornamen = field(fields, pos, C.vornamen);
  if (vornamen === '') return { ok: false, message: 'vornamen: fehlt' };
  const geburtsdatum = field(fields, pos, C.geburtsdatum);
  if (!isIsoDate(geburtsdatum))
    return { ok: false, message: `geburtsdatum: „${geburtsdatum.slice(0, 20)}" ist kein Datum (JJJJ-MM-TT)` };
  const geschlecht = field(fields, pos, C.geschlecht).toLowerCase();
  if (geschlecht !== 'm' && geschlecht !== 'w' && geschlecht !== 'd' && geschlecht !== 'x')
    return { ok: false, message: 'geschlecht: erlaubt sind m, w, d, x' };
  const plz = field(fields, pos, C.plz);
  if (!isDigits(plz, 5)) return { ok: false, message: 'plz: fünf Ziffern erwartet' };
  const ags = field(fields, pos, C.ags);
  if (!isDigits(ags, 8)) return { ok: false, message: 'ags: acht Ziffern erwartet' };
  const strasse = field(fields, pos, C.strasse);
  if (strasse === '') return { ok: false, message: 'strasse: fehlt' };
  const ort = field(fields, pos, C.ort);
  if (ort === '') return { ok: false, message: 'ort: fehlt' };
  const einzugsdatum = optional(fields, pos, C.einzugsdatum);
  if (einzugsdatum !== null && !isIsoDate(einzugsdatum))
    return { ok: false, message: 'einzugsdatum: kein Datum (JJJJ-MM-TT)' };
  const staat = optional(fields, pos, C.staatsangehoerigkeit);
  if (staat !== null && !isStateList(staat))
    return {
      ok: false,
      message: 'staatsangehoerigkeit: Staatencodes mit drei Großbuchstaben (z. B. DEU), mehrere mit Komma',
    };
  const haushaltId = optional(fields, pos, C.haushalt_id);
  if (haushaltId !== null && !isId(haushaltId))
    return { ok: false, message: 'haushalt_id: unzulässige Zeichen' };
  const ehegatteId = optional(fields, pos, C.ehegatte_id);
  if (ehegatteId !== null && !isId(ehegatteId))
    return { ok: false, message: 'ehegatte_id: unzulässige Zeichen' };
  const eltern = optional(fields, pos, C.eltern_ids);
  if (eltern !== null && !isIdList(eltern))
    return { ok: false, message: 'eltern_ids: Personen-IDs mit Komma getrennt erwartet' };
  return {
    ok: true,
    person: {
      personenId,
      familienname,
      namensbestandteil: optional(fields, pos, C.namensbestandteil),
      vornamen,
      geburtsname: optional(fields, pos, C.geburtsname),
      geburtsdatum,
      geburtsort: optional(fields, pos, C.geburtsort),
      geschlecht,
      staatsangehoerigkeit: staat,
      strasse,
      hausnummer: field(fields, pos, C.hausnummer),
      plz,
      ort,
      ags,
      haushaltId,
      ehegatteId,
      elternIds: eltern,
      einzugsdatum,
    },
  };
}

/**
 * Checks one data row (already split into fields by header position). Returns the person or the
 * German reason why the row is refused.
 */
export function parseRow(get: (col: RegisterColumn) => string): ParseResult {
  return parseFields(
    REGISTER_COLUMNS.map((c) => get(c)),
    IDENTITY,
  );
}

/** Quotes a CSV field when needed (for the generator and exports). */
export function csvField(value: string | null | undefined): string {
  const s = value ?? '';
  return /[;"\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** The `;`-separated fields of text[start, end) (a line without quotes). */
function splitLine(text: string, start: number, end: number): string[] {
  const fields: string[] = [];
  let from = start;
  for (;;) {
    const sep = text.indexOf(';', from);
    if (sep === -1 || sep >= end) {
      fields.push(text.slice(from, end));
      return fields;
    }
    fields.push(text.slice(from, sep));
    from = sep + 1;
  }
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
        this.emit(splitLine(text, start, end), this.line);
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
