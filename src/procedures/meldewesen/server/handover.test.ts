import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createTestContext,
  describeEachDialect,
  type TestContext,
  type TestUser,
  userWith,
} from '../../../../test/harness.js';
import {
  findXmlTools,
  requiredChildrenOfElement,
  requiredChildrenOfType,
  wellFormednessErrors,
  xpath,
} from '../../../core/handover/xml-tools.js';
import { ausweisDaten, einzugDaten, meldePerson } from '../fixtures.js';
import { XMELD_NS } from './handover.js';

const SIEGEN = '05970040';
const OLPE = '05966024';
const xml = findXmlTools();

describeEachDialect('Meldewesen: Übergabe (XMeld + CSV)', (dialect) => {
  let ctx: TestContext;
  let clerk: TestUser;
  let olpeClerk: TestUser;
  let standesamt: TestUser;
  let anmeldungAz = '';

  const post = (user: TestUser | null, url: string, payload: object) =>
    ctx.app.inject({
      method: 'POST',
      url,
      headers: { ...(user?.headers ?? {}), 'idempotency-key': randomUUID() },
      payload,
    });
  const get = (user: TestUser, url: string) => ctx.app.inject({ method: 'GET', url, headers: user.headers });

  beforeAll(async () => {
    ctx = await createTestContext(dialect);
    clerk = await userWith(ctx, [{ ags: SIEGEN, office: 'meldebehoerde' }]);
    olpeClerk = await userWith(ctx, [{ ags: OLPE, office: 'meldebehoerde' }]);
    standesamt = await userWith(ctx, [{ ags: SIEGEN, office: 'standesamt' }]);
    const a = await post(clerk, '/api/cases', {
      procedureId: 'anmeldung',
      authorityAgs: SIEGEN,
      data: einzugDaten({
        personen: [
          meldePerson({
            familienname: 'Heide',
            namensbestandteil: 'von der',
            vornamen: 'Clara',
            geschlecht: 'w',
            registerPersonId: 'P9',
          }),
          meldePerson({
            familienname: 'Heide',
            namensbestandteil: 'von der',
            vornamen: 'Ben',
            geburtsdatum: '2015-02-02',
            staatsangehoerigkeit: 'DEU,AUT',
          }),
        ],
      }),
    });
    expect(a.statusCode).toBe(201);
    anmeldungAz = a.json().aktenzeichen;
    const pa = await post(clerk, '/api/cases', {
      procedureId: 'personalausweis',
      authorityAgs: SIEGEN,
      data: ausweisDaten(),
    });
    const paid = await post(clerk, `/api/cases/${pa.json().id}/actions/gebuehr_bar_bezahlen`, {
      expectedVersion: 1,
      payload: {},
    });
    expect(paid.statusCode).toBe(200);
  });
  afterAll(() => ctx.close());

  it('exports Anmeldungen as XMeld messages plus CSV with a manifest, and takes an acknowledgement', async () => {
    const res = await post(clerk, '/api/handover/batches', {
      procedureId: 'anmeldung',
      authorityAgs: SIEGEN,
    });
    expect(res.statusCode).toBe(201);
    const b = res.json();
    expect(b.caseCount).toBe(1);
    expect(b.files.map((f: { formatId: string }) => f.formatId).sort()).toEqual(['csv', 'xmeld']);
    const csvFile = b.files.find((f: { formatId: string }) => f.formatId === 'csv');
    const csv = (await get(clerk, csvFile.href)).body;
    const lines = csv
      .replace(/^\uFEFF/, '')
      .trim()
      .split('\r\n');
    expect(lines[0]).toContain('aktenzeichen;vorgang;status;personen_id;familienname');
    expect(lines).toHaveLength(3);
    expect(lines[1]).toContain(`${anmeldungAz};anmeldung;erfasst;P9;Heide;von der;Clara`);
    const xmlFile = b.files.find((f: { formatId: string }) => f.formatId === 'xmeld');
    const text = (await get(clerk, xmlFile.href)).body;
    expect(text).toContain('<xmeld:rueckmeldung.anmeldunginland.0201');
    expect(text).toContain(`xmlns:xmeld="${XMELD_NS}"`);
    expect(text).toContain('<xmeld:nachname>Heide</xmeld:nachname>');
    expect(text).toContain('<xmeld:namensbestandteil>von der</xmeld:namensbestandteil>');
    expect(text).toContain('<xmeld:datumDesBeziehens>2026-11-20</xmeld:datumDesBeziehens>');

    // Nothing new to hand over a second time.
    expect(
      (await post(clerk, '/api/handover/batches', { procedureId: 'anmeldung', authorityAgs: SIEGEN }))
        .statusCode,
    ).toBe(409);
    const ack = await post(clerk, `/api/handover/batches/${b.id}/acknowledgement`, {
      entries: [{ aktenzeichen: anmeldungAz, status: 'uebernommen' }],
    });
    expect(ack.statusCode).toBe(200);
    expect(ack.json().accepted).toBe(1);
  });

  it('exports paid Personalausweis applications as CSV for the document system', async () => {
    const res = await post(clerk, '/api/handover/batches', {
      procedureId: 'personalausweis',
      authorityAgs: SIEGEN,
    });
    expect(res.statusCode).toBe(201);
    const b = res.json();
    const csv = (await get(clerk, b.files[0].href)).body.replace(/^\uFEFF/, '');
    const [head, row] = csv.trim().split('\r\n');
    expect(head).toContain('gebuehr_cent;beleg_nr');
    expect(row).toContain('Personalausweis;bezahlt;;Müßig;Jürgen;1964-08-12;Siegen;2026-11-26;;;nein;4600;');
  });

  it('refuses the export to another town, another office and anonymously', async () => {
    expect(
      (await post(olpeClerk, '/api/handover/batches', { procedureId: 'ummeldung', authorityAgs: SIEGEN }))
        .statusCode,
    ).toBe(403);
    expect(
      (await post(standesamt, '/api/handover/batches', { procedureId: 'ummeldung', authorityAgs: SIEGEN }))
        .statusCode,
    ).toBe(403);
    expect(
      (await post(null, '/api/handover/batches', { procedureId: 'ummeldung', authorityAgs: SIEGEN }))
        .statusCode,
    ).toBe(401);
  });

  describe.skipIf(!xml.tools)('XMeld structure (xmllint)', () => {
    it('writes well-formed messages with the schema’s required elements (RELIGION excepted, see docs)', async () => {
      const tools = xml.tools as NonNullable<typeof xml.tools>;
      await post(clerk, '/api/cases', {
        procedureId: 'ummeldung',
        authorityAgs: SIEGEN,
        data: einzugDaten(),
      });
      const b = (
        await post(clerk, '/api/handover/batches', { procedureId: 'ummeldung', authorityAgs: SIEGEN })
      ).json();
      const f = b.files.find((x: { formatId: string }) => x.formatId === 'xmeld');
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nb-xmeld-'));
      const file = path.join(dir, 'm.xml');
      fs.writeFileSync(file, (await get(clerk, f.href)).body);
      expect(wellFormednessErrors(tools, file)).toBe('');
      expect(xpath(tools, file, 'local-name(/*)')).toBe('rueckmeldung.anmeldunginland.0201');
      expect(xpath(tools, file, 'namespace-uri(/*)')).toBe(XMELD_NS);
      const xsdDir = path.join(tools.xsdDir, 'xmeld243');
      const required = requiredChildrenOfElement(
        tools,
        path.join(xsdDir, 'xmeld-nachrichten-rueckmeldung.xsd'),
        'rueckmeldung.anmeldunginland.0201',
      );
      for (const name of ['nachrichtenkopf', ...required]) {
        expect(
          xpath(tools, file, `count(/*/*[local-name()='${name}' and namespace-uri()='${XMELD_NS}'])`),
          name,
        ).toBe('1');
      }
      const person = requiredChildrenOfType(
        tools,
        path.join(xsdDir, 'xmeld-nachrichten-rueckmeldung.xsd'),
        'type.rueckmeldung.natuerlicheperson',
      );
      expect(person).toContain('NAMENATUERLICHEPERSON');
      for (const child of person.filter((c) => c !== 'RELIGION')) {
        expect(
          xpath(tools, file, `count(//*[local-name()='zuzugsperson'][1]/*[local-name()='${child}'])`),
          child,
        ).not.toBe('0');
      }
      fs.rmSync(dir, { recursive: true, force: true });
    });
  });
});
