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
import { findXmlTools, schemaValidationErrors, xpath } from '../../../core/handover/xml-tools.js';
import {
  anschriftenaenderungDaten,
  ausserbetriebsetzungDaten,
  KREIS_OLPE,
  kurzzeitDaten,
  neuzulassungDaten,
  SIEGEN_WITTGENSTEIN,
  TODAY,
  umschreibungDaten,
  wiederzulassungDaten,
} from '../fixtures.js';
import { kfzApi } from '../test-helpers.js';
import { XKFZ_NS } from './handover.js';

const SW = SIEGEN_WITTGENSTEIN;
const xml = findXmlTools();

describeEachDialect('Zulassungsstelle: Übergabe (XKfz vorsystem.antrag.0707 + CSV)', (dialect) => {
  let ctx: TestContext;
  let clerk: TestUser;
  let head: TestUser;
  let a: ReturnType<typeof kfzApi>;
  let dir = '';
  /** Every XKfz message the tests of this file produced, for the schema validation at the end. */
  const messages: Array<{ name: string; file: string }> = [];

  async function exportBatch(procedureId: string) {
    const res = await a.post(clerk, '/api/handover/batches', { procedureId, authorityAgs: SW });
    expect(res.statusCode, res.body).toBe(201);
    const b = res.json();
    for (const f of b.files as Array<{ formatId: string; name: string; href: string }>) {
      if (f.formatId !== 'xkfz') continue;
      const file = path.join(dir, `${dialect}-${path.basename(f.name)}`);
      fs.writeFileSync(file, (await a.get(clerk, f.href)).body);
      messages.push({ name: f.name, file });
    }
    return b;
  }

  async function registered(
    data = neuzulassungDaten(),
    procedureId = 'neuzulassung',
    wahl: object = { wahl: 'naechstes' },
  ) {
    let c = await a.created(clerk, procedureId, data);
    c = await a.step(clerk, c, 'kennzeichen_zuteilen', wahl);
    c = await a.step(clerk, c, 'gebuehr_bar_bezahlen', {});
    return a.step(clerk, c, 'zulassen', { zb1Nummer: 'DEAAAA1234567890AB' });
  }

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nb-xkfz-'));
    ctx = await createTestContext(dialect, new Date(`${TODAY}T09:00:00Z`));
    a = kfzApi(ctx);
    clerk = await userWith(ctx, [{ ags: SW, office: 'zulassungsstelle' }]);
    head = await userWith(ctx, [{ ags: SW, office: 'zulassungsstelle', role: 'leitung' }]);
    await a.configure(head);
  });
  afterAll(async () => {
    await ctx.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('hands over registered vehicles as XKfz 0707 plus CSV, and takes the acknowledgement', async () => {
    const person = await registered();
    const firm = await registered(
      neuzulassungDaten({
        halter: {
          art: 'firma',
          familienname: undefined,
          vornamen: undefined,
          geburtsdatum: undefined,
          geburtsort: undefined,
          firmenname: 'Weiß & Söhne Baustoffe GmbH',
          registernummer: 'HRB 1234, Amtsgericht Siegen',
          hausnummer: '7',
        },
        kennzeichen: { zusatz: 'E' },
        fahrzeug: { kraftstoff: 'elektro', hersteller: 'Škoda', typ: 'Enyaq' },
      }),
    );
    // Not finished: not handed over.
    await a.created(clerk, 'neuzulassung', neuzulassungDaten());

    const b = await exportBatch('neuzulassung');
    expect(b.caseCount).toBe(2);
    expect(b.files.map((f: { formatId: string }) => f.formatId).sort()).toEqual(['csv', 'xkfz', 'xkfz']);
    const csvFile = b.files.find((f: { formatId: string }) => f.formatId === 'csv');
    const lines = (await a.get(clerk, csvFile.href)).body
      .replace(/^\uFEFF/, '')
      .trim()
      .split('\r\n');
    expect(lines[0]).toContain('aktenzeichen;vorgang;status;antragsdatum;halter_art;familienname');
    expect(lines).toHaveLength(3);
    const personLine = lines.find((l: string) => l.startsWith(person.aktenzeichen)) as string;
    expect(personLine).toContain(
      `${person.aktenzeichen};neuzulassung;zugelassen;${TODAY};person;Schäfer;Jülide Ayşe;1985-04-12`,
    );
    expect(personLine).toContain(`;${person.data.zuteilung.kennzeichen};;naechstes;`);
    expect(personLine).toContain(';DE89370400440532013000;Jülide Ayşe Schäfer;2700;');
    const firmLine = lines.find((l: string) => l.startsWith(firm.aktenzeichen)) as string;
    expect(firmLine).toContain(';firma;;;;Weiß & Söhne Baustoffe GmbH;');
    expect(firmLine).toContain(';E;naechstes;');

    const messageOf = (c: { aktenzeichen: string }) =>
      fs.readFileSync(
        messages.find((m) => m.name.includes(c.aktenzeichen.replace(/[ /]/g, '-')))?.file as string,
        'utf8',
      );
    const p = messageOf(person);
    expect(p).toContain('<xkfz:vorsystem.antrag.0707');
    expect(p).toContain(`xmlns:xkfz="${XKFZ_NS}"`);
    expect(p).toContain('<el:Kennzeichen>SI XA   1</el:Kennzeichen>');
    expect(p).toContain('<el:FamiliennameNachname>Schäfer</el:FamiliennameNachname>');
    // ş is outside the KBA character set: written as s, and the message says so.
    expect(p).toContain('<el:Vorname>Jülide Ayse</el:Vorname>');
    expect(p).toContain(
      '<xkfz:merkmalAbweichenderZeichenvorrat>true</xkfz:merkmalAbweichenderZeichenvorrat>',
    );
    expect(p).toContain('<el:Hausnummer>12</el:Hausnummer>');
    expect(p).toContain('<el:Adressierungszusaetze>a</el:Adressierungszusaetze>');
    expect(p).toContain('<el:Versicherungsbestaetigungsnummer>');
    expect(p).toContain('<xkfz:iban>DE89370400440532013000</xkfz:iban>');
    expect(p).toContain('<el:NaechsteHauptuntersuchung>122029</el:NaechsteHauptuntersuchung>');
    expect(p).toContain('<xkfz:betrag>27.00</xkfz:betrag>');
    const f = messageOf(firm);
    expect(f).toContain(
      '<el:NameJuristischePerson>Weiß &amp; Söhne Baustoffe GmbH</el:NameJuristischePerson>',
    );
    expect(f).toContain('<el:MerkmalElektrokennzeichen>true</el:MerkmalElektrokennzeichen>');
    expect(f).toContain('<el:TextHersteller>Skoda</el:TextHersteller>');

    // Nothing new a second time; the acknowledgement closes the batch.
    expect(
      (await a.post(clerk, '/api/handover/batches', { procedureId: 'neuzulassung', authorityAgs: SW }))
        .statusCode,
    ).toBe(409);
    const ack = await a.post(clerk, `/api/handover/batches/${b.id}/acknowledgement`, {
      entries: [
        { aktenzeichen: person.aktenzeichen, status: 'uebernommen' },
        { aktenzeichen: firm.aktenzeichen, status: 'uebernommen' },
      ],
    });
    expect(ack.statusCode).toBe(200);
    expect(ack.json().accepted).toBe(2);
  });

  it('writes a message for every registration procedure', async () => {
    // Umschreibung keeping the plate, and from another district with a new plate.
    const u = await a.created(clerk, 'umschreibung', umschreibungDaten());
    await a.paidAndDone(clerk, u, 'umschreiben');
    let u2 = await a.created(
      clerk,
      'umschreibung',
      umschreibungDaten({
        umschreibung: { herkunft: 'anderer_bezirk', bisherigesKennzeichen: 'OE-K 77', kennzeichen: 'neu' },
      }),
    );
    u2 = await a.step(clerk, u2, 'kennzeichen_zuteilen', { wahl: 'naechstes' });
    await a.paidAndDone(clerk, u2, 'umschreiben');
    await exportBatch('umschreibung');

    const ab = await a.created(
      clerk,
      'ausserbetriebsetzung',
      ausserbetriebsetzungDaten({
        kennzeichen: { aktuell: 'SI-AB 123', reservieren: true },
        abmeldung: { verwertungsnachweis: true },
      }),
    );
    await a.paidAndDone(clerk, ab, 'ausser_betrieb_setzen');
    const abBatch = await exportBatch('ausserbetriebsetzung');
    const abFile = messages.find(
      (m) => m.name.startsWith(`xkfz/ausserbetriebsetzung-`) && m.file.startsWith(path.join(dir, dialect)),
    );
    const abText = fs.readFileSync(abFile?.file as string, 'utf8');
    expect(abText).toContain(
      `<el:DatumEntstempelungKennzeichen>${TODAY}+01:00</el:DatumEntstempelungKennzeichen>`,
    );
    expect(abText).toContain('<el:DatumAblaufKennzeichenreservierung>');
    expect(abBatch.caseCount).toBe(1);

    await registered(wiederzulassungDaten(), 'wiederzulassung');
    await exportBatch('wiederzulassung');

    const aa = await a.created(clerk, 'anschriftenaenderung', anschriftenaenderungDaten());
    await a.paidAndDone(clerk, aa, 'anschrift_aendern');
    await exportBatch('anschriftenaenderung');

    // Kurzzeitkennzeichen: CSV only.
    let kk = await a.created(clerk, 'kurzzeitkennzeichen', kurzzeitDaten());
    kk = await a.step(clerk, kk, 'kennzeichen_zuteilen', { wahl: 'naechstes' });
    await a.paidAndDone(clerk, kk, 'aushaendigen');
    const kb = await exportBatch('kurzzeitkennzeichen');
    expect(kb.files.map((f: { formatId: string }) => f.formatId)).toEqual(['csv']);
    const csv = (await a.get(clerk, kb.files[0].href)).body;
    expect(csv).toContain(';SI-04001;;naechstes;');
  });

  it('refuses the export to another Kreis and another office', async () => {
    const olpe = await userWith(ctx, [{ ags: KREIS_OLPE, office: 'zulassungsstelle', role: 'leitung' }]);
    const other = await userWith(ctx, [{ ags: SW, office: 'fahrerlaubnisbehoerde', role: 'leitung' }]);
    for (const user of [olpe, other]) {
      expect(
        (await a.post(user, '/api/handover/batches', { procedureId: 'neuzulassung', authorityAgs: SW }))
          .statusCode,
      ).toBe(403);
    }
  });

  describe.skipIf(!xml.tools)('XKfz schema (xmllint, full validation)', () => {
    it('validates every message these tests produced against xkfz-vorsystem.xsd', () => {
      const tools = xml.tools as NonNullable<typeof xml.tools>;
      const xsd = path.join(tools.xsdDir, 'xkfz', 'xkfz-vorsystem.xsd');
      const mine = messages.filter((m) => m.file.startsWith(path.join(dir, dialect)));
      expect(mine.length).toBeGreaterThanOrEqual(7);
      for (const m of mine) {
        expect(schemaValidationErrors(tools, xsd, m.file), m.name).toBe('');
        expect(xpath(tools, m.file, 'local-name(/*)')).toBe('vorsystem.antrag.0707');
        expect(xpath(tools, m.file, 'namespace-uri(/*)')).toBe(XKFZ_NS);
      }
      // The validation is real: a message with a broken plate fails it.
      const broken = path.join(dir, `${dialect}-broken.xml`);
      fs.writeFileSync(
        broken,
        fs
          .readFileSync(mine[0]?.file as string, 'utf8')
          .replace(/<el:Kennzeichen>[^<]*</, '<el:Kennzeichen>SI-XA-1<'),
      );
      expect(schemaValidationErrors(tools, xsd, broken)).toContain('Kennzeichen');
    });
  });
});
