import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { findXmlTools, schemaErrors, sepaXsd } from '../handover/xml-tools.js';
import {
  pain001Footer,
  pain001Header,
  pain001Transfer,
  type SepaTransfer,
  sepaAmount,
  sepaText,
  transferProblems,
} from './sepa.js';

const { tools, missing } = findXmlTools();

describe('SEPA text and amounts', () => {
  it('transliterates umlauts and keeps to the SEPA character set', () => {
    expect(sepaText('Jürgen Müller-Weiß', 70)).toBe('Juergen Mueller-Weiss');
    expect(sepaText('Ayşe Öztürk & Söhne', 70)).toBe('Ayse Oeztuerk + Soehne');
    expect(sepaText('<script>"x"</script>', 70)).toBe('script x /script');
    expect(sepaText('Łódź', 70)).toBe('Lodz');
    expect(sepaText('Иван', 70)).toBe('????');
    expect(sepaText('  viel   Raum  ', 70)).toBe('viel Raum');
    expect(sepaText('a'.repeat(100), 70)).toHaveLength(70);
  });

  it('formats integer cents without floating point', () => {
    expect(sepaAmount(1)).toBe('0.01');
    expect(sepaAmount(61234)).toBe('612.34');
    expect(sepaAmount(99_999_999_999)).toBe('999999999.99');
    // 0.1 + 0.2 in cents stays exact.
    expect(sepaAmount(10 + 20)).toBe('0.30');
  });

  it('names every problem of a transfer the bank would refuse', () => {
    expect(
      transferProblems({
        amountCents: 0,
        name: ' ',
        iban: 'DE89370400440532013001',
        bic: 'XX',
        address: { town: '', country: 'Deutschland' },
        remittance: '',
      }),
    ).toEqual([
      'Betrag muss zwischen 0,01 und 999.999.999,99 EUR liegen.',
      'Name des Zahlungsempfängers fehlt.',
      'IBAN ungültig.',
      'BIC ungültig.',
      'Anschrift: Ort und Land (strukturiert) fehlen – ab 15.11.2026 Pflicht.',
      'Verwendungszweck fehlt.',
    ]);
    expect(
      transferProblems({
        amountCents: 100,
        name: 'A',
        iban: 'DE89 3704 0044 0532 0130 00',
        address: { town: 'Siegen', country: 'DE' },
        remittance: 'x',
      }),
    ).toEqual([]);
    // Outside the SEPA area (Brazil).
    expect(
      transferProblems({
        amountCents: 100,
        name: 'A',
        iban: 'BR1800360305000010009795493C1',
        address: { town: 'Rio', country: 'BR' },
        remittance: 'x',
      }),
    ).toEqual(['IBAN gehört nicht zum SEPA-Raum.']);
  });
});

describe('pain.001.001.09 against the EPC XSD', () => {
  const d = tools ? it : it.skip;
  if (!tools) console.warn(missing);

  function file(transfers: SepaTransfer[]): string {
    const sum = transfers.reduce((s, t) => s + t.amountCents, 0);
    return [
      pain001Header({
        msgId: 'NB0123456789abcdef0123456789abcdef',
        createdAt: '2026-12-03T10:00:00',
        initiatorName: 'Stadt Siegen',
        executionDate: '2026-12-07',
        debtor: {
          name: 'Stadt Siegen',
          iban: 'DE85460500010000012345',
          bic: 'WELADED1SIE',
          town: 'Siegen',
          country: 'DE',
        },
        count: transfers.length,
        sumCents: sum,
      }),
      ...transfers.map(pain001Transfer),
      pain001Footer(),
    ].join('');
  }

  function validate(xml: string): string {
    const f = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'sepa-')), 'f.xml');
    fs.writeFileSync(f, xml);
    return schemaErrors(tools as NonNullable<typeof tools>, sepaXsd(tools as NonNullable<typeof tools>), f);
  }

  d('accepts structured and hybrid addresses, with and without BIC', () => {
    const xml = file([
      {
        endToEndId: 'E2E1',
        amountCents: 61234,
        name: 'Jürgen Müller',
        iban: 'DE89370400440532013000',
        bic: 'COBADEFFXXX',
        address: { street: 'Löhrtor', buildingNumber: '7', postcode: '57072', town: 'Siegen', country: 'DE' },
        remittance: 'Hilfe zum Lebensunterhalt Dezember 2026 SH 1/2026',
      },
      {
        endToEndId: 'E2E2',
        amountCents: 1,
        name: 'Ayşe Öztürk',
        iban: 'DE75512108001245126199',
        address: {
          town: 'Olpe',
          country: 'DE',
          postcode: '57462',
          lines: ['Kölner Straße 12a', 'Hinterhaus'],
        },
        remittance: 'Vorschuss § 42 SGB I',
      },
    ]);
    expect(xml).toContain(
      '<PstlAdr><StrtNm>Loehrtor</StrtNm><BldgNb>7</BldgNb><PstCd>57072</PstCd><TwnNm>Siegen</TwnNm><Ctry>DE</Ctry></PstlAdr>',
    );
    expect(xml).toContain('<TwnNm>Olpe</TwnNm><Ctry>DE</Ctry><AdrLine>Koelner Strasse 12a</AdrLine>');
    expect(validate(xml)).toBe('');
    // The check can fail: an amount of 0,00 EUR is below the EPC minimum.
    expect(validate(xml.replace('>0.01<', '>0.00<'))).toContain('minInclusive');
  });

  d('stays valid for hostile names, long texts and extreme amounts (property)', () => {
    const text = fc.string({ unit: 'grapheme', minLength: 1, maxLength: 200 });
    const transfer = fc.record({
      amountCents: fc.integer({ min: 1, max: 99_999_999_999 }),
      name: text,
      street: fc.option(text, { nil: undefined }),
      town: text,
      remittance: text,
      line: fc.option(text, { nil: undefined }),
    });
    fc.assert(
      fc.property(fc.array(transfer, { minLength: 1, maxLength: 5 }), (ts) => {
        const usable = ts.filter(
          (t) => sepaText(t.name, 70) && sepaText(t.town, 35) && sepaText(t.remittance, 140),
        );
        fc.pre(usable.length > 0);
        const xml = file(
          usable.map((t, i) => ({
            endToEndId: `E2E${i}`,
            amountCents: t.amountCents,
            name: t.name,
            iban: 'DE89370400440532013000',
            address: {
              street: t.street,
              buildingNumber: '1',
              town: t.town,
              country: 'DE',
              lines: t.line ? [t.line] : null,
            },
            remittance: t.remittance,
          })),
        );
        expect(validate(xml)).toBe('');
      }),
      { numRuns: 25 },
    );
  });
});
