import { afterEach, describe, expect, it } from 'vitest';
import { kduGrenzeFuer } from '../../../core/benefits/hilfe-zum-lebensunterhalt.js';
import { sozialhilfeServer } from './index.js';
import { sozialhilfeRegeln } from './regeln.js';

describe('Sozialhilfe settings (NOTBETRIEB_SOZIALHILFE_JSON)', () => {
  afterEach(() => {
    delete process.env.NOTBETRIEB_SOZIALHILFE_JSON;
  });

  it('refuses a malformed value when the app is built, naming the variable in German', () => {
    process.env.NOTBETRIEB_SOZIALHILFE_JSON =
      '{"kdu":[{"ags":"5970","bruttokaltCents":[1],"jeWeiterePersonCents":1,"quelle":"x"}]}';
    expect(() => sozialhilfeServer.hooks?.({ today: () => '2026-11-26' })).toThrow(
      'Ungültige Konfiguration: NOTBETRIEB_SOZIALHILFE_JSON / NOTBETRIEB_REGELBEDARF_JSON: Sozialhilfe-Regeln, Angemessenheitsgrenze 1: "ags" hat acht Ziffern.',
    );
    process.env.NOTBETRIEB_SOZIALHILFE_JSON = 'kein json';
    expect(() => sozialhilfeRegeln()).toThrow('Sozialhilfe-Regeln: kein gültiges JSON.');
  });

  it('takes the limits of a Kreis for its municipalities, and none without the setting', () => {
    expect(sozialhilfeRegeln().kdu).toEqual([]);
    process.env.NOTBETRIEB_SOZIALHILFE_JSON = JSON.stringify({
      kdu: [
        { ags: '05966000', bruttokaltCents: [42000], jeWeiterePersonCents: 9000, quelle: 'Kreis Olpe 2026' },
      ],
      mehrbedarf: { schwangerschaftBp: 1800 },
    });
    const r = sozialhilfeRegeln();
    expect(kduGrenzeFuer('05966004', r)?.quelle).toBe('Kreis Olpe 2026');
    expect(kduGrenzeFuer('05970040', r)).toBeUndefined();
    expect(r.mehrbedarf.schwangerschaftBp).toBe(1800);
  });
});
