import type { LabelScheme, SampleTable } from '../labels/types';
import type { PredictionRun } from './run';

/** What one run says of one sample, as the sample and review views show it. */
export interface SamplePrediction {
  run: string;
  /** The run's likeliest class (scheme class id), and its probability; null without class output. */
  classId: number | null;
  probability: number;
  /** The probability of the labelled class; NaN when the run does not score it. */
  givenProbability: number;
  /** AUs at or above the threshold, ascending; null without AU output. */
  aus: number[] | null;
}

/** A run's prediction for sample `index`, or null when the run has none for it. */
export function samplePrediction(
  run: PredictionRun,
  index: number,
  givenClassId: number,
  scheme: LabelScheme,
  threshold = 0.5,
): SamplePrediction | null {
  const row = run.rowOf[index] ?? -1;
  if (row < 0) return null;
  const known = new Set(scheme.classes.map((c) => c.id));
  let classId: number | null = null;
  let probability = NaN;
  let givenProbability = NaN;
  const emotion = run.meta.emotion;
  if (emotion && run.classProbs) {
    const width = emotion.classIds.length;
    let best = -1;
    for (let c = 0; c < width; c++) {
      const p = run.classProbs[row * width + c] as number;
      const id = emotion.classIds[c] as number;
      if (id === givenClassId) givenProbability = p;
      if (known.has(id) && (best < 0 || p > (run.classProbs[row * width + best] as number)))
        best = c;
    }
    if (best >= 0) {
      classId = emotion.classIds[best] as number;
      probability = run.classProbs[row * width + best] as number;
    }
  }
  let aus: number[] | null = null;
  const au = run.meta.au;
  if (au && run.auProbs) {
    const width = au.aus.length;
    aus = au.aus
      .filter((_, c) => (run.auProbs?.[row * width + c] as number) >= threshold)
      .sort((a, b) => a - b);
  }
  return { run: run.meta.name, classId, probability, givenProbability, aus };
}

/**
 * Per sample, whether the run's likeliest class (among the scheme's) is the label:
 * 1 right, 0 wrong, 2 when the sample has no label or the run no class prediction for
 * it (the grid's filter reads this; see rules/filter.ts RunCorrectness).
 */
export function runCorrectness(
  run: PredictionRun,
  table: Pick<SampleTable, 'count' | 'classIds'>,
  scheme: LabelScheme,
): Uint8Array {
  const out = new Uint8Array(table.count).fill(2);
  const emotion = run.meta.emotion;
  const probs = run.classProbs;
  if (!emotion || !probs) return out;
  const width = emotion.classIds.length;
  const known = new Set(scheme.classes.map((c) => c.id));
  const inScheme = emotion.classIds.map((id) => known.has(id));
  for (let i = 0; i < table.count; i++) {
    const row = run.rowOf[i] as number;
    const label = table.classIds[i] as number;
    if (row < 0 || label < 0) continue;
    let best = -1;
    for (let c = 0; c < width; c++) {
      if (!inScheme[c]) continue;
      if (best < 0 || (probs[row * width + c] as number) > (probs[row * width + best] as number))
        best = c;
    }
    if (best >= 0) out[i] = emotion.classIds[best] === label ? 1 : 0;
  }
  return out;
}

/** runCorrectness of every run, by run id. */
export function runCorrectnessByRun(
  runs: readonly PredictionRun[],
  table: Pick<SampleTable, 'count' | 'classIds'>,
  scheme: LabelScheme,
): ReadonlyMap<string, Uint8Array> {
  return new Map(runs.map((run) => [run.meta.id, runCorrectness(run, table, scheme)]));
}
