import { todayInGermany } from '../../../core/dates.js';
import type { DocumentRenderers } from '../../../core/documents.js';
import { DOKUMENTARTEN, VERLUSTARTEN, type VerlustanzeigeDaten } from '../definition.js';

/** Verlustbescheinigung: confirms to the holder that the loss was reported. */
export function registerVerlustanzeigeDocuments(renderers: DocumentRenderers): void {
  renderers.register('verlustanzeige', 'verlustbescheinigung', (_pdf, view, h) => {
    const d = view.data as VerlustanzeigeDaten;
    const confirmed = [...view.actions].reverse().find((a) => a.action === 'bestaetigen');
    h.paragraph(
      `Hiermit wird bestätigt, dass der Verlust des unten bezeichneten Dokuments bei der Pass- und Personalausweisbehörde angezeigt wurde (§ 27 Abs. 1 Nr. 3 PAuswG, § 15 Nr. 3 PassG). ` +
        'Das Dokument wird zur Sachfahndung gemeldet und ist ungültig, auch wenn es wieder aufgefunden wird.',
    );
    h.heading('Inhaberin / Inhaber');
    h.field('Name', `${d.person.familienname}, ${d.person.vornamen}`);
    if (d.person.geburtsname) h.field('Geburtsname', d.person.geburtsname);
    h.field('Geboren', `${h.date(d.person.geburtsdatum)} in ${d.person.geburtsort}`);
    h.field('Anschrift', `${d.person.strasse}, ${d.person.plz} ${d.person.wohnort}`);
    h.heading('Dokument');
    h.field('Art', DOKUMENTARTEN[d.dokument.art]);
    h.field('Dokumentennummer', d.dokument.nummer ?? 'nicht bekannt');
    if (d.dokument.ausstellungsdatum) h.field('Ausgestellt am', h.date(d.dokument.ausstellungsdatum));
    h.heading('Verlust');
    h.field('Art', VERLUSTARTEN[d.verlust.art]);
    h.field('Datum', h.date(d.verlust.datum));
    h.field('Ort', d.verlust.ort);
    h.field(
      'Polizeiliche Anzeige',
      d.polizei.angezeigt
        ? `ja – ${d.polizei.dienststelle ?? ''}${d.polizei.aktenzeichen ? `, Az. ${d.polizei.aktenzeichen}` : ''}`
        : 'nein',
    );
    h.heading('Bestätigt');
    h.field('Am', confirmed ? h.date(todayInGermany(new Date(confirmed.at))) : '—');
    h.field('Durch', confirmed?.actorName);
    h.paragraph('');
    h.paragraph(
      'Ein neues Ausweisdokument kann bei der Pass- und Personalausweisbehörde beantragt werden. Bis dahin dient diese Bescheinigung nicht als Ausweis.',
    );
  });
}
