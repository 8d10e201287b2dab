import { formatEuro } from '../../../core/cashjournal/journal.js';
import type { DocumentRenderers, PdfHelpers } from '../../../core/documents.js';
import type { AusweisDaten } from '../ausweis.js';
import { DOKUMENTARTEN, type Dokumentart } from '../fees.js';
import {
  type AbmeldungDaten,
  type EinzugDaten,
  MELDUNG_TITEL,
  type Meldefrist,
  WOHNUNGSSTATUS,
} from '../meldung.js';
import { GESCHLECHT_OPTIONS, type Person } from '../schema.js';

/** PDFs of the Meldewesen procedures: Meldebestätigung (BMG § 24 Abs. 2) and Gebührenquittung. */

function person(h: PdfHelpers, p: Person, i: number) {
  h.heading(i === 0 ? 'Meldepflichtige Person' : `Weitere Person ${i}`);
  h.field('Name', `${p.namensbestandteil ? `${p.namensbestandteil} ` : ''}${p.familienname}, ${p.vornamen}`);
  if (p.geburtsname) h.field('Geburtsname', p.geburtsname);
  h.field('Geboren', `${h.date(p.geburtsdatum)} in ${p.geburtsort}`);
  h.field('Geschlecht', GESCHLECHT_OPTIONS[p.geschlecht]);
  h.field('Staatsangehörigkeit', p.staatsangehoerigkeit);
}

function fristText(h: PdfHelpers, f: Meldefrist | undefined, einzug: boolean) {
  if (!f) return;
  h.field(
    'Meldefrist (§ 17 BMG)',
    `${f.eingehalten ? 'eingehalten' : 'überschritten'} – ${einzug ? 'Einzug' : 'Auszug'} am ${h.date(f.stichtag)}, Frist bis ${h.date(f.endetAm)}, gemeldet am ${h.date(f.gemeldetAm)}`,
  );
}

export function registerMeldewesenDocuments(renderers: DocumentRenderers): void {
  for (const art of ['anmeldung', 'ummeldung'] as const) {
    renderers.register(art, 'meldebestaetigung', (_pdf, view, h) => {
      const d = view.data as EinzugDaten & { meldefrist?: Meldefrist };
      h.paragraph(
        `Bestätigung der ${MELDUNG_TITEL[art]} nach § 24 Abs. 2 des Bundesmeldegesetzes (BMG). Die Wohnungsgeberbestätigung (§ 19 BMG) hat vorgelegen.`,
      );
      h.heading('Wohnung');
      h.field(
        'Anschrift',
        `${d.neueWohnung.strasse} ${d.neueWohnung.hausnummer}, ${d.neueWohnung.plz} ${d.neueWohnung.ort}`,
      );
      h.field('Art der Wohnung', WOHNUNGSSTATUS[d.einzug.wohnungsstatus]);
      h.field('Einzugsdatum', h.date(d.einzug.datum));
      h.field(
        'Bisherige Wohnung',
        [
          d.bisherigeWohnung.strasse,
          d.bisherigeWohnung.hausnummer,
          d.bisherigeWohnung.plz,
          d.bisherigeWohnung.ort,
          d.bisherigeWohnung.staat,
        ]
          .filter(Boolean)
          .join(' '),
      );
      h.field(
        'Wohnungsgeber',
        `${d.wohnungsgeberbestaetigung.wohnungsgeber} (Bestätigung vom ${h.date(d.wohnungsgeberbestaetigung.datum)})`,
      );
      fristText(h, d.meldefrist, true);
      for (const [i, p] of d.personen.entries()) person(h, p, i);
      h.paragraph('');
      h.paragraph(
        'Die Meldung wurde im Notbetrieb erfasst und wird nach Wiederanlauf in das Melderegister übernommen. Diese Bestätigung gilt bis dahin als Nachweis der Anmeldung.',
      );
    });
  }
  renderers.register('abmeldung', 'meldebestaetigung', (_pdf, view, h) => {
    const d = view.data as AbmeldungDaten & { meldefrist?: Meldefrist };
    h.paragraph('Bestätigung der Abmeldung nach § 24 Abs. 2 des Bundesmeldegesetzes (BMG).');
    h.heading('Aufgegebene Wohnung');
    h.field(
      'Anschrift',
      `${d.bisherigeWohnung.strasse} ${d.bisherigeWohnung.hausnummer}, ${d.bisherigeWohnung.plz} ${d.bisherigeWohnung.ort}`,
    );
    h.field('Auszugsdatum', h.date(d.auszug.datum));
    h.field(
      'Künftig',
      [d.kuenftigeAnschrift.anschrift, d.kuenftigeAnschrift.staat].filter(Boolean).join(', '),
    );
    fristText(h, d.meldefrist, false);
    for (const [i, p] of d.personen.entries()) person(h, p, i);
  });

  for (const art of Object.keys(DOKUMENTARTEN) as Dokumentart[]) {
    renderers.register(art, 'gebuehrenquittung', (_pdf, view, h) => {
      const d = view.data as AusweisDaten;
      h.paragraph(`Gebühr für den Antrag auf einen ${DOKUMENTARTEN[art]}; in bar erhalten.`);
      h.heading('Antragsteller/in');
      h.field('Name', `${d.antragsteller.familienname}, ${d.antragsteller.vornamen}`);
      h.field('Geboren', h.date(d.antragsteller.geburtsdatum));
      h.field('Antragsdatum', h.date(d.antrag.antragsdatum));
      h.heading('Gebühren');
      for (const f of d.gebuehren?.positionen ?? [])
        h.field(`${f.label} (${f.basis})`, formatEuro(f.amountCents));
      h.field('Summe', formatEuro(d.gebuehren?.summeCents ?? 0));
      if (d.zahlung) {
        h.heading('Zahlung');
        h.field('Bar bezahlt am', h.date(d.zahlung.tag));
        h.field('Kassenbuch Beleg-Nr.', String(d.zahlung.belegNr));
        h.field('Betrag', formatEuro(d.zahlung.betragCents));
      }
      if (d.dokument) {
        h.heading('Dokument');
        h.field('Dokumentennummer', d.dokument.nummer);
        h.field('Ausgestellt am', h.date(d.dokument.ausgestelltAm));
        h.field('Gültig bis', h.date(d.dokument.gueltigBis));
      }
    });
  }
}
