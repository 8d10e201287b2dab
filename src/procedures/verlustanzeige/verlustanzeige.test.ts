import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createTestContext,
  describeEachDialect,
  type TestContext,
  type TestUser,
  userWith,
} from '../../../test/harness.js';
import { fontsEmbedded, pdfText } from '../../../test/pdf.js';
import { verlustanzeigeSchema } from './definition.js';
import { verlustanzeigeDaten } from './fixtures.js';

const schema = verlustanzeigeSchema(() => '2026-11-26');
const issues = (data: unknown) =>
  schema.safeParse(data).error?.issues.map((i) => ({ path: i.path.join('/'), message: i.message })) ?? [];

describe('Verlustanzeige form rules', () => {
  it('accepts a complete report with the specimen document number', () => {
    expect(issues(verlustanzeigeDaten())).toEqual([]);
  });

  it('accepts a report without document number (not everyone knows it)', () => {
    expect(issues(verlustanzeigeDaten({ dokument: { art: 'reisepass', nummer: undefined } }))).toEqual([]);
  });

  it('requires the police station when the loss was reported to the police', () => {
    expect(
      issues(verlustanzeigeDaten({ polizei: { angezeigt: true, dienststelle: undefined } })),
    ).toContainEqual({
      path: 'polizei/dienststelle',
      message: 'Polizeidienststelle: Bitte angeben, wenn der Verlust angezeigt wurde.',
    });
    expect(
      issues(
        verlustanzeigeDaten({
          polizei: { angezeigt: false, dienststelle: undefined, aktenzeichen: undefined },
        }),
      ),
    ).toEqual([]);
  });

  it('refuses a loss before the birth and an issue date after the loss', () => {
    const data = verlustanzeigeDaten({
      verlust: { art: 'verloren', datum: '1960-01-01', ort: 'Siegen' },
      dokument: { art: 'personalausweis', nummer: 'T220001293', ausstellungsdatum: '2020-01-01' },
    });
    const found = issues(data).map((i) => i.message);
    expect(found).toContain('Datum des Verlusts: liegt vor dem Geburtsdatum.');
    expect(found).toContain('Ausgestellt am: liegt nach dem Verlust.');
  });

  it('refuses dates that do not exist, empty names and control characters', () => {
    const data = verlustanzeigeDaten({
      person: { geburtsdatum: '1990-02-30', familienname: '  ', vornamen: 'Ann\u0000a' },
    });
    expect(issues(data)).toEqual(
      expect.arrayContaining([
        { path: 'person/geburtsdatum', message: 'Geburtsdatum: Dieses Datum gibt es nicht.' },
        { path: 'person/familienname', message: 'Familienname: Bitte angeben.' },
        { path: 'person/vornamen', message: 'Vornamen: enthält unzulässige Steuerzeichen.' },
      ]),
    );
  });

  it('refuses unknown fields rather than silently storing them', () => {
    expect(
      issues({ ...verlustanzeigeDaten(), bemerkung: 'x' })
        .map((i) => i.message)
        .join(),
    ).toMatch(/bemerkung/);
  });
});

describeEachDialect('Verlustbescheinigung', (dialect) => {
  let ctx: TestContext;
  let clerk: TestUser;
  beforeAll(async () => {
    ctx = await createTestContext(dialect);
    clerk = await userWith(ctx, [{ ags: '05970040', office: 'meldebehoerde' }], {
      displayName: 'Clara Schäfer',
    });
  });
  afterAll(() => ctx.close());

  it('prints the confirmed report with umlauts, Aktenzeichen and the emergency mark, fonts embedded', async () => {
    const created = await ctx.app.inject({
      method: 'POST',
      url: '/api/cases',
      headers: { ...clerk.headers, 'idempotency-key': randomUUID() },
      payload: { procedureId: 'verlustanzeige', authorityAgs: '05970040', data: verlustanzeigeDaten() },
    });
    const { id, aktenzeichen } = created.json();
    const confirmed = await ctx.app.inject({
      method: 'POST',
      url: `/api/cases/${id}/actions/bestaetigen`,
      headers: { ...clerk.headers, 'idempotency-key': randomUUID() },
      payload: { expectedVersion: 1 },
    });
    expect(confirmed.statusCode).toBe(200);
    const pdf = await ctx.app.inject({
      method: 'GET',
      url: `/api/cases/${id}/documents/verlustbescheinigung`,
      headers: clerk.headers,
    });
    expect(pdf.statusCode).toBe(200);
    expect(fontsEmbedded(pdf.rawPayload)).toBe(true);
    const text = await pdfText(pdf.rawPayload);
    for (const expected of [
      'AUSGESTELLT IM NOTBETRIEB',
      'Verlustbescheinigung',
      `Aktenzeichen: ${aktenzeichen}`,
      'Siegen',
      'Müßig, Jürgen Özgür',
      '12.08.1964',
      'T220001293',
      'Gestohlen',
      '20.11.2026',
      'Polizeiwache Siegen',
      'Clara Schäfer',
      '26.11.2026',
    ]) {
      expect(text).toContain(expected);
    }
  });
});
