import { createHash } from 'node:crypto';
import { todayInGermany } from '../../../core/dates.js';
import { csvFileFormat, csvLine } from '../../../core/handover/csv.js';
import {
  type FilePerCaseFormat,
  fileSafe,
  type HandoverCase,
  type HandoverContext,
  type HandoverRegistry,
  type OneFileFormat,
} from '../../../core/handover/format.js';
import { dvdvBehoerde, el, renderXml, type XmlElement, type XmlNode } from '../../../core/handover/xml.js';
import { EHE_CSV_COLUMNS, type EheDaten } from '../eheschliessung.js';
import { GEBURT_CSV_COLUMNS, type GeburtDaten } from '../geburt.js';
import { STERBEFALL_CSV_COLUMNS, type SterbefallDaten } from '../sterbefall.js';

/**
 * Handover of registered civil-registry cases: XPersonenstand 1.7.5 messages to the registration
 * office (stA2MB.Geburt.031010, stA2MB.Sterbefall.035010, stA2MB.Ehe.032010, schemas in
 * shared/xsd/xpersonenstand175/xpersonenstand-nachrichten-meldebehoerden.xsd) and a CSV for
 * re-keying into the registry software.
 *
 * The element structure follows the XPersonenstand schemas. The XInneres base types they import
 * (xinneres behoerde, allgemeinername, datum, meldeanschrift, codes) are NOT in the repository, so
 * the content of those types is our reading of XInneres (documented in docs/HANDOVER.md) and
 * cannot be validated: check it against the XInneres schemas before production use.
 */

export const XPS_NS = 'http://xpsw.domap.de/xpsw175';
export const XPS_VERSION = '1.7.5';
const NS = {
  'xmlns:xpersonenstand': XPS_NS,
  'xmlns:xibehoerde': 'http://www.osci.de/xinneres/behoerde/4',
  'xmlns:xian': 'http://www.osci.de/xinneres/allgemeinername/2',
  'xmlns:xida': 'http://www.osci.de/xinneres/datum/2',
  'xmlns:xima': 'http://www.osci.de/xinneres/meldeanschrift/3',
  'xmlns:xicgvz': 'http://www.osci.de/xinneres/codes/gemeindeverzeichnis/2',
};

const x = (name: string, content?: string | XmlNode[], attrs?: Record<string, string | undefined>) =>
  el(`xpersonenstand:${name}`, content, attrs);

/** Code element of an XÖV code list: the `code` child is unqualified (form="unqualified"). */
const code = (name: string, value: string, listURI?: string, listVersionID?: string) =>
  x(name, [el('code', value)], { listURI, listVersionID });

const allgemeinerName = (name: string, value: string) => x(name, [el('xian:name', value)]);

const tagesdatum = (name: string, iso: string) => x(name, iso);
const teilbekanntesDatum = (name: string, iso: string) => x(name, [el('xida:jahrMonatTag', iso)]);

function behoerde(name: 'leser' | 'autor', ags: string, label: string): XmlElement {
  // xibehoerde:Behoerde — DVDV-style identification by the AGS (assumption, see module doc).
  return dvdvBehoerde(`xpersonenstand:${name}`, `${name === 'autor' ? 'psw' : 'mb'}:${ags}`, label);
}

interface Person {
  familienname: string;
  vornamen: string;
  geburtsname?: string;
  geburtsdatum: string;
  geburtsort: string;
  geschlecht?: string;
  strasse?: string;
  plz?: string;
  wohnort?: string;
}

function personName(p: Person): XmlElement {
  return x('namen', [
    x('namenAlt', [
      allgemeinerName('familienname', p.familienname),
      p.geburtsname ? allgemeinerName('geburtsname', p.geburtsname) : null,
      allgemeinerName('vornamen', p.vornamen),
    ]),
  ]);
}

/** StA2MB.Person: namen, geburtsangaben, geschlecht. */
function person(name: string, p: Person, extra: XmlNode[] = []): XmlElement {
  return x(name, [
    personName(p),
    x('geburtsangaben', [
      x('geburtsdaten', [
        x('geburtsort', [x('ort', p.geburtsort)]),
        teilbekanntesDatum('tagDerGeburt', p.geburtsdatum),
      ]),
    ]),
    code('geschlecht', p.geschlecht ?? 'x', 'urn:xpersonenstand:schluesseltabelle:geschlecht', '3'),
    ...extra,
  ]);
}

/** StA2MB.Person.MitAnschrift: a Person plus its address (Meldeanschrift when the AGS is known). */
function personMitAnschrift(name: string, p: Person, ctx: HandoverContext): XmlElement {
  const ags = p.wohnort ? ctx.agsForPlace(p.wohnort) : undefined;
  const anschrift =
    ags && p.plz && p.wohnort
      ? x('anschrift', [
          x('anschrift', [
            el('xpersonenstand:gemeindeschluessel', [el('code', ags)]),
            x('postleitzahl', p.plz),
            p.strasse ? x('strasse', p.strasse) : null,
            x('wohnort', p.wohnort),
          ]),
        ])
      : // Address outside the known municipalities: the element stays empty (anschrift is 0..1);
        // the full address is in the CSV.
        x('anschrift', []);
  return person(name, p, [anschrift]);
}

function kopf(c: HandoverCase, ctx: HandoverContext, typ: string, messageId: string): XmlNode[] {
  return [
    x('nachrichtenkopf', [
      x('identifikation.nachricht', [
        x('nachrichtenUUID', messageId),
        code('nachrichtentyp', typ, 'urn:xoev-de:xpersonenstand:codelist:nachrichtentyp', XPS_VERSION),
        x('erstellungszeitpunkt', ctx.createdAt.toISOString()),
      ]),
      behoerde('leser', ctx.authority.ags, `Meldebehörde ${ctx.authority.name}`),
      behoerde('autor', ctx.authority.ags, `Standesamt ${ctx.authority.name}`),
    ]),
    x('ansprechpartner', `Standesamt ${ctx.authority.name}, Notbetrieb, Az. ${c.aktenzeichen}`),
  ];
}

const rootAttrs = {
  ...NS,
  produkt: 'Notbetrieb',
  produkthersteller: 'Notbetrieb-Projekt',
  produktversion: '0.1.0',
  standard: 'XPersonenstand',
  version: XPS_VERSION,
};

/** Deterministic message UUID per case and batch (a re-written batch yields the same ids). */
function messageId(c: HandoverCase, ctx: HandoverContext): string {
  const h = createHash('sha256').update(`${ctx.batchId}/${c.id}`).digest('hex');
  // RFC 9562 version 8 (custom), variant 10.
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-8${h.slice(13, 16)}-${((Number.parseInt(h[16] ?? '0', 16) & 0x3) | 0x8).toString(16)}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

function nachweis(name: string, c: HandoverCase, ctx: HandoverContext, ort: string | undefined): XmlElement {
  const reg = (c.data as { registereintrag?: { nummer: string; eingetragenAm: string } }).registereintrag;
  return x(name, [
    tagesdatum('wirksamkeitsdatum', reg?.eingetragenAm ?? todayInGermany(ctx.createdAt)),
    x('behoerdenname', `Standesamt ${ctx.authority.name}`),
    x('aktenzeichen', reg?.nummer ?? c.aktenzeichen),
    ort ? x('ereignisOrt', [x('ort', ort)]) : null,
  ]);
}

export function geburtMessage(c: HandoverCase, ctx: HandoverContext): string {
  const d = c.data as GeburtDaten;
  const reg = d.registereintrag;
  const [e1, e2] = d.eltern;
  if (!e1) throw new Error('Geburt ohne Elternteil');
  const elternteil = (p: typeof e1) => ({
    ...p,
    geschlecht: p.rolle === 'mutter' ? 'w' : p.rolle === 'vater' ? 'm' : 'x',
  });
  return renderXml(
    el(
      'xpersonenstand:stA2MB.Geburt.031010',
      [
        ...kopf(c, ctx, '031010', messageId(c, ctx)),
        personMitAnschrift('identifikationPerson', elternteil(e1), ctx),
        personMitAnschrift('elternteil1', elternteil(e1), ctx),
        e2 ? personMitAnschrift('elternteil2', elternteil(e2), ctx) : null,
        person('kind', {
          familienname: d.kind.familienname,
          vornamen: d.kind.vornamen,
          geburtsdatum: d.kind.geburtsdatum,
          geburtsort: d.kind.geburtsort,
          geschlecht: d.kind.geschlecht,
        }),
        x('geburtseintragKind', [
          x('behoerdenname', `Standesamt ${ctx.authority.name}`),
          x('aktenzeichen', reg?.nummer ?? c.aktenzeichen),
          x('geburtsangaben', [
            x('geburtsort', [x('ort', d.kind.geburtsort)]),
            teilbekanntesDatum('tagDerGeburt', d.kind.geburtsdatum),
          ]),
        ]),
      ],
      rootAttrs,
    ),
  );
}

export function sterbefallMessage(c: HandoverCase, ctx: HandoverContext): string {
  const d = c.data as SterbefallDaten;
  const v = d.verstorbene;
  return renderXml(
    el(
      'xpersonenstand:stA2MB.Sterbefall.035010',
      [
        ...kopf(c, ctx, '035010', messageId(c, ctx)),
        personMitAnschrift('identifikationPerson', { ...v, ...d.letzteAnschrift }, ctx),
        nachweis('sterbeeintrag', c, ctx, d.tod.ort),
      ],
      rootAttrs,
    ),
  );
}

export function eheMessage(c: HandoverCase, ctx: HandoverContext): string {
  const d = c.data as EheDaten;
  const ort = ctx.authority.name;
  return renderXml(
    el(
      'xpersonenstand:stA2MB.Ehe.032010',
      [
        ...kopf(c, ctx, '032010', messageId(c, ctx)),
        personMitAnschrift('identifikationPerson', d.ehegatte1, ctx),
        personMitAnschrift('ehegatte1', d.ehegatte1, ctx),
        personMitAnschrift('ehegatte2', d.ehegatte2, ctx),
        nachweis('eheschliessung', c, ctx, ort),
        d.ehename ? x('ehename', [el('xian:name', d.ehename)]) : null,
      ],
      rootAttrs,
    ),
  );
}

function reg(c: HandoverCase) {
  return (c.data as { registereintrag?: { nummer: string; eingetragenAm: string } }).registereintrag;
}

function xmlFormat(
  procedure: string,
  message: (c: HandoverCase, ctx: HandoverContext) => string,
): FilePerCaseFormat {
  return {
    formatId: 'xpersonenstand',
    layout: 'file-per-case',
    contentType: 'application/xml',
    fileName: (c) => `xpersonenstand/${procedure}-${fileSafe(c.aktenzeichen)}.xml`,
    render: message,
  };
}

function csvFormat(columns: readonly string[], row: (c: HandoverCase) => unknown[]): OneFileFormat {
  return csvFileFormat(
    (ctx) => `nacherfassung-${ctx.authority.ags}.csv`,
    columns,
    (c) => csvLine(row(c)),
  );
}

export function registerStandesamtHandover(h: HandoverRegistry): void {
  h.register({
    procedureId: 'geburt',
    eligibleStates: ['registriert'],
    formats: [
      xmlFormat('geburt', geburtMessage),
      csvFormat(GEBURT_CSV_COLUMNS, (c) => {
        const d = c.data as GeburtDaten;
        const [e1, e2] = d.eltern;
        return [
          c.aktenzeichen,
          reg(c)?.nummer,
          reg(c)?.eingetragenAm,
          d.kind.familienname,
          d.kind.vornamen,
          d.kind.geschlecht,
          d.kind.geburtsdatum,
          d.kind.geburtszeit,
          d.kind.geburtsort,
          d.kind.totgeburt ? 'ja' : 'nein',
          e1?.familienname,
          e1?.vornamen,
          e1?.geburtsdatum,
          e2?.familienname,
          e2?.vornamen,
          e2?.geburtsdatum,
          c.id,
        ];
      }),
    ],
  });
  h.register({
    procedureId: 'sterbefall',
    eligibleStates: ['registriert'],
    formats: [
      xmlFormat('sterbefall', sterbefallMessage),
      csvFormat(STERBEFALL_CSV_COLUMNS, (c) => {
        const d = c.data as SterbefallDaten;
        const v = d.verstorbene;
        return [
          c.aktenzeichen,
          reg(c)?.nummer,
          reg(c)?.eingetragenAm,
          v.familienname,
          v.vornamen,
          v.geburtsname,
          v.geschlecht,
          v.geburtsdatum,
          v.geburtsort,
          v.familienstand,
          d.tod.datum,
          d.tod.uhrzeit,
          d.tod.ort,
          d.letzteAnschrift.strasse,
          d.letzteAnschrift.plz,
          d.letzteAnschrift.wohnort,
          c.id,
        ];
      }),
    ],
  });
  h.register({
    procedureId: 'eheschliessung',
    eligibleStates: ['geschlossen'],
    formats: [
      xmlFormat('ehe', eheMessage),
      csvFormat(EHE_CSV_COLUMNS, (c) => {
        const d = c.data as EheDaten;
        return [
          c.aktenzeichen,
          reg(c)?.nummer,
          reg(c)?.eingetragenAm,
          d.ehegatte1.familienname,
          d.ehegatte1.vornamen,
          d.ehegatte1.geburtsname,
          d.ehegatte1.geburtsdatum,
          d.ehegatte1.familiennameNachEhe,
          d.ehegatte2.familienname,
          d.ehegatte2.vornamen,
          d.ehegatte2.geburtsname,
          d.ehegatte2.geburtsdatum,
          d.ehegatte2.familiennameNachEhe,
          d.ehename,
          d.termin?.beginn,
          d.termin?.raum,
          c.id,
        ];
      }),
    ],
  });
}
