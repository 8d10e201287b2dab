import { describe, expect, it } from 'vitest';
import { parseAcknowledgement } from './acknowledgement.js';
import { csvCell, csvLine } from './csv.js';
import { fileSafe } from './format.js';
import { el, escapeXml, renderXml } from './xml.js';

describe('handover helpers', () => {
  it('quotes CSV cells with separators and defuses spreadsheet formulas', () => {
    expect(csvCell('Müller; Anna')).toBe('"Müller; Anna"');
    expect(csvCell('Er sagte "ja"')).toBe('"Er sagte ""ja"""');
    expect(csvCell('=HYPERLINK("x")')).toBe(`"'=HYPERLINK(""x"")"`);
    expect(csvCell('-1')).toBe("'-1");
    expect(csvCell(undefined)).toBe('');
    expect(csvLine(['a', 1, null])).toBe('a;1;\r\n');
  });

  it('escapes XML text and drops characters XML cannot carry', () => {
    expect(escapeXml('<Ä & "ß">\u0001')).toBe('&lt;Ä &amp; &quot;ß&quot;&gt;');
    const xml = renderXml(
      el('a:root', [el('a:name', 'Jürgen <J>'), null, el('code', '1')], { 'xmlns:a': 'urn:x' }),
    );
    expect(xml).toBe(
      '<?xml version="1.0" encoding="UTF-8"?>\n<a:root xmlns:a="urn:x">\n  <a:name>Jürgen &lt;J&gt;</a:name>\n  <code>1</code>\n</a:root>\n',
    );
  });

  it('makes file names from Aktenzeichen', () => {
    expect(fileSafe('SF 12/2026')).toBe('SF-12-2026');
    expect(fileSafe('../../etc')).toBe('etc');
  });

  it('reads acknowledgements as JSON or CSV and refuses malformed ones in German', () => {
    expect(
      parseAcknowledgement('{"entries":[{"aktenzeichen":"GB 1/2026","status":"uebernommen"}]}').entries,
    ).toHaveLength(1);
    const csv = parseAcknowledgement(
      '\uFEFFaktenzeichen;status;grund\r\nGB 1/2026;abgelehnt;"Name; unklar"\r\n',
    );
    expect(csv.entries).toEqual([{ aktenzeichen: 'GB 1/2026', status: 'abgelehnt', grund: 'Name; unklar' }]);
    expect(() => parseAcknowledgement('{kaputt')).toThrow('kein gültiges JSON');
    expect(() => parseAcknowledgement('az;zustand\nGB 1/2026;ok')).toThrow('Kopfzeile');
    expect(() => parseAcknowledgement('aktenzeichen;status\nGB 1/2026;vielleicht')).toThrow('uebernommen');
    expect(() => parseAcknowledgement('aktenzeichen;status\n')).toThrow('keine Einträge');
  });
});
