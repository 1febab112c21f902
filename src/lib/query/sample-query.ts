import { SampleFlag, type SampleTable } from '../labels/types';
import { entriesContaining } from '../labels/text-column';
import type { FaceFinding } from '../face-reading/findings';

/**
 * What narrows the grid beyond the label filter (rules/filter.ts): whether a
 * sample has its image, a part of its name, and what the face model found.
 */
export interface SampleQuery {
  image: 'any' | 'with' | 'without';
  /** Case-insensitive substring of the image name. */
  nameContains: string;
  /**
   * 'any'; 'unread' (not read by the face model); 'clean' (read, no finding);
   * 'any-finding'; or one finding.
   */
  face: 'any' | 'unread' | 'clean' | 'any-finding' | FaceFinding;
}

export const ANY_SAMPLE: SampleQuery = { image: 'any', nameContains: '', face: 'any' };

/** A sample's face findings; null when its image was not read. */
export type FaceFindingsOf = (i: number) => readonly FaceFinding[] | null;

function faceMatches(query: SampleQuery['face'], findings: readonly FaceFinding[] | null): boolean {
  if (query === 'unread') return findings === null;
  if (findings === null) return false;
  if (query === 'clean') return findings.length === 0;
  if (query === 'any-finding') return findings.length > 0;
  return findings.includes(query as FaceFinding);
}

/** The given sample indices that match, in the given order. One pass. */
export function refineSamples(
  table: SampleTable,
  indices: Int32Array,
  query: SampleQuery,
  faceFindingsOf: FaceFindingsOf = () => null,
): Int32Array {
  const needle = query.nameContains.trim().toLowerCase();
  const face = query.face ?? 'any';
  if (query.image === 'any' && !needle && face === 'any') return indices;
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
    if (face !== 'any' && !faceMatches(face, faceFindingsOf(i))) continue;
    out[n++] = i;
  }
  return out.slice(0, n);
}
