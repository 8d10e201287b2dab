import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.js';

describe('configuration', () => {
  it('defaults to embedded SQLite under ./data on 127.0.0.1:8080', () => {
    const c = loadConfig({});
    expect(c).toMatchObject({ port: 8080, host: '127.0.0.1', databaseUrl: undefined, logLevel: 'info' });
    expect(c.dataDir).toBe(path.resolve('./data'));
  });

  it('takes PostgreSQL from DATABASE_URL', () => {
    expect(loadConfig({ DATABASE_URL: 'postgres://u@db:5432/nb' }).databaseUrl).toBe(
      'postgres://u@db:5432/nb',
    );
  });

  it('refuses bad values with German messages naming each variable', () => {
    let err: unknown;
    try {
      loadConfig({ PORT: '70000', DATABASE_URL: 'mysql://x', LOG_LEVEL: 'loud' });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ConfigError);
    const problems = (err as ConfigError).problems;
    expect(problems).toContain('PORT: PORT muss zwischen 1 und 65535 liegen');
    expect(problems).toContain('DATABASE_URL: DATABASE_URL muss mit postgres:// oder postgresql:// beginnen');
    expect(problems.some((p) => p.startsWith('LOG_LEVEL:'))).toBe(true);
  });

  it('merges the SQLite search index at 3 at night unless set otherwise or switched off', () => {
    expect(loadConfig({}).searchIndexHour).toBe(3);
    expect(loadConfig({ NOTBETRIEB_SUCHINDEX_STUNDE: '22' }).searchIndexHour).toBe(22);
    expect(loadConfig({ NOTBETRIEB_SUCHINDEX_STUNDE: 'aus' }).searchIndexHour).toBeNull();
    for (const bad of ['24', 'nachts', '2.5']) {
      let err: unknown;
      try {
        loadConfig({ NOTBETRIEB_SUCHINDEX_STUNDE: bad });
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(ConfigError);
      expect((err as ConfigError).problems).toEqual([
        'NOTBETRIEB_SUCHINDEX_STUNDE: NOTBETRIEB_SUCHINDEX_STUNDE muss eine Stunde von 0 bis 23 oder „aus“ sein',
      ]);
    }
  });

  it('refuses a port that is not a number', () => {
    expect(() => loadConfig({ PORT: 'abc' })).toThrow('PORT muss eine Zahl sein');
  });
});
