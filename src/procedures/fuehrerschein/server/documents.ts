import type { DocumentRenderers, PdfHelpers } from '../../../core/documents.js';
import type { Nachweis } from '../common.js';
import { NACHWEIS_DOKUMENT, nameOf } from '../common.js';
import { ERSATZ_GRUENDE, ERSATZ_ID, type ErsatzDaten } from '../ersatz.js';
import { ERSTERTEILUNG_ID, type ErsterteilungDaten } from '../ersterteilung.js';
import { KLASSEN_BESCHREIBUNG } from '../klassen.js';
import type { Anschrift, Person } from '../schema.js';
import { UMTAUSCH_ID, type UmtauschDaten } from '../umtausch.js';
import { fristText } from '../umtauschfrist.js';

/**
 * The Vorläufiger Nachweis der Fahrberechtigung (FeV § 22 Abs. 4, after the model of Anlage 8a):
 * proof of the licence in Germany for three months while the card cannot be ordered; for
 * accompanied driving it is the Prüfungsbescheinigung (§ 48a Abs. 3, Anlage 8b) with the named
 * companions, valid until three months after the 18th birthday. The frame (authority, emergency
 * mark, QR code of the case, fonts with umlauts) comes from core/documents.ts.
 */

function inhaber(h: PdfHelpers, p: Person, a: Anschrift): void {
  h.heading('Inhaberin / Inhaber');
  h.field('Name', nameOf(p));
  if (p.geburtsname) h.field('Geburtsname', p.geburtsname);
  h.field('Geboren', `${h.date(p.geburtsdatum)} in ${p.geburtsort}`);
  h.field('Anschrift', `${a.strasse} ${a.hausnummer}, ${a.plz} ${a.ort}`);
}

function fahrerlaubnis(h: PdfHelpers, n: Nachweis, anlass: string): void {
  h.heading('Fahrerlaubnis');
  h.field('Anlass', anlass);
  h.field('Klassen', n.klassen.join(', '));
  for (const k of n.klassen) h.paragraph(`Klasse ${k}: ${KLASSEN_BESCHREIBUNG[k]}`);
  h.field('Ausgestellt am', h.date(n.ausgestelltAm));
  h.field('Führerscheinnummer', n.fuehrerscheinnummer ?? 'wird nach Wiederanlauf vom Fachverfahren vergeben');
  if (n.pruefungBestandenAm) h.field('Praktische Prüfung bestanden am', h.date(n.pruefungBestandenAm));
  if (n.fahrerlaubnisBestaetigtDurch) h.field('Fahrerlaubnis geprüft anhand', n.fahrerlaubnisBestaetigtDurch);
  if (n.vermerk) h.field('Vermerk', n.vermerk);
  h.heading('Auflagen');
  if (n.auflagen.length === 0) h.paragraph('Keine.');
  for (const a of n.auflagen) h.paragraph(a);
  if (n.begleitpersonen) {
    h.heading('Begleitpersonen (§ 48a FeV)');
    for (const b of n.begleitpersonen) h.paragraph(b);
  }
}

function gueltigkeit(h: PdfHelpers, n: Nachweis): void {
  h.heading('Gültigkeit');
  h.field('Gültig bis', `${h.date(n.gueltigBis)} (längstens; bis zur Aushändigung des Führerscheins)`);
  h.paragraph(
    'Nur gültig im Inland und zusammen mit einem amtlichen Lichtbildausweis. Beim Führen von Kraftfahrzeugen mitführen und zuständigen Personen auf Verlangen zur Prüfung aushändigen.',
  );
  h.paragraph('');
  h.paragraph('Fahrerlaubnisbehörde – Unterschrift, Dienstsiegel: ______________________________');
}

function einleitung(h: PdfHelpers, n: Nachweis): void {
  h.paragraph(
    n.art === 'pruefungsbescheinigung_bf17'
      ? 'Prüfungsbescheinigung zum „Begleiteten Fahren ab 17 Jahre" (§ 48a Abs. 3 FeV). Sie tritt an die Stelle des Führerscheins und dient im Inland befristet zum Nachweis der Fahrerlaubnis; bis zum 18. Geburtstag nur in Begleitung einer genannten Begleitperson.'
      : 'Dieser vorläufige Nachweis dient anstelle des Führerscheins befristet zum Nachweis der Fahrerlaubnis im Inland (§ 22 Abs. 4 FeV). Der Kartenführerschein kann im Notbetrieb nicht bestellt werden; er wird nach Wiederanlauf ausgestellt.',
  );
}

export function registerFuehrerscheinDocuments(renderers: DocumentRenderers): void {
  renderers.register(ERSTERTEILUNG_ID, NACHWEIS_DOKUMENT.id, (_pdf, view, h) => {
    const d = view.data as ErsterteilungDaten;
    const n = d.nachweis as Nachweis;
    einleitung(h, n);
    inhaber(h, d.bewerber, d.anschrift);
    const vorhanden = d.vorbesitz?.klassen?.length
      ? ` (Erweiterung; vorhanden: ${d.vorbesitz.klassen.join(', ')})`
      : '';
    fahrerlaubnis(h, n, `Ersterteilung${vorhanden}`);
    gueltigkeit(h, n);
  });
  renderers.register(UMTAUSCH_ID, NACHWEIS_DOKUMENT.id, (_pdf, view, h) => {
    const d = view.data as UmtauschDaten;
    const n = d.nachweis as Nachweis;
    const b = d.bisherigerFuehrerschein;
    einleitung(h, n);
    inhaber(h, d.inhaber, d.anschrift);
    fahrerlaubnis(h, n, 'Umtausch (§ 24a FeV)');
    h.heading('Bisheriger Führerschein (eingezogen)');
    h.field('Ausgestellt am', `${h.date(b.ausgestelltAm)} von ${b.ausstellendeBehoerde}`);
    if (b.alteKlassen) h.field('Bisherige Klassen', b.alteKlassen);
    if (d.umtauschfrist) h.field('Umtauschfrist (Anlage 8e FeV)', fristText(d.umtauschfrist));
    gueltigkeit(h, n);
  });
  renderers.register(ERSATZ_ID, NACHWEIS_DOKUMENT.id, (_pdf, view, h) => {
    const d = view.data as ErsatzDaten;
    const n = d.nachweis as Nachweis;
    einleitung(h, n);
    inhaber(h, d.inhaber, d.anschrift);
    fahrerlaubnis(h, n, `Ersatzführerschein – ${ERSATZ_GRUENDE[d.anlass.grund]} (§ 25 Abs. 4 FeV)`);
    h.heading('Bisheriger Führerschein');
    h.field('Führerscheinnummer', d.bisherigerFuehrerschein.nummer ?? 'nicht bekannt');
    h.field('Ausstellende Behörde', d.bisherigerFuehrerschein.ausstellendeBehoerde);
    if (d.anlass.grund === 'verloren' || d.anlass.grund === 'gestohlen')
      h.paragraph(
        'Der bisherige Führerschein ist ungültig. Wird er wiedergefunden, ist er der Fahrerlaubnisbehörde abzugeben.',
      );
    gueltigkeit(h, n);
  });
}
