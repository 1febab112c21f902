/**
 * Sorting sample indices by a Float32 column (check score, given-class posterior) in
 * O(n): an LSD radix sort on the keys' bit patterns, made order-preserving.
 *
 * The order is exactly that of the comparator
 *
 *   (x, y) => NaN(k[x]) || NaN(k[y]) ? (both NaN ? x - y : NaN(k[x]) ? 1 : -1)
 *                                    : (k[x] - k[y]) * direction || x - y
 *
 * i.e. numbers ascending (direction 1) or descending (-1), -0 equal to +0, NaN last in
 * both directions, and ties (NaNs among themselves included) by ascending sample index.
 * A comparator sort of a million indices takes hundreds of milliseconds; this takes a
 * few tens.
 */

const DIGIT_BITS = 11;
const BUCKETS = 1 << DIGIT_BITS;
const DIGIT_MASK = BUCKETS - 1;
/** 11 + 11 + 10 bits cover the 32-bit key. */
const PASSES = 3;

const SIGN = 0x80000000;
const ABS = 0x7fffffff;
const INFINITY_BITS = 0x7f800000;

/**
 * Sorts `indices` in place by `keys[index]` (see the module comment for the order) and
 * returns it. Indices must be valid positions of `keys`; they need not be ascending or
 * distinct.
 */
export function sortIndicesByKey(
  indices: Int32Array,
  keys: Float32Array,
  direction: 1 | -1 = 1,
): Int32Array {
  const n = indices.length;
  if (n < 2) return indices;

  // Ties go by ascending index, and the radix sort is stable: start from ascending order
  // (the filter's indices already are; anything else pays one numeric sort).
  for (let j = 1; j < n; j++) {
    if ((indices[j - 1] as number) > (indices[j] as number)) {
      indices.sort();
      break;
    }
  }

  const bits = new Uint32Array(keys.buffer, keys.byteOffset, keys.length);
  // Descending: complement the keys; NaNs are set aside first, so they stay last.
  const flip = direction === 1 ? 0 : -1;
  let keyFrom: Uint32Array = new Uint32Array(n);
  let idxFrom: Int32Array = new Int32Array(n);
  const counts = new Int32Array(PASSES * BUCKETS);

  // One pass: keys made order-preserving unsigned integers, digit histograms, NaNs out.
  // NaN indices are written to the front of `indices`, behind the read position.
  let m = 0;
  let nans = 0;
  for (let j = 0; j < n; j++) {
    const index = indices[j] as number;
    let b = bits[index] as number;
    if ((b & ABS) >>> 0 > INFINITY_BITS) {
      indices[nans++] = index;
      continue;
    }
    if (b === SIGN) b = 0; // -0 sorts with +0
    // Negative: all bits flipped; positive: sign bit set. Then the direction.
    const key = (((b & SIGN) !== 0 ? ~b : b | SIGN) ^ flip) >>> 0;
    keyFrom[m] = key;
    idxFrom[m] = index;
    m++;
    counts[key & DIGIT_MASK] = (counts[key & DIGIT_MASK] as number) + 1;
    const d1 = BUCKETS + ((key >>> DIGIT_BITS) & DIGIT_MASK);
    counts[d1] = (counts[d1] as number) + 1;
    const d2 = 2 * BUCKETS + (key >>> (2 * DIGIT_BITS));
    counts[d2] = (counts[d2] as number) + 1;
  }

  let keyTo: Uint32Array | null = null;
  let idxTo: Int32Array | null = null;
  for (let pass = 0; pass < PASSES; pass++) {
    const shift = pass * DIGIT_BITS;
    const base = pass * BUCKETS;
    if (m === 0) break;
    // A digit every key shares leaves the order as it is.
    if (counts[base + (((keyFrom[0] as number) >>> shift) & DIGIT_MASK)] === m) continue;
    let offset = 0;
    for (let d = base; d < base + BUCKETS; d++) {
      const count = counts[d] as number;
      counts[d] = offset;
      offset += count;
    }
    keyTo ??= new Uint32Array(n);
    idxTo ??= new Int32Array(n);
    for (let j = 0; j < m; j++) {
      const key = keyFrom[j] as number;
      const d = base + ((key >>> shift) & DIGIT_MASK);
      const at = counts[d] as number;
      counts[d] = at + 1;
      keyTo[at] = key;
      idxTo[at] = idxFrom[j] as number;
    }
    [keyFrom, keyTo] = [keyTo, keyFrom];
    [idxFrom, idxTo] = [idxTo, idxFrom];
  }

  // NaNs (ascending, at the front) to the end, then the sorted numbers before them.
  if (nans > 0 && m > 0) indices.copyWithin(m, 0, nans);
  indices.set(idxFrom.subarray(0, m), 0);
  return indices;
}
