import { afterAll, beforeAll, expect, it } from 'vitest';
import {
  createTestContext,
  describeEachDialect,
  type TestContext,
  type TestUser,
  userWith,
} from '../../../../test/harness.js';
import {
  ausserbetriebsetzungDaten,
  KREIS_OLPE,
  kurzzeitDaten,
  SIEGEN_WITTGENSTEIN,
  TODAY,
} from '../fixtures.js';
import { kfzApi, pdfText } from '../test-helpers.js';

const SW = SIEGEN_WITTGENSTEIN;

/**
 * The documents besides the registration certificate and the Prägeschein (those are checked in
 * kfz.test.ts): the deregistration confirmation and the Kurzzeitkennzeichen's provisional
 * Fahrzeugschein, as text with umlauts (issue 12, point 4).
 */
describeEachDialect(
  'Zulassungsstelle: Abmeldebestätigung und Fahrzeugschein für Kurzzeitkennzeichen',
  (dialect) => {
    let ctx: TestContext;
    let clerk: TestUser;
    let a: ReturnType<typeof kfzApi>;

    const documentText = async (
      user: TestUser,
      view: { documents: Array<{ id: string; href: string }> },
      id: string,
    ) => {
      const doc = view.documents.find((d) => d.id === id);
      if (!doc) throw new Error(`document ${id} not offered`);
      const res = await ctx.app.inject({ method: 'GET', url: doc.href, headers: user.headers });
      return { status: res.statusCode, text: res.statusCode === 200 ? await pdfText(res.rawPayload) : '' };
    };

    beforeAll(async () => {
      ctx = await createTestContext(dialect, new Date(`${TODAY}T09:00:00Z`));
      a = kfzApi(ctx);
      clerk = await userWith(ctx, [{ ags: SW, office: 'zulassungsstelle' }]);
      const head = await userWith(ctx, [{ ags: SW, office: 'zulassungsstelle', role: 'leitung' }]);
      await a.configure(head);
    });
    afterAll(() => ctx.close());

    it('confirms an Außerbetriebsetzung with the blocked plate, or with the reservation for the holder', async () => {
      let ab = await a.created(
        clerk,
        'ausserbetriebsetzung',
        ausserbetriebsetzungDaten({ kennzeichen: { aktuell: 'SI-AB 123', reservieren: false } }),
      );
      expect(ab.documents.map((d: { id: string }) => d.id)).not.toContain('abmeldebestaetigung');
      ab = await a.paidAndDone(clerk, ab, 'ausser_betrieb_setzen');
      const { status, text } = await documentText(clerk, ab, 'abmeldebestaetigung');
      expect(status).toBe(200);
      expect(text).toContain('Bestätigung über die Außerbetriebsetzung');
      expect(text).toContain('ist außer Betrieb gesetzt (§ 15 FZV)');
      expect(text).toContain('SI-AB 123');
      expect(text).toContain('Außer Betrieb gesetzt am: 03.12.2026');
      // Blocking period of the test pool: 90 days, the plate is free again on 03.03.2027.
      expect(text).toContain('Kennzeichen gesperrt bis: 02.03.2027');
      expect(text).toContain('Verwertungsnachweis: nicht vorgelegt');
      expect(text).toContain('Schäfer, Jülide Ayşe');
      expect(text).toContain('Koblenzer Straße 12a');
      expect(text).toContain('AUSGESTELLT IM NOTBETRIEB');

      let kept = await a.created(
        clerk,
        'ausserbetriebsetzung',
        ausserbetriebsetzungDaten({
          kennzeichen: { aktuell: 'SI-AB 124', reservieren: true },
          abmeldung: { verwertungsnachweis: true },
        }),
      );
      kept = await a.paidAndDone(clerk, kept, 'ausser_betrieb_setzen');
      const reserved = (await documentText(clerk, kept, 'abmeldebestaetigung')).text;
      expect(reserved).toContain('Kennzeichen reserviert für die Halterin / den Halter bis: 02.03.2027');
      expect(reserved).not.toContain('gesperrt bis');
      expect(reserved).toContain('Verwertungsnachweis: vorgelegt');

      // Another Kreis' Zulassungsstelle does not get the confirmation.
      const olpe = await userWith(ctx, [{ ags: KREIS_OLPE, office: 'zulassungsstelle', role: 'leitung' }]);
      expect((await documentText(olpe, ab, 'abmeldebestaetigung')).status).toBe(403);
    });

    it('issues a Kurzzeitkennzeichen for at most 5 days with its provisional Fahrzeugschein', async () => {
      const before = await a.caseCount();
      const tooLong = await a.create(clerk, 'kurzzeitkennzeichen', kurzzeitDaten({ kurzzeit: { tage: 6 } }));
      expect(tooLong.statusCode).toBe(400);
      expect(tooLong.json().errors).toContainEqual({
        path: 'data/kurzzeit/tage',
        message: 'Gültigkeit: höchstens 5 Tage (FZV § 16a).',
      });
      expect(await a.caseCount()).toBe(before);

      let k = await a.created(clerk, 'kurzzeitkennzeichen', kurzzeitDaten());
      k = await a.step(clerk, k, 'kennzeichen_zuteilen', { wahl: 'naechstes' });
      k = await a.paidAndDone(clerk, k, 'aushaendigen');
      expect(k.status).toBe('ausgegeben');
      const { status, text } = await documentText(clerk, k, 'vorlaeufige_zulassungsbescheinigung');
      expect(status).toBe(200);
      expect(text).toContain('Vorläufiger Fahrzeugschein für Kurzzeitkennzeichen');
      expect(text).toContain('Nur für Probe-, Überführungs- und Prüfungsfahrten.');
      expect(text).toContain('SI-04001');
      expect(text).toContain('Gültig: vom 03.12.2026 bis 07.12.2026');
      expect(text).toContain('Zweck: Überführungsfahrt');
      expect(text).toContain('Schäfer, Jülide Ayşe');
    });
  },
);
