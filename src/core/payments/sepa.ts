import { electronicFormatIBAN, isSEPACountry, isValidBIC, isValidIBAN } from 'ibantools';
import { escapeXml } from '../handover/xml.js';

/**
 * SEPA credit transfer initiation, ISO 20022 pain.001.001.09 as the EPC implementation guideline
 * 2025 restricts it (schema: shared/xsd/sepa/EPC132-08_2025_V1.0_pain.001.001.09.xsd; the tests
 * validate every file with xmllint against it). Written here rather than with the npm package
 * `sepa` (kewisch/sepa.js 3.0): that package writes postal addresses as country plus two
 * unstructured address lines only — the form banks refuse from 15 Nov 2026 (FACTS.md §6) — holds
 * amounts as floating-point numbers and builds the whole document in memory. This writer produces
 * structured or hybrid addresses (TwnNm and Ctry always structured), formats amounts from integer
 * cents and emits the file piece by piece (header, one transaction at a time, footer).
 *
 * Text fields are reduced to the SEPA basic Latin character set of the EPC guidelines
 * (a-z A-Z 0-9 / - ? : ( ) . , ' + space): umlauts are transliterated (ä -> ae, ß -> ss), other
 * accents dropped, other letters shown as "?", anything else replaced by a space — what German banks would otherwise do, less
 * predictably, on their side.
 */

export const PAIN_001_NAMESPACE = 'urn:iso:std:iso:20022:tech:xsd:pain.001.001.09';

/** 0.01 to 999,999,999.99 EUR (EPC guideline, FACTS.md §6). */
export const MIN_AMOUNT_CENTS = 1;
export const MAX_AMOUNT_CENTS = 99_999_999_999;

export interface PostalAddress {
  /** Street name (StrtNm), structured form. */
  street?: string | null;
  /** House number (BldgNb). */
  buildingNumber?: string | null;
  postcode?: string | null;
  /** Town (TwnNm): always structured. */
  town: string;
  /** ISO 3166 alpha-2 country code (Ctry): always structured. */
  country: string;
  /**
   * Hybrid form: up to two free address lines (AdrLine) besides the structured town and country,
   * when street and number are not known separately.
   */
  lines?: string[] | null;
}

export interface SepaDebtor {
  name: string;
  iban: string;
  bic?: string | null;
  town: string;
  country: string;
}

export interface SepaTransfer {
  endToEndId: string;
  amountCents: number;
  name: string;
  iban: string;
  bic?: string | null;
  address: PostalAddress;
  /** Unstructured remittance information (Verwendungszweck), up to 140 characters. */
  remittance: string;
}

export interface SepaMessage {
  /** GrpHdr/MsgId: unique per file, at most 35 characters. */
  msgId: string;
  /** Creation time as local date-time "YYYY-MM-DDThh:mm:ss". */
  createdAt: string;
  initiatorName: string;
  executionDate: string;
  debtor: SepaDebtor;
  count: number;
  sumCents: number;
}

const TRANSLITERATION: Record<string, string> = {
  ä: 'ae',
  ö: 'oe',
  ü: 'ue',
  Ä: 'Ae',
  Ö: 'Oe',
  Ü: 'Ue',
  ß: 'ss',
  ẞ: 'SS',
  Ł: 'L',
  ł: 'l',
  Ø: 'O',
  ø: 'o',
  Æ: 'AE',
  æ: 'ae',
  Œ: 'OE',
  œ: 'oe',
  Đ: 'D',
  đ: 'd',
  '&': '+',
  _: '-',
};

/** The SEPA basic Latin character set (EPC guidelines). */
const SEPA_CHARS = /^[A-Za-z0-9/?:().,'+ -]*$/;
const SEPA_CHAR_SET = new Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789/?:().,'+ -");

/** A text in the SEPA basic Latin character set, trimmed and cut to `max` characters. */
export function sepaText(value: string, max: number): string {
  // Fast path (most names, streets, towns, purposes): nothing to replace. Same result as below.
  if (SEPA_CHARS.test(value)) return value.replace(/ +/g, ' ').trim().slice(0, max).trim();
  let out = '';
  for (const ch of value) {
    if (SEPA_CHAR_SET.has(ch)) {
      out += ch;
      continue;
    }
    const t = TRANSLITERATION[ch];
    if (t !== undefined) {
      out += t;
      continue;
    }
    const base = ch.normalize('NFD').replace(/[\u0300-\u036f]/g, '');
    // A letter outside the set stays visible as "?" (allowed), anything else becomes a space.
    out += /^[A-Za-z0-9/?:().,'+ -]$/.test(base) ? base : /\p{L}/u.test(base) ? '?' : ' ';
  }
  return out.replace(/\s+/g, ' ').trim().slice(0, max).trim();
}

/** 12345 -> "123.45" (integer cents, no floating point). */
export function sepaAmount(cents: number): string {
  if (!Number.isSafeInteger(cents) || cents < 0) throw new RangeError(`invalid amount ${cents}`);
  return `${Math.floor(cents / 100)}.${String(cents % 100).padStart(2, '0')}`;
}

/** IBAN in electronic form (no spaces, upper case), or null. */
export function normalizeIban(iban: string | null | undefined): string | null {
  return iban ? electronicFormatIBAN(iban) : null;
}

/**
 * Why a transfer cannot go into a SEPA file (German, for the clerk), or an empty list. Checked
 * when a run is prepared, so that an approved run never holds a payment the bank refuses.
 */
export function transferProblems(t: {
  amountCents: number;
  name: string;
  iban?: string | null;
  bic?: string | null;
  address?: PostalAddress | null;
  remittance: string;
}): string[] {
  const problems: string[] = [];
  if (
    !Number.isSafeInteger(t.amountCents) ||
    t.amountCents < MIN_AMOUNT_CENTS ||
    t.amountCents > MAX_AMOUNT_CENTS
  )
    problems.push('Betrag muss zwischen 0,01 und 999.999.999,99 EUR liegen.');
  if (sepaText(t.name, 70) === '') problems.push('Name des Zahlungsempfängers fehlt.');
  const iban = normalizeIban(t.iban);
  if (!iban || !isValidIBAN(iban)) problems.push('IBAN ungültig.');
  else if (!isSEPACountry(iban.slice(0, 2))) problems.push('IBAN gehört nicht zum SEPA-Raum.');
  if (t.bic && !isValidBIC(t.bic.toUpperCase())) problems.push('BIC ungültig.');
  const a = t.address;
  if (!a || sepaText(a.town ?? '', 35) === '' || !/^[A-Z]{2}$/.test(a.country ?? ''))
    problems.push('Anschrift: Ort und Land (strukturiert) fehlen – ab 15.11.2026 Pflicht.');
  else if ((a.lines?.length ?? 0) > 2) problems.push('Anschrift: höchstens zwei Adresszeilen.');
  if (sepaText(t.remittance, 140) === '') problems.push('Verwendungszweck fehlt.');
  return problems;
}

/** Why the office's account cannot be the debtor of a SEPA file, or an empty list. */
export function debtorProblems(d: SepaDebtor): string[] {
  const problems: string[] = [];
  if (sepaText(d.name, 70) === '') problems.push('Kontoinhaber fehlt.');
  const iban = normalizeIban(d.iban);
  if (!iban || !isValidIBAN(iban)) problems.push('IBAN des Auftraggeberkontos ungültig.');
  if (d.bic && !isValidBIC(d.bic.toUpperCase())) problems.push('BIC des Auftraggeberkontos ungültig.');
  if (sepaText(d.town, 35) === '' || !/^[A-Z]{2}$/.test(d.country))
    problems.push('Ort und Land des Auftraggebers fehlen.');
  return problems;
}

function tag(name: string, text: string): string {
  return `<${name}>${escapeXml(text)}</${name}>`;
}

function address(a: PostalAddress): string {
  const parts: string[] = [];
  const street = a.street ? sepaText(a.street, 70) : '';
  const number = a.buildingNumber ? sepaText(a.buildingNumber, 16) : '';
  const postcode = a.postcode ? sepaText(a.postcode, 16) : '';
  if (street) parts.push(tag('StrtNm', street));
  if (street && number) parts.push(tag('BldgNb', number));
  if (postcode) parts.push(tag('PstCd', postcode));
  parts.push(tag('TwnNm', sepaText(a.town, 35)));
  parts.push(tag('Ctry', a.country));
  for (const line of (a.lines ?? []).slice(0, 2)) {
    const l = sepaText(line, 70);
    if (l) parts.push(tag('AdrLine', l));
  }
  return `<PstlAdr>${parts.join('')}</PstlAdr>`;
}

/** The document up to the first transaction: group header and the one payment information block. */
export function pain001Header(m: SepaMessage): string {
  const sum = sepaAmount(m.sumCents);
  const debtorIban = normalizeIban(m.debtor.iban) ?? '';
  const agent = m.debtor.bic
    ? `<DbtrAgt><FinInstnId>${tag('BICFI', m.debtor.bic.toUpperCase())}</FinInstnId></DbtrAgt>`
    : '<DbtrAgt><FinInstnId><Othr><Id>NOTPROVIDED</Id></Othr></FinInstnId></DbtrAgt>';
  return (
    `<?xml version="1.0" encoding="UTF-8"?>\n<Document xmlns="${PAIN_001_NAMESPACE}">\n<CstmrCdtTrfInitn>\n` +
    `<GrpHdr>${tag('MsgId', m.msgId)}${tag('CreDtTm', m.createdAt)}${tag('NbOfTxs', String(m.count))}` +
    `${tag('CtrlSum', sum)}<InitgPty>${tag('Nm', sepaText(m.initiatorName, 70))}</InitgPty></GrpHdr>\n` +
    `<PmtInf>${tag('PmtInfId', m.msgId)}<PmtMtd>TRF</PmtMtd><BtchBookg>true</BtchBookg>` +
    `${tag('NbOfTxs', String(m.count))}${tag('CtrlSum', sum)}` +
    '<PmtTpInf><SvcLvl><Cd>SEPA</Cd></SvcLvl></PmtTpInf>' +
    `<ReqdExctnDt>${tag('Dt', m.executionDate)}</ReqdExctnDt>` +
    `<Dbtr>${tag('Nm', sepaText(m.debtor.name, 70))}${address({ town: m.debtor.town, country: m.debtor.country })}</Dbtr>` +
    `<DbtrAcct><Id>${tag('IBAN', debtorIban)}</Id></DbtrAcct>${agent}<ChrgBr>SLEV</ChrgBr>\n`
  );
}

/** One credit transfer transaction (CdtTrfTxInf). */
export function pain001Transfer(t: SepaTransfer): string {
  const agent = t.bic
    ? `<CdtrAgt><FinInstnId>${tag('BICFI', t.bic.toUpperCase())}</FinInstnId></CdtrAgt>`
    : '';
  return (
    `<CdtTrfTxInf><PmtId>${tag('EndToEndId', t.endToEndId)}</PmtId>` +
    `<Amt><InstdAmt Ccy="EUR">${sepaAmount(t.amountCents)}</InstdAmt></Amt>${agent}` +
    `<Cdtr>${tag('Nm', sepaText(t.name, 70))}${address(t.address)}</Cdtr>` +
    `<CdtrAcct><Id>${tag('IBAN', normalizeIban(t.iban) ?? '')}</Id></CdtrAcct>` +
    `<RmtInf>${tag('Ustrd', sepaText(t.remittance, 140))}</RmtInf></CdtTrfTxInf>\n`
  );
}

export function pain001Footer(): string {
  return '</PmtInf>\n</CstmrCdtTrfInitn>\n</Document>\n';
}
