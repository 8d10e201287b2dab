import { describe, expect, it } from 'vitest';
import { type AblaufCase, ablaufliste } from './ablaufliste.js';
import { antragDaten, beschaeftigungDaten } from './fixtures.js';
import { AUFENTHALT_ID, BESCHAEFTIGUNG_ID } from './ids.js';

/** The watch-list as a function of case snapshots, with fixed dates around month ends. */

const fiktionCase = (id: string, name: string, bis: string, nr = 0): AblaufCase => ({
  id,
  aktenzeichen: `AT ${id}/2027`,
  procedureId: AUFENTHALT_ID,
  status: 'fiktion',
  data: {
    ...antragDaten({ familienname: name }),
    bescheinigungen: [
      {
        nr,
        bescheinigungsNr: `AT ${id}/2027-F${nr + 1}`,
        ausgestelltAm: '2026-11-30',
        gueltigAb: '2026-11-30',
        gueltigBis: bis,
        monate: 3,
      },
    ],
  },
});

const cases: AblaufCase[] = [
  fiktionCase('1', 'Zander', '2027-02-28'),
  fiktionCase('2', 'Ähnlich', '2027-03-01', 1),
  fiktionCase('3', 'Bauer', '2027-01-04'),
  {
    id: '4',
    aktenzeichen: 'AT 4/2027',
    procedureId: AUFENTHALT_ID,
    status: 'beantragt',
    data: antragDaten({ familienname: 'Özdemir' }),
  },
  {
    id: '5',
    aktenzeichen: 'AT 5/2027',
    procedureId: AUFENTHALT_ID,
    status: 'abgelehnt',
    data: antragDaten(),
  },
  {
    id: '6',
    aktenzeichen: 'BE 6/2027',
    procedureId: BESCHAEFTIGUNG_ID,
    status: 'erteilt',
    data: {
      ...beschaeftigungDaten(),
      erlaubnis: { gueltigAb: '2026-12-01', gueltigBis: '2027-02-14', am: '2026-12-01' },
    },
  },
];

describe('Ablaufliste', () => {
  it('takes the last day of February into a four-week window from 31 January, not from 30 January', () => {
    const jan31 = ablaufliste(cases, { heute: '2027-01-31', wochen: 4 });
    expect(jan31.map((e) => e.aktenzeichen)).toEqual(['AT 3/2027', 'BE 6/2027', 'AT 1/2027']);
    expect(jan31.map((e) => e.restTage)).toEqual([-27, 14, 28]);
    const jan30 = ablaufliste(cases, { heute: '2027-01-30', wochen: 4 });
    expect(jan30.map((e) => e.aktenzeichen)).toEqual(['AT 3/2027', 'BE 6/2027']);
  });

  it('keeps lapsed entries for four weeks, marked by negative days, and drops them afterwards', () => {
    expect(
      ablaufliste(cases, { heute: '2027-02-01', wochen: 1 }).find((e) => e.aktenzeichen === 'AT 3/2027')
        ?.restTage,
    ).toBe(-28);
    expect(
      ablaufliste(cases, { heute: '2027-02-02', wochen: 1 }).some((e) => e.aktenzeichen === 'AT 3/2027'),
    ).toBe(false);
  });

  it('lists the title of a pending application and ignores closed refusals', () => {
    const dec = ablaufliste(cases, { heute: '2026-12-01', wochen: 2 });
    expect(dec).toEqual([
      expect.objectContaining({
        aktenzeichen: 'AT 4/2027',
        art: 'titel',
        gueltigBis: '2026-12-15',
        restTage: 14,
        nummer: 'Y1234567',
      }),
    ]);
  });

  it('sorts by name (German collation), by kind, and descending', () => {
    const all = { heute: '2027-01-31', wochen: 8 };
    expect(ablaufliste(cases, { ...all, sortierung: 'name' }).map((e) => e.person.split(',')[0])).toEqual([
      'Ähnlich',
      'Bauer',
      'Haddad',
      'Zander',
    ]);
    expect(ablaufliste(cases, { ...all, sortierung: 'art' }).map((e) => e.art)).toEqual([
      'beschaeftigungserlaubnis',
      'fiktionsbescheinigung',
      'fiktionsbescheinigung',
      'fiktionsbescheinigung',
    ]);
    expect(ablaufliste(cases, { ...all, absteigend: true }).map((e) => e.gueltigBis)).toEqual([
      '2027-03-01',
      '2027-02-28',
      '2027-02-14',
      '2027-01-04',
    ]);
    expect(ablaufliste(cases, all).find((e) => e.aktenzeichen === 'AT 2/2027')?.hinweis).toBe(
      'Verlängerung Nr. 1',
    );
  });
});
