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
import { HandoverRegistry } from '../../../core/handover/format.js';
import { HandoverService } from '../../../core/handover/service.js';
import {
  findXmlTools,
  requiredChildrenOfElement,
  requiredChildrenOfType,
  wellFormednessErrors,
  xpath,
} from '../../../core/handover/xml-tools.js';
import { eheDaten, geburtDaten, sterbefallDaten } from '../fixtures.js';
import { api, OLPE, SIEGEN } from '../test-helpers.js';
import { registerStandesamtHandover, XPS_NS } from './handover.js';

const xml = findXmlTools();

describeEachDialect('Standesamt: Übergabe (XPersonenstand + CSV)', (dialect) => {
  let ctx: TestContext;
  let clerk: TestUser;
  let head: TestUser;
  let otherTown: TestUser;
  let otherOffice: TestUser;
  let a: ReturnType<typeof api>;
  const registered: Record<string, Array<{ id: string; aktenzeichen: string; nummer: string }>> = {
    geburt: [],
    sterbefall: [],
    eheschliessung: [],
  };

  const post = (user: TestUser, url: string, payload: object, key: string = randomUUID()) =>
    ctx.app.inject({ method: 'POST', url, headers: { ...user.headers, 'idempotency-key': key }, payload });
  const getJson = (user: TestUser, url: string) =>
    ctx.app.inject({ method: 'GET', url, headers: user.headers });

  async function register(procedureId: string, data: unknown) {
    const c = (await a.create(clerk, procedureId, data)).json();
    const docs = await a.allDocuments(clerk, c);
    const reg = await a.act(clerk, c.id, 'registrieren', docs.version);
    expect(reg.statusCode).toBe(200);
    const r = reg.json();
    registered[procedureId]?.push({
      id: r.id,
      aktenzeichen: r.aktenzeichen,
      nummer: r.data.registereintrag.nummer,
    });
  }

  beforeAll(async () => {
    ctx = await createTestContext(dialect);
    a = api(ctx);
    clerk = await userWith(ctx, [{ ags: SIEGEN, office: 'standesamt' }]);
    head = await userWith(ctx, [{ ags: SIEGEN, office: 'standesamt', role: 'leitung' }]);
    await register('geburt', geburtDaten());
    await register(
      'geburt',
      geburtDaten({ kind: { familienname: 'Nußbaum', vornamen: 'Ömer', geburtsort: 'Netphen' } }),
    );
    await register('sterbefall', sterbefallDaten());
    // A marriage: room, slot, booking, ceremony on the day.
    const room = (
      await post(head, '/api/rooms', { authorityAgs: SIEGEN, name: 'Trauzimmer Oberes Schloss' })
    ).json();
    await post(head, `/api/rooms/${room.id}/slots`, {
      slots: [{ startsAt: '2026-11-26T14:00:00Z', endsAt: '2026-11-26T14:30:00Z' }],
    });
    const slots = (await getJson(clerk, `/api/rooms/${room.id}/slots?free=true`)).json().items;
    const e = (await a.create(clerk, 'eheschliessung', eheDaten())).json();
    const booked = (await a.act(clerk, e.id, 'termin_buchen', e.version, { slotId: slots[0].id })).json();
    const docs = await a.allDocuments(clerk, booked);
    // After the ceremony (sessions idle out when the clock jumps: log in again).
    ctx.clock.now = new Date('2026-11-26T14:40:00Z');
    clerk = await userWith(ctx, [{ ags: SIEGEN, office: 'standesamt' }]);
    const done = await a.act(clerk, e.id, 'eheschliessung_durchfuehren', docs.version);
    expect(done.statusCode).toBe(200);
    otherTown = await userWith(ctx, [{ ags: OLPE, office: 'standesamt', role: 'leitung' }]);
    otherOffice = await userWith(ctx, [{ ags: SIEGEN, office: 'meldebehoerde', role: 'leitung' }]);
    registered.eheschliessung?.push({
      id: e.id,
      aktenzeichen: e.aktenzeichen,
      nummer: done.json().data.registereintrag.nummer,
    });
  });
  afterAll(() => ctx.close());

  async function fileText(user: TestUser, href: string) {
    const res = await getJson(user, href);
    expect(res.statusCode).toBe(200);
    return res.rawPayload;
  }

  it('exports registered births as one XPersonenstand message per case plus a CSV, with a manifest', async () => {
    const key = randomUUID();
    const res = await post(
      clerk,
      '/api/handover/batches',
      { procedureId: 'geburt', authorityAgs: SIEGEN },
      key,
    );
    expect(res.statusCode).toBe(201);
    const b = res.json();
    expect(b.status).toBe('exportiert');
    expect(b.caseCount).toBe(2);
    expect(b.cases.map((c: { aktenzeichen: string }) => c.aktenzeichen).sort()).toEqual(
      registered.geburt?.map((c) => c.aktenzeichen).sort(),
    );
    expect(b.files.map((f: { formatId: string }) => f.formatId).sort()).toEqual([
      'csv',
      'xpersonenstand',
      'xpersonenstand',
    ]);
    expect(b.manifest.caseCount).toBe(2);
    for (const f of b.files) {
      const body = await fileText(clerk, f.href);
      expect(f.sha256).toBe(await sha256(body));
      expect(f.bytes).toBe(body.length);
    }
    const manifest = JSON.parse(
      (await fileText(clerk, `/api/handover/batches/${b.id}/files/manifest.json`)).toString(),
    );
    expect(manifest.files).toEqual(b.manifest.files);

    const csv = (
      await fileText(clerk, b.files.find((f: { formatId: string }) => f.formatId === 'csv').href)
    ).toString('utf8');
    const lines = csv
      .replace(/^\uFEFF/, '')
      .trim()
      .split('\r\n');
    expect(lines[0]).toMatch(/^aktenzeichen;registernummer;eingetragen_am;familienname;vornamen;/);
    expect(lines).toHaveLength(3);
    expect(csv).toContain('Nußbaum;Ömer');

    // The same key returns the same batch, and a second export finds nothing new.
    const again = await post(
      clerk,
      '/api/handover/batches',
      { procedureId: 'geburt', authorityAgs: SIEGEN },
      key,
    );
    expect(again.statusCode).toBe(201);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.json().id).toBe(b.id);
    const second = await post(clerk, '/api/handover/batches', {
      procedureId: 'geburt',
      authorityAgs: SIEGEN,
    });
    expect(second.statusCode).toBe(409);
    expect(second.json().title).toBe('Nichts zu übergeben');
  });

  describe.skipIf(!xml.tools)('XPersonenstand structure (xmllint)', () => {
    const cases = [
      ['geburt', 'stA2MB.Geburt.031010'],
      ['sterbefall', 'stA2MB.Sterbefall.035010'],
      ['eheschliessung', 'stA2MB.Ehe.032010'],
    ] as const;
    for (const [procedureId, message] of cases) {
      it(`writes well-formed ${message} messages with the schema's required elements`, async () => {
        const tools = xml.tools as NonNullable<typeof xml.tools>;
        const list = (
          await getJson(clerk, `/api/handover/batches?authorityAgs=${SIEGEN}&procedureId=${procedureId}`)
        ).json();
        let batchId = list.items[0]?.id as string | undefined;
        if (!batchId) {
          const res = await post(clerk, '/api/handover/batches', { procedureId, authorityAgs: SIEGEN });
          expect(res.statusCode).toBe(201);
          batchId = res.json().id;
        }
        const b = (await getJson(clerk, `/api/handover/batches/${batchId}`)).json();
        const xmlFiles = b.files.filter((f: { formatId: string }) => f.formatId === 'xpersonenstand');
        expect(xmlFiles.length).toBe(registered[procedureId]?.length);
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nb-xml-'));
        const xsd = path.join(
          tools.xsdDir,
          'xpersonenstand175',
          'xpersonenstand-nachrichten-meldebehoerden.xsd',
        );
        const baukasten = path.join(tools.xsdDir, 'xpersonenstand175', 'xpersonenstand-baukasten.xsd');
        const required = [
          ...requiredChildrenOfType(tools, baukasten, 'Nachricht.G2G'),
          ...requiredChildrenOfType(tools, xsd, 'Nachricht.StA2MB'),
          ...requiredChildrenOfElement(tools, xsd, message),
        ];
        expect(required).toContain('nachrichtenkopf');
        expect(required).toContain('identifikationPerson');
        const personRequired = requiredChildrenOfType(tools, xsd, 'StA2MB.Person');
        expect(personRequired).toEqual(['namen', 'geburtsangaben', 'geschlecht']);
        for (const f of xmlFiles) {
          const file = path.join(dir, path.basename(f.name));
          fs.writeFileSync(file, await fileText(clerk, f.href));
          expect(wellFormednessErrors(tools, file)).toBe('');
          expect(xpath(tools, file, 'local-name(/*)')).toBe(message);
          expect(xpath(tools, file, 'namespace-uri(/*)')).toBe(XPS_NS);
          for (const attr of ['produkt', 'produkthersteller', 'standard', 'version']) {
            expect(xpath(tools, file, `string(/*/@${attr})`)).not.toBe('');
          }
          const children = xpath(tools, file, `count(/*/*)`);
          expect(Number(children)).toBeGreaterThanOrEqual(required.length);
          for (const name of required) {
            expect(
              xpath(tools, file, `count(/*/*[local-name()='${name}' and namespace-uri()='${XPS_NS}'])`),
              `${message}: ${name}`,
            ).toBe('1');
          }
          expect(xpath(tools, file, `string(//*[local-name()='nachrichtentyp']/code)`)).toBe(
            message.slice(-6),
          );
          for (const p of ['identifikationPerson']) {
            for (const child of personRequired) {
              expect(xpath(tools, file, `count(/*/*[local-name()='${p}']/*[local-name()='${child}'])`)).toBe(
                '1',
              );
            }
          }
          // The register number travels as the Aktenzeichen of the entry.
          const text = fs.readFileSync(file, 'utf8');
          expect(registered[procedureId]?.some((c) => text.includes(`>${c.nummer}<`))).toBe(true);
        }
      });
    }
  });

  it('imports an acknowledgement: accepted cases are handed over, a rejected one is free for a new batch', async () => {
    const b = (
      await post(clerk, '/api/handover/batches', { procedureId: 'sterbefall', authorityAgs: SIEGEN })
    ).json();
    const list = (
      await getJson(clerk, `/api/handover/batches?authorityAgs=${SIEGEN}&procedureId=sterbefall`)
    ).json();
    const batchId = b.id ?? list.items[0].id;
    const batch = (await getJson(clerk, `/api/handover/batches/${batchId}`)).json();
    const az = batch.cases[0].aktenzeichen;

    const wrong = await post(clerk, `/api/handover/batches/${batchId}/acknowledgement`, {
      content: 'aktenzeichen;status;grund\r\nXX 1/2026;uebernommen;\r\n',
    });
    expect(wrong.statusCode).toBe(400);
    expect(wrong.json().detail).toContain('Es wurde nichts geändert');

    const rejected = await post(clerk, `/api/handover/batches/${batchId}/acknowledgement`, {
      content: `\uFEFFaktenzeichen;status;grund\r\n${az};abgelehnt;"Sterbeort unleserlich; bitte prüfen"\r\n`,
    });
    expect(rejected.statusCode).toBe(200);
    expect(rejected.json()).toMatchObject({ accepted: 0, rejected: 1 });
    expect(rejected.json().batch.status).toBe('quittiert');
    expect(rejected.json().batch.cases[0]).toMatchObject({
      status: 'abgelehnt',
      note: 'Sterbeort unleserlich; bitte prüfen',
    });

    const retry = await post(clerk, '/api/handover/batches', {
      procedureId: 'sterbefall',
      authorityAgs: SIEGEN,
    });
    expect(retry.statusCode).toBe(201);
    expect(retry.json().cases.map((c: { aktenzeichen: string }) => c.aktenzeichen)).toEqual([az]);
    const ok = await post(clerk, `/api/handover/batches/${retry.json().id}/acknowledgement`, {
      entries: [{ aktenzeichen: az, status: 'uebernommen' }],
    });
    expect(ok.statusCode).toBe(200);
    expect(ok.json().batch.cases[0].statusLabel).toBe('Übergeben');
    const history = (await getJson(clerk, `/api/handover/cases/${batch.cases[0].caseId}`)).json();
    expect(history.items.map((h: { status: string }) => h.status)).toEqual(['abgelehnt', 'uebergeben']);
    const none = await post(clerk, '/api/handover/batches', {
      procedureId: 'sterbefall',
      authorityAgs: SIEGEN,
    });
    expect(none.statusCode).toBe(409);
  });

  it('never puts a case into two batches when exports run at the same time', async () => {
    const results = await Promise.all(
      [0, 1, 2].map(() =>
        post(clerk, '/api/handover/batches', { procedureId: 'eheschliessung', authorityAgs: SIEGEN }),
      ),
    );
    const list = (
      await getJson(clerk, `/api/handover/batches?authorityAgs=${SIEGEN}&procedureId=eheschliessung`)
    ).json();
    const live = list.items.filter((i: { status: string }) => i.status !== 'abgelehnt');
    const total = live.reduce((n: number, i: { caseCount: number }) => n + i.caseCount, 0);
    expect(total).toBe(registered.eheschliessung?.length);
    expect(results.every((r) => r.statusCode === 201 || r.statusCode === 409)).toBe(true);
  });

  it('rejects a whole batch and releases its cases', async () => {
    const list = (
      await getJson(clerk, `/api/handover/batches?authorityAgs=${SIEGEN}&procedureId=eheschliessung`)
    ).json();
    const id = list.items.find((i: { status: string }) => i.status === 'exportiert').id;
    const res = await post(clerk, `/api/handover/batches/${id}/rejection`, {
      grund: 'Datei beim Empfänger nicht lesbar',
    });
    expect(res.statusCode).toBe(200);
    expect(res.json().status).toBe('abgelehnt');
    const again = await post(clerk, '/api/handover/batches', {
      procedureId: 'eheschliessung',
      authorityAgs: SIEGEN,
    });
    expect(again.statusCode).toBe(201);
    expect(again.json().caseCount).toBe(1);
  });

  it('refuses other towns and other offices on every handover route', async () => {
    const list = (
      await getJson(clerk, `/api/handover/batches?authorityAgs=${SIEGEN}&procedureId=geburt`)
    ).json();
    const b = (await getJson(clerk, `/api/handover/batches/${list.items[0].id}`)).json();
    const caseId = b.cases[0].caseId;
    for (const user of [otherTown, otherOffice]) {
      expect(
        (await post(user, '/api/handover/batches', { procedureId: 'geburt', authorityAgs: SIEGEN }))
          .statusCode,
      ).toBe(403);
      expect(
        (await getJson(user, `/api/handover/batches?authorityAgs=${SIEGEN}&procedureId=geburt`)).statusCode,
      ).toBe(403);
      expect((await getJson(user, `/api/handover/batches/${b.id}`)).statusCode).toBe(403);
      expect((await getJson(user, b.files[0].href)).statusCode).toBe(403);
      expect((await getJson(user, `/api/handover/batches/${b.id}/files/manifest.json`)).statusCode).toBe(403);
      expect(
        (
          await post(user, `/api/handover/batches/${b.id}/acknowledgement`, {
            entries: [{ aktenzeichen: b.cases[0].aktenzeichen, status: 'uebernommen' }],
          })
        ).statusCode,
      ).toBe(403);
      expect((await post(user, `/api/handover/batches/${b.id}/rejection`, { grund: 'x' })).statusCode).toBe(
        403,
      );
      expect((await getJson(user, `/api/handover/cases/${caseId}`)).statusCode).toBe(403);
    }
    // Files not in the manifest are not served, whatever the path.
    expect(
      (await getJson(clerk, `/api/handover/batches/${b.id}/files/..%2F..%2Fetc%2Fpasswd`)).statusCode,
    ).toBe(404);
  });

  it('streams a large batch page by page with progress', async () => {
    // 450 registered deaths at another registry office, written directly (faster than the API).
    const template = (await a.get(clerk, registered.sterbefall?.[0]?.id as string)).json();
    const base = await ctx.handle.db
      .selectFrom('cases')
      .selectAll()
      .where('id', '=', template.id)
      .executeTakeFirstOrThrow();
    const KREUZTAL = '05970024';
    const rows = Array.from({ length: 450 }, (_, i) => ({
      ...base,
      id: randomUUID(),
      authority_ags: KREUZTAL,
      seq: 1000 + i,
      aktenzeichen: `SF ${1000 + i}/2026`,
    }));
    for (let i = 0; i < rows.length; i += 50)
      await ctx.handle.db
        .insertInto('cases')
        .values(rows.slice(i, i + 50))
        .execute();
    const handovers = new HandoverRegistry();
    registerStandesamtHandover(handovers);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nb-handover-'));
    const service = new HandoverService({
      db: ctx.handle.db,
      registry: ctx.app.services.registry,
      handovers,
      installationId: 'test',
      dir,
      now: () => ctx.clock.now,
    });
    const principal = {
      userId: 'test',
      username: 'test',
      displayName: 'Test',
      grants: [
        { authorityAgs: KREUZTAL, officeType: 'standesamt' as const, role: 'sachbearbeitung' as const },
      ],
      isAdmin: false,
      isCrisisTeam: false,
    };
    const progress: Array<[number, number, string]> = [];
    const res = await service.export(
      principal,
      { procedureId: 'sterbefall', authorityAgs: KREUZTAL },
      { key: randomUUID(), scope: 'test', requestHash: 'x' },
      (done, total, file) => progress.push([done, total, file]),
    );
    const b = res.body as { id: string; caseCount: number; files: Array<{ name: string }> };
    expect(b.caseCount).toBe(450);
    expect(b.files).toHaveLength(451);
    const csvProgress = progress.filter(([, , f]) => f.endsWith('.csv'));
    expect(csvProgress).toHaveLength(450);
    expect(csvProgress.at(-1)).toEqual([450, 450, 'nacherfassung-05970024.csv']);
    const csv = fs.readFileSync(path.join(dir, b.id, 'nacherfassung-05970024.csv'), 'utf8');
    const lines = csv.trim().split('\r\n');
    expect(lines).toHaveLength(451);
    expect(new Set(lines.slice(1).map((l) => l.split(';')[0])).size).toBe(450);
  });
});

async function sha256(buf: Buffer): Promise<string> {
  const { createHash } = await import('node:crypto');
  return createHash('sha256').update(buf).digest('hex');
}
