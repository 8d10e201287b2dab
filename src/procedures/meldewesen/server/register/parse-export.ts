import { isUtf8 } from 'node:buffer';
import { createHash, type Hash } from 'node:crypto';
import fs from 'node:fs';
import { TextDecoder } from 'node:util';
import {
  CsvSplitter,
  parseFields,
  REGISTER_COLUMNS,
  type RegisterPerson,
  type RowProblem,
  searchKeysOf,
} from './format.js';
import { IdSet } from './id-set.js';

/**
 * Reading side of the register import: reads an export file chunk by chunk, splits and checks the
 * rows, computes the search keys and hands over each chunk's good rows compactly: each distinct
 * value once, and the rows as indexes into those values (registers repeat names, streets, places
 * and dates a lot; fewer strings make the hand-over and the writing thread's garbage collection
 * cheaper). Runs in a worker thread (parse-worker.ts) while the importing thread writes, or
 * in the importing thread itself.
 */

export type RegisterEncoding = 'utf-8' | 'iso-8859-1';

export class RegisterImportError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RegisterImportError';
  }
}

export const CHUNK_BYTES = 256 * 1024;

/** Detects the encoding from the first bytes: a UTF-8 BOM or valid UTF-8 means UTF-8, else ISO-8859-1. */
export function detectEncoding(head: Buffer): RegisterEncoding {
  if (head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf) return 'utf-8';
  // Cut at the last line break so that a multi-byte character split by the sample does not count.
  const lastNl = head.lastIndexOf(0x0a);
  const sample = lastNl > 0 ? head.subarray(0, lastNl) : head;
  return isUtf8(sample) ? 'utf-8' : 'iso-8859-1';
}

/** Columns of a snapshot table, in the order of the values handed over. */
export const DATA_COLUMNS = [
  // The export's columns in their order (personen_id is stored as person_id) ...
  'person_id',
  ...REGISTER_COLUMNS.slice(1),
  // ... then the search keys computed at import.
  'fam_fold',
  'fam_phon',
  'fam_fold2',
  'fam_phon2',
  'vorname_fold',
  'strasse_fold',
] as const;

const COLS = DATA_COLUMNS.length;

/** Rows per batch written (one multi-row INSERT on SQLite). */
export const BATCH_ROWS = 64;

/** The good rows of one chunk of the file. */
export interface ParsedChunk {
  rows: number;
  /** The distinct values of the chunk's rows. */
  strings: string[];
  /** rows × DATA_COLUMNS.length indexes into `strings`, row by row; -1 is NULL. */
  index: Int32Array;
  /** Bytes of the file read so far. */
  bytesRead: number;
  /** Bad rows so far. */
  errors: number;
}

/** A chunk's rows as bindable values, BATCH_ROWS rows per batch (the last one may hold fewer). */
export function chunkBatches(chunk: ParsedChunk): Array<Array<string | null>> {
  const { strings, index } = chunk;
  const perBatch = BATCH_ROWS * COLS;
  const batches: Array<Array<string | null>> = [];
  for (let start = 0; start < index.length; start += perBatch) {
    const n = Math.min(perBatch, index.length - start);
    const batch: Array<string | null> = new Array(n);
    for (let i = 0; i < n; i++) {
      const at = index[start + i] as number;
      batch[i] = at < 0 ? null : (strings[at] as string);
    }
    batches.push(batch);
  }
  return batches;
}

export interface ParseSummary {
  rows: number;
  errorCount: number;
  problems: RowProblem[];
  sha256: string;
}

/** Collects a chunk's rows: distinct values once, rows as indexes (see ParsedChunk). */
class ChunkBuilder {
  private strings: string[] = [];
  private ids = new Map<string, number>();
  private index = new Int32Array(4096 * COLS);
  private used = 0;
  rows = 0;

  /** A value that repeats (names, places, dates, keys). */
  private shared(v: string | null): number {
    if (v === null) return -1;
    let at = this.ids.get(v);
    if (at === undefined) {
      at = this.strings.length;
      this.strings.push(v);
      this.ids.set(v, at);
    }
    return at;
  }

  /** A value that is (nearly) unique per row or shared by a household only: not worth a lookup. */
  private own(v: string | null): number {
    if (v === null) return -1;
    this.strings.push(v);
    return this.strings.length - 1;
  }

  add(p: RegisterPerson): void {
    if (this.used + COLS > this.index.length) {
      const bigger = new Int32Array(this.index.length * 2);
      bigger.set(this.index);
      this.index = bigger;
    }
    const k = searchKeysOf(p);
    const x = this.index;
    let i = this.used;
    x[i++] = this.own(p.personenId);
    x[i++] = this.shared(p.familienname);
    x[i++] = this.shared(p.namensbestandteil);
    x[i++] = this.shared(p.vornamen);
    x[i++] = this.shared(p.geburtsname);
    x[i++] = this.own(p.geburtsdatum);
    x[i++] = this.shared(p.geburtsort);
    x[i++] = this.shared(p.geschlecht);
    x[i++] = this.shared(p.staatsangehoerigkeit);
    x[i++] = this.shared(p.strasse);
    x[i++] = this.shared(p.hausnummer);
    x[i++] = this.shared(p.plz);
    x[i++] = this.shared(p.ort);
    x[i++] = this.shared(p.ags);
    x[i++] = this.own(p.haushaltId);
    x[i++] = this.own(p.ehegatteId);
    x[i++] = this.own(p.elternIds);
    x[i++] = this.own(p.einzugsdatum);
    x[i++] = this.shared(k.famFold);
    x[i++] = this.shared(k.famPhon);
    x[i++] = this.shared(k.famFold2);
    x[i++] = this.shared(k.famPhon2);
    x[i++] = this.shared(k.vornameFold);
    x[i++] = this.shared(k.strasseFold);
    this.used = i;
    this.rows++;
  }

  /** The chunk so far; the builder starts empty again. */
  take(bytesRead: number, errors: number): ParsedChunk {
    const chunk: ParsedChunk = {
      rows: this.rows,
      strings: this.strings,
      index: this.index.subarray(0, this.used),
      bytesRead,
      errors,
    };
    this.strings = [];
    this.ids = new Map();
    this.index = new Int32Array(Math.max(4096 * COLS, this.index.length));
    this.used = 0;
    this.rows = 0;
    return chunk;
  }
}

/** Reads an export file chunk by chunk (synchronously); call next() until it returns null. */
export class ExportParser {
  private readonly fd: number;
  private readonly buf = Buffer.allocUnsafe(CHUNK_BYTES);
  private readonly hash: Hash = createHash('sha256');
  private readonly decoder: TextDecoder | null;
  private readonly splitter: CsvSplitter;
  private readonly seen: IdSet;
  private readonly problems: RowProblem[] = [];
  private position = 0;
  private ended = false;
  /** Position of each of REGISTER_COLUMNS in a row, from the header line. */
  private header: number[] | null = null;
  private needed: number = REGISTER_COLUMNS.length;
  private rows = 0;
  private errorCount = 0;
  private readonly chunk = new ChunkBuilder();

  constructor(
    file: string,
    encoding: RegisterEncoding,
    private readonly keepProblems: number,
  ) {
    try {
      this.fd = fs.openSync(file, 'r');
    } catch (err) {
      throw new RegisterImportError(`Datei nicht lesbar: ${(err as NodeJS.ErrnoException).code ?? 'Fehler'}`);
    }
    // About 130 bytes per person in an export: size the duplicate check for that.
    this.seen = new IdSet(fs.fstatSync(this.fd).size / 130);
    this.decoder = encoding === 'utf-8' ? new TextDecoder('utf-8', { fatal: true }) : null;
    this.splitter = new CsvSplitter((fields, line) => this.record(fields, line));
  }

  private record(fields: string[], line: number): void {
    const pos = this.header;
    if (pos === null) {
      this.header = this.readHeader(fields);
      this.needed = Math.max(...this.header) + 1;
      return;
    }
    if (fields.length < this.needed) {
      this.problem(line, `${fields.length} statt ${this.needed} Felder (Trennzeichen Semikolon?)`);
      return;
    }
    const parsed = parseFields(fields, pos);
    if (!parsed.ok) {
      this.problem(line, parsed.message);
      return;
    }
    if (!this.seen.add(parsed.person.personenId)) {
      this.problem(line, 'personen_id: kommt mehrfach vor (erste Zeile wurde übernommen)');
      return;
    }
    this.rows++;
    this.chunk.add(parsed.person);
  }

  private readHeader(fields: string[]): number[] {
    const names = fields.map((f, i) => (i === 0 ? f.replace(/^\uFEFF/, '') : f).trim().toLowerCase());
    const missing = REGISTER_COLUMNS.filter((c) => !names.includes(c));
    if (missing.length > 0) {
      throw new RegisterImportError(
        `Kopfzeile: Spalten fehlen: ${missing.join(', ')}. Erwartet wird das Format aus docs/REGISTER.md (Trennzeichen Semikolon).`,
      );
    }
    return REGISTER_COLUMNS.map((c) => names.indexOf(c));
  }

  private problem(line: number, message: string): void {
    this.errorCount++;
    if (this.problems.length < this.keepProblems) this.problems.push({ line, message });
  }

  /** The good rows of the next chunk of the file, or null after the last one. */
  next(): ParsedChunk | null {
    if (this.ended) return null;
    const len = fs.readSync(this.fd, this.buf, 0, CHUNK_BYTES, this.position);
    if (len > 0) {
      const bytes = this.buf.subarray(0, len);
      this.hash.update(bytes);
      this.position += len;
      this.splitter.push(this.decode(bytes, true));
    } else {
      this.ended = true;
      if (this.decoder) this.splitter.push(this.decode(undefined, false));
      this.splitter.end();
      if (this.header === null) throw new RegisterImportError('Die Datei ist leer (keine Kopfzeile).');
    }
    return this.chunk.take(this.position, this.errorCount);
  }

  private decode(bytes: Buffer | undefined, stream: boolean): string {
    if (!this.decoder) return bytes ? bytes.toString('latin1') : '';
    try {
      return this.decoder.decode(bytes, { stream });
    } catch {
      throw new RegisterImportError(
        'Die Datei ist nicht durchgehend UTF-8-kodiert. Bitte mit --encoding iso-8859-1 erneut importieren.',
      );
    }
  }

  /** Totals after the last chunk. */
  summary(): ParseSummary {
    return {
      rows: this.rows,
      errorCount: this.errorCount,
      problems: this.problems,
      sha256: this.hash.digest('hex'),
    };
  }

  close(): void {
    fs.closeSync(this.fd);
  }
}
