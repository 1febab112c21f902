/// <reference lib="webworker" />

/**
 * The label-evidence floor: the least work any correct out-of-fold fit of the emotion
 * labels on the AU patterns must do, and nothing more. One pass over the columns that
 * gives every AU-coded sample with a known class a fold (its index modulo the folds)
 * and counts it in its (AU pattern, fold, class) cell: every fold's model is fitted to
 * the other folds' counts, and no fit can start without them. No fitting, no pooling of
 * sources, no confident learning, no calibration copy, no ranking.
 */

export interface EvidenceFloorRequest {
  count: number;
  classIds: Int16Array;
  auStatus: Uint8Array;
  auMask: Uint32Array;
  /** The scheme's class ids, in column order. */
  schemeClassIds: number[];
  folds: number;
}

export interface EvidenceFloorResponse {
  /** Time of the pass in the worker (ms), without the messages. */
  computeMs: number;
  /** Distinct AU patterns among the counted samples. */
  patterns: number;
  /** Samples counted. */
  counted: number;
  /**
   * Per (pattern, fold, class) counts, patterns x folds x classes at the front of the
   * array (the rest is spare capacity); transferred back, not copied.
   */
  counts: Int32Array;
}

/** AuStatus.coded in src/lib/labels/types.ts. */
const CODED = 2;

function countPatterns(request: EvidenceFloorRequest): EvidenceFloorResponse {
  const { count, classIds, auStatus, auMask, schemeClassIds, folds } = request;
  const t0 = performance.now();
  const k = schemeClassIds.length;
  // Class id -> column through a small lookup table (ids are small integers).
  const minId = Math.min(0, ...schemeClassIds);
  const columnOf = new Int16Array(Math.max(0, ...schemeClassIds) - minId + 1).fill(-1);
  schemeClassIds.forEach((id, c) => (columnOf[id - minId] = c));

  // Open addressing on the two mask words; slot = pattern + 1, 0 = empty.
  let capacity = 1 << 12;
  let slots = new Int32Array(capacity);
  let keys = new Uint32Array(2 * capacity);
  let patterns = 0;
  let counts = new Int32Array(capacity * folds * k);
  let counted = 0;
  const hashOf = (lo: number, hi: number) =>
    (Math.imul(lo ^ Math.imul(hi, 0x9e3779b1), 0x85ebca6b) ^ (lo >>> 15)) >>> 0;

  for (let i = 0; i < count; i++) {
    if (auStatus[i] !== CODED) continue;
    const at = (classIds[i] as number) - minId;
    const c = at >= 0 && at < columnOf.length ? (columnOf[at] as number) : -1;
    if (c < 0) continue;
    const lo = auMask[2 * i] as number;
    const hi = auMask[2 * i + 1] as number;
    let mask = capacity - 1;
    let s = hashOf(lo, hi) & mask;
    let pattern = -1;
    for (;;) {
      const slot = slots[s] as number;
      if (slot === 0) break;
      if (keys[2 * s] === lo && keys[2 * s + 1] === hi) {
        pattern = slot - 1;
        break;
      }
      s = (s + 1) & mask;
    }
    if (pattern < 0) {
      pattern = patterns++;
      if (patterns * 2 > capacity) {
        // Grow the table and the counts (rare: at most log2 of the patterns times).
        const oldKeys = keys;
        const oldSlots = slots;
        capacity *= 2;
        mask = capacity - 1;
        slots = new Int32Array(capacity);
        keys = new Uint32Array(2 * capacity);
        for (let o = 0; o < oldSlots.length; o++) {
          const slot = oldSlots[o] as number;
          if (slot === 0) continue;
          const l = oldKeys[2 * o] as number;
          const h = oldKeys[2 * o + 1] as number;
          let t = hashOf(l, h) & mask;
          while (slots[t] !== 0) t = (t + 1) & mask;
          slots[t] = slot;
          keys[2 * t] = l;
          keys[2 * t + 1] = h;
        }
        const grown = new Int32Array(capacity * folds * k);
        grown.set(counts);
        counts = grown;
        s = hashOf(lo, hi) & mask;
        while (slots[s] !== 0) s = (s + 1) & mask;
      }
      slots[s] = pattern + 1;
      keys[2 * s] = lo;
      keys[2 * s + 1] = hi;
    }
    const cell = (pattern * folds + (i % folds)) * k + c;
    counts[cell] = (counts[cell] as number) + 1;
    counted++;
  }
  return { computeMs: performance.now() - t0, patterns, counted, counts };
}

self.onmessage = (event: MessageEvent<EvidenceFloorRequest>) => {
  const response = countPatterns(event.data);
  (self as unknown as Worker).postMessage(response, [response.counts.buffer]);
};
