import { describe, expect, it } from 'vitest';
import { ApiError } from '../api.js';
import { centsToInput, formatDate, formatEuroCents, parseEuroToCents, parseGermanDate } from '../format.js';
import {
  bySection,
  collectNodes,
  fromData,
  initialState,
  type JsonSchema,
  removeItem,
  toData,
} from './schema.js';

/** The form model of the web app: JSON Schema -> fields, typed values -> API data and back. */

const schema: JsonSchema = {
  type: 'object',
  required: ['antrag', 'kinder'],
  properties: {
    antrag: {
      type: 'object',
      section: 'antrag',
      required: ['name', 'geboren', 'gebuehr', 'iban', 'einverstanden', 'art'],
      properties: {
        name: { type: 'string', title: 'Name', widget: 'text' },
        geboren: { type: 'string', title: 'Geboren am', widget: 'date' },
        gebuehr: { type: 'integer', title: 'Gebühr', widget: 'money' },
        betrag: { type: 'number', title: 'Betrag', widget: 'money' },
        anzahl: { type: 'number', title: 'Anzahl' },
        iban: { type: 'string', title: 'IBAN', widget: 'iban' },
        einverstanden: { type: 'boolean', title: 'Einverstanden?' },
        art: { type: 'string', enum: ['a', 'b'], title: 'Art', options: { a: 'Erste', b: 'Zweite' } },
      },
    },
    zusatz: {
      type: 'object',
      section: 'antrag',
      properties: { bemerkung: { type: 'string', title: 'Bemerkung', widget: 'textarea' } },
    },
    kinder: {
      type: 'array',
      title: 'Kinder',
      minItems: 1,
      section: 'kinder',
      items: {
        type: 'object',
        title: 'Kind',
        required: ['vorname'],
        properties: { vorname: { type: 'string', title: 'Vorname' } },
      },
    },
  },
};

describe('form model', () => {
  const nodes = collectNodes(schema);

  it('finds each field with its label, widget and section, and repeated groups with their items', () => {
    const byPath = Object.fromEntries(nodes.map((n) => [n.path, n]));
    expect(byPath['antrag.gebuehr']).toMatchObject({
      kind: 'field',
      widget: 'money',
      integer: true,
      required: true,
    });
    expect(byPath['antrag.einverstanden']).toMatchObject({ widget: 'yesno', label: 'Einverstanden?' });
    expect(byPath['antrag.art']).toMatchObject({
      widget: 'select',
      options: [
        { value: 'a', label: 'Erste' },
        { value: 'b', label: 'Zweite' },
      ],
    });
    expect(byPath.kinder).toMatchObject({ kind: 'group', itemLabel: 'Kind', minItems: 1 });
    expect(
      bySection(nodes, [
        { id: 'kinder', title: 'Kinder' },
        { id: 'antrag', title: 'Antrag' },
      ]).map((s) => s.id),
    ).toEqual(['kinder', 'antrag']);
  });

  it('converts German input to API data: ISO dates, cents, euros, IBAN without spaces, booleans, arrays', () => {
    const state = initialState(nodes);
    expect(state.counts.kinder).toBe(1);
    Object.assign(state.values, {
      'antrag.name': 'Erika',
      'antrag.geboren': '1.2.1990',
      'antrag.gebuehr': '1.234,5',
      'antrag.betrag': '12,50',
      'antrag.anzahl': '3,5',
      'antrag.iban': 'de02 1203 0000 0000 2020 51',
      'antrag.einverstanden': false,
      'antrag.art': 'b',
      'kinder.0.vorname': 'Ben',
    });
    expect(toData(nodes, state)).toEqual({
      antrag: {
        name: 'Erika',
        geboren: '1990-02-01',
        gebuehr: 123450,
        betrag: 12.5,
        anzahl: 3.5,
        iban: 'DE02120300000000202051',
        einverstanden: false,
        art: 'b',
      },
      kinder: [{ vorname: 'Ben' }],
    });
  });

  it('sends required objects even when empty (so the rules name their fields), optional ones not', () => {
    expect(toData(nodes, { values: {}, counts: {} })).toEqual({ antrag: {}, kinder: [] });
  });

  it('keeps what is no valid number or date as typed, so that validation refuses it', () => {
    const data = toData(nodes, {
      values: { 'antrag.gebuehr': 'zwölf', 'antrag.geboren': '31.02.' },
      counts: {},
    });
    expect(data).toMatchObject({ antrag: { gebuehr: 'zwölf', geboren: '31.02.' } });
  });

  it('turns stored data back into form values (to correct a case) and round-trips', () => {
    const data = {
      antrag: {
        name: 'X',
        geboren: '2001-12-24',
        gebuehr: 1050,
        iban: 'DE02120300000000202051',
        einverstanden: true,
        art: 'a',
      },
      kinder: [{ vorname: 'A' }, { vorname: 'B' }],
    };
    const state = fromData(nodes, data);
    expect(state.values['antrag.geboren']).toBe('24.12.2001');
    expect(state.values['antrag.gebuehr']).toBe('10,50');
    expect(state.values['antrag.iban']).toBe('DE02 1203 0000 0000 2020 51');
    expect(state.counts.kinder).toBe(2);
    expect(toData(nodes, state)).toEqual(data);
  });

  it('removes an item of a repeated group and moves the later items up', () => {
    const state = {
      values: { 'kinder.0.vorname': 'A', 'kinder.1.vorname': 'B', 'kinder.2.vorname': 'C' },
      counts: { kinder: 3 },
    };
    const next = removeItem(state, 'kinder', 1);
    expect(next.counts.kinder).toBe(2);
    expect(toData(nodes, next).kinder).toEqual([{ vorname: 'A' }, { vorname: 'C' }]);
  });
});

describe('German formats', () => {
  it('reads and writes dates as TT.MM.JJJJ and amounts with a decimal comma', () => {
    expect(formatDate('2026-11-26')).toBe('26.11.2026');
    expect(parseGermanDate('26.11.2026')).toBe('2026-11-26');
    expect(parseEuroToCents('0,05')).toBe(5);
    expect(parseEuroToCents('12')).toBe(1200);
    expect(Number.isNaN(parseEuroToCents('12,345'))).toBe(true);
    expect(centsToInput(123456)).toBe('1234,56');
    expect(formatEuroCents(123456)).toMatch(/^1\.234,56\s€$/);
  });
});

describe('server errors at their fields', () => {
  it('maps problem+json paths like data/person/familienname to form paths', () => {
    const e = new ApiError(422, {
      title: 'Ungültige Eingaben',
      errors: [
        { path: 'data/person/familienname', message: 'Familienname: Bitte angeben.' },
        { path: 'data/eltern/1/geburtsdatum', message: 'Geburtsdatum: …' },
        { path: 'authorityAgs', message: 'AGS falsch' },
      ],
    });
    expect(e.fieldErrors('data')).toEqual({
      'person.familienname': 'Familienname: Bitte angeben.',
      'eltern.1.geburtsdatum': 'Geburtsdatum: …',
      authorityAgs: 'AGS falsch',
    });
  });
});
