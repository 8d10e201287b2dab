import { createHash } from 'node:crypto';
import { csvFileFormat, csvLine } from '../../../core/handover/csv.js';
import {
  fileSafe,
  type HandoverCase,
  type HandoverContext,
  type HandoverRegistry,
} from '../../../core/handover/format.js';
import { el, renderXml, type XmlElement, type XmlNode } from '../../../core/handover/xml.js';
import { checkPlate, xkfzKennzeichen } from '../plates.js';
import {
  COMPLETION,
  KFZ_CSV_COLUMNS,
  KFZ_PROCEDURE_IDS,
  KFZ_TITLES,
  type KfzDaten,
  type KfzProcedureId,
} from '../procedures.js';
import type { Fahrzeug, Halter } from '../schema.js';

/**
 * Handover of the Zulassungsstelle's cases (docs/HANDOVER.md, docs/KFZ.md):
 *
 * - every registration case (Neuzulassung, Umschreibung, Außerbetriebsetzung, Wiederzulassung,
 *   Anschriftenänderung) as one XKfz 5.3 message `vorsystem.antrag.0707` ("Übertragung des
 *   aktuellen Inhalts eines elektronischen Zulassungsantrags"), the message a pre-system sends to
 *   the registration software; the tests validate every message against the shared XKfz schemas
 *   with xmllint (full validation, shared/xsd/xkfz/xkfz-vorsystem.xsd);
 * - a CSV of all cases of the procedure for re-keying (Kurzzeitkennzeichen: CSV only — they are
 *   no Zulassungsantrag of the pre-system messages).
 *
 * The XKfz code lists that the schema leaves open (Art des Geschäftsvorfalls, Rolle, Typ der
 * Referenz, Kommunikationspartner) carry our own values with `listVersionID="notbetrieb-1"`: the
 * KBA code lists are not in the repository (UNCONFIRMED, see docs/KFZ.md). Texts outside the
 * character set of the KBA element types (Latin-1 and Latin Extended Additional) are written in
 * the nearest Latin-1 form and the message is marked `merkmalAbweichenderZeichenvorrat`; the CSV
 * keeps them as entered.
 */

export const XKFZ_NS = 'http://www.xoev.de/schemata/xkfz/5';
export const XKFZ_VERSION = '5.3';
const NS = {
  'xmlns:xkfz': XKFZ_NS,
  'xmlns:el': 'http://www.kba.de/elemente',
  'xmlns:auskunft': 'http://www.kba.de/zfzr/auskunft',
};
const OWN_LIST = 'notbetrieb-1';

const x = (name: string, content?: string | XmlNode[], attrs?: Record<string, string | undefined>) =>
  el(`xkfz:${name}`, content, attrs);
const e = (name: string, content: string | XmlNode[]) => el(`el:${name}`, content);
const a = (name: string, content: string | XmlNode[]) => el(`auskunft:${name}`, content);

function code(name: string, list: string, value: string, version: string, label?: string): XmlElement {
  return x(name, [el('code', value), label ? el('name', label) : null], {
    listURI: `urn:xoev-de:bund:kba:codeliste:${list}`,
    listVersionID: version,
  });
}

/** Characters the KBA element types allow: Basic Latin, Latin-1 Supplement, Latin Extended Additional. */
function allowed(ch: string): boolean {
  const c = ch.codePointAt(0) ?? 0;
  return (c >= 0x20 && c <= 0x7e) || (c >= 0xa1 && c <= 0xff) || (c >= 0x1e00 && c <= 0x1eff && c !== 0x1e9e);
}

const SPECIAL: Record<string, string> = {
  ı: 'i',
  ł: 'l',
  Ł: 'L',
  đ: 'd',
  Đ: 'D',
  ħ: 'h',
  ŋ: 'n',
  œ: 'oe',
  Œ: 'OE',
  ẞ: 'SS',
};

/** Text in the KBA character set; `changed` tells whether anything had to be replaced. */
export function kbaLatin(value: string, max: number): { text: string; changed: boolean } {
  let out = '';
  let changed = false;
  for (const ch of value.normalize('NFC')) {
    if (allowed(ch)) {
      out += ch;
      continue;
    }
    changed = true;
    const special = SPECIAL[ch];
    if (special) {
      out += special;
      continue;
    }
    const base = ch.normalize('NFD').replace(/\p{M}/gu, '');
    out += [...base].every(allowed) ? base : '?';
  }
  if (out.length > max) {
    out = out.slice(0, max);
    changed = true;
  }
  return { text: out, changed };
}

function deterministicId(seed: string): string {
  return createHash('sha256').update(seed).digest('hex').slice(0, 32);
}

/** "2026-12-03" -> "2026-12-03+01:00" (the KBA date types require a zone; German dates, CET). */
const dateTz = (iso: string) => `${iso}+01:00`;

function behoerde(ags: string): XmlElement {
  return x('strassenverkehrsBehoerde', [
    el('behoerdeKreisschluessel', ags.slice(0, 5)),
    el('behoerdeZusatzziffer', '0'),
  ]);
}

class Writer {
  abweichend = false;
  latin(value: string, max: number): string {
    const r = kbaLatin(value, max);
    if (r.changed) this.abweichend = true;
    return r.text;
  }
}

function personXml(w: Writer, h: Halter): XmlElement {
  const m = /^(\d{1,4})\s*(.*)$/.exec(h.hausnummer.trim());
  const anschrift = a('Anschrift', [
    e('Postleitzahl', h.plz),
    e('Staat', 'D'),
    e('Wohnort', w.latin(h.ort, 40)),
    e('Strasse', w.latin(h.strasse, 40)),
    m ? e('Hausnummer', m[1] as string) : null,
    m?.[2] || !m ? e('Adressierungszusaetze', w.latin(m ? (m[2] as string) : h.hausnummer, 20)) : null,
  ]);
  const person =
    h.art === 'firma'
      ? a('JuristischePerson', [e('NameJuristischePerson', w.latin(h.firmenname ?? '', 150))])
      : a('NatuerlichePerson', [
          e('FamiliennameNachname', w.latin(h.familienname ?? '', 45)),
          e('Vorname', w.latin(h.vornamen ?? '', 60)),
          h.geburtsdatum ? e('TagDerGeburt', h.geburtsdatum.replace(/-/g, '')) : null,
          h.geburtsort ? e('Geburtsort', w.latin(h.geburtsort, 40)) : null,
        ]);
  return x('person', [a('Person', [person]), anschrift]);
}

function komponente(kind: string, id: string, children: XmlNode[]): XmlElement {
  return x('vorgangskomponente', [x(kind, [x('vorgangskomponentenID', id), ...children])]);
}

function kennzeichenText(d: KfzDaten): string | null {
  return d.zuteilung?.text ?? d.kennzeichen?.aktuell ?? d.umschreibung?.bisherigesKennzeichen ?? null;
}

function plateXml(text: string | null): { xkfz: string; e: boolean; h: boolean } | null {
  if (!text) return null;
  const c = checkPlate(text, { extraBanned: [] });
  if (!c.ok) return null;
  return { xkfz: xkfzKennzeichen(c.plate), e: c.suffix === 'E', h: c.suffix === 'H' };
}

const GESCHAEFTSVORFALL: Record<KfzProcedureId, string> = {
  neuzulassung: 'NZ',
  umschreibung: 'UM',
  ausserbetriebsetzung: 'AB',
  wiederzulassung: 'WZ',
  anschriftenaenderung: 'AA',
  kurzzeitkennzeichen: 'KK',
};

function amount(cents: number): string {
  return (cents / 100).toFixed(2);
}

/** The XKfz message `vorsystem.antrag.0707` of one case. */
export function renderAntrag0707(id: KfzProcedureId, c: HandoverCase, ctx: HandoverContext): string {
  const d = c.data as KfzDaten;
  const w = new Writer();
  const f = d.fahrzeug as Partial<Fahrzeug> & { fin: string };
  const plate = plateXml(kennzeichenText(d));
  const components: XmlNode[] = [
    komponente('antragsbearbeitung', 'antrag', [
      e('AntragPlausibel', '1'),
      x('merkmalInternetbasiert', 'false'),
      d.abschluss?.am ? x('datumWirksamkeit', d.abschluss.am) : null,
      x(
        'merkmalWunschkennzeichen',
        d.zuteilung?.wahl === 'wunsch' || d.zuteilung?.wahl === 'reservierung' ? 'true' : 'false',
      ),
    ]),
    komponente('identifikation', 'halter', [
      code('rolle', 'rolle', 'Halter', OWN_LIST, 'Halter/in'),
      personXml(w, d.halter),
    ]),
  ];
  if (plate && id !== 'ausserbetriebsetzung') {
    components.push(
      komponente('kennzeichen', 'kennzeichen', [
        x('kennzeichenInhalt', [
          e('Kennzeichen', plate.xkfz),
          plate.h ? a('MerkmalOldtimerkennzeichen', 'true') : null,
          plate.e ? e('MerkmalElektrokennzeichen', 'true') : null,
        ]),
        code('kennzeichenTyp', 'typdeskennzeichens', 'beide', '1.0'),
      ]),
    );
  }
  if (d.versicherung?.evb) {
    components.push(
      komponente('versicherungsbestaetigung', 'evb', [
        e('Versicherungsbestaetigungsnummer', d.versicherung.evb),
      ]),
    );
  }
  if (d.sepa) {
    components.push(
      komponente('bankverbindung', 'kfz-steuer', [
        x('nutzungBankverbindung', [code('code', 'nutzungbankverbindung', 'Steuer', '1.0', 'Steuer')]),
        x('bankverbindungInternational', [
          x('iban', d.sepa.iban),
          d.sepa.bic ? x('bic', d.sepa.bic) : null,
          code('artDesMandats', 'artdesmandats', d.halter.art === 'firma' ? '2' : '1', '1.0'),
          x('datumDerAusstellung', d.antrag.antragsdatum),
        ]),
        x('kontoinhaber', w.latin(d.sepa.kontoinhaber, 70)),
        x('merkmalEinzugsermaechtigungErteilt', d.sepa.mandatErteilt ? 'true' : 'false'),
      ]),
    );
  }
  if (f.naechsteHu) {
    const [y, mo] = f.naechsteHu.split('-');
    components.push(
      komponente('hauptuntersuchung', 'hu', [
        e('NaechsteHauptuntersuchung', `${mo}${y}`),
        code('artDerUntersuchung', 'artderuntersuchung', 'HU', '1.0', 'Hauptuntersuchung'),
      ]),
    );
  }
  if (id === 'ausserbetriebsetzung') {
    components.push(
      komponente('ausserbetriebsetzung', 'abmeldung', [
        x('kennzeichen', [
          d.abschluss?.am ? e('DatumEntstempelungKennzeichen', dateTz(d.abschluss.am)) : null,
          d.abschluss?.reserviertBis
            ? e('DatumAblaufKennzeichenreservierung', dateTz(d.abschluss.reserviertBis))
            : null,
        ]),
      ]),
    );
  }
  const zb1 = d.abschluss?.zb1Nummer ?? d.papiere?.zb1Nummer;
  if (zb1) {
    components.push(
      komponente('zulassungsbescheinigungTeilI', 'zb1', [
        e('NummerZulBeschTeil1', zb1),
        x('zulassungsdaten', [
          plate ? e('Kennzeichen', plate.xkfz) : null,
          x('vorgangskomponentenIDHalter', 'halter'),
          d.abschluss?.am ? x('datumAusstellung', d.abschluss.am) : null,
        ]),
      ]),
    );
  }
  const zb2 = d.papiere?.zb2Nummer;
  components.push(
    komponente('zulassungsBescheinigungTeilII', 'zb2', [
      e('NummerZulBeschTeil2', zb2 ?? 'OHNEZBII'),
      x('fahrzeugdaten', [
        f.herstellerschluessel ? e('SchluesselHersteller', f.herstellerschluessel) : null,
        e('Fahrzeugidentifizierungsnummer', f.fin),
        f.typschluessel ? e('SchluesselTyp', f.typschluessel) : null,
        f.hersteller ? e('TextHersteller', w.latin(f.hersteller, 25)) : null,
        f.typ ? e('TextHandelsbezeichnung', w.latin(f.typ, 25)) : null,
      ]),
    ]),
  );
  if (d.kosten && d.kosten.positionen.length > 0) {
    components.push(
      komponente('gebuehren', 'gebuehren', [
        code('typ', 'typdergebuehrenaufstellung', d.zahlung ? '3' : '1', '1.0'),
        x(
          'listePositionen',
          d.kosten.positionen.map((p, i) =>
            x('position', [
              x('positionsNummer', String(i + 1)),
              x('art', [x('nichtGelisteterWert', w.latin(`${p.basis}: ${p.label}`, 255))]),
              x('betrag', amount(p.amountCents)),
            ]),
          ),
        ),
        x('summePositionenGesamt', [
          x('positionsNummer', String(d.kosten.positionen.length + 1)),
          x('art', [x('nichtGelisteterWert', 'Summe')]),
          x('betrag', amount(d.kosten.summeCents)),
        ]),
        d.zahlung
          ? x('bemerkung', `Bar bezahlt am ${d.zahlung.tag}, Kassenbuch Beleg-Nr. ${d.zahlung.belegNr}`)
          : null,
      ]),
    );
  }
  const final = c.status === COMPLETION[id].state;
  // Built after the components: only then does the writer know whether a text was replaced.
  const kopf = x(
    'kopf',
    [
      code('nachrichtentyp', 'nachrichtentyp', '0707', '1.0'),
      x('nachrichtenid', deterministicId(`${ctx.batchId}:${c.id}`)),
      x('zeitpunktDerErstellung', ctx.createdAt.toISOString()),
      code('merkmalVersandart', 'versandart', 'P', '1.0'),
      w.abweichend ? x('merkmalAbweichenderZeichenvorrat', 'true') : null,
      x('referenzAbsender', [behoerde(c.authorityAgs)]),
      x('referenzEmpfaenger', [behoerde(c.authorityAgs)]),
    ],
    {
      produkt: 'Notbetrieb',
      produktHersteller: 'Notbetrieb-Projekt',
      produktVersion: '0.1.0',
      version: XKFZ_VERSION,
    },
  );
  const antrag = x('elektronischerAntrag', [
    x('kopf', [
      code(
        'artDesGeschaeftsvorfalls',
        'artdesgeschaeftsvorfalls',
        GESCHAEFTSVORFALL[id],
        OWN_LIST,
        KFZ_TITLES[id],
      ),
      x('referenzAntragsteller', [behoerde(c.authorityAgs)]),
      x('listeReferenzAntrag', [
        x('referenz', [
          code('referenzTyp', 'typderreferenz', 'AZ', OWN_LIST, 'Aktenzeichen im Notbetrieb'),
          x('referenzID', c.aktenzeichen.replace(/\//g, '-')),
        ]),
      ]),
    ]),
    x('status', [
      x('statusUebergang', [
        code('status', 'statuselektronischerantrag', 'neu', '1.0'),
        x('zeitpunktDesStatusuebergangs', c.createdAt),
      ]),
      final
        ? x('statusUebergang', [
            code('status', 'statuselektronischerantrag', 'bearbeitet', '1.0'),
            x('zeitpunktDesStatusuebergangs', c.updatedAt),
          ])
        : null,
    ]),
    x('vorgangskomponenten', components),
  ]);
  return renderXml(x('vorsystem.antrag.0707', [kopf, antrag], NS));
}

function csvRow(id: KfzProcedureId, c: HandoverCase): string {
  const d = c.data as KfzDaten;
  const f = d.fahrzeug as Partial<Fahrzeug> & { fin: string };
  return csvLine([
    c.aktenzeichen,
    id,
    c.status,
    d.antrag.antragsdatum,
    d.halter.art,
    d.halter.familienname,
    d.halter.vornamen,
    d.halter.geburtsdatum,
    d.halter.firmenname,
    d.halter.strasse,
    d.halter.hausnummer,
    d.halter.plz,
    d.halter.ort,
    f.fin,
    f.herstellerschluessel,
    f.typschluessel,
    f.hersteller,
    f.kraftstoff,
    f.naechsteHu,
    d.zuteilung?.kennzeichen ?? d.kennzeichen?.aktuell ?? d.umschreibung?.bisherigesKennzeichen,
    d.zuteilung?.zusatz ??
      (d.kennzeichen?.zusatz && d.kennzeichen.zusatz !== 'keiner' ? d.kennzeichen.zusatz : ''),
    d.zuteilung?.wahl ?? (d.umschreibung?.kennzeichen === 'behalten' ? 'behalten' : ''),
    d.umschreibung?.bisherigesKennzeichen ?? d.wiederzulassung?.bisherigesKennzeichen,
    d.versicherung?.evb,
    d.abschluss?.zb1Nummer ?? d.papiere?.zb1Nummer,
    d.papiere?.zb2Nummer,
    d.sepa?.iban,
    d.sepa?.kontoinhaber,
    d.kosten?.summeCents,
    d.zahlung?.belegNr,
    d.abschluss?.am,
    d.zuteilung?.gueltigBis ?? d.abschluss?.reserviertBis ?? d.abschluss?.sperreBis,
    c.id,
  ]);
}

export function registerKfzHandover(registry: HandoverRegistry): void {
  for (const id of KFZ_PROCEDURE_IDS) {
    const formats = [];
    if (id !== 'kurzzeitkennzeichen') {
      formats.push({
        formatId: 'xkfz',
        layout: 'file-per-case' as const,
        contentType: 'application/xml',
        fileName: (c: HandoverCase) => `xkfz/${id}-${fileSafe(c.aktenzeichen)}.xml`,
        render: (c: HandoverCase, ctx: HandoverContext) => renderAntrag0707(id, c, ctx),
      });
    }
    formats.push(
      csvFileFormat(
        (ctx) => `${id}-${ctx.authority.ags}.csv`,
        KFZ_CSV_COLUMNS,
        (c) => csvRow(id, c),
      ),
    );
    registry.register({ procedureId: id, eligibleStates: [COMPLETION[id].state], formats });
  }
}
