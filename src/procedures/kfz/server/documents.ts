import { formatEuro } from '../../../core/cashjournal/journal.js';
import type { DocumentRenderers, PdfDoc, PdfHelpers } from '../../../core/documents.js';
import {
  KFZ_PROCEDURE_IDS,
  KFZ_TITLES,
  type KfzDaten,
  type KfzProcedureId,
  KURZZEIT_ZWECK,
  WITH_PLATE,
} from '../procedures.js';
import { FAHRZEUGKLASSEN, type Fahrzeug, type Halter, halterName, KRAFTSTOFFE } from '../schema.js';

/**
 * PDFs of the Zulassungsstelle in emergency operation: the Prägeschein (the plate-stamping shop
 * makes the plates against it), the provisional registration certificate that stands in for the
 * Zulassungsbescheinigung Teil I until the regular system issues it, and the confirmation of the
 * Außerbetriebsetzung. All carry the emergency mark and the case's QR code (core/documents.ts).
 */

function plate(pdf: PdfDoc, text: string) {
  pdf
    .moveDown(0.4)
    .font('bold')
    .fontSize(30)
    .fillColor('black')
    .text(text, { characterSpacing: 2 })
    .moveDown(0.3);
}

function halter(h: PdfHelpers, x: Halter, title = 'Halter/in') {
  h.heading(title);
  h.field('Name', halterName(x));
  if (x.art === 'person')
    h.field('Geboren', `${h.date(x.geburtsdatum)}${x.geburtsort ? ` in ${x.geburtsort}` : ''}`);
  if (x.registernummer) h.field('Handelsregister', x.registernummer);
  h.field('Anschrift', `${x.strasse} ${x.hausnummer}, ${x.plz} ${x.ort}`);
}

function fahrzeug(h: PdfHelpers, f: KfzDaten['fahrzeug']) {
  h.heading('Fahrzeug');
  h.field('Fahrzeug-Identifizierungsnummer (E)', f.fin);
  if (f.hersteller) h.field('Hersteller / Marke (D.1)', f.hersteller);
  const full = f as Partial<Fahrzeug>;
  if (full.typ) h.field('Handelsbezeichnung (D.3)', full.typ);
  if (full.herstellerschluessel)
    h.field('Schlüsselnummern (2.1 / 2.2)', `${full.herstellerschluessel} / ${full.typschluessel}`);
  if (full.fahrzeugklasse) h.field('Fahrzeugklasse', FAHRZEUGKLASSEN[full.fahrzeugklasse]);
  if (full.kraftstoff) h.field('Kraftstoff / Energiequelle (P.3)', KRAFTSTOFFE[full.kraftstoff]);
  if (full.erstzulassung) h.field('Erstzulassung (B)', h.date(full.erstzulassung));
  if (full.naechsteHu)
    h.field('Nächste Hauptuntersuchung', `${full.naechsteHu.slice(5)}/${full.naechsteHu.slice(0, 4)}`);
}

function fees(h: PdfHelpers, d: KfzDaten) {
  if (!d.kosten) return;
  h.heading('Gebühren');
  for (const f of d.kosten.positionen) h.field(`${f.label} (${f.basis})`, formatEuro(f.amountCents));
  h.field('Summe', formatEuro(d.kosten.summeCents));
  if (d.zahlung)
    h.field('Bar bezahlt', `${h.date(d.zahlung.tag)}, Kassenbuch Beleg-Nr. ${d.zahlung.belegNr}`);
}

function praegeschein(id: KfzProcedureId) {
  return (pdf: PdfDoc, view: { data: unknown; aktenzeichen: string }, h: PdfHelpers) => {
    const d = view.data as KfzDaten;
    const z = d.zuteilung;
    if (!z) throw new Error('Prägeschein ohne Kennzeichen');
    h.paragraph(
      `Die Zulassungsstelle hat für das unten bezeichnete Fahrzeug das folgende Kennzeichen zugeteilt (${KFZ_TITLES[id]}). Gegen diesen Schein dürfen die Kennzeichenschilder geprägt werden.`,
    );
    plate(pdf, z.text);
    h.field('Zugeteilt am', h.date(z.zugeteiltAm));
    if (z.zusatz === 'E') h.field('Zusatz', 'E – elektrisch betriebenes Fahrzeug (Elektromobilitätsgesetz)');
    if (z.zusatz === 'H') h.field('Zusatz', 'H – historisches Fahrzeug (Oldtimer)');
    if (z.art === 'kurzzeit' && z.gueltigBis) {
      h.field('Kurzzeitkennzeichen, Ablaufdatum im gelben Feld', h.date(z.gueltigBis));
    }
    h.field(
      'Zuteilung',
      z.wahl === 'naechstes'
        ? 'aus der Notbetriebsserie'
        : z.wahl === 'wunsch'
          ? 'Wunschkennzeichen'
          : 'reserviertes Wunschkennzeichen',
    );
    halter(h, d.halter);
    fahrzeug(h, d.fahrzeug);
    h.paragraph('');
    h.paragraph(
      'Hinweis für den Schilderprägebetrieb: Die Schilder werden erst mit der Stempelplakette der Zulassungsstelle gültig. Bitte die Schilder zusammen mit diesem Schein bei der Zulassungsstelle vorlegen.',
    );
  };
}

function bescheinigung(id: KfzProcedureId) {
  return (pdf: PdfDoc, view: { data: unknown }, h: PdfHelpers) => {
    const d = view.data as KfzDaten;
    const kurz = id === 'kurzzeitkennzeichen';
    const text = d.zuteilung?.text ?? d.kennzeichen?.aktuell ?? d.umschreibung?.bisherigesKennzeichen ?? '—';
    h.paragraph(
      kurz
        ? 'Vorläufiger Fahrzeugschein für ein Kurzzeitkennzeichen (§ 16a FZV), ausgestellt im Notbetrieb. Nur für Probe-, Überführungs- und Prüfungsfahrten.'
        : `Vorläufige Bescheinigung über die ${id === 'anschriftenaenderung' ? 'Änderung der Halteranschrift' : id === 'umschreibung' ? 'Umschreibung auf die neue Halterin / den neuen Halter' : 'Zulassung'} des Fahrzeugs. Sie ersetzt die Zulassungsbescheinigung Teil I, bis das Zulassungsverfahren wieder läuft und diese ausgestellt ist; sie ist im Fahrzeug mitzuführen.`,
    );
    plate(pdf, text);
    h.field(kurz ? 'Ausgegeben am' : 'Zugelassen am', h.date(d.abschluss?.am));
    if (kurz && d.kurzzeit) {
      h.field('Gültig', `vom ${h.date(d.kurzzeit.gueltigAb)} bis ${h.date(d.zuteilung?.gueltigBis)}`);
      h.field('Zweck', KURZZEIT_ZWECK[d.kurzzeit.zweck]);
    }
    if (d.abschluss?.zb1Nummer) h.field('Zulassungsbescheinigung Teil I Nr.', d.abschluss.zb1Nummer);
    if (d.papiere?.zb2Nummer) h.field('Zulassungsbescheinigung Teil II Nr.', d.papiere.zb2Nummer);
    if (d.versicherung) h.field('Versicherungsbestätigung (eVB)', d.versicherung.evb);
    halter(h, d.halter, id === 'umschreibung' ? 'Neue Halterin / neuer Halter' : 'Halter/in');
    if (id === 'anschriftenaenderung' && d.bisherigeAnschrift) {
      const a = d.bisherigeAnschrift;
      h.field('Bisherige Anschrift', `${a.strasse} ${a.hausnummer}, ${a.plz} ${a.ort}`);
    }
    if (id === 'umschreibung' && d.umschreibung) {
      h.field('Bisheriges Kennzeichen', d.umschreibung.bisherigesKennzeichen);
      if (d.bisherigerHalter?.name)
        h.field('Bisherige Halterin / bisheriger Halter', d.bisherigerHalter.name);
    }
    fahrzeug(h, d.fahrzeug);
    if (d.sepa) {
      h.heading('Kfz-Steuer');
      h.field(
        'SEPA-Lastschriftmandat',
        `${d.sepa.kontoinhaber}, IBAN ${d.sepa.iban.replace(/(.{4})/g, '$1 ').trim()}`,
      );
    }
    fees(h, d);
  };
}

function abmeldebestaetigung(pdf: PdfDoc, view: { data: unknown }, h: PdfHelpers) {
  const d = view.data as KfzDaten;
  h.paragraph(
    'Das unten bezeichnete Fahrzeug ist außer Betrieb gesetzt (§ 15 FZV). Die Kennzeichenschilder sind entstempelt; die Außerbetriebsetzung wird nach Wiederanlauf an das Zulassungsverfahren und das Kraftfahrt-Bundesamt übermittelt.',
  );
  plate(pdf, d.kennzeichen?.aktuell ?? '—');
  h.field('Außer Betrieb gesetzt am', h.date(d.abschluss?.am));
  if (d.abschluss?.reserviertBis) {
    h.field('Kennzeichen reserviert für die Halterin / den Halter bis', h.date(d.abschluss.reserviertBis));
  } else if (d.abschluss?.sperreBis) {
    h.field('Kennzeichen gesperrt bis', h.date(d.abschluss.sperreBis));
  }
  h.field('Verwertungsnachweis', d.abmeldung?.verwertungsnachweis ? 'vorgelegt' : 'nicht vorgelegt');
  if (d.papiere?.zb1Nummer) h.field('Zulassungsbescheinigung Teil I Nr.', d.papiere.zb1Nummer);
  if (d.papiere?.zb2Nummer) h.field('Zulassungsbescheinigung Teil II Nr.', d.papiere.zb2Nummer);
  halter(h, d.halter);
  fahrzeug(h, d.fahrzeug);
  fees(h, d);
}

export function registerKfzDocuments(renderers: DocumentRenderers): void {
  for (const id of KFZ_PROCEDURE_IDS) {
    if (WITH_PLATE.includes(id)) renderers.register(id, 'praegeschein', praegeschein(id));
    if (id === 'ausserbetriebsetzung') renderers.register(id, 'abmeldebestaetigung', abmeldebestaetigung);
    else renderers.register(id, 'vorlaeufige_zulassungsbescheinigung', bescheinigung(id));
  }
}
