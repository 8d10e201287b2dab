import { expect, it } from 'vitest';
import { describeEachDialect } from '../harness.js';
import { formatResult, runKillTest } from './driver.js';

/**
 * Short form of the kill test for CI (few kills); the long form with 25 kills is
 * `npm run test:crash`.
 */
describeEachDialect('kill test (short form)', (dialect) => {
  it('keeps every acknowledged write and leaves no half-written case after SIGKILLs', async () => {
    const r = await runKillTest({ dialect, kills: dialect === 'sqlite' ? 2 : 1, workers: 4 });
    console.log(formatResult(r));
    expect(r.kills).toBe(dialect === 'sqlite' ? 2 : 1);
    expect(r.acknowledged).toBeGreaterThan(0);
    expect(r.lostDetails).toEqual([]);
    expect(r.lost).toBe(0);
    expect(r.halfWritten).toBe(0);
    expect(r.unexpected).toEqual([]);
    if (dialect === 'sqlite') expect(r.integrity).toBe('ok');
  }, 240_000);
});
