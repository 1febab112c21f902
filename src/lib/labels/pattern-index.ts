/**
 * Distinct AU patterns (a sample's two AU mask words), numbered in the order they first
 * appear: open addressing on the two words. The evidence keys every coded sample by its
 * pattern several times (the AU model's design, the literature); at a million samples a
 * Map of Maps cost about 80 ms a pass, this about a fifth of that.
 */
export class PatternIndex {
  /** Per slot: its pattern + 1; 0 = empty. */
  private slots = new Int32Array(1 << 10);
  private mask = (1 << 10) - 1;
  /** Per pattern: its low word, then its high word. */
  private words = new Uint32Array(2 << 9);
  size = 0;

  /** The pattern's number: the one it was given, or the next one when it is new. */
  idOf(lo: number, hi: number): number {
    lo >>>= 0;
    hi >>>= 0;
    let slot = hashOf(lo, hi) & this.mask;
    for (;;) {
      const held = this.slots[slot] as number;
      if (held === 0) break;
      const p = held - 1;
      if (this.words[2 * p] === lo && this.words[2 * p + 1] === hi) return p;
      slot = (slot + 1) & this.mask;
    }
    const p = this.size++;
    if (2 * this.size > this.words.length) {
      const grown = new Uint32Array(this.words.length * 2);
      grown.set(this.words);
      this.words = grown;
    }
    this.words[2 * p] = lo;
    this.words[2 * p + 1] = hi;
    if (2 * this.size > this.slots.length) this.grow();
    else this.slots[slot] = p + 1;
    return p;
  }

  /** Pattern p's low mask word. */
  lowWord(p: number): number {
    return this.words[2 * p] as number;
  }

  /** Pattern p's high mask word. */
  highWord(p: number): number {
    return this.words[2 * p + 1] as number;
  }

  /** Doubles the table and places every pattern again (the newest included). */
  private grow(): void {
    const slots = new Int32Array(this.slots.length * 2);
    const mask = slots.length - 1;
    for (let p = 0; p < this.size; p++) {
      let slot = hashOf(this.words[2 * p] as number, this.words[2 * p + 1] as number) & mask;
      while ((slots[slot] as number) !== 0) slot = (slot + 1) & mask;
      slots[slot] = p + 1;
    }
    this.slots = slots;
    this.mask = mask;
  }
}

/** A 32-bit mix of the two words (murmur3's finaliser over a combination of them). */
function hashOf(lo: number, hi: number): number {
  let h = (lo ^ Math.imul(hi, 0x9e3779b1)) >>> 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

/**
 * The column of each class id (a lookup for the Int16 class column): ids not among
 * classIds give -1. One array read a sample instead of a Map lookup.
 */
export function classColumnLookup(classIds: readonly number[]): (id: number) => number {
  const columns = new Int16Array(1 << 16).fill(-1);
  classIds.forEach((id, c) => {
    if (Number.isInteger(id) && id >= -32768 && id <= 32767) columns[id + 32768] = c;
  });
  return (id) => columns[id + 32768] as number;
}
