import type { Kysely } from 'kysely';
import { addDays, formatGermanDate, type IsoDate, todayInGermany } from '../../../core/dates.js';
import { type PdfDoc, renderPdf } from '../../../core/documents.js';
import { CSV_BOM, csvLine } from '../../../core/handover/csv.js';
import { isOfficeType, OFFICE_LABELS } from '../../../core/offices.js';
import type { ProcedureRegistry } from '../../../core/procedure-registry.js';
import type { Database } from '../../../db/types.js';
import type { CatalogueService } from './catalogue.js';
import { boardFigures, type Figures, sumFigures } from './figures.js';
import type { LogService, LogView } from './log.js';
import { berlinHour, germanDateTime } from './time.js';

/**
 * The daily Lagebericht. Once a day, at a fixed German hour (NOTBETRIEB_LAGEBERICHT_STUNDE), the
 * server takes a snapshot (krisenstab_lagebild, one row per day; with several instances the first
 * insert wins): per authority and office the open and overdue cases at that moment, the cases
 * created and closed on the previous day, the handover state; the services not in normal
 * operation (those recorded) with their WAZ judgement; open tasks and the decisions of the last 24 hours. The PDF
 * and the CSV of a day are built from that snapshot only, so they say the same whenever they are
 * downloaded. A server that was down at the hour takes the snapshot when it comes back (the
 * report shows the actual time).
 */
export interface SnapshotFigures extends Figures {
  angelegtVortag: number;
  erledigtVortag: number;
}

export interface SnapshotOffice extends SnapshotFigures {
  officeType: string;
  officeLabel: string;
}

export interface SnapshotService {
  title: string;
  status: string | null;
  statusLabel: string;
  statusSeit: string | null;
  ausweichName: string | null;
  wazLabel: string;
  wazUeberschritten: boolean;
  mtaUeberschritten: boolean;
}

export interface Lagebild {
  tag: IsoDate;
  vortag: IsoDate;
  erstelltAm: string;
  stunde: number;
  summe: SnapshotFigures;
  behoerden: Array<{
    ags: string;
    name: string;
    kind: string;
    ausfallSeit: string | null;
    summe: SnapshotFigures;
    aemter: SnapshotOffice[];
    dienste: SnapshotService[];
  }>;
  offeneAufgaben: Array<Pick<LogView, 'titel' | 'zustaendig' | 'faelligAm' | 'authorityName'>>;
  entscheidungen: Array<Pick<LogView, 'titel' | 'text' | 'createdAt' | 'authorityName'>>;
}

const label = (o: string) => (isOfficeType(o) ? OFFICE_LABELS[o] : o);

/** Builds the snapshot's content (no write). */
export async function buildLagebild(deps: {
  db: Kysely<Database>;
  registry: ProcedureRegistry;
  catalogue: CatalogueService;
  log: LogService;
  now: Date;
  stunde: number;
}): Promise<Lagebild> {
  const { now } = deps;
  const fig = await boardFigures(deps.db, deps.registry, { now, days: 2 });
  const [authorities, region, aufgaben, entscheidungen] = await Promise.all([
    deps.db
      .selectFrom('authority')
      .select(['ags', 'name', 'kind'])
      .orderBy('kreis_ags')
      .orderBy('ags')
      .execute(),
    deps.catalogue.region(null),
    deps.log.read({ nurOffen: true, limit: 500 }),
    deps.log.read({ seit: new Date(now.getTime() - 86_400_000).toISOString(), limit: 500 }),
  ]);
  const withVortag = (key: string, f: Figures): SnapshotFigures => {
    const s = fig.series.get(key);
    return { ...f, angelegtVortag: s?.[0]?.angelegt ?? 0, erledigtVortag: s?.[0]?.erledigt ?? 0 };
  };
  const sumSnap = (items: SnapshotFigures[]): SnapshotFigures => ({
    ...sumFigures(items),
    angelegtVortag: items.reduce((s, i) => s + i.angelegtVortag, 0),
    erledigtVortag: items.reduce((s, i) => s + i.erledigtVortag, 0),
  });
  const behoerden = authorities.map((a) => {
    const aemter = fig.offices
      .filter((o) => o.authorityAgs === a.ags)
      .map((o) => {
        const { authorityAgs: _a, officeType, ...f } = o;
        return { officeType, officeLabel: label(officeType), ...withVortag(`${a.ags}/${officeType}`, f) };
      });
    const cat = region.get(a.ags);
    return {
      ags: a.ags,
      name: a.name,
      kind: a.kind,
      ausfallSeit: cat?.lage.ausfallSeit ?? null,
      summe: sumSnap(aemter),
      aemter,
      dienste: (cat?.dienste ?? [])
        .filter((d) => d.status !== null && d.status !== 'normal')
        .map((d) => ({
          title: d.title,
          status: d.status,
          statusLabel: d.statusLabel,
          statusSeit: d.statusSeit,
          ausweichName: d.ausweichName,
          wazLabel: d.waz.label,
          wazUeberschritten: d.waz.state === 'ueberschritten' || d.waz.state === 'offen_ueberschritten',
          mtaUeberschritten: d.waz.mtaUeberschritten,
        })),
    };
  });
  return {
    tag: fig.today,
    vortag: addDays(fig.today, -1),
    erstelltAm: now.toISOString(),
    stunde: deps.stunde,
    summe: sumSnap(behoerden.map((b) => b.summe)),
    behoerden,
    offeneAufgaben: aufgaben.map((t) => ({
      titel: t.titel,
      zustaendig: t.zustaendig,
      faelligAm: t.faelligAm,
      authorityName: t.authorityName,
    })),
    entscheidungen: entscheidungen
      .filter((e) => e.art === 'entscheidung')
      .map((e) => ({ titel: e.titel, text: e.text, createdAt: e.createdAt, authorityName: e.authorityName })),
  };
}

/** Takes today's snapshot if the hour has come and none exists yet. Returns the day taken, or null. */
export async function takeSnapshotIfDue(deps: {
  db: Kysely<Database>;
  registry: ProcedureRegistry;
  catalogue: CatalogueService;
  log: LogService;
  now: Date;
  stunde: number;
}): Promise<IsoDate | null> {
  const tag = todayInGermany(deps.now);
  if (berlinHour(deps.now) < deps.stunde) return null;
  const exists = await deps.db
    .selectFrom('krisenstab_lagebild')
    .select('tag')
    .where('tag', '=', tag)
    .executeTakeFirst();
  if (exists) return null;
  const content = await buildLagebild(deps);
  const inserted = await deps.db
    .insertInto('krisenstab_lagebild')
    .values({ tag, taken_at: deps.now.toISOString(), stunde: deps.stunde, inhalt: JSON.stringify(content) })
    .onConflict((oc) => oc.column('tag').doNothing())
    .returning('tag')
    .executeTakeFirst();
  return inserted ? tag : null;
}

export async function listSnapshots(db: Kysely<Database>, limit = 120) {
  const rows = await db
    .selectFrom('krisenstab_lagebild')
    .select(['tag', 'taken_at', 'stunde'])
    .orderBy('tag', 'desc')
    .limit(limit)
    .execute();
  return rows.map((r) => ({ tag: r.tag, erstelltAm: r.taken_at, stunde: r.stunde }));
}

export async function readSnapshot(db: Kysely<Database>, tag: IsoDate): Promise<Lagebild | undefined> {
  const row = await db
    .selectFrom('krisenstab_lagebild')
    .select('inhalt')
    .where('tag', '=', tag)
    .executeTakeFirst();
  return row ? (JSON.parse(row.inhalt) as Lagebild) : undefined;
}

export const CSV_COLUMNS = [
  'tag',
  'stand',
  'ags',
  'behoerde',
  'amt',
  'offen',
  'ueberfaellig',
  'angelegt_vortag',
  'erledigt_vortag',
  'vorgaenge_gesamt',
  'uebergeben',
  'in_uebergabe',
  'nicht_uebergeben',
] as const;

/** The snapshot as CSV (semicolon, UTF-8 with BOM, CRLF): one line per authority and office, then the sum. */
export function lageberichtCsv(l: Lagebild): string {
  const line = (ags: string, name: string, amt: string, f: SnapshotFigures) =>
    csvLine([
      l.tag,
      l.erstelltAm,
      ags,
      name,
      amt,
      f.offen,
      f.ueberfaellig,
      f.angelegtVortag,
      f.erledigtVortag,
      f.gesamt,
      f.uebergeben,
      f.inUebergabe,
      f.nichtUebergeben,
    ]);
  let out = CSV_BOM + csvLine(CSV_COLUMNS);
  for (const b of l.behoerden) for (const a of b.aemter) out += line(b.ags, b.name, a.officeLabel, a);
  out += line('', 'Region gesamt', '', l.summe);
  return out;
}

// ---- PDF ----

interface Column {
  title: string;
  width: number;
  align?: 'left' | 'right';
}

function table(pdf: PdfDoc, columns: Column[], rows: string[][]): void {
  const left = pdf.page.margins.left;
  const bottom = pdf.page.height - pdf.page.margins.bottom;
  const header = () => {
    let x = left;
    const y = pdf.y;
    pdf.font('bold').fontSize(8).fillColor('black');
    for (const c of columns) {
      pdf.text(c.title, x, y, { width: c.width - 4, align: c.align ?? 'left' });
      x += c.width;
    }
    pdf
      .moveTo(left, pdf.y + 2)
      .lineTo(left + columns.reduce((s, c) => s + c.width, 0), pdf.y + 2)
      .strokeColor('#444444')
      .stroke();
    pdf.y += 5;
  };
  header();
  for (const r of rows) {
    const heights = r.map((cell, i) =>
      pdf
        .font('regular')
        .fontSize(8)
        .heightOfString(cell, { width: (columns[i]?.width ?? 40) - 4 }),
    );
    const h = Math.max(10, ...heights);
    if (pdf.y + h > bottom) {
      pdf.addPage();
      header();
    }
    const y = pdf.y;
    let x = left;
    r.forEach((cell, i) => {
      const c = columns[i] as Column;
      pdf
        .font('regular')
        .fontSize(8)
        .fillColor('black')
        .text(cell, x, y, { width: c.width - 4, align: c.align ?? 'left' });
      x += c.width;
    });
    pdf.y = y + h + 2;
  }
  pdf.x = left;
  pdf.moveDown(0.5);
}

const n = (v: number) => String(v);

export async function lageberichtPdf(l: Lagebild): Promise<Buffer> {
  return renderPdf(
    {
      title: `Lagebericht ${formatGermanDate(l.tag)}`,
      author: 'Krisenstab',
      layout: 'landscape',
      margins: { top: 40, bottom: 40, left: 40, right: 40 },
    },
    (pdf) => {
      const heading = (t: string) => {
        if (pdf.y > pdf.page.height - 120) pdf.addPage();
        pdf
          .moveDown(0.6)
          .font('bold')
          .fontSize(12)
          .fillColor('black')
          .text(t, pdf.page.margins.left)
          .moveDown(0.3);
      };
      pdf.font('bold').fontSize(9).fillColor('#b00020').text('NOTBETRIEB – NUR FÜR DEN DIENSTGEBRAUCH');
      pdf
        .font('bold')
        .fontSize(18)
        .fillColor('black')
        .text(`Lagebericht vom ${formatGermanDate(l.tag)}`);
      pdf
        .font('regular')
        .fontSize(10)
        .text(
          `Stand: ${germanDateTime(l.erstelltAm)} Uhr (Stichzeit ${String(l.stunde).padStart(2, '0')}:00 Uhr). ` +
            `„Vortag“: ${formatGermanDate(l.vortag)}. Alle Zahlen sind Summen; der Bericht enthält keine personenbezogenen Daten.`,
        );

      heading('1. Region gesamt');
      const s = l.summe;
      table(
        pdf,
        [
          { title: 'Offen', width: 80, align: 'right' },
          { title: 'Überfällig', width: 80, align: 'right' },
          { title: 'Angelegt (Vortag)', width: 100, align: 'right' },
          { title: 'Erledigt (Vortag)', width: 100, align: 'right' },
          { title: 'Vorgänge gesamt', width: 100, align: 'right' },
          { title: 'Übergeben', width: 80, align: 'right' },
          { title: 'In Übergabe', width: 80, align: 'right' },
          { title: 'Noch nicht übergeben', width: 120, align: 'right' },
        ],
        [
          [
            n(s.offen),
            n(s.ueberfaellig),
            n(s.angelegtVortag),
            n(s.erledigtVortag),
            n(s.gesamt),
            n(s.uebergeben),
            n(s.inUebergabe),
            n(s.nichtUebergeben),
          ],
        ],
      );

      heading('2. Rückstand je Behörde und Amt');
      const rows: string[][] = [];
      for (const b of l.behoerden) {
        for (const a of b.aemter) {
          rows.push([
            b.name,
            a.officeLabel,
            n(a.offen),
            n(a.ueberfaellig),
            n(a.angelegtVortag),
            n(a.erledigtVortag),
            n(a.gesamt),
            n(a.uebergeben),
            n(a.inUebergabe),
            n(a.nichtUebergeben),
          ]);
        }
      }
      if (rows.length === 0) pdf.font('regular').fontSize(10).text('Noch keine Vorgänge erfasst.');
      else
        table(
          pdf,
          [
            { title: 'Behörde', width: 150 },
            { title: 'Amt', width: 170 },
            { title: 'Offen', width: 50, align: 'right' },
            { title: 'Überfällig', width: 55, align: 'right' },
            { title: 'Angelegt (Vortag)', width: 60, align: 'right' },
            { title: 'Erledigt (Vortag)', width: 60, align: 'right' },
            { title: 'Gesamt', width: 50, align: 'right' },
            { title: 'Übergeben', width: 55, align: 'right' },
            { title: 'In Übergabe', width: 55, align: 'right' },
            { title: 'Nicht übergeben', width: 60, align: 'right' },
          ],
          rows,
        );

      heading('3. Dienste außerhalb des Normalbetriebs');
      const services: string[][] = [];
      for (const b of l.behoerden) {
        for (const d of b.dienste) {
          services.push([
            b.name,
            d.title,
            d.statusLabel + (d.ausweichName ? ` (${d.ausweichName})` : ''),
            d.statusSeit ? germanDateTime(d.statusSeit) : '—',
            d.wazLabel,
            d.mtaUeberschritten ? 'MTA überschritten' : '',
          ]);
        }
      }
      if (services.length === 0)
        pdf.font('regular').fontSize(10).text('Alle erfassten Dienste im Normalbetrieb.');
      else
        table(
          pdf,
          [
            { title: 'Behörde', width: 130 },
            { title: 'Dienst', width: 180 },
            { title: 'Status', width: 130 },
            { title: 'Seit', width: 80 },
            { title: 'WAZ', width: 150 },
            { title: 'MTA', width: 90 },
          ],
          services,
        );

      heading('4. Offene Aufgaben');
      if (l.offeneAufgaben.length === 0) pdf.font('regular').fontSize(10).text('Keine offenen Aufgaben.');
      else
        table(
          pdf,
          [
            { title: 'Aufgabe', width: 330 },
            { title: 'Zuständig', width: 170 },
            { title: 'Fällig', width: 80 },
            { title: 'Behörde', width: 180 },
          ],
          l.offeneAufgaben.map((t) => [
            t.titel,
            t.zustaendig ?? '—',
            t.faelligAm ? formatGermanDate(t.faelligAm) : '—',
            t.authorityName ?? 'Region',
          ]),
        );

      heading('5. Entscheidungen der letzten 24 Stunden');
      if (l.entscheidungen.length === 0)
        pdf.font('regular').fontSize(10).text('Keine Entscheidungen erfasst.');
      else
        table(
          pdf,
          [
            { title: 'Zeit', width: 90 },
            { title: 'Entscheidung', width: 250 },
            { title: 'Erläuterung', width: 260 },
            { title: 'Behörde', width: 160 },
          ],
          l.entscheidungen.map((e) => [
            germanDateTime(e.createdAt),
            e.titel,
            e.text ?? '',
            e.authorityName ?? 'Region',
          ]),
        );
    },
  );
}
