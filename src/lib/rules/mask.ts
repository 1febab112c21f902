import { MAX_MASK_AU } from '../labels/au';

/**
 * Bit helpers for the two-word AU mask (SampleTable.auMask layout: bit au-1 of the
 * first word for AU 1-32, bit au-33 of the second for AU 33-64).
 */

export interface AuMask {
  lo: number;
  hi: number;
}

/** The mask of a list of AUs; numbers outside 1-64 set no bit (the mask cannot hold them). */
export function maskOf(aus: readonly number[]): AuMask {
  let lo = 0;
  let hi = 0;
  for (const au of aus) {
    if (!Number.isInteger(au) || au < 1 || au > MAX_MASK_AU) continue;
    if (au <= 32) lo |= 1 << (au - 1);
    else hi |= 1 << (au - 33);
  }
  return { lo: lo >>> 0, hi: hi >>> 0 };
}

/** Calls visit(au) for each AU set, ascending, without allocating. */
export function forEachAu(lo: number, hi: number, visit: (au: number) => void): void {
  for (let x = lo >>> 0; x !== 0;) {
    const low = x & -x;
    visit(32 - Math.clz32(low));
    x = (x ^ low) >>> 0;
  }
  for (let x = hi >>> 0; x !== 0;) {
    const low = x & -x;
    visit(64 - Math.clz32(low));
    x = (x ^ low) >>> 0;
  }
}

/** The AUs set, ascending. */
export function ausOfMask(lo: number, hi: number): number[] {
  const aus: number[] = [];
  forEachAu(lo, hi, (au) => aus.push(au));
  return aus;
}

/** Number of bits set in a 32-bit word. */
export function popcount(word: number): number {
  let v = word >>> 0;
  v -= (v >>> 1) & 0x55555555;
  v = (v & 0x33333333) + ((v >>> 2) & 0x33333333);
  return (((v + (v >>> 4)) & 0x0f0f0f0f) * 0x01010101) >>> 24;
}
