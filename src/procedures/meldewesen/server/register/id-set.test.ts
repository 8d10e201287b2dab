import { describe, expect, it } from 'vitest';
import { IdSet } from './id-set.js';

describe('IdSet (duplicate check of the register import)', () => {
  it('answers like a Set of strings, also after growing well past its first size', () => {
    const ids = new IdSet();
    const reference = new Set<string>();
    // 300 000 ids of different lengths and shapes, each offered twice in a scrambled order.
    const all: string[] = [];
    for (let i = 0; i < 150_000; i++) all.push(`P${String(i).padStart(8, '0')}`, `x.${i * 7919}_-${i % 13}`);
    let disagreements = 0;
    for (let i = 0; i < all.length * 2; i++) {
      const id = all[(i * 104_729) % all.length] as string;
      if (ids.add(id) === reference.has(id)) disagreements++;
      reference.add(id);
    }
    expect(disagreements).toBe(0);
    expect(ids.size).toBe(reference.size);
    expect(ids.size).toBe(300_000);
    expect(ids.has('P00000001')).toBe(true);
    expect(ids.has('P0000001')).toBe(false);
    expect(ids.has('P000000010')).toBe(false);
    expect(ids.has('Ä')).toBe(false);
  });

  it('refuses what it cannot hold instead of confusing ids', () => {
    const ids = new IdSet();
    expect(() => ids.add('')).toThrow(RangeError);
    expect(() => ids.add('Ä1')).toThrow(RangeError);
    expect(() => ids.add('x'.repeat(256))).toThrow(RangeError);
    expect(ids.add('x'.repeat(255))).toBe(true);
    expect(ids.add('x'.repeat(255))).toBe(false);
  });
});
