import { parse } from 'csv-parse/sync';
import type { Kysely } from 'kysely';
import type { Database } from '../../db/types.js';
import { newId } from '../ids.js';
import { defaultOfficesFor, isOfficeType, OFFICE_LABELS, type OfficeType } from '../offices.js';

/**
 * Authorities (Kreise and Gemeinden) and their offices, loaded from a CSV in the layout of
 * `resources/suedwestfalen-kommunen.csv`:
 *   ags,name,art,kreis_ags,kreis,kfz_unterscheidungszeichen,quelle[,aemter]
 * `art` is Kreis | Stadt | Gemeinde; plate codes are separated by `;`. The optional `aemter`
 * column lists office ids separated by `;` and overrides the defaults (e.g. a large town with its
 * own Ausländerbehörde). All rows are checked first; any error and nothing is written.
 */
export interface AuthorityRecord {
  ags: string;
  name: string;
  kind: 'Kreis' | 'Stadt' | 'Gemeinde';
  kreisAgs: string;
  plateCodes: string[];
  source: string;
  offices: OfficeType[];
}

export interface RowError {
  line: number;
  message: string;
}

export interface ParseResult {
  records: AuthorityRecord[];
  errors: RowError[];
}

const REQUIRED = ['ags', 'name', 'art', 'kreis_ags', 'kfz_unterscheidungszeichen'] as const;
const KINDS = new Set(['Kreis', 'Stadt', 'Gemeinde']);

export function parseAuthoritiesCsv(text: string): ParseResult {
  const errors: RowError[] = [];
  let rows: Record<string, string>[];
  try {
    rows = parse(text.replace(/^\uFEFF/, ''), {
      columns: (header: string[]) => header.map((h) => h.trim().toLowerCase()),
      skip_empty_lines: true,
      trim: true,
      relax_column_count: false,
    });
  } catch (err) {
    const e = err as { lines?: number; message: string };
    return { records: [], errors: [{ line: e.lines ?? 1, message: `CSV nicht lesbar: ${e.message}` }] };
  }
  if (rows.length === 0)
    return { records: [], errors: [{ line: 1, message: 'Die Datei enthält keine Datenzeilen.' }] };
  const header = Object.keys(rows[0] ?? {});
  const missing = REQUIRED.filter((c) => !header.includes(c));
  if (missing.length) {
    return { records: [], errors: [{ line: 1, message: `Spalten fehlen: ${missing.join(', ')}` }] };
  }

  const records: AuthorityRecord[] = [];
  const seen = new Map<string, number>();
  rows.forEach((r, i) => {
    const line = i + 2; // header is line 1
    const problems: string[] = [];
    const ags = r.ags ?? '';
    const kreisAgs = r.kreis_ags ?? '';
    const kind = r.art ?? '';
    if (!/^\d{8}$/.test(ags)) problems.push(`AGS "${ags}" hat nicht acht Ziffern`);
    if (!/^\d{8}$/.test(kreisAgs)) problems.push(`Kreis-AGS "${kreisAgs}" hat nicht acht Ziffern`);
    if (!r.name) problems.push('Name fehlt');
    if (r.name && r.name.length > 120) problems.push('Name ist länger als 120 Zeichen');
    if (!KINDS.has(kind)) problems.push(`Art "${kind}" ist nicht Kreis, Stadt oder Gemeinde`);
    if (kind === 'Kreis' && ags !== kreisAgs) problems.push('Bei einem Kreis muss kreis_ags gleich ags sein');
    if (kind === 'Kreis' && !ags.endsWith('000')) problems.push('Der AGS eines Kreises endet auf 000');
    if (kind !== 'Kreis' && /^\d{8}$/.test(ags) && ags.slice(0, 5) !== kreisAgs.slice(0, 5)) {
      problems.push('Der AGS der Gemeinde beginnt nicht mit dem Schlüssel ihres Kreises');
    }
    const plateCodes = (r.kfz_unterscheidungszeichen ?? '')
      .split(';')
      .map((s) => s.trim())
      .filter(Boolean);
    if (plateCodes.length === 0) problems.push('Kein Kfz-Unterscheidungszeichen');
    for (const p of plateCodes) {
      if (!/^[A-ZÄÖÜ]{1,3}$/.test(p))
        problems.push(`Unterscheidungszeichen "${p}" ist nicht 1–3 Großbuchstaben`);
    }
    let offices: OfficeType[] = KINDS.has(kind) ? defaultOfficesFor(kind) : [];
    if (r.aemter) {
      const listed = r.aemter
        .split(';')
        .map((s) => s.trim())
        .filter(Boolean);
      const unknown = listed.filter((o) => !isOfficeType(o));
      if (unknown.length) problems.push(`Unbekannte Ämter: ${unknown.join(', ')}`);
      offices = listed.filter(isOfficeType);
    }
    const earlier = seen.get(ags);
    if (earlier) problems.push(`AGS ${ags} steht schon in Zeile ${earlier}`);
    seen.set(ags, line);
    if (problems.length) {
      errors.push({ line, message: problems.join('; ') });
      return;
    }
    records.push({
      ags,
      name: r.name as string,
      kind: kind as AuthorityRecord['kind'],
      kreisAgs,
      plateCodes,
      source: r.quelle || 'import',
      offices,
    });
  });
  // Every Gemeinde's Kreis must be in the file or already known; checked against the file here,
  // against the database in importAuthorities.
  return { records, errors };
}

export interface ImportResult {
  authorities: number;
  offices: number;
}

export class AuthorityImportError extends Error {
  constructor(public readonly rowErrors: RowError[]) {
    super(`Import abgebrochen, nichts wurde geändert. ${rowErrors.length} fehlerhafte Zeile(n).`);
    this.name = 'AuthorityImportError';
  }
}

/**
 * Validates all rows, then inserts or updates authorities and adds missing offices in one
 * transaction: either the whole file is loaded or nothing is.
 */
export async function importAuthorities(
  db: Kysely<Database>,
  text: string,
  now: Date,
): Promise<ImportResult> {
  const { records, errors } = parseAuthoritiesCsv(text);
  if (errors.length === 0) {
    const inFile = new Set(records.filter((r) => r.kind === 'Kreis').map((r) => r.ags));
    const known = new Set(
      (await db.selectFrom('authority').select('ags').where('kind', '=', 'Kreis').execute()).map(
        (r) => r.ags,
      ),
    );
    records.forEach((r, i) => {
      if (r.kind !== 'Kreis' && !inFile.has(r.kreisAgs) && !known.has(r.kreisAgs)) {
        errors.push({
          line: i + 2,
          message: `Kreis ${r.kreisAgs} ist weder in der Datei noch bereits bekannt`,
        });
      }
    });
  }
  if (errors.length) throw new AuthorityImportError(errors);

  const nowIso = now.toISOString();
  // Kreise first: Gemeinden refer to them.
  const ordered = [...records].sort((a, b) => (a.kind === 'Kreis' ? 0 : 1) - (b.kind === 'Kreis' ? 0 : 1));
  let offices = 0;
  await db.transaction().execute(async (trx) => {
    for (const r of ordered) {
      await trx
        .insertInto('authority')
        .values({
          ags: r.ags,
          name: r.name,
          kind: r.kind,
          kreis_ags: r.kreisAgs,
          plate_codes: r.plateCodes.join(','),
          source: r.source,
          created_at: nowIso,
        })
        .onConflict((oc) =>
          oc.column('ags').doUpdateSet({
            name: r.name,
            kind: r.kind,
            kreis_ags: r.kreisAgs,
            plate_codes: r.plateCodes.join(','),
            source: r.source,
          }),
        )
        .execute();
      for (const o of r.offices) {
        const res = await trx
          .insertInto('office')
          .values({
            id: newId(),
            authority_ags: r.ags,
            office_type: o,
            name: `${OFFICE_LABELS[o]} ${r.name}`,
          })
          .onConflict((oc) => oc.columns(['authority_ags', 'office_type']).doNothing())
          .executeTakeFirst();
        offices += Number(res.numInsertedOrUpdatedRows ?? 0);
      }
    }
  });
  return { authorities: records.length, offices };
}
