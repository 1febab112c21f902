import { hashSeed, seededRandom } from '../lib/random/seeded-random';

/**
 * The app's seeded generator with the helpers the demo draws with. The same seed
 * always gives the same sequence, on every platform.
 */
export class Rng {
  /** A float in [0, 1). */
  readonly next: () => number;

  /** An integer seeds the generator as it is; any other seed by its hash. */
  constructor(seed: number | string) {
    this.next = seededRandom(
      typeof seed === 'number' && Number.isInteger(seed) ? seed : hashSeed(seed),
    );
  }

  /** A float in [min, max). */
  float(min: number, max: number): number {
    return min + (max - min) * this.next();
  }

  /** An integer in [min, max], both inclusive. */
  int(min: number, max: number): number {
    if (max < min) throw new RangeError(`int(${min}, ${max}): empty range`);
    return min + Math.floor(this.next() * (max - min + 1));
  }

  /** True with probability p. */
  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new RangeError('pick from an empty list');
    return items[Math.floor(this.next() * items.length)] as T;
  }

  /** Pick by non-negative weights (at least one positive). */
  weighted<T>(items: readonly (readonly [T, number])[]): T {
    const total = items.reduce((sum, [, w]) => sum + Math.max(0, w), 0);
    if (!(total > 0)) throw new RangeError('weighted pick needs a positive weight');
    let r = this.next() * total;
    for (const [item, w] of items) {
      r -= Math.max(0, w);
      if (r < 0) return item;
    }
    return (items[items.length - 1] as readonly [T, number])[0];
  }

  /** A shuffled copy (Fisher-Yates); the input is not changed. */
  shuffle<T>(items: readonly T[]): T[] {
    const out = items.slice();
    for (let i = out.length - 1; i > 0; i--) {
      const j = Math.floor(this.next() * (i + 1));
      const tmp = out[i] as T;
      out[i] = out[j] as T;
      out[j] = tmp;
    }
    return out;
  }

  /** An independent generator derived from this one's seed stream and a label. */
  fork(label: string): Rng {
    return new Rng(hashSeed(`${label}:${Math.floor(this.next() * 4294967296)}`));
  }
}
