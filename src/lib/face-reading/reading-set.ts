import { faceFindings, type FaceFinding } from './findings';
import type { FaceReading } from './reading';

/**
 * A dataset's readings by image key, replaced whole when a batch arrives (the screens
 * hold them as raw state), and which images a run still has to read.
 */

export type ReadingsByKey = ReadonlyMap<string, FaceReading>;

export function readingsByKey(readings: Iterable<FaceReading>): ReadingsByKey {
  return new Map(Array.from(readings, (r) => [r.imageKey, r]));
}

/** A new map with the readings added (a newer reading of an image replaces the older one). */
export function withReadings(current: ReadingsByKey, added: readonly FaceReading[]): ReadingsByKey {
  const merged = new Map(current);
  for (const reading of added) merged.set(reading.imageKey, reading);
  return merged;
}

/** Each reading's findings, remembered by the reading (immutable) so an update costs a lookup per face. */
const found = new WeakMap<FaceReading, FaceFinding[]>();

function findingsOf(reading: FaceReading): FaceFinding[] {
  let findings = found.get(reading);
  if (!findings) {
    findings = faceFindings(reading);
    found.set(reading, findings);
  }
  return findings;
}

export function findingsByKey(readings: ReadingsByKey): ReadonlyMap<string, FaceFinding[]> {
  return new Map(Array.from(readings, ([key, reading]) => [key, findingsOf(reading)]));
}

export interface ImagesToRead {
  /** Distinct image keys not read yet by this model, in the samples' order. */
  todo: string[];
  /** Distinct image keys already read by this model. */
  reused: number;
}

/** The images of the given samples that a run reads: each once, none read before by `model`. */
export function imagesToRead(
  sampleKeys: Iterable<string>,
  readings: ReadingsByKey,
  model: string,
): ImagesToRead {
  const seen = new Set<string>();
  const todo: string[] = [];
  let reused = 0;
  for (const key of sampleKeys) {
    if (seen.has(key)) continue;
    seen.add(key);
    if (readings.get(key)?.model === model) reused++;
    else todo.push(key);
  }
  return { todo, reused };
}
