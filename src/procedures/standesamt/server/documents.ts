import type { CaseView } from '../../../core/cases/presenter.js';
import { formatGermanDate, todayInGermany } from '../../../core/dates.js';
import type { DocumentRenderers, PdfHelpers } from '../../../core/documents.js';
import { GESCHLECHTER } from '../common.js';
import type { EheDaten } from '../eheschliessung.js';
import { ELTERN_ROLLEN, type GeburtDaten } from '../geburt.js';
import { FAMILIENSTAENDE, STERBEFALL_ANZEIGENDE, type SterbefallDaten } from '../sterbefall.js';

/**
 * Provisional certificates of the registry office in emergency operation, and the confirmation of
 * a death report for the funeral. The common frame (authority, "AUSGESTELLT IM NOTBETRIEB",
 * Aktenzeichen, QR code of the case id) comes from core/documents.ts.
 */

const VORLAEUFIG =
  'Vorläufige Bescheinigung im Notbetrieb: Das Personenstandsregister war bei Ausstellung nicht verfügbar. ' +
  'Die Urkunde wird nach Wiederanlauf aus dem Register ausgestellt; bis dahin belegt diese Bescheinigung den Eintrag.';

function registerBlock(view: CaseView, h: PdfHelpers, register: string) {
  const d = view.data as { registereintrag?: { nummer: string; eingetragenAm: string } };
  h.heading('Registereintrag');
  h.field('Register', register);
  h.field('Registernummer', d.registereintrag?.nummer ?? 'noch nicht eingetragen');
  h.field('Eingetragen am', h.date(d.registereintrag?.eingetragenAm));
  h.field('Aktenzeichen', view.aktenzeichen);
}

function signature(view: CaseView, h: PdfHelpers, action: string) {
  const done = [...view.actions].reverse().find((a) => a.action === action);
  h.paragraph('');
  h.field('Ausgestellt am', done ? h.date(todayInGermany(new Date(done.at))) : '—');
  h.field('Standesbeamtin / Standesbeamter', done?.actorName);
}

const time = (t?: string) => (t ? `, ${t} Uhr` : '');

export function registerStandesamtDocuments(renderers: DocumentRenderers): void {
  renderers.register('geburt', 'vorlaeufige_geburtsurkunde', (_pdf, view, h) => {
    const d = view.data as GeburtDaten;
    h.paragraph(VORLAEUFIG);
    h.heading('Kind');
    h.field('Familienname', d.kind.familienname);
    h.field('Vornamen', d.kind.vornamen);
    h.field('Geschlecht', GESCHLECHTER[d.kind.geschlecht]);
    h.field('Geboren', `${h.date(d.kind.geburtsdatum)}${time(d.kind.geburtszeit)} in ${d.kind.geburtsort}`);
    if (d.kind.totgeburt) h.field('Hinweis', 'Totgeburt');
    h.heading('Eltern');
    for (const e of d.eltern) {
      h.field(
        ELTERN_ROLLEN[e.rolle],
        `${e.vornamen} ${e.familienname}${e.geburtsname ? ` geb. ${e.geburtsname}` : ''}, geboren ${h.date(e.geburtsdatum)} in ${e.geburtsort}`,
      );
    }
    registerBlock(view, h, 'Geburtenregister');
    signature(view, h, 'registrieren');
  });

  renderers.register('sterbefall', 'vorlaeufige_sterbeurkunde', (_pdf, view, h) => {
    const d = view.data as SterbefallDaten;
    h.paragraph(VORLAEUFIG);
    verstorbene(d, h);
    registerBlock(view, h, 'Sterberegister');
    signature(view, h, 'registrieren');
  });

  renderers.register('sterbefall', 'bestaetigung_sterbefallanzeige', (_pdf, view, h) => {
    const d = view.data as SterbefallDaten;
    h.paragraph(
      'Hiermit wird bestätigt, dass der unten bezeichnete Sterbefall beim Standesamt angezeigt wurde (§§ 28-30 PStG). ' +
        'Diese Bestätigung dient der Vorlage bei der Friedhofsverwaltung bzw. dem Bestattungsunternehmen, damit die Bestattung stattfinden kann.',
    );
    verstorbene(d, h);
    h.heading('Anzeige');
    h.field('Angezeigt durch', `${d.anzeige.name} (${STERBEFALL_ANZEIGENDE[d.anzeige.rolle]})`);
    h.field('Tag der Anzeige', h.date(d.anzeige.datum));
    h.field('Art', d.anzeige.schriftlich ? 'schriftlich' : 'mündlich');
    if (d.registereintrag) {
      registerBlock(view, h, 'Sterberegister');
    } else {
      h.heading('Registereintrag');
      h.field('Aktenzeichen', view.aktenzeichen);
      h.paragraph('Der Eintrag in das Sterberegister folgt; die Registernummer wird nachgereicht.');
    }
    signature(view, h, 'anzeigen');
  });

  renderers.register('eheschliessung', 'vorlaeufige_eheurkunde', (_pdf, view, h) => {
    const d = view.data as EheDaten;
    h.paragraph(VORLAEUFIG);
    for (const [n, g] of [
      [1, d.ehegatte1],
      [2, d.ehegatte2],
    ] as const) {
      h.heading(`Ehegatte ${n}`);
      h.field(
        'Name vor der Eheschließung',
        `${g.vornamen} ${g.familienname}${g.geburtsname ? ` geb. ${g.geburtsname}` : ''}`,
      );
      h.field('Geboren', `${h.date(g.geburtsdatum)} in ${g.geburtsort}`);
      h.field('Familienname nach der Eheschließung', g.familiennameNachEhe);
    }
    h.heading('Eheschließung');
    h.field('Ehename', d.ehename ?? 'kein gemeinsamer Ehename bestimmt');
    if (d.termin) {
      const at = new Date(d.termin.beginn);
      const uhr = new Intl.DateTimeFormat('de-DE', {
        timeZone: 'Europe/Berlin',
        hour: '2-digit',
        minute: '2-digit',
      }).format(at);
      h.field('Geschlossen am', `${formatGermanDate(todayInGermany(at))}, ${uhr} Uhr`);
      h.field('Ort', `${view.authorityName}, ${d.termin.raum}`);
    }
    if (d.trauzeugen.length > 0) {
      h.field('Trauzeugen', d.trauzeugen.map((t) => `${t.vornamen} ${t.familienname}`).join(', '));
    }
    registerBlock(view, h, 'Eheregister');
    signature(view, h, 'eheschliessung_durchfuehren');
  });
}

function verstorbene(d: SterbefallDaten, h: PdfHelpers) {
  const v = d.verstorbene;
  h.heading('Verstorbene Person');
  h.field('Name', `${v.vornamen} ${v.familienname}${v.geburtsname ? ` geb. ${v.geburtsname}` : ''}`);
  h.field('Geboren', `${h.date(v.geburtsdatum)} in ${v.geburtsort}`);
  h.field('Familienstand', FAMILIENSTAENDE[v.familienstand]);
  h.field(
    'Letzte Anschrift',
    `${d.letzteAnschrift.strasse}, ${d.letzteAnschrift.plz} ${d.letzteAnschrift.wohnort}`,
  );
  h.field(
    'Gestorben',
    `${h.date(d.tod.datum)}${time(d.tod.uhrzeit)} in ${d.tod.ort}${d.tod.staette ? ` (${d.tod.staette})` : ''}`,
  );
}
