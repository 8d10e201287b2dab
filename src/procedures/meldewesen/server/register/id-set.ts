/**
 * A set of register ids (1–255 ASCII characters) kept in typed arrays: the import checks millions
 * of person ids for duplicates, and a Set of strings would give the garbage collector millions of
 * objects to trace. Open addressing with linear probing; the ids' bytes live in one growing arena.
 */
export class IdSet {
  /** Per id: its length, then its characters. */
  private arena = new Uint8Array(1 << 20);
  private used = 0;
  /** Arena offset + 1 of the id in each slot; 0 = empty. */
  private slots: Int32Array;
  private count = 0;

  /** `expected`: about how many ids will come (sizes the table up front; it grows beyond). */
  constructor(expected = 0) {
    let size = 1 << 16;
    while (size < expected * 2 && size < 1 << 24) size *= 2;
    this.slots = new Int32Array(size);
  }

  get size(): number {
    return this.count;
  }

  /** Adds `id`; false when it is in the set already. */
  add(id: string): boolean {
    const n = id.length;
    if (n === 0 || n > 255) throw new RangeError('IdSet: id length out of range');
    const h = hashOf(id);
    const mask = this.slots.length - 1;
    let i = h & mask;
    for (;;) {
      const at = this.slots[i] as number;
      if (at === 0) break;
      if (this.equals(at - 1, id)) return false;
      i = (i + 1) & mask;
    }
    if (this.used + n + 1 > this.arena.length) {
      const bigger = new Uint8Array(Math.max(this.arena.length * 2, this.used + n + 1));
      bigger.set(this.arena.subarray(0, this.used));
      this.arena = bigger;
    }
    const arena = this.arena;
    const start = this.used;
    arena[start] = n;
    for (let k = 0; k < n; k++) {
      const c = id.charCodeAt(k);
      if (c > 127) throw new RangeError('IdSet: ids must be ASCII');
      arena[start + 1 + k] = c;
    }
    this.used += n + 1;
    this.slots[i] = start + 1;
    this.count++;
    if (this.count * 2 > this.slots.length) this.grow();
    return true;
  }

  has(id: string): boolean {
    const mask = this.slots.length - 1;
    let i = hashOf(id) & mask;
    for (;;) {
      const at = this.slots[i] as number;
      if (at === 0) return false;
      if (this.equals(at - 1, id)) return true;
      i = (i + 1) & mask;
    }
  }

  private equals(start: number, id: string): boolean {
    const arena = this.arena;
    const n = id.length;
    if (arena[start] !== n) return false;
    for (let k = 0; k < n; k++) if (arena[start + 1 + k] !== id.charCodeAt(k)) return false;
    return true;
  }

  private grow(): void {
    const slots = new Int32Array(this.slots.length * 2);
    const mask = slots.length - 1;
    const arena = this.arena;
    for (const at of this.slots) {
      if (at === 0) continue;
      const start = at - 1;
      let h = 0x811c9dc5;
      for (let k = 0, n = arena[start] as number; k < n; k++) {
        h = Math.imul(h ^ (arena[start + 1 + k] as number), 0x01000193);
      }
      let i = h & mask;
      while (slots[i] !== 0) i = (i + 1) & mask;
      slots[i] = at;
    }
    this.slots = slots;
  }
}

/** FNV-1a over the character codes (the same bytes the arena holds for ASCII ids). */
function hashOf(id: string): number {
  let h = 0x811c9dc5;
  for (let k = 0; k < id.length; k++) h = Math.imul(h ^ id.charCodeAt(k), 0x01000193);
  return h;
}
