import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { findXmlTools, schemaValidationErrors } from './xml-tools.js';

const xml = findXmlTools();

describe.skipIf(!xml.tools)('xmllint schema validation helper', () => {
  it('returns nothing for a valid file and the reason for an invalid one', () => {
    const tools = xml.tools as NonNullable<typeof xml.tools>;
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nb-xsd-'));
    const xsd = path.join(dir, 's.xsd');
    fs.writeFileSync(
      xsd,
      `<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" targetNamespace="urn:t" xmlns="urn:t" elementFormDefault="qualified">
         <xs:element name="plate"><xs:simpleType><xs:restriction base="xs:string"><xs:pattern value="[A-Z]{1,3}"/></xs:restriction></xs:simpleType></xs:element>
       </xs:schema>`,
    );
    const good = path.join(dir, 'good.xml');
    const bad = path.join(dir, 'bad.xml');
    fs.writeFileSync(good, '<plate xmlns="urn:t">SI</plate>');
    fs.writeFileSync(bad, '<plate xmlns="urn:t">SI-1</plate>');
    try {
      expect(schemaValidationErrors(tools, xsd, good)).toBe('');
      expect(schemaValidationErrors(tools, xsd, bad)).toContain('plate');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
