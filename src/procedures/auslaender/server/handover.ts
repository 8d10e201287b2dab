import { csvFileFormat, csvLine } from '../../../core/handover/csv.js';
import {
  type FilePerCaseFormat,
  fileSafe,
  type HandoverCase,
  type HandoverContext,
  type HandoverRegistry,
} from '../../../core/handover/format.js';
import { dvdvBehoerde, el, renderXml, type XmlNode } from '../../../core/handover/xml.js';
import {
  AUFENTHALT_CSV_COLUMNS,
  type AufenthaltDaten,
  aktuelleBescheinigung,
  NACHERFASSUNG_CSV_COLUMNS,
} from '../aufenthalt.js';
import { BESCHAEFTIGUNG_CSV_COLUMNS, type BeschaeftigungDaten } from '../beschaeftigungserlaubnis.js';
import { WIRKUNG_LABELS } from '../fiktion.js';
import { AUFENTHALT_ID, BESCHAEFTIGUNG_ID } from '../ids.js';

/**
 * Handover of the Ausländerbehörde through the generic batch mechanism (docs/HANDOVER.md,
 * docs/AUSLAENDER.md):
 *
 * - Aufenthaltstitel-Anträge as XAusländer 1.13 (shared/xsd/xauslaender113): one
 *   `AnAZR.AZRFolgemeldung.090010` per case — the message by which a foreigners' authority reports
 *   a change of the residence status of a person to the central register (AZR), which was
 *   unreachable in the outage. Element structure: `nachrichtenkopf`, the performing clerk and
 *   authority, `grundpersonalien` and `sachverhalt/aufenthaltsstatus` with the certificate number
 *   and its end (`befristungsdatum`). Limits as for XMeld: the XInneres base types and the
 *   external code lists (AZR Aufenthaltsstatus, Änderungsart, Staatsangehörigkeit) are not in the
 *   repository, so the file is checked for well-formedness and the schema's element names, and
 *   the codes are our own, named in docs/AUSLAENDER.md, to be mapped at re-keying.
 * - a CSV of all applications, and the Nacherfassungsliste: one line per paper certificate
 *   issued (first issue and every numbered renewal) — the list the clerks re-key from.
 * - Beschäftigungserlaubnisse as CSV (no matching XAusländer message from the municipality).
 */

export const XAUSLAENDER_NS = 'http://www.osci.de/xauslaender1130';
export const XAUSLAENDER_VERSION = '1.13.0';
const NS = {
  'xmlns:xauslaender': XAUSLAENDER_NS,
  'xmlns:xian': 'http://www.osci.de/xinneres/allgemeinername/2',
  'xmlns:xida': 'http://www.osci.de/xinneres/datum/2',
  'xmlns:xibehoerde': 'http://www.osci.de/xinneres/behoerde/4',
};

const ROOT_ATTRS = {
  ...NS,
  produkt: 'Notbetrieb',
  produkthersteller: 'Notbetrieb-Projekt',
  produktversion: '0.1.0',
  standard: 'XAusländer',
  version: XAUSLAENDER_VERSION,
};

/** Qualified element of XAusländer (elementFormDefault="qualified"). */
const x = (name: string, content?: string | XmlNode[]) => el(`xauslaender:${name}`, content);
/** Code element: the `code` child is unqualified; `name` carries our German label. */
const code = (name: string, value: string, label?: string) =>
  x(name, [el('code', value), label ? el('name', label) : null]);

/**
 * Our codes of the residence status per case (the AZR code list "azr:aufenthaltsstatus" is
 * external and not in the repository; UNCONFIRMED, mapped at re-keying).
 */
export const AUFENTHALTSSTATUS_CODES = {
  antrag: 'NB-ANTRAG',
  abs3s1: 'NB-FIKTION-81-3-1',
  abs3s2: 'NB-FIKTION-81-3-2',
  abs4: 'NB-FIKTION-81-4',
  erteilt: 'NB-TITEL-ERTEILT',
  abgelehnt: 'NB-ABGELEHNT',
} as const;
/** Änderungsart "Neuanlage" in our coding (external list "azr:aenderungsart", UNCONFIRMED). */
export const AENDERUNGSART_NEU = 'NB-NEU';

function status(c: HandoverCase, d: AufenthaltDaten): { code: string; label: string } {
  if (c.status === 'erteilt' && d.erteilung) {
    return { code: AUFENTHALTSSTATUS_CODES.erteilt, label: `Erteilt: ${d.erteilung.titelText}` };
  }
  if (c.status === 'abgelehnt') return { code: AUFENTHALTSSTATUS_CODES.abgelehnt, label: 'Antrag abgelehnt' };
  if (d.fiktion)
    return { code: AUFENTHALTSSTATUS_CODES[d.fiktion.wirkung], label: WIRKUNG_LABELS[d.fiktion.wirkung] };
  return { code: AUFENTHALTSSTATUS_CODES.antrag, label: 'Antrag gestellt' };
}

export function renderAzrFolgemeldung(c: HandoverCase, ctx: HandoverContext): string {
  const d = c.data as AufenthaltDaten;
  const b = aktuelleBescheinigung(d);
  const s = status(c, d);
  const p = d.person;
  return renderXml(
    el(
      'xauslaender:AnAZR.AZRFolgemeldung.090010',
      [
        // Nachrichtenkopf and its children are unqualified (form="unqualified" in the schema).
        el('nachrichtenkopf', [
          el('identifikation.nachricht', [
            // The case id (a UUIDv7): one message per case and batch, the same when a batch is re-written.
            el('nachrichtenUUID', c.id),
            el('nachrichtentyp', [el('code', '090010')]),
            el('erstellungszeitpunkt', ctx.createdAt.toISOString()),
          ]),
          dvdvBehoerde('leser', 'azr:bva', 'Bundesverwaltungsamt – Ausländerzentralregister'),
          dvdvBehoerde(
            'autor',
            `abh:${ctx.authority.ags}`,
            `Ausländerbehörde ${ctx.authority.name} (Notbetrieb)`,
          ),
        ]),
        x('durchfuehrenderSachbearbeiter', `Notbetrieb ${c.aktenzeichen}`),
        // The AZR Behördenkennzeichen (six digits) is not held in emergency operation: placeholder.
        x('durchfuehrendeBehoerde', '000000'),
        p.azrNummer ? x('azrNummer', p.azrNummer) : null,
        x('grundpersonalien', [
          code('aenderungsArt', AENDERUNGSART_NEU),
          x('grundpersonalien.fachdaten.neu', [
            x('familienname', [el('xian:name', p.familienname)]),
            x('vorname', [el('xian:name', p.vornamen)]),
            x('geschlecht', [code('geschlecht', p.geschlecht)]),
            x('geburtsangaben', [
              x('geburtsort', p.geburtsort),
              x('tagDerGeburt', [el('xida:jahrMonatTag', p.geburtsdatum)]),
            ]),
            // Free text as entered; the DESTATIS key is added at re-keying.
            x('staatsangehoerigkeit', [
              code('staatsangehoerigkeit', p.staatsangehoerigkeit, p.staatsangehoerigkeit),
            ]),
          ]),
        ]),
        x('sachverhalt', [
          x('aufenthaltsstatus', [
            code('aenderungsArt', AENDERUNGSART_NEU),
            x('referenz.id', c.aktenzeichen),
            x('aufenthaltsstatus.fachdaten.neu', [
              code('aufenthaltsstatusArt', s.code, s.label),
              x('ereignisdatum', d.erteilung?.gueltigAb ?? b?.ausgestelltAm ?? d.antrag.antragsdatum),
              d.erteilung?.nummer || b
                ? x('nummerAufenthaltstitel', d.erteilung?.nummer ?? (b?.bescheinigungsNr as string))
                : null,
              d.erteilung || b
                ? x('befristungsdatum', d.erteilung?.gueltigBis ?? (b?.gueltigBis as string))
                : null,
            ]),
          ]),
        ]),
      ],
      ROOT_ATTRS,
    ),
  );
}

function aufenthaltCsv(c: HandoverCase): string {
  const d = c.data as AufenthaltDaten;
  const b = aktuelleBescheinigung(d);
  return csvLine([
    c.aktenzeichen,
    c.status,
    d.person.familienname,
    d.person.vornamen,
    d.person.geburtsdatum,
    d.person.geburtsort,
    d.person.geschlecht,
    d.person.staatsangehoerigkeit,
    d.person.azrNummer ?? '',
    d.pass.nummer,
    d.pass.ausstellerstaat,
    d.pass.gueltigBis,
    d.bisher.status,
    d.bisher.titel ?? '',
    d.bisher.nummer ?? '',
    d.bisher.gueltigBis ?? '',
    d.antrag.art,
    d.antrag.titel,
    d.antrag.antragsdatum,
    d.fiktion?.norm ?? '',
    b?.gueltigBis ?? '',
    d.bescheinigungen?.length ?? 0,
    d.erteilung?.titel ?? '',
    d.erteilung?.nummer ?? '',
    d.erteilung?.gueltigAb ?? '',
    d.erteilung?.gueltigBis ?? '',
    d.ablehnung?.grund ?? '',
    d.anschrift.strasse,
    d.anschrift.hausnummer,
    d.anschrift.plz,
    d.anschrift.ort,
    [d.arbeitgeber.name, d.arbeitgeber.ort].filter(Boolean).join(', '),
    c.id,
  ]);
}

function nacherfassungCsv(c: HandoverCase): string {
  const d = c.data as AufenthaltDaten;
  return (d.bescheinigungen ?? [])
    .map((b) =>
      csvLine([
        c.aktenzeichen,
        b.bescheinigungsNr,
        b.nr === 0 ? 'erstausstellung' : 'verlaengerung',
        b.nr,
        b.ausgestelltAm,
        b.gueltigAb,
        b.gueltigBis,
        d.fiktion?.norm ?? '',
        d.person.familienname,
        d.person.vornamen,
        d.person.geburtsdatum,
        d.person.staatsangehoerigkeit,
        d.pass.nummer,
        c.id,
      ]),
    )
    .join('');
}

function beschaeftigungCsv(c: HandoverCase): string {
  const d = c.data as BeschaeftigungDaten;
  return csvLine([
    c.aktenzeichen,
    c.status,
    d.person.familienname,
    d.person.vornamen,
    d.person.geburtsdatum,
    d.person.staatsangehoerigkeit,
    d.status.art,
    d.status.seit,
    d.status.dokumentNr ?? '',
    d.status.gueltigBis,
    d.status.wohnpflichtAufnahmeeinrichtung ? 'ja' : 'nein',
    d.status.sichererHerkunftsstaat ? 'ja' : 'nein',
    d.beschaeftigung.arbeitgeber,
    d.beschaeftigung.arbeitsort,
    d.beschaeftigung.taetigkeit,
    d.beschaeftigung.antragsdatum,
    d.pruefung ? `${d.pruefung.lage} (${d.pruefung.norm})` : '',
    d.ba?.angefragtAm ?? '',
    d.ba?.entscheidung ?? '',
    d.ba?.entschiedenAm ?? '',
    d.ba?.zeichen ?? '',
    d.erlaubnis?.gueltigAb ?? '',
    d.erlaubnis?.gueltigBis ?? '',
    d.erlaubnis?.nebenbestimmung ?? '',
    d.ablehnung?.grund ?? '',
    c.id,
  ]);
}

export function registerAuslaenderHandover(h: HandoverRegistry): void {
  const xml: FilePerCaseFormat = {
    formatId: 'xauslaender',
    layout: 'file-per-case',
    contentType: 'application/xml',
    fileName: (c) => `xauslaender/azr-folgemeldung-${fileSafe(c.aktenzeichen)}.xml`,
    render: renderAzrFolgemeldung,
  };
  h.register({
    procedureId: AUFENTHALT_ID,
    // Everything recorded in emergency operation goes to the restored system, decided or not.
    eligibleStates: ['beantragt', 'fiktion', 'erteilt', 'abgelehnt'],
    formats: [
      xml,
      csvFileFormat(
        (ctx) => `aufenthaltstitel-antraege-${ctx.authority.ags}.csv`,
        AUFENTHALT_CSV_COLUMNS,
        aufenthaltCsv,
      ),
      {
        ...csvFileFormat(
          (ctx) => `nacherfassungsliste-bescheinigungen-${ctx.authority.ags}.csv`,
          NACHERFASSUNG_CSV_COLUMNS,
          nacherfassungCsv,
        ),
        formatId: 'nacherfassungsliste',
      },
    ],
  });
  h.register({
    procedureId: BESCHAEFTIGUNG_ID,
    eligibleStates: ['erteilt', 'abgelehnt'],
    formats: [
      csvFileFormat(
        (ctx) => `beschaeftigungserlaubnisse-${ctx.authority.ags}.csv`,
        BESCHAEFTIGUNG_CSV_COLUMNS,
        beschaeftigungCsv,
      ),
    ],
  });
}
