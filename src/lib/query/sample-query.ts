import { SampleFlag, type SampleTable } from '../labels/types';
import { entriesContaining } from '../labels/text-column';

/**
 * What narrows the grid beyond the label filter (rules/filter.ts): whether a
 * sample has its image, and a part of its name.
 */
export interface SampleQuery {
  image: 'any' | 'with' | 'without';
  /** Case-insensitive substring of the image name. */
  nameContains: string;
}

export const ANY_SAMPLE: SampleQuery = { image: 'any', nameContains: '' };

/** The given sample indices that match, in the given order. One pass. */
export function refineSamples(
  table: SampleTable,
  indices: Int32Array,
  query: SampleQuery,
): Int32Array {
  const needle = query.nameContains.trim().toLowerCase();
  if (query.image === 'any' && !needle) return indices;
  // One search over all names at once: cheaper than a lower-cased string per sample.
  const named = needle ? entriesContaining(table.names, needle) : null;
  const out = new Int32Array(indices.length);
  let n = 0;
  for (const i of indices) {
    if (query.image !== 'any') {
      const has = ((table.flags[i] ?? 0) & SampleFlag.hasImage) !== 0;
      if (has !== (query.image === 'with')) continue;
    }
    if (named && named[i] !== 1) continue;
    out[n++] = i;
  }
  return out.slice(0, n);
}
