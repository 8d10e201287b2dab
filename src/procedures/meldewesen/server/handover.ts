import { createHash } from 'node:crypto';
import { csvFileFormat, csvLine } from '../../../core/handover/csv.js';
import {
  type FilePerCaseFormat,
  fileSafe,
  type HandoverCase,
  type HandoverContext,
  type HandoverRegistry,
} from '../../../core/handover/format.js';
import { dvdvBehoerde, el, renderXml, type XmlElement, type XmlNode } from '../../../core/handover/xml.js';
import type { AusweisDaten } from '../ausweis.js';
import { DOKUMENTARTEN, type Dokumentart } from '../fees.js';
import type { AbmeldungDaten, EinzugDaten, Meldefrist } from '../meldung.js';
import type { Person } from '../schema.js';

/**
 * Handover of Meldewesen cases through the generic mechanism (docs/HANDOVER.md):
 *
 * - Meldevorgänge as XMeld 2.4.3 (shared/xsd/xmeld243): one message per case in the element
 *   structure of `rueckmeldung.anmeldunginland.0201` (Nachrichtenkopf, Umzugsverband, one
 *   `betroffener` per person with `zuzugsperson`: NAMENATUERLICHEPERSON, GEBURT,
 *   STAATSANGEHOERIGKEIT, WOHNUNG, GESCHLECHT; `identifikation.ereignis` with the Aktenzeichen).
 *   Anmeldung and Ummeldung carry the new Wohnung with `datumDesBeziehens`; an Abmeldung carries
 *   the given-up Wohnung with `datumDesAuszugs`. Same validation limits as XPersonenstand: the
 *   XInneres/XÖV base types (xian, xida, xibehoerde, code lists) are not in the repository, so the
 *   output is checked for well-formedness and element names, not validated against the schemas.
 *   An Ummeldung or Abmeldung is not a message between registration offices in XMeld; the file
 *   is the register update in XMeld elements for re-keying (see docs/REGISTER.md).
 * - A CSV of all Meldevorgänge (one line per person) for re-keying.
 * - ID document applications as CSV for the document system.
 */

export const XMELD_NS = 'http://www.osci.de/xmeld243';
export const XMELD_VERSION = '2.4.3';
const NS = {
  'xmlns:xmeld': XMELD_NS,
  'xmlns:xian': 'http://www.osci.de/xinneres/allgemeinername/2',
  'xmlns:xida': 'http://www.osci.de/xinneres/datum/2',
  'xmlns:xibehoerde': 'http://www.osci.de/xinneres/behoerde/4',
};

const x = (name: string, content?: string | XmlNode[], attrs?: Record<string, string | undefined>) =>
  el(`xmeld:${name}`, content, attrs);
/** XÖV code element: the `code` child is unqualified. */
const code = (name: string, value: string, listURI?: string) => x(name, [el('code', value)], { listURI });

type MeldungDaten = (EinzugDaten | AbmeldungDaten) & { meldefrist?: Meldefrist };

/** Geschlecht code of XMeld (Code.Geschlecht): m, w, d, x. */
const GESCHLECHT = { m: 'm', w: 'w', d: 'd', x: 'x' } as const;

function deterministicUuid(seed: string): string {
  const h = createHash('sha256').update(seed).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

function behoerde(name: 'leser' | 'autor', ags: string, label: string): XmlElement {
  return dvdvBehoerde(`xmeld:${name}`, `mb:${ags}`, label);
}

/** type.AnschriftMelderecht.InlandMitSperrvermerk: the address in the registering municipality. */
function anschriftInland(
  w: { strasse: string; hausnummer: string; plz: string; ort: string },
  ags: string,
): XmlElement {
  const m = /^(\d+)\s*(.*)$/.exec(w.hausnummer.trim());
  return x('anschrift', [
    x('anschrift.inland', [
      x('anschrift.inland', [
        x('gemeindeschluessel', [el('code', ags)]),
        x('hausnummer', m ? (m[1] as string) : w.hausnummer),
        m?.[2] ? x('hausnummerBuchstabeZusatzziffer', m[2]) : null,
        x('postleitzahl', w.plz),
        x('strasse', w.strasse),
        x('wohnort', w.ort),
      ]),
    ]),
  ]);
}

function wohnung(d: MeldungDaten, ags: string): XmlElement {
  if ('einzug' in d) {
    return x('WOHNUNG', [
      anschriftInland(d.neueWohnung, ags),
      x('datumDesBeziehens', d.einzug.datum),
      code('statusderwohnung', d.einzug.wohnungsstatus === 'hauptwohnung' ? 'H' : 'N'),
    ]);
  }
  return x('WOHNUNG', [
    anschriftInland(d.bisherigeWohnung, ags),
    x('datumDesAuszugs', [el('xida:jahrMonatTag', d.auszug.datum)]),
  ]);
}

function nachname(name: string, bestandteil?: string): XmlNode[] {
  return [x('nachname', name), bestandteil ? x('namensbestandteil', bestandteil) : null];
}

function betroffener(p: Person, d: MeldungDaten, c: HandoverCase): XmlElement {
  const geburt = [
    x('geburtsort', p.geburtsort),
    x('geburtsdatum', [el('xida:jahrMonatTag', p.geburtsdatum)]),
  ];
  return x('betroffener', [
    // type.Rueckmeldung.Identifikation: name, geburt, wohnung.leser (the registered dwelling).
    x('identifikation.betroffener', [
      x('name', [
        x('familienname', nachname(p.familienname, p.namensbestandteil)),
        x('vornamen', [el('xian:name', p.vornamen)]),
      ]),
      x('geburt', geburt),
      x('wohnung.leser', [
        'einzug' in d
          ? anschriftInland(d.neueWohnung, c.authorityAgs)
          : anschriftInland(d.bisherigeWohnung, c.authorityAgs),
      ]),
    ]),
    x('zuzugsperson', [
      x('NAMENATUERLICHEPERSON', [
        x('familienname', nachname(p.familienname, p.namensbestandteil)),
        p.geburtsname ? x('geburtsname', [x('nachname', p.geburtsname)]) : null,
        x('vornamen', [el('xian:name', p.vornamen)]),
      ]),
      // Familienstand is not asked in emergency operation: code NB "nicht bekannt" (Code.Familienstand).
      x('FAMILIENSTAND', [code('familienstand', 'NB')]),
      x('GEBURT', geburt),
      // RELIGION (required by the schema) is not collected in emergency operation: its code list
      // (DSMeld religion.steuererhebend) is not in the repository. It is completed at re-keying.
      ...p.staatsangehoerigkeit
        .split(',')
        .slice(0, 4)
        .map((s) => x('STAATSANGEHOERIGKEIT', [code('staatsangehoerigkeit', s)])),
      wohnung(d, c.authorityAgs),
      x('GESCHLECHT', [code('geschlecht', GESCHLECHT[p.geschlecht])]),
    ]),
    x('identifikation.ereignis', [
      x('ereignis.zeitpunkt', c.createdAt),
      // The register's own id of the person (when known) travels with the Aktenzeichen.
      x(
        'ereignis.zeichen',
        p.registerPersonId ? `${c.aktenzeichen} / ${p.registerPersonId}` : c.aktenzeichen,
      ),
    ]),
  ]);
}

export function renderXmeld(c: HandoverCase, ctx: HandoverContext): string {
  const d = c.data as MeldungDaten;
  return renderXml(
    x(
      'rueckmeldung.anmeldunginland.0201',
      [
        x('nachrichtenkopf', [
          x('identifikation.nachricht', [
            x('nachrichtenUUID', deterministicUuid(`${ctx.batchId}/${c.id}`)),
            code('nachrichtentyp', '0201'),
            x('erstellungszeitpunkt', ctx.createdAt.toISOString()),
          ]),
          behoerde('leser', ctx.authority.ags, `Meldebehörde ${ctx.authority.name} (Melderegister)`),
          behoerde('autor', ctx.authority.ags, `Meldebehörde ${ctx.authority.name} (Notbetrieb)`),
        ]),
        x(
          'umzugsverband',
          d.personen.map((p) => betroffener(p, d, c)),
        ),
      ],
      {
        ...NS,
        produkt: 'Notbetrieb',
        produkthersteller: 'Notbetrieb-Projekt',
        produktversion: '0.1.0',
        standard: 'XMeld',
        version: XMELD_VERSION,
        // Which Meldevorgang this is (the message type alone does not say it for Um-/Abmeldung).
        'notbetrieb-vorgang': c.procedureId,
      },
    ),
  );
}

export const MELDUNG_CSV_COLUMNS = [
  'aktenzeichen',
  'vorgang',
  'status',
  'personen_id',
  'familienname',
  'namensbestandteil',
  'vornamen',
  'geburtsname',
  'geburtsdatum',
  'geburtsort',
  'geschlecht',
  'staatsangehoerigkeit',
  'datum',
  'strasse',
  'hausnummer',
  'plz',
  'ort',
  'wohnungsstatus',
  'wohnungsgeber',
  'meldefrist_eingehalten',
] as const;

function meldungCsv(c: HandoverCase): string {
  const d = c.data as MeldungDaten;
  const w = 'einzug' in d ? d.neueWohnung : d.bisherigeWohnung;
  return d.personen
    .map((p) =>
      csvLine([
        c.aktenzeichen,
        c.procedureId,
        c.status,
        p.registerPersonId ?? '',
        p.familienname,
        p.namensbestandteil ?? '',
        p.vornamen,
        p.geburtsname ?? '',
        p.geburtsdatum,
        p.geburtsort,
        p.geschlecht,
        p.staatsangehoerigkeit,
        'einzug' in d ? d.einzug.datum : d.auszug.datum,
        w.strasse,
        w.hausnummer,
        w.plz,
        w.ort,
        'einzug' in d ? d.einzug.wohnungsstatus : 'abgemeldet',
        'wohnungsgeberbestaetigung' in d ? d.wohnungsgeberbestaetigung.wohnungsgeber : '',
        d.meldefrist ? (d.meldefrist.eingehalten ? 'ja' : 'nein') : '',
      ]),
    )
    .join('');
}

export const AUSWEIS_CSV_COLUMNS = [
  'aktenzeichen',
  'dokumentart',
  'status',
  'personen_id',
  'familienname',
  'vornamen',
  'geburtsdatum',
  'geburtsort',
  'antragsdatum',
  'seiten',
  'express',
  'zuschlag',
  'gebuehr_cent',
  'beleg_nr',
  'bezahlt_am',
  'dokumentnummer',
  'ausgestellt_am',
  'gueltig_bis',
] as const;

function ausweisCsv(art: Dokumentart, c: HandoverCase): string {
  const d = c.data as AusweisDaten;
  const antrag = d.antrag as AusweisDaten['antrag'] & { seiten?: string; express?: boolean };
  return csvLine([
    c.aktenzeichen,
    DOKUMENTARTEN[art],
    c.status,
    d.antragsteller.registerPersonId ?? '',
    d.antragsteller.familienname,
    d.antragsteller.vornamen,
    d.antragsteller.geburtsdatum,
    d.antragsteller.geburtsort,
    antrag.antragsdatum,
    antrag.seiten ?? '',
    antrag.express === undefined ? '' : antrag.express ? 'ja' : 'nein',
    antrag.zuschlag ? 'ja' : 'nein',
    d.gebuehren?.summeCents ?? '',
    d.zahlung?.belegNr ?? '',
    d.zahlung?.tag ?? '',
    d.dokument?.nummer ?? '',
    d.dokument?.ausgestelltAm ?? '',
    d.dokument?.gueltigBis ?? '',
  ]);
}

export function registerMeldewesenHandover(h: HandoverRegistry): void {
  for (const art of ['anmeldung', 'ummeldung', 'abmeldung'] as const) {
    const xml: FilePerCaseFormat = {
      formatId: 'xmeld',
      layout: 'file-per-case',
      contentType: 'application/xml',
      fileName: (c) => `xmeld/${art}-${fileSafe(c.aktenzeichen)}.xml`,
      render: renderXmeld,
    };
    const csv = csvFileFormat((ctx) => `${art}-${ctx.authority.ags}.csv`, MELDUNG_CSV_COLUMNS, meldungCsv);
    h.register({ procedureId: art, eligibleStates: ['erfasst'], formats: [xml, csv] });
  }
  for (const art of Object.keys(DOKUMENTARTEN) as Dokumentart[]) {
    h.register({
      procedureId: art,
      // Regular documents go to the document system once paid; temporary ones once issued.
      eligibleStates: art.startsWith('vorlaeufiger') ? ['ausgehaendigt'] : ['bezahlt', 'ausgehaendigt'],
      formats: [
        csvFileFormat(
          (ctx) => `${art}-${ctx.authority.ags}.csv`,
          AUSWEIS_CSV_COLUMNS,
          (c) => ausweisCsv(art, c),
        ),
      ],
    });
  }
}
