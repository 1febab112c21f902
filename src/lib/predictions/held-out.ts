import type { ClassOpinions } from '../label-evidence/opinion';
import type { LabelScheme, SampleTable, SplitNames } from '../labels/types';
import { emotionMetrics, predictionOpinions } from './metrics';
import type { PredictionRun } from './run';

/**
 * A trained run as evidence about the labels, on the samples it did not train on only.
 * Confident learning needs out-of-sample probabilities: on its training samples a model
 * has learnt the given label (noise included) and would vouch for it, and the evidence
 * layer's weights, chosen by how likely the labels are, would then reward the run for
 * having seen them. So the samples of a split named as training ("train", "training")
 * get no opinion from the run. A sample without a split is taken as held out: the app
 * cannot tell, and the source's name says so.
 */

const TRAINING_SPLIT = /^\s*train(ing)?\b/i;

/** The split ids whose name says a model trained on them. */
export function trainingSplits(splitNames: SplitNames): Set<number> {
  const ids = new Set<number>();
  for (const [id, name] of Object.entries(splitNames))
    if (TRAINING_SPLIT.test(name)) ids.add(Number(id));
  return ids;
}

export function heldOutOpinions(
  run: PredictionRun,
  table: Pick<SampleTable, 'count' | 'classIds' | 'splits'>,
  scheme: LabelScheme,
  splitNames: SplitNames,
): ClassOpinions | null {
  const opinions = predictionOpinions(run, table, scheme);
  if (!opinions) return null;
  const training = trainingSplits(splitNames);
  const rowOf = opinions.rowOf;
  const heldOut: number[] = [];
  let withoutSplit = 0;
  for (let i = 0; i < table.count; i++) {
    if ((rowOf[i] as number) < 0) continue;
    const split = table.splits[i] as number;
    if (training.has(split)) rowOf[i] = -1;
    else {
      heldOut.push(i);
      if (split < 0) withoutSplit++;
    }
  }
  if (heldOut.length === 0) return null;
  const metrics = emotionMetrics(table, run, scheme, heldOut);
  const accuracy = metrics.n > 0 ? metrics.accuracy.share : null;

  // A run that gives only its predicted class says nothing of how sure it is: its one-hot
  // rows become "the predicted class with the run's held-out accuracy, the rest shared".
  const k = opinions.classIds.length;
  if (run.meta.emotion?.output === 'predicted-class' && accuracy !== null && k > 1) {
    const probs = opinions.probs;
    const rest = (1 - accuracy) / (k - 1);
    for (let r = 0; r < probs.length / k; r++)
      for (let c = 0; c < k; c++)
        probs[r * k + c] = (probs[r * k + c] as number) >= 0.5 ? accuracy : rest;
  }

  const named = [...training].map((id) => splitNames[String(id)]).join(', ');
  const where =
    withoutSplit === heldOut.length
      ? 'no split known: all taken as held out'
      : training.size > 0
        ? `held-out samples only, not ${named}`
        : 'no training split named: all taken as held out';
  return {
    ...opinions,
    name: `${opinions.name}; ${where}`,
    quality: {
      measure: `accuracy on ${metrics.n.toLocaleString('en')} held-out labelled samples`,
      value: accuracy,
      samples: metrics.n,
    },
    rowOf,
  };
}
