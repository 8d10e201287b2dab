import type { DocumentRenderers, PdfDoc, PdfHelpers } from '../../../core/documents.js';
import { type AufenthaltDaten, aktuelleBescheinigung } from '../aufenthalt.js';
import { ERLAUBNISLAGE_LABELS, PERSONENSTATUS_LABELS } from '../beschaeftigung.js';
import type { BeschaeftigungDaten } from '../beschaeftigungserlaubnis.js';
import { BISHERIGER_STATUS_LABELS, WIRKUNG_LABELS } from '../fiktion.js';
import { AUFENTHALT_ID, BESCHAEFTIGUNG_DOKUMENT, BESCHAEFTIGUNG_ID, FIKTION_DOKUMENT } from '../ids.js';
import { titelLabel } from '../titel.js';
import { type AuslaenderRegeln, findeTitel } from './hooks.js';

const box = (on: boolean) => (on ? '[X]' : '[ ]');

function personBlock(h: PdfHelpers, p: AufenthaltDaten['person'], pass?: Partial<AufenthaltDaten['pass']>) {
  h.field('Name', p.familienname);
  h.field('Vorname(n)', p.vornamen);
  h.field('Geburtsdatum / Geburtsort', `${h.date(p.geburtsdatum)} in ${p.geburtsort}`);
  h.field('Staatsangehörigkeit', p.staatsangehoerigkeit);
  if (pass?.nummer) {
    h.field(
      'Pass / Passersatz',
      `${pass.nummer} (${pass.ausstellerstaat ?? ''}, gültig bis ${h.date(pass.gueltigBis)})`,
    );
  }
}

/**
 * The Fiktionsbescheinigung in the structure of AufenthV Anlage D3: number and holder, the
 * application, the three effects as boxes (§ 81 Abs. 3 S. 1, Abs. 3 S. 2, Abs. 4) with the one
 * that applies ticked and the reason, the validity, the Nebenbestimmungen with the employment
 * line derived from the previous title, and the list of numbered renewals. Not the official
 * security form: a provisional paper certificate issued in emergency operation (QR code and mark
 * from core/documents.ts), to be re-keyed (docs/AUSLAENDER.md).
 */
function fiktionsbescheinigung(regeln: () => AuslaenderRegeln) {
  return (
    _pdf: PdfDoc,
    view: { data: unknown; authorityName: string; aktenzeichen: string },
    h: PdfHelpers,
  ) => {
    const d = view.data as AufenthaltDaten;
    const f = d.fiktion;
    const b = aktuelleBescheinigung(d);
    const r = regeln();
    h.field('Bescheinigung Nr.', b?.bescheinigungsNr);
    h.paragraph('Bescheinigung nach § 81 Abs. 5 des Aufenthaltsgesetzes (Fiktionsbescheinigung)');
    h.heading('1. Inhaber/in');
    personBlock(h, d.person, d.pass);
    h.field(
      'Anschrift',
      `${d.anschrift.strasse} ${d.anschrift.hausnummer}, ${d.anschrift.plz} ${d.anschrift.ort}`,
    );
    h.heading('2. Antrag');
    const beantragt = findeTitel(r, d.antrag.titel);
    h.paragraph(
      `Die Inhaberin / der Inhaber hat am ${h.date(d.antrag.antragsdatum)} die ${d.antrag.art === 'verlaengerung' ? 'Verlängerung' : 'Erteilung'} eines Aufenthaltstitels beantragt: ${beantragt ? titelLabel(beantragt) : d.antrag.titel}.`,
    );
    const bisher = findeTitel(r, d.bisher.titel);
    h.field(
      'Bisheriger Aufenthaltsstatus',
      `${bisher ? titelLabel(bisher) : BISHERIGER_STATUS_LABELS[d.bisher.status]}${d.bisher.nummer ? `, Nr. ${d.bisher.nummer}` : ''}${d.bisher.gueltigBis ? `, gültig bis ${h.date(d.bisher.gueltigBis)}` : ''}`,
    );
    h.heading('3. Wirkung des Antrags');
    for (const w of ['abs3s1', 'abs3s2', 'abs4'] as const)
      h.paragraph(`${box(f?.wirkung === w)} ${WIRKUNG_LABELS[w]}`);
    if (f) h.paragraph(`Begründung (${f.norm}): ${f.begruendung}`);
    h.heading('4. Gültigkeit');
    h.field('Gültig vom', `${h.date(b?.gueltigAb)} bis ${h.date(b?.gueltigBis)}`);
    h.paragraph('Die Bescheinigung verliert mit der Entscheidung über den Antrag ihre Gültigkeit.');
    h.heading('5. Nebenbestimmungen');
    h.field('Erwerbstätigkeit', f?.beschaeftigung);
    h.heading('6. Verlängerungen');
    const verl = (d.bescheinigungen ?? []).filter((x) => x.nr > 0);
    if (verl.length === 0) h.paragraph('Keine.');
    for (const v of verl) {
      h.field(
        `Verlängerung Nr. ${v.nr}`,
        `am ${h.date(v.ausgestelltAm)}, gültig vom ${h.date(v.gueltigAb)} bis ${h.date(v.gueltigBis)} (Bescheinigung ${v.bescheinigungsNr})`,
      );
    }
    h.paragraph('');
    h.paragraph(
      'Diese Bescheinigung ist kein Aufenthaltstitel. Sie gilt nur in Verbindung mit dem Pass oder Passersatz.',
    );
    h.paragraph(
      `${view.authorityName}, Ausländerbehörde – Im Auftrag, Unterschrift, Dienstsiegel: ____________________`,
    );
  };
}

/** The Bescheid on the Beschäftigungserlaubnis: facts, the rule's result, the BA step, the decision. */
function beschaeftigungBescheid(_pdf: PdfDoc, view: { data: unknown; authorityName: string }, h: PdfHelpers) {
  const d = view.data as BeschaeftigungDaten;
  if (d.erlaubnis) {
    h.paragraph(
      `Die Ausübung der folgenden Beschäftigung wird vom ${h.date(d.erlaubnis.gueltigAb)} bis ${h.date(d.erlaubnis.gueltigBis)} erlaubt.`,
    );
  } else {
    h.paragraph('Der Antrag auf Erlaubnis einer Beschäftigung wird abgelehnt.');
  }
  h.heading('Antragsteller/in');
  personBlock(h, d.person);
  h.field(
    'Aufenthaltsstatus',
    `${PERSONENSTATUS_LABELS[d.status.art]} seit ${h.date(d.status.seit)}, gültig bis ${h.date(d.status.gueltigBis)}`,
  );
  h.field(
    'Wohnpflicht in einer Aufnahmeeinrichtung',
    d.status.wohnpflichtAufnahmeeinrichtung ? 'ja' : 'nein',
  );
  h.field('Sicherer Herkunftsstaat', d.status.sichererHerkunftsstaat ? 'ja' : 'nein');
  h.heading('Beschäftigung');
  h.field('Arbeitgeber', `${d.beschaeftigung.arbeitgeber}, ${d.beschaeftigung.arbeitsort}`);
  h.field(
    'Tätigkeit',
    `${d.beschaeftigung.taetigkeit}${d.beschaeftigung.wochenstunden ? `, ${d.beschaeftigung.wochenstunden} Std./Woche` : ''}`,
  );
  if (d.erlaubnis?.nebenbestimmung) h.field('Nebenbestimmung', d.erlaubnis.nebenbestimmung);
  h.heading('Prüfung');
  if (d.pruefung) {
    h.field('Ergebnis', `${ERLAUBNISLAGE_LABELS[d.pruefung.lage]} (${d.pruefung.norm})`);
    h.paragraph(d.pruefung.begruendung);
  }
  h.heading('Zustimmung der Bundesagentur für Arbeit');
  if (!d.ba?.angefragtAm) {
    h.paragraph(d.pruefung?.zustimmungBaNoetig === false ? 'Nicht erforderlich.' : 'Nicht angefragt.');
  } else {
    h.field('Angefragt am', h.date(d.ba.angefragtAm));
    h.field(
      'Entscheidung der BA',
      d.ba.entscheidung === 'zugestimmt'
        ? `Zustimmung vom ${h.date(d.ba.entschiedenAm)}${d.ba.zeichen ? ` (${d.ba.zeichen})` : ''}`
        : d.ba.entscheidung === 'versagt'
          ? `Versagt am ${h.date(d.ba.entschiedenAm)}: ${d.ba.grund ?? ''}`
          : 'ausstehend',
    );
  }
  if (d.ablehnung) {
    h.heading('Gründe der Ablehnung');
    h.paragraph(d.ablehnung.grund);
    h.heading('Rechtsbehelfsbelehrung');
    h.paragraph(
      `Gegen diesen Bescheid kann innerhalb eines Monats nach Bekanntgabe Klage beim zuständigen Verwaltungsgericht erhoben werden. Auskunft erteilt die Ausländerbehörde ${view.authorityName}.`,
    );
  }
  h.paragraph('');
  h.paragraph('Im Auftrag – Unterschrift, Dienstsiegel: ______________________________');
}

export function registerAuslaenderDocuments(regeln: () => AuslaenderRegeln) {
  return (renderers: DocumentRenderers): void => {
    renderers.register(AUFENTHALT_ID, FIKTION_DOKUMENT, fiktionsbescheinigung(regeln));
    renderers.register(BESCHAEFTIGUNG_ID, BESCHAEFTIGUNG_DOKUMENT, beschaeftigungBescheid);
  };
}
