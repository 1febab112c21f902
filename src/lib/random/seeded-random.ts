/**
 * The one seeded pseudo-random generator of the app (mulberry32): a draw is fully
 * determined by its seed, on every platform, because only 32-bit integer arithmetic
 * (Math.imul, >>>) is used. Math.random cannot be seeded, so nothing drawn with it
 * (a review set, an assignment plan, the demo faces) could ever be drawn again.
 */

/** Floats in [0, 1), from a seed taken as a 32-bit unsigned integer (so 2^32 + 1 is 1). */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * A 32-bit seed from any text (FNV-1a over its code points). A number hashes as its
 * text, so a seed typed as "42" and one given as 42 agree.
 */
export function hashSeed(seed: number | string): number {
  let h = 0x811c9dc5;
  for (const ch of String(seed)) {
    h ^= ch.codePointAt(0) ?? 0;
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}
