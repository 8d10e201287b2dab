/**
 * A minimal XML writer for XÖV messages: escaped text and attributes, elements as nested arrays.
 * No dependency; the output is checked for well-formedness with xmllint in the tests.
 */
export type XmlNode = string | XmlElement | null | undefined | false;
export interface XmlElement {
  name: string;
  attrs?: Record<string, string | undefined>;
  children?: XmlNode[];
  text?: string;
}

/** XML 1.0 Char production: tab, LF, CR and everything from U+0020 except surrogates, FFFE, FFFF. */
function isXmlChar(c: number): boolean {
  return (
    c === 0x09 ||
    c === 0x0a ||
    c === 0x0d ||
    (c >= 0x20 && c <= 0xd7ff) ||
    (c >= 0xe000 && c <= 0xfffd) ||
    (c >= 0x10000 && c <= 0x10ffff)
  );
}

/** Only XML characters of the Basic Multilingual Plane: nothing to drop (the common case, checked fast). */
const PLAIN_XML = /^[\t\n\r\u0020-\uD7FF\uE000-\uFFFD]*$/;
const NEEDS_ESCAPE = /[&<>"']/;

export function escapeXml(value: string): string {
  let clean = value;
  if (!PLAIN_XML.test(value)) {
    clean = '';
    for (const ch of value) if (isXmlChar(ch.codePointAt(0) ?? 0)) clean += ch;
  }
  if (!NEEDS_ESCAPE.test(clean)) return clean;
  return clean
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

export function el(
  name: string,
  content?: string | XmlNode[],
  attrs?: Record<string, string | undefined>,
): XmlElement {
  if (typeof content === 'string') return { name, text: content, attrs };
  return { name, children: content ?? [], attrs };
}

export function renderXml(root: XmlElement): string {
  const out: string[] = ['<?xml version="1.0" encoding="UTF-8"?>\n'];
  const walk = (n: XmlElement, depth: number) => {
    const pad = '  '.repeat(depth);
    const attrs = Object.entries(n.attrs ?? {})
      .filter(([, v]) => v !== undefined)
      .map(([k, v]) => ` ${k}="${escapeXml(v as string)}"`)
      .join('');
    const kids = (n.children ?? []).filter((c): c is XmlElement | string => !!c);
    if (n.text !== undefined) {
      out.push(`${pad}<${n.name}${attrs}>${escapeXml(n.text)}</${n.name}>\n`);
    } else if (kids.length === 0) {
      out.push(`${pad}<${n.name}${attrs}/>\n`);
    } else {
      out.push(`${pad}<${n.name}${attrs}>\n`);
      for (const k of kids) {
        if (typeof k === 'string') out.push(`${pad}  ${escapeXml(k)}\n`);
        else walk(k, depth + 1);
      }
      out.push(`${pad}</${n.name}>\n`);
    }
  };
  walk(root, 0);
  return out.join('');
}

/**
 * An XInneres authority (xibehoerde:Behoerde) under the element `name`, identified in the DVDV by
 * `kennung` (our reading of XInneres, the same for every XÖV standard here: see docs/HANDOVER.md).
 */
export function dvdvBehoerde(name: string, kennung: string, label: string): XmlElement {
  return el(name, [
    el('xibehoerde:verzeichnisdienst', [el('code', 'DVDV')], { listVersionID: '2' }),
    el('xibehoerde:kennung', kennung),
    el('xibehoerde:name', label),
  ]);
}
