import { afterAll, beforeAll, expect, it } from 'vitest';
import {
  createTestContext,
  describeEachDialect,
  type TestContext,
  type TestUser,
  userWith,
} from '../../../test/harness.js';
import { KREIS_OLPE, neuzulassungDaten, nextEvb, SIEGEN_WITTGENSTEIN, TODAY } from './fixtures.js';
import { kfzApi, pdfText } from './test-helpers.js';

const SW = SIEGEN_WITTGENSTEIN;

describeEachDialect(
  'Zulassungsstelle: Neuzulassung bis zur vorläufigen Zulassungsbescheinigung',
  (dialect) => {
    let ctx: TestContext;
    let clerk: TestUser;
    let head: TestUser;
    let olpe: TestUser;
    let otherOffice: TestUser;
    let a: ReturnType<typeof kfzApi>;

    beforeAll(async () => {
      ctx = await createTestContext(dialect, new Date(`${TODAY}T09:00:00Z`));
      a = kfzApi(ctx);
      clerk = await userWith(ctx, [{ ags: SW, office: 'zulassungsstelle' }], {
        displayName: 'Jörg Zulasser',
      });
      head = await userWith(ctx, [{ ags: SW, office: 'zulassungsstelle', role: 'leitung' }]);
      olpe = await userWith(ctx, [{ ags: KREIS_OLPE, office: 'zulassungsstelle', role: 'leitung' }]);
      otherOffice = await userWith(ctx, [{ ags: SW, office: 'fahrerlaubnisbehoerde', role: 'leitung' }]);
      await a.configure(head);
    });
    afterAll(() => ctx.close());

    it('registers a car: fee, next plate in order, Prägeschein, cash payment, provisional certificate', async () => {
      const c = await a.created(clerk, 'neuzulassung', neuzulassungDaten());
      expect(c.aktenzeichen).toMatch(/^NZ 1\/2026$/);
      expect(c.status).toBe('erfasst');
      expect(c.data.kosten.summeCents).toBe(2700);
      expect(c.data.kosten.positionen[0].basis).toContain('GebOSt Gebühren-Nr. 221');

      const z = await a.step(clerk, c, 'kennzeichen_zuteilen', { wahl: 'naechstes' });
      expect(z.status).toBe('kennzeichen_zugeteilt');
      expect(z.data.zuteilung).toMatchObject({
        kennzeichen: 'SI-XA 1',
        text: 'SI-XA 1',
        xkfz: 'SI XA   1',
        wahl: 'naechstes',
      });
      const doc = z.documents.find((d: { id: string }) => d.id === 'praegeschein');
      const pdf = await ctx.app.inject({ method: 'GET', url: doc.href, headers: clerk.headers });
      expect(pdf.statusCode).toBe(200);
      const text = await pdfText(pdf.rawPayload);
      expect(text).toContain('Prägeschein');
      expect(text).toContain('SI-XA 1');
      expect(text).toContain('Schäfer, Jülide Ayşe');
      expect(text).toContain('Koblenzer Straße 12a');
      expect(text).toContain('AUSGESTELLT IM NOTBETRIEB');

      const paid = await a.step(clerk, z, 'gebuehr_bar_bezahlen', {});
      expect(paid.status).toBe('bezahlt');
      expect(paid.data.zahlung.betragCents).toBe(2700);
      const journal = await ctx.handle.db
        .selectFrom('cash_journal_entry')
        .selectAll()
        .where('reference_id', '=', c.id)
        .execute();
      expect(journal).toHaveLength(1);
      expect(journal[0]).toMatchObject({
        office_type: 'zulassungsstelle',
        authority_ags: SW,
        purpose: 'Gebühr Neuzulassung SI-XA 1',
      });
      expect(Number(journal[0]?.amount_cents)).toBe(2700);

      const done = await a.step(clerk, paid, 'zulassen', {});
      expect(done.status).toBe('zugelassen');
      const cert = done.documents.find((d: { id: string }) => d.id === 'vorlaeufige_zulassungsbescheinigung');
      const certText = await pdfText(
        (await ctx.app.inject({ method: 'GET', url: cert.href, headers: clerk.headers })).rawPayload,
      );
      expect(certText).toContain('Vorläufige Zulassungsbescheinigung des Notbetriebs');
      expect(certText).toContain('SI-XA 1');
      expect(certText).toContain('WVWZZZ1KZ8W123456');
      expect(certText).toContain('Zulassungsbescheinigung Teil I, bis das Zulassungsverfahren wieder läuft');
      expect(certText).toContain('Bar bezahlt');

      // The next registration gets the next plate of the series.
      const next = await a.created(clerk, 'neuzulassung', neuzulassungDaten());
      const z2 = await a.step(clerk, next, 'kennzeichen_zuteilen', { wahl: 'naechstes' });
      expect(z2.data.zuteilung.kennzeichen).toBe('SI-XA 2');
    });

    it('refuses a second case with the same eVB, and nothing changes', async () => {
      const evb = nextEvb();
      const first = await a.created(clerk, 'neuzulassung', neuzulassungDaten({ versicherung: { evb } }));
      const before = await a.caseCount();
      const again = await a.create(clerk, 'neuzulassung', neuzulassungDaten({ versicherung: { evb } }));
      expect(again.statusCode).toBe(400);
      expect(again.json().title).toBe('eVB-Nummer bereits verwendet');
      expect(again.json().errors).toContainEqual({
        path: 'data/versicherung/evb',
        message: `eVB-Nummer ${evb} wurde bereits für eine Zulassung verwendet (Vorgang ${first.aktenzeichen}). Eine eVB gilt nur für eine Zulassung; bitte eine neue eVB beim Versicherer anfordern.`,
      });
      expect(await a.caseCount()).toBe(before);
      // Cancelling the first case frees the eVB.
      await a.step(clerk, first, 'stornieren', { grund: 'Antrag zurückgezogen' });
      expect(
        (await a.create(clerk, 'neuzulassung', neuzulassungDaten({ versicherung: { evb } }))).statusCode,
      ).toBe(201);
    });

    it('refuses invalid FIN, eVB, IBAN, a missing mandate and an expired HU with German messages', async () => {
      const res = await a.create(
        clerk,
        'neuzulassung',
        neuzulassungDaten({
          fahrzeug: { fin: 'WVWZZZ1KZ8WO23456', naechsteHu: '10/2026' },
          versicherung: { evb: 'A1B2C3I' },
          sepa: { iban: 'DE89 3704 0044 0532 0130 01', mandatErteilt: false },
        }),
      );
      expect(res.statusCode).toBe(400);
      const errors = res.json().errors as Array<{ path: string; message: string }>;
      expect(errors).toContainEqual({
        path: 'data/fahrzeug/fin',
        message: 'FIN: Die Buchstaben I, O und Q kommen nicht vor (Ziffern 1 und 0?).',
      });
      expect(errors).toContainEqual({
        path: 'data/versicherung/evb',
        message: 'eVB-Nummer: Die Buchstaben I und O kommen nicht vor.',
      });
      expect(errors).toContainEqual({
        path: 'data/sepa/iban',
        message: 'IBAN: Die Prüfziffer stimmt nicht – bitte auf Zahlendreher prüfen.',
      });
      expect(errors).toContainEqual({
        path: 'data/sepa/mandatErteilt',
        message: 'Ohne SEPA-Lastschriftmandat für die Kfz-Steuer kann das Fahrzeug nicht zugelassen werden.',
      });
      const short = await a.create(
        clerk,
        'neuzulassung',
        neuzulassungDaten({ fahrzeug: { fin: 'WVWZZZ1KZ8W12345' } }),
      );
      expect(short.json().errors).toContainEqual({
        path: 'data/fahrzeug/fin',
        message: 'FIN: genau 17 Zeichen (eingegeben: 16).',
      });
      const hu = await a.create(
        clerk,
        'neuzulassung',
        neuzulassungDaten({ fahrzeug: { naechsteHu: '11/2026' } }),
      );
      expect(hu.json().errors).toContainEqual({
        path: 'data/fahrzeug/naechsteHu',
        message: 'Nächste HU: abgelaufen (fällig 11/2026). Ohne gültige Hauptuntersuchung keine Zulassung.',
      });
    });

    it('checks the key numbers, the ZB II number, the eVB length and the holder kind, storing nothing', async () => {
      const before = await a.caseCount();
      const res = await a.create(
        clerk,
        'neuzulassung',
        neuzulassungDaten({
          fahrzeug: { herstellerschluessel: '603', typschluessel: 'B-F' },
          versicherung: { evb: 'K12345' },
          papiere: { zb2Nummer: 'AB12' },
          halter: { art: 'firma', familienname: undefined, vornamen: undefined, geburtsdatum: undefined },
          sepa: { kontoinhaber: '' },
        }),
      );
      expect(res.statusCode).toBe(400);
      const errors = res.json().errors as Array<{ path: string; message: string }>;
      for (const e of [
        {
          path: 'data/fahrzeug/herstellerschluessel',
          message: 'Herstellerschlüssel (HSN, Feld 2.1): vier Ziffern.',
        },
        {
          path: 'data/fahrzeug/typschluessel',
          message: 'Typschlüssel (TSN, Feld 2.2): die ersten drei Zeichen, Ziffern und Buchstaben.',
        },
        { path: 'data/versicherung/evb', message: 'eVB-Nummer: genau 7 Zeichen.' },
        {
          path: 'data/papiere/zb2Nummer',
          message: 'Nummer der Zulassungsbescheinigung Teil II: 6 bis 20 Buchstaben und Ziffern.',
        },
        { path: 'data/halter/firmenname', message: 'Name der Firma: Bitte angeben.' },
      ]) {
        expect(errors).toContainEqual(e);
      }
      expect(errors.some((e) => e.path === 'data/sepa/kontoinhaber')).toBe(true);
      expect(await a.caseCount()).toBe(before);
      // A company as holder, with its register entry.
      const firm = await a.create(
        clerk,
        'neuzulassung',
        neuzulassungDaten({
          halter: {
            art: 'firma',
            familienname: undefined,
            vornamen: undefined,
            geburtsdatum: undefined,
            geburtsort: undefined,
            firmenname: 'Müller & Söhne Transporte GmbH',
            registernummer: 'HRB 1234, Amtsgericht Siegen',
          },
          sepa: { kontoinhaber: 'Müller & Söhne Transporte GmbH' },
        }),
      );
      expect(firm.statusCode, firm.body).toBe(201);
      expect(firm.json().data.halter.firmenname).toBe('Müller & Söhne Transporte GmbH');
    });

    it('gives the E suffix only to electric vehicles and H only to cars of 30 years with a report', async () => {
      const diesel = await a.create(
        clerk,
        'neuzulassung',
        neuzulassungDaten({ kennzeichen: { zusatz: 'E' }, fahrzeug: { kraftstoff: 'diesel' } }),
      );
      expect(diesel.statusCode).toBe(400);
      expect(diesel.json().errors).toContainEqual({
        path: 'data/kennzeichen/zusatz',
        message: 'E-Kennzeichen: nur für Elektro-, Brennstoffzellen- und Plug-in-Hybridfahrzeuge (§ 2 EmoG).',
      });
      const phev = await a.create(
        clerk,
        'neuzulassung',
        neuzulassungDaten({ kennzeichen: { zusatz: 'E' }, fahrzeug: { kraftstoff: 'plugin_hybrid' } }),
      );
      expect(phev.json().errors[0].path).toBe('data/fahrzeug/emogNachweis');
      const young = await a.create(
        clerk,
        'neuzulassung',
        neuzulassungDaten({
          kennzeichen: { zusatz: 'H' },
          fahrzeug: { erstzulassung: '1997-01-01', oldtimerGutachten: true },
        }),
      );
      expect(young.json().errors).toContainEqual({
        path: 'data/fahrzeug/erstzulassung',
        message: 'H-Kennzeichen: Die Erstzulassung muss mindestens 30 Jahre zurückliegen.',
      });
      const ev = await a.created(
        clerk,
        'neuzulassung',
        neuzulassungDaten({ kennzeichen: { zusatz: 'E' }, fahrzeug: { kraftstoff: 'elektro' } }),
      );
      const z = await a.step(clerk, ev, 'kennzeichen_zuteilen', { wahl: 'naechstes' });
      expect(z.data.zuteilung.text).toMatch(/^SI-XA \d+E$/);
      const old = await a.created(
        clerk,
        'neuzulassung',
        neuzulassungDaten({
          kennzeichen: { zusatz: 'H' },
          fahrzeug: { erstzulassung: '1989-05-01', oldtimerGutachten: true },
        }),
      );
      const zh = await a.step(clerk, old, 'kennzeichen_zuteilen', { wahl: 'naechstes' });
      expect(zh.data.zuteilung.text).toMatch(/^SI-XA \d+H$/);
    });

    it('takes the fee from the office’s own dated table, set by its head of office only', async () => {
      const table = (await a.get(clerk, `/api/kfz/gebuehren?authorityAgs=${SW}`)).json();
      expect(table.heute.positionen.zulassung).toMatchObject({ nummer: '221', cents: 2700 });
      const positionen = {
        ...table.heute.positionen,
        zulassung: { ...table.heute.positionen.zulassung, cents: 2860 },
      };
      const row = { validFrom: TODAY, positionen };
      for (const user of [clerk, olpe, otherOffice]) {
        expect((await a.put(user, '/api/kfz/gebuehren', { authorityAgs: SW, row })).statusCode).toBe(403);
      }
      expect((await a.get(otherOffice, `/api/kfz/gebuehren?authorityAgs=${SW}`)).statusCode).toBe(403);
      const past = await a.put(head, '/api/kfz/gebuehren', {
        authorityAgs: SW,
        row: { ...row, validFrom: '2026-12-01' },
      });
      expect(past.statusCode).toBe(400);
      expect(past.json().errors[0].message).toBe(
        'Gültig ab: nicht in der Vergangenheit – bereits erfasste Anträge behalten ihre Gebühr.',
      );
      const negative = await a.put(head, '/api/kfz/gebuehren', {
        authorityAgs: SW,
        row: {
          validFrom: TODAY,
          positionen: { ...positionen, zulassung: { ...positionen.zulassung, cents: -5 } },
        },
      });
      expect(negative.statusCode).toBe(400);
      const before = await a.created(clerk, 'neuzulassung', neuzulassungDaten());
      expect((await a.put(head, '/api/kfz/gebuehren', { authorityAgs: SW, row })).statusCode).toBe(200);
      const after = await a.created(clerk, 'neuzulassung', neuzulassungDaten());
      expect(after.data.kosten.summeCents).toBe(2860);
      // A case keeps the fee it was recorded with; another Kreis keeps the defaults.
      expect((await a.get(clerk, `/api/cases/${before.id}`)).json().data.kosten.summeCents).toBe(2700);
      const olpeClerk = await userWith(ctx, [{ ags: KREIS_OLPE, office: 'zulassungsstelle' }]);
      const inOlpe = await a.created(olpeClerk, 'neuzulassung', neuzulassungDaten(), KREIS_OLPE);
      expect(inOlpe.data.kosten.summeCents).toBe(2700);
    });

    it('keeps other Kreise, other offices and anonymous users out', async () => {
      const c = await a.created(clerk, 'neuzulassung', neuzulassungDaten());
      for (const user of [olpe, otherOffice]) {
        expect((await a.get(user, `/api/cases/${c.id}`)).statusCode).toBe(403);
        expect(
          (await a.act(user, c.id, 'kennzeichen_zuteilen', c.version, { wahl: 'naechstes' })).statusCode,
        ).toBe(403);
        expect((await a.create(user, 'neuzulassung', neuzulassungDaten())).statusCode).toBe(403);
      }
      expect((await a.get(null, `/api/cases/${c.id}`)).statusCode).toBe(401);
      const unchanged = (await a.get(clerk, `/api/cases/${c.id}`)).json();
      expect(unchanged.version).toBe(c.version);
    });
  },
);
