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
} from '../../../test/harness.js';
import { fontsEmbedded, pdfText } from '../../../test/pdf.js';
import {
  findXmlTools,
  requiredChildrenOfType,
  wellFormednessErrors,
  xpath,
} from '../../core/handover/xml-tools.js';
import { antragDaten, beschaeftigungDaten } from './fixtures.js';
import { XAUSLAENDER_NS } from './server/handover.js';

const KREIS_SI = '05970000';
const KREIS_OE = '05966000';
const OFFICE = 'auslaenderbehoerde';
const xml = findXmlTools();

describeEachDialect(
  'Ausländerbehörde: Anträge, Fiktionsbescheinigung, Beschäftigungserlaubnis, Ablaufliste, Übergabe',
  (dialect) => {
    let ctx: TestContext;
    let clerk: TestUser;
    let olpe: TestUser;
    let sozialamt: TestUser;

    const post = (user: TestUser, url: string, payload: object) =>
      ctx.app.inject({
        method: 'POST',
        url,
        headers: { ...user.headers, 'idempotency-key': randomUUID() },
        payload,
      });
    const get = (user: TestUser, url: string) =>
      ctx.app.inject({ method: 'GET', url, headers: user.headers });
    const create = (user: TestUser, procedureId: string, data: object, ags = KREIS_SI) =>
      post(user, '/api/cases', { procedureId, authorityAgs: ags, data });
    const act = (user: TestUser, id: string, action: string, expectedVersion: number, payload: object = {}) =>
      post(user, `/api/cases/${id}/actions/${action}`, { expectedVersion, payload });
    const countCases = async () =>
      Number(
        (
          await ctx.handle.db
            .selectFrom('cases')
            .select((eb) => eb.fn.countAll().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      );
    /** Moves the clock and returns a clerk with a fresh session (sessions expire after 30 idle minutes). */
    const at = async (iso: string) => {
      ctx.clock.now = new Date(`${iso}T10:00:00Z`);
      return userWith(ctx, [{ ags: KREIS_SI, office: OFFICE }]);
    };
    const pdfOf = async (user: TestUser, url: string) => {
      const r = await get(user, url);
      expect(r.statusCode).toBe(200);
      expect(r.headers['content-type']).toContain('application/pdf');
      expect(fontsEmbedded(r.rawPayload)).toBe(true);
      return (await pdfText(r.rawPayload)).replace(/\s+/g, ' ');
    };

    beforeAll(async () => {
      ctx = await createTestContext(dialect);
      clerk = await userWith(ctx, [{ ags: KREIS_SI, office: OFFICE }]);
      olpe = await userWith(ctx, [{ ags: KREIS_OE, office: OFFICE, role: 'leitung' }]);
      sozialamt = await userWith(ctx, [{ ags: KREIS_SI, office: 'sozialamt', role: 'leitung' }]);
    });
    afterAll(() => ctx.close());

    describe('Aufenthaltstitel and Fiktionsbescheinigung', () => {
      it('refuses an application with bad data in German, an unknown title, and other offices; stores nothing', async () => {
        const before = await countCases();
        const bad = antragDaten({ bisher: { status: 'schengen_visum' }, antragsdatum: '2026-12-01' });
        const r = await create(clerk, 'aufenthaltstitel_antrag', bad);
        expect(r.statusCode).toBe(400);
        expect(r.json().errors).toEqual(
          expect.arrayContaining([
            { path: 'data/antrag/antragsdatum', message: 'Antrag gestellt am: liegt in der Zukunft.' },
            {
              path: 'data/bisher/gueltigBis',
              message: 'Gültig bis: Für diesen Aufenthaltsstatus bitte angeben.',
            },
            {
              path: 'data/antrag/art',
              message: 'Antrag auf: Verlängern lässt sich nur ein Aufenthaltstitel.',
            },
          ]),
        );
        const unknown = antragDaten();
        unknown.antrag.titel = 'p99';
        const u = await create(clerk, 'aufenthaltstitel_antrag', unknown);
        expect(u.statusCode).toBe(400);
        expect(u.json().errors).toEqual([
          { path: 'data/antrag/titel', message: 'Beantragter Aufenthaltstitel: nicht im Titelkatalog.' },
        ]);
        const mixed = await create(
          clerk,
          'aufenthaltstitel_antrag',
          antragDaten({
            art: 'erteilung',
            bisher: { status: 'visumfrei', titel: 'p18b', gueltigBis: '2026-12-01' },
          }),
        );
        expect(mixed.json().errors).toEqual([
          {
            path: 'data/bisher/titel',
            message: 'Bisheriger Aufenthaltstitel: nur beim Status „Aufenthaltstitel“ angeben.',
          },
        ]);
        expect((await create(sozialamt, 'aufenthaltstitel_antrag', antragDaten())).statusCode).toBe(403);
        expect((await create(olpe, 'aufenthaltstitel_antrag', antragDaten())).statusCode).toBe(403);
        expect(await countCases()).toBe(before);
      });

      it('derives § 81 Abs. 4, issues the certificate for 3 months, prints it in the D3 structure and renews it numbered', async () => {
        clerk = await at('2026-11-26');
        const c = (await create(clerk, 'aufenthaltstitel_antrag', antragDaten())).json();
        expect(c.aktenzeichen).toMatch(/^AT \d+\/2026$/);
        expect(c.status).toBe('beantragt');
        const pruefung = (await get(clerk, `/api/auslaender/faelle/${c.id}/pruefung`)).json();
        expect(pruefung).toMatchObject({
          art: 'fiktion',
          ergebnis: 'abs4',
          norm: '§ 81 Abs. 4 Satz 1 AufenthG',
          beschaeftigung: 'Erwerbstätigkeit erlaubt (wie bisheriger Aufenthaltstitel nach § 18b AufenthG).',
          naechsteGueltigkeit: { nr: 0, gueltigAb: '2026-11-26', bis3: '2027-02-25', bis6: '2027-05-25' },
        });
        expect((await get(olpe, `/api/auslaender/faelle/${c.id}/pruefung`)).statusCode).toBe(403);

        const issued = await act(clerk, c.id, 'fiktion_ausstellen', 1, { monate: '3' });
        expect(issued.statusCode).toBe(200);
        const v = issued.json();
        expect(v.status).toBe('fiktion');
        expect(v.data.fiktion.wirkung).toBe('abs4');
        expect(v.data.bescheinigungen).toEqual([
          {
            nr: 0,
            bescheinigungsNr: `${c.aktenzeichen}-F1`,
            ausgestelltAm: '2026-11-26',
            gueltigAb: '2026-11-26',
            gueltigBis: '2027-02-25',
            monate: 3,
          },
        ]);
        expect(v.summary).toBe(
          'Kovalenko, Oleksandr Jürgen – Verlängerung des Aufenthaltstitels, Fiktionsbescheinigung bis 25.02.2027',
        );
        const t = await pdfOf(clerk, `/api/cases/${c.id}/documents/fiktionsbescheinigung`);
        expect(t).toContain('Fiktionsbescheinigung (§ 81 Abs. 5 AufenthG)');
        expect(t).toContain(`Bescheinigung Nr.: ${c.aktenzeichen}-F1`);
        expect(t).toContain('Oleksandr Jürgen');
        expect(t).toContain('Anschrift: Koblenzer Straße 7, 57072 Siegen');
        expect(t).toContain('[X] Der Aufenthaltstitel gilt als fortbestehend (§ 81 Abs. 4 AufenthG).');
        expect(t).toContain('[ ] Der Aufenthalt gilt als erlaubt (§ 81 Abs. 3 Satz 1 AufenthG).');
        expect(t).toContain('Gültig vom: 26.11.2026 bis 25.02.2027');
        expect(t).toMatch(
          /Erwerbstätigkeit: Erwerbstätigkeit erlaubt \(wie bisheriger Aufenthaltstitel nach § 18b AufenthG\)\./,
        );
        expect(t).toContain('Diese Bescheinigung ist kein Aufenthaltstitel.');

        // Renewed before it lapses: continues without a gap, for 6 months, numbered 1.
        clerk = await at('2027-02-20');
        const renewed = await act(clerk, c.id, 'fiktion_verlaengern', 2, { monate: '6' });
        expect(renewed.statusCode).toBe(200);
        expect(renewed.json().data.bescheinigungen[1]).toEqual({
          nr: 1,
          bescheinigungsNr: `${c.aktenzeichen}-F2`,
          ausgestelltAm: '2027-02-20',
          gueltigAb: '2027-02-26',
          gueltigBis: '2027-08-25',
          monate: 6,
        });
        const t2 = await pdfOf(clerk, `/api/cases/${c.id}/documents/fiktionsbescheinigung`);
        expect(t2).toContain('Verlängerung Nr. 1');
        expect(t2).toContain('Gültig vom: 26.02.2027 bis 25.08.2027');
        // A stale version is refused and changes nothing.
        expect((await act(clerk, c.id, 'fiktion_verlaengern', 2, { monate: '3' })).statusCode).toBe(409);
        expect((await get(clerk, `/api/cases/${c.id}`)).json().data.bescheinigungen).toHaveLength(2);
        clerk = await at('2026-11-26');
      });

      it('refuses a Fiktionsbescheinigung for a Schengen visa with the reason, and changes nothing', async () => {
        const c = (
          await create(
            clerk,
            'aufenthaltstitel_antrag',
            antragDaten({ art: 'erteilung', bisher: { status: 'schengen_visum', gueltigBis: '2026-12-10' } }),
          )
        ).json();
        const r = await act(clerk, c.id, 'fiktion_ausstellen', 1, { monate: '6' });
        expect(r.statusCode).toBe(409);
        expect(r.json().title).toBe('Keine Fiktionswirkung');
        expect(r.json().detail).toBe(
          'Für ein Schengen-Visum (§ 6 Abs. 1 Nr. 1 AufenthG) tritt keine Fortgeltungsfiktion ein (§ 81 Abs. 4 Satz 2 AufenthG), auch wenn der Antrag vom 20.11.2026 rechtzeitig gestellt wurde.',
        );
        const after = (await get(clerk, `/api/cases/${c.id}`)).json();
        expect(after.status).toBe('beantragt');
        expect(after.version).toBe(1);
        expect(after.data.bescheinigungen).toBeUndefined();
      });

      it('issues Abs. 3 S. 2 after a late visa-free application, with no work allowed', async () => {
        const c = (
          await create(
            clerk,
            'aufenthaltstitel_antrag',
            antragDaten({
              familienname: 'Öztürk',
              art: 'erteilung',
              bisher: { status: 'visumfrei', gueltigBis: '2026-11-10' },
            }),
          )
        ).json();
        const r = await act(clerk, c.id, 'fiktion_ausstellen', 1, { monate: '3' });
        expect(r.statusCode).toBe(200);
        expect(r.json().data.fiktion).toMatchObject({
          wirkung: 'abs3s2',
          norm: '§ 81 Abs. 3 Satz 2 AufenthG',
        });
        const t = await pdfOf(clerk, `/api/cases/${c.id}/documents/fiktionsbescheinigung`);
        expect(t).toContain('Öztürk');
        expect(t).toContain('[X] Die Abschiebung gilt als ausgesetzt (§ 81 Abs. 3 Satz 2 AufenthG).');
        expect(t).toMatch(/Erwerbstätigkeit nicht gestattet, soweit nicht von der Ausländerbehörde erlaubt/);
        // The decision is entered by hand later; the catalogue is checked.
        expect(
          (
            await act(clerk, c.id, 'titel_erteilen', 2, {
              titel: 'x',
              gueltigAb: '2026-12-01',
              gueltigBis: '2027-11-30',
            })
          ).statusCode,
        ).toBe(400);
        const done = await act(clerk, c.id, 'titel_erteilen', 2, {
          titel: 'p18a',
          nummer: 'Y7654321',
          gueltigAb: '2026-12-01',
          gueltigBis: '2027-11-30',
        });
        expect(done.statusCode).toBe(200);
        expect(done.json().data.erteilung.titelText).toBe(
          'Aufenthaltserlaubnis nach § 18a AufenthG (Fachkräfte mit Berufsausbildung)',
        );
      });

      it('serves the title catalogue to signed-in users', async () => {
        const r = await get(clerk, '/api/auslaender/titelkatalog');
        expect(r.statusCode).toBe(200);
        expect(r.json().items.map((t: { paragraph: string }) => t.paragraph)).toContain('§ 18g AufenthG');
        expect(
          (await ctx.app.inject({ method: 'GET', url: '/api/auslaender/titelkatalog' })).statusCode,
        ).toBe(401);
      });
    });

    describe('Beschäftigungserlaubnis with the BA consent step', () => {
      it('asks the BA, enters the consent by hand, permits and prints the result', async () => {
        const c = (await create(clerk, 'beschaeftigungserlaubnis', beschaeftigungDaten())).json();
        expect(c.aktenzeichen).toMatch(/^BE \d+\/2026$/);
        const p = (await get(clerk, `/api/auslaender/faelle/${c.id}/pruefung`)).json();
        expect(p).toMatchObject({ art: 'beschaeftigung', ergebnis: 'ermessen', zustimmungBaNoetig: true });
        // Without the BA's consent no permit.
        const early = await act(clerk, c.id, 'erlauben', 1, { gueltigBis: '2027-02-14' });
        expect(early.statusCode).toBe(409);
        expect(early.json().title).toBe('Zustimmung der BA fehlt');
        expect((await act(clerk, c.id, 'ba_anfragen', 1, { angefragtAm: '2026-11-26' })).statusCode).toBe(
          200,
        );
        const bad = await act(clerk, c.id, 'ba_zustimmung_eintragen', 2, { datum: '2026-11-25' });
        expect(bad.statusCode).toBe(400);
        expect(bad.json().errors).toEqual([
          { path: 'payload/datum', message: 'Zustimmung der BA vom: liegt vor der Anfrage.' },
        ]);
        expect(
          (
            await act(clerk, c.id, 'ba_zustimmung_eintragen', 2, {
              datum: '2026-11-26',
              zeichen: 'BA-SI 12/26',
            })
          ).statusCode,
        ).toBe(200);
        const long = await act(clerk, c.id, 'erlauben', 3, { gueltigBis: '2027-06-30' });
        expect(long.statusCode).toBe(400);
        expect(long.json().errors[0].message).toBe(
          'Erlaubnis gültig bis: höchstens bis zum Ende der Gestattung / Duldung (14.02.2027).',
        );
        const ok = await act(clerk, c.id, 'erlauben', 3, {
          gueltigBis: '2027-02-14',
          nebenbestimmung: 'Beschäftigung nur als Bäckereihelfer bei Bäckerei Müller gestattet.',
        });
        expect(ok.statusCode).toBe(200);
        expect(ok.json().status).toBe('erteilt');
        const t = await pdfOf(clerk, `/api/cases/${c.id}/documents/beschaeftigung_bescheid`);
        expect(t).toContain(
          'Die Ausübung der folgenden Beschäftigung wird vom 26.11.2026 bis 14.02.2027 erlaubt.',
        );
        expect(t).toContain('Bäckerei Müller, Siegen');
        expect(t).toContain('Ergebnis: Erlaubnis nach Ermessen möglich (§ 61 Abs. 2 AsylG)');
        expect(t).toContain('Zustimmung vom 26.11.2026 (BA-SI 12/26)');
      });

      it('records the BA’s refusal and rejects with it; a rejection without any reason is refused', async () => {
        const c = (
          await create(clerk, 'beschaeftigungserlaubnis', beschaeftigungDaten({ familienname: 'Jäger' }))
        ).json();
        const noReason = await act(clerk, c.id, 'ablehnen', 1, {});
        expect(noReason.statusCode).toBe(400);
        expect(noReason.json().errors).toEqual([{ path: 'payload/grund', message: 'Grund: Bitte angeben.' }]);
        expect((await act(clerk, c.id, 'ba_anfragen', 1, { angefragtAm: '2026-11-24' })).statusCode).toBe(
          200,
        );
        const versagt = await act(clerk, c.id, 'ba_versagung_eintragen', 2, {
          datum: '2026-11-26',
          grund: 'Vorrangprüfung: Arbeitsbedingungen ungünstiger als für vergleichbare Beschäftigte',
        });
        expect(versagt.statusCode).toBe(200);
        expect(versagt.json().status).toBe('ba_versagt');
        expect((await act(clerk, c.id, 'erlauben', 3, { gueltigBis: '2027-02-14' })).statusCode).toBe(409);
        const no = await act(clerk, c.id, 'ablehnen', 3, {});
        expect(no.statusCode).toBe(200);
        expect(no.json().data.ablehnung.grund).toBe(
          'Die Bundesagentur für Arbeit hat die Zustimmung versagt: Vorrangprüfung: Arbeitsbedingungen ungünstiger als für vergleichbare Beschäftigte',
        );
        const t = await pdfOf(clerk, `/api/cases/${c.id}/documents/beschaeftigung_bescheid`);
        expect(t).toContain('Angefragt am: 24.11.2026');
        expect(t).toContain('Entscheidung der BA: Versagt am 26.11.2026: Vorrangprüfung');
        expect(t).toContain('Jäger');
      });

      it('refuses the BA request for a safe country of origin and rejects with that reason', async () => {
        const c = (
          await create(
            clerk,
            'beschaeftigungserlaubnis',
            beschaeftigungDaten({ status: { sichererHerkunftsstaat: true } }),
          )
        ).json();
        const r = await act(clerk, c.id, 'ba_anfragen', 1, { angefragtAm: '2026-11-26' });
        expect(r.statusCode).toBe(409);
        expect(r.json().detail).toContain('sicheren Herkunftsstaates');
        expect((await get(clerk, `/api/cases/${c.id}`)).json().status).toBe('beantragt');
        const no = await act(clerk, c.id, 'ablehnen', 1, {});
        expect(no.statusCode).toBe(200);
        const t = await pdfOf(clerk, `/api/cases/${c.id}/documents/beschaeftigung_bescheid`);
        expect(t).toContain('Der Antrag auf Erlaubnis einer Beschäftigung wird abgelehnt.');
        expect(t).toContain('Staatsangehörige eines sicheren Herkunftsstaates (§ 29a AsylG) erhalten keine');
      });
    });

    describe('expiry watch-list', () => {
      it('lists what expires within N weeks, sorted, and is correct across month ends', async () => {
        // Issued on 30.11.2026 for 3 months: ends 28.02.2027 (§ 188 Abs. 3 BGB, no 30 February).
        clerk = await at('2026-11-30');
        const c = (
          await create(
            clerk,
            'aufenthaltstitel_antrag',
            antragDaten({ familienname: 'Ärmel', antragsdatum: '2026-11-30' }),
          )
        ).json();
        const f = await act(clerk, c.id, 'fiktion_ausstellen', 1, { monate: '3' });
        expect(f.json().data.bescheinigungen[0].gueltigBis).toBe('2027-02-28');

        const liste = async (day: string, wochen: number, extra = '') => {
          const u = await at(day);
          const r = await get(u, `/api/auslaender/${KREIS_SI}/ablaufliste?wochen=${wochen}${extra}`);
          expect(r.statusCode).toBe(200);
          return r.json() as {
            heute: string;
            items: Array<{
              aktenzeichen: string;
              gueltigBis: string;
              restTage: number;
              art: string;
              person: string;
            }>;
          };
        };
        // 31.01. + 4 weeks = 28.02.: the last day is on the list; on 30.01. it is not yet.
        const jan31 = await liste('2027-01-31', 4);
        expect(jan31.items.find((i) => i.aktenzeichen === c.aktenzeichen)).toMatchObject({
          gueltigBis: '2027-02-28',
          restTage: 28,
          art: 'fiktionsbescheinigung',
        });
        expect((await liste('2027-01-30', 4)).items.some((i) => i.aktenzeichen === c.aktenzeichen)).toBe(
          false,
        );
        // Lapsed on 28.02.: on 01.03. it is shown as lapsed, one day.
        const mar1 = await liste('2027-03-01', 1);
        expect(mar1.items.find((i) => i.aktenzeichen === c.aktenzeichen)?.restTage).toBe(-1);

        // On 26.11.2026, 12 weeks (until 18.02.2027): the title expiring 15.12.2026 (schengen case excluded? it has a visa end),
        // the Beschäftigungserlaubnis until 14.02.2027, sorted by date; by name on request.
        const nov = await liste('2026-11-26', 12);
        const dates = nov.items.map((i) => i.gueltigBis);
        expect(dates).toEqual([...dates].sort());
        expect(nov.items.map((i) => i.art)).toEqual(
          expect.arrayContaining(['titel', 'beschaeftigungserlaubnis']),
        );
        expect(nov.items.find((i) => i.art === 'beschaeftigungserlaubnis')).toMatchObject({
          gueltigBis: '2027-02-14',
          person: 'Haddad, Samir',
        });
        const byName = await liste('2026-11-26', 12, '&sortierung=name');
        const names = byName.items.map((i) => i.person);
        expect(names).toEqual([...names].sort((a, b) => a.localeCompare(b, 'de')));
        const desc = await liste('2026-11-26', 12, '&absteigend=ja');
        expect(desc.items.map((i) => i.gueltigBis)).toEqual([...dates].reverse());

        const u = await at('2027-01-31');
        const t = await pdfOf(u, `/api/auslaender/${KREIS_SI}/ablaufliste.pdf?wochen=4`);
        expect(t).toContain('Ablaufliste – Kreis Siegen-Wittgenstein, Ausländerbehörde');
        expect(t).toContain('Ärmel, Oleksandr Jürgen');
        expect(t).toContain('28.02.2027');
        clerk = await at('2026-11-26');
      });

      it('refuses the watch-list to another authority, another office, bad input and anonymous users', async () => {
        olpe = await userWith(ctx, [{ ags: KREIS_OE, office: OFFICE, role: 'leitung' }]);
        sozialamt = await userWith(ctx, [{ ags: KREIS_SI, office: 'sozialamt', role: 'leitung' }]);
        for (const url of [
          `/api/auslaender/${KREIS_SI}/ablaufliste`,
          `/api/auslaender/${KREIS_SI}/ablaufliste.pdf`,
        ]) {
          const o = await get(olpe, url);
          expect(o.statusCode).toBe(403);
          expect(o.body).not.toContain('Kovalenko');
          expect((await get(sozialamt, url)).statusCode).toBe(403);
          expect((await ctx.app.inject({ method: 'GET', url })).statusCode).toBe(401);
        }
        const bad = await get(clerk, `/api/auslaender/${KREIS_SI}/ablaufliste?wochen=0`);
        expect(bad.statusCode).toBe(400);
        expect(bad.body).toContain('Wochen: mindestens 1.');
      });
    });

    describe('handover', () => {
      it('exports XAusländer Folgemeldungen, the CSV and the Nacherfassungsliste of every certificate', async () => {
        const res = await post(clerk, '/api/handover/batches', {
          procedureId: 'aufenthaltstitel_antrag',
          authorityAgs: KREIS_SI,
        });
        expect(res.statusCode).toBe(201);
        const b = res.json();
        expect(b.caseCount).toBe(4);
        const byFormat = (id: string) => b.files.filter((f: { formatId: string }) => f.formatId === id);
        expect(byFormat('xauslaender')).toHaveLength(4);
        const liste = (await get(clerk, byFormat('nacherfassungsliste')[0].href)).body.replace(/^\uFEFF/, '');
        const lines = liste.trim().split('\r\n');
        expect(lines[0]).toBe(
          'aktenzeichen;bescheinigungs_nr;art;verlaengerung_nr;ausgestellt_am;gueltig_ab;gueltig_bis;norm;familienname;vornamen;geburtsdatum;staatsangehoerigkeit;pass_nummer;vorgangs_id',
        );
        // Kovalenko: first issue + renewal; Öztürk: one; Ärmel: one. The Schengen case has none.
        expect(lines, liste).toHaveLength(1 + 4);
        expect(lines.filter((l) => l.includes('Kovalenko')).map((l) => l.split(';').slice(2, 7))).toEqual([
          ['erstausstellung', '0', '2026-11-26', '2026-11-26', '2027-02-25'],
          ['verlaengerung', '1', '2027-02-20', '2027-02-26', '2027-08-25'],
        ]);
        const csv = (await get(clerk, byFormat('csv')[0].href)).body;
        expect(csv).toContain('Öztürk');

        const file = byFormat('xauslaender').find((f: { name: string }) =>
          f.name.includes('azr-folgemeldung'),
        );
        const text = (await get(clerk, file.href)).body;
        expect(text).toContain('<xauslaender:AnAZR.AZRFolgemeldung.090010');
        expect(text).toContain(`xmlns:xauslaender="${XAUSLAENDER_NS}"`);
        expect(text).toContain('standard="XAusländer"');
        expect(
          (
            await post(olpe, '/api/handover/batches', {
              procedureId: 'aufenthaltstitel_antrag',
              authorityAgs: KREIS_SI,
            })
          ).statusCode,
        ).toBe(403);
      });

      it('exports decided Beschäftigungserlaubnisse as CSV with the BA step', async () => {
        const res = await post(clerk, '/api/handover/batches', {
          procedureId: 'beschaeftigungserlaubnis',
          authorityAgs: KREIS_SI,
        });
        expect(res.statusCode).toBe(201);
        const csv = (await get(clerk, res.json().files[0].href)).body.replace(/^\uFEFF/, '');
        const rows = csv.trim().split('\r\n');
        expect(rows).toHaveLength(4);
        expect(rows.find((r) => r.includes(';erteilt;'))).toContain(
          ';2026-11-26;zugestimmt;2026-11-26;BA-SI 12/26;2026-11-26;2027-02-14;',
        );
      });

      describe.skipIf(!xml.tools)('XAusländer structure (xmllint)', () => {
        it('writes well-formed Folgemeldungen with the element names the schema requires', async () => {
          const tools = xml.tools as NonNullable<typeof xml.tools>;
          const u = await at('2026-11-27');
          const c = (
            await create(u, 'aufenthaltstitel_antrag', antragDaten({ familienname: 'Schmidt-Ñúñez' }))
          ).json();
          expect((await act(u, c.id, 'fiktion_ausstellen', 1, { monate: '6' })).statusCode).toBe(200);
          const b = (
            await post(u, '/api/handover/batches', {
              procedureId: 'aufenthaltstitel_antrag',
              authorityAgs: KREIS_SI,
            })
          ).json();
          const f = b.files.find((x: { formatId: string }) => x.formatId === 'xauslaender');
          const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nb-xauslaender-'));
          const file = path.join(dir, 'm.xml');
          fs.writeFileSync(file, (await get(u, f.href)).body);
          expect(wellFormednessErrors(tools, file)).toBe('');
          expect(xpath(tools, file, 'local-name(/*)')).toBe('AnAZR.AZRFolgemeldung.090010');
          expect(xpath(tools, file, 'namespace-uri(/*)')).toBe(XAUSLAENDER_NS);
          const xsd = path.join(tools.xsdDir, 'xauslaender113', 'xauslaender-nachrichten-azr.xsd');
          const base = requiredChildrenOfType(tools, xsd, 'Nachricht.G2G.XA.AnAZR');
          expect(base).toEqual(['durchfuehrenderSachbearbeiter', 'durchfuehrendeBehoerde']);
          expect(
            xpath(tools, file, "count(/*/*[local-name()='nachrichtenkopf' and namespace-uri()=''])"),
          ).toBe('1');
          for (const name of base) {
            expect(
              xpath(
                tools,
                file,
                `count(/*/*[local-name()='${name}' and namespace-uri()='${XAUSLAENDER_NS}'])`,
              ),
              name,
            ).toBe('1');
          }
          for (const [type, parent] of [
            ['AZR.Aufenthaltsstatus.Meldung', 'aufenthaltsstatus'],
            ['AZR.Grundpersonalien.Meldung', 'grundpersonalien'],
          ] as const) {
            const required = requiredChildrenOfType(tools, xsd, type);
            expect(required.length).toBeGreaterThan(0);
            for (const child of required) {
              expect(
                xpath(tools, file, `count(//*[local-name()='${parent}']//*[local-name()='${child}'])`),
                `${parent}/${child}`,
              ).not.toBe('0');
            }
          }
          expect(xpath(tools, file, "string(//*[local-name()='befristungsdatum'])")).toBe('2027-05-26');
          expect(xpath(tools, file, "string(//*[local-name()='familienname']/*)")).toBe('Schmidt-Ñúñez');
          fs.rmSync(dir, { recursive: true, force: true });
        });
      });
    });
  },
);
