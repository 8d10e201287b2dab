import { csvFileFormat, csvLine } from '../../../core/handover/csv.js';
import type { HandoverCase, HandoverRegistry } from '../../../core/handover/format.js';
import { KARTEN_UEBERGABE_STATES, type Verwaltung } from '../common.js';
import { ERSATZ_CSV_COLUMNS, ERSATZ_ID, type ErsatzDaten } from '../ersatz.js';
import { ERSTERTEILUNG_CSV_COLUMNS, ERSTERTEILUNG_ID, type ErsterteilungDaten } from '../ersterteilung.js';
import { INTERNATIONAL_CSV_COLUMNS, INTERNATIONAL_ID, type InternationalDaten } from '../international.js';
import type { Anschrift, Person } from '../schema.js';
import { UMTAUSCH_CSV_COLUMNS, UMTAUSCH_ID, type UmtauschDaten } from '../umtausch.js';

/**
 * Handover of the Fahrerlaubnisbehörde's cases through the generic batch mechanism
 * (docs/HANDOVER.md): one CSV per procedure, one line per case, for re-keying in the licence
 * register and for the card order at the Bundesdruckerei. There is no XÖV message for driving
 * licences in the shared schemas, so CSV only. Cases go over once they are complete in emergency
 * operation (proof issued or closed; the international licence once handed out). Lists inside a
 * cell (classes, restrictions, companions) are separated by " | ".
 */

const list = (v: readonly string[] | undefined) => (v ?? []).join(' | ');
const janein = (v: boolean | undefined) => (v === undefined ? '' : v ? 'ja' : 'nein');

function personCells(p: Person, a: Anschrift): unknown[] {
  return [
    p.familienname,
    p.vornamen,
    p.geburtsname ?? '',
    p.doktorgrad ?? '',
    p.geburtsdatum,
    p.geburtsort,
    a.strasse,
    a.hausnummer,
    a.plz,
    a.ort,
  ];
}

function kasse(d: Verwaltung): unknown[] {
  return [d.kosten?.summeCents ?? '', d.zahlung?.belegNr ?? '', d.zahlung?.tag ?? ''];
}

function ersterteilungCsv(c: HandoverCase): string {
  const d = c.data as ErsterteilungDaten;
  return csvLine([
    c.aktenzeichen,
    c.status,
    ...personCells(d.bewerber, d.anschrift),
    d.antrag.antragsdatum,
    d.antrag.klassen.join(','),
    (d.vorbesitz?.klassen ?? []).join(','),
    d.vorbesitz?.fuehrerscheinnummer ?? '',
    janein(d.antrag.begleitetesFahren),
    list(
      (d.begleitpersonen ?? []).map(
        (b) =>
          `${b.familienname}, ${b.vornamen}; geb. ${b.geburtsdatum}; B seit ${b.klasseBSeit}; ${b.punkte} Punkte`,
      ),
    ),
    janein(d.antrag.berufsausbildung),
    d.antrag.fahrschule ?? '',
    list(d.nachweis?.auflagen),
    d.nachweis?.pruefungBestandenAm ?? '',
    d.nachweis?.art ?? '',
    d.nachweis?.ausgestelltAm ?? '',
    d.nachweis?.gueltigBis ?? '',
    d.nachweis?.fuehrerscheinnummer ?? '',
    ...kasse(d),
    c.id,
  ]);
}

function umtauschCsv(c: HandoverCase): string {
  const d = c.data as UmtauschDaten;
  const b = d.bisherigerFuehrerschein;
  return csvLine([
    c.aktenzeichen,
    c.status,
    ...personCells(d.inhaber, d.anschrift),
    d.antrag.antragsdatum,
    b.ausgestelltAm,
    b.ausstellendeBehoerde,
    b.nummer ?? '',
    b.listennummer ?? '',
    b.alteKlassen ?? '',
    d.neueKlassen.join(','),
    d.umtauschfrist?.frist ?? '',
    d.umtauschfrist?.grundlage ?? '',
    d.umtauschfrist ? janein(d.umtauschfrist.ueberfaellig) : '',
    d.nachweis?.ausgestelltAm ?? '',
    d.nachweis?.gueltigBis ?? '',
    d.nachweis?.fuehrerscheinnummer ?? '',
    d.abschluss ? 'ja' : 'nein',
    ...kasse(d),
    c.id,
  ]);
}

function ersatzCsv(c: HandoverCase): string {
  const d = c.data as ErsatzDaten;
  const b = d.bisherigerFuehrerschein;
  return csvLine([
    c.aktenzeichen,
    c.status,
    ...personCells(d.inhaber, d.anschrift),
    d.antrag.antragsdatum,
    d.anlass.grund,
    d.anlass.datum ?? '',
    d.anlass.polizeilicheAnzeige ?? '',
    janein(d.anlass.versicherungAnEidesStatt),
    b.nummer ?? '',
    b.ausgestelltAm ?? '',
    b.ausstellendeBehoerde,
    b.klassen.join(','),
    d.nachweis?.fahrerlaubnisBestaetigtDurch ?? '',
    d.nachweis?.ausgestelltAm ?? '',
    d.nachweis?.gueltigBis ?? '',
    d.nachweis?.fuehrerscheinnummer ?? '',
    d.abschluss ? 'ja' : 'nein',
    ...kasse(d),
    c.id,
  ]);
}

function internationalCsv(c: HandoverCase): string {
  const d = c.data as InternationalDaten;
  const n = d.nationalerFuehrerschein;
  return csvLine([
    c.aktenzeichen,
    c.status,
    ...personCells(d.inhaber, d.anschrift),
    d.antrag.antragsdatum,
    n.nummer,
    n.ausgestelltAm,
    n.gueltigBis ?? '',
    n.ausstellendeBehoerde,
    n.klassen.join(','),
    d.international?.nummer ?? '',
    d.international?.ausgestelltAm ?? '',
    d.international?.gueltigBis ?? '',
    ...kasse(d),
    c.id,
  ]);
}

export function registerFuehrerscheinHandover(h: HandoverRegistry): void {
  const karte = [
    {
      id: ERSTERTEILUNG_ID,
      file: 'fahrerlaubnis-ersterteilung',
      columns: ERSTERTEILUNG_CSV_COLUMNS,
      line: ersterteilungCsv,
    },
    { id: UMTAUSCH_ID, file: 'fuehrerschein-umtausch', columns: UMTAUSCH_CSV_COLUMNS, line: umtauschCsv },
    { id: ERSATZ_ID, file: 'fuehrerschein-ersatz', columns: ERSATZ_CSV_COLUMNS, line: ersatzCsv },
  ];
  for (const k of karte) {
    h.register({
      procedureId: k.id,
      eligibleStates: KARTEN_UEBERGABE_STATES,
      formats: [csvFileFormat((ctx) => `${k.file}-${ctx.authority.ags}.csv`, k.columns, k.line)],
    });
  }
  h.register({
    procedureId: INTERNATIONAL_ID,
    eligibleStates: ['ausgehaendigt'],
    formats: [
      csvFileFormat(
        (ctx) => `internationaler-fuehrerschein-${ctx.authority.ags}.csv`,
        INTERNATIONAL_CSV_COLUMNS,
        internationalCsv,
      ),
    ],
  });
}
