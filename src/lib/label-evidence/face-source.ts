import type { LabelScheme } from '../labels/types';
import { AuStatus } from '../labels/types';
import { componentsLead, expressionIndex } from '../face-reading/expression';
import type { FaceColumns } from '../face-reading/face-columns';
import { GEOMETRIC_AU_CUES, SHOWS_AU_SCORE } from '../face-reading/au-cues';
import { READ_EXPRESSION_COUNT } from '../face-reading/reading';
import type { AuColumns } from './au-design';
import { DEFAULT_AU_MODEL_OPTIONS, fitAuModelOutOfFold, type AuModelOptions } from './au-model';
import type { ClassOpinions } from './opinion';

/**
 * The face model as evidence about the emotion labels, in two sources:
 * - the read expression: a class scores the product of its components' probabilities
 *   (as for crowd votes; a compound class's two emotions should both lead);
 * - the face geometry: the landmark cues of each AU (au-cues.ts) as a pattern of AUs the
 *   face shows, with the same out-of-fold AU model fitted to it as to the labelled AUs.
 * Both never saw the labels but for the geometry model's training folds; each states its
 * quality measured against the labels, and the pool weighs them by the data's likelihood.
 */

/** Added to each probability: a component the classifier reads at 0 weakens a class, never rules it out. */
const PROBABILITY_FLOOR = 0.01;

export function expressionOpinions(
  faces: FaceColumns,
  scheme: LabelScheme,
  classIds: Int16Array,
): ClassOpinions {
  const classes = scheme.classes;
  const k = classes.length;
  const indices = classes.map((c) =>
    c.components.length > 0 && c.components.every((e) => expressionIndex(e) >= 0)
      ? c.components.map(expressionIndex)
      : null,
  );
  const classIndex = new Map(classes.map((c, at) => [c.id, at]));
  let rows = 0;
  for (let i = 0; i < faces.count; i++) if (faces.hasFace[i] === 1) rows++;
  const rowOf = new Int32Array(faces.count).fill(-1);
  const probs = new Float32Array(rows * k);
  let row = 0;
  let judged = 0;
  let agree = 0;
  for (let i = 0; i < faces.count; i++) {
    if (faces.hasFace[i] !== 1) continue;
    const read = faces.expression.subarray(
      i * READ_EXPRESSION_COUNT,
      (i + 1) * READ_EXPRESSION_COUNT,
    );
    let total = 0;
    for (let c = 0; c < k; c++) {
      const at = indices[c];
      let score = PROBABILITY_FLOOR ** Math.max(1, classes[c]?.components.length ?? 1);
      if (at) {
        score = 1;
        for (const e of at) score *= (read[e] as number) + PROBABILITY_FLOOR;
      }
      probs[row * k + c] = score;
      total += score;
    }
    for (let c = 0; c < k; c++) probs[row * k + c] = (probs[row * k + c] as number) / total;
    rowOf[i] = row++;
    const given = classIndex.get(classIds[i] as number);
    if (given === undefined || !indices[given]) continue;
    judged++;
    if (componentsLead(read, classes[given]!.components) !== 'no') agree++;
  }
  return {
    kind: 'face-model',
    name: 'Face model: read expression',
    quality: {
      measure: `share of ${judged.toLocaleString('en')} read faces whose given class's emotions lead the read expression`,
      value: judged > 0 ? agree / judged : null,
      samples: judged,
    },
    classIds: classes.map((c) => c.id),
    rowOf,
    probs,
  };
}

/** The AUs each read face shows by its landmarks, as AU columns the AU model can fit. */
export function geometryAuColumns(faces: FaceColumns, classIds: Int16Array): AuColumns {
  const cues = GEOMETRIC_AU_CUES.length;
  const auStatus = new Uint8Array(faces.count);
  const auMask = new Uint32Array(faces.count * 2);
  for (let i = 0; i < faces.count; i++) {
    if (faces.hasFace[i] !== 1) continue;
    auStatus[i] = AuStatus.coded;
    GEOMETRIC_AU_CUES.forEach((cue, j) => {
      if ((faces.geometry[i * cues + j] as number) <= SHOWS_AU_SCORE) return;
      const word = cue.au <= 32 ? 2 * i : 2 * i + 1;
      const bit = cue.au <= 32 ? cue.au - 1 : cue.au - 33;
      auMask[word] = (auMask[word] as number) | (1 << bit);
    });
  }
  return { count: faces.count, classIds, auStatus, auMask };
}

/** Fewer read faces than this fit no geometry model: five folds of a handful say nothing. */
export const MIN_GEOMETRY_FACES = 50;

export function geometryOpinions(
  faces: FaceColumns,
  classIds: Int16Array,
  schemeClassIds: readonly number[],
  options: AuModelOptions = DEFAULT_AU_MODEL_OPTIONS,
): ClassOpinions | null {
  let read = 0;
  for (let i = 0; i < faces.count; i++) read += faces.hasFace[i] as number;
  if (read < MIN_GEOMETRY_FACES) return null;
  const columns = geometryAuColumns(faces, classIds);
  const result = fitAuModelOutOfFold(columns, schemeClassIds, options);
  if (result.used === 0) return null;
  return {
    ...result.opinions,
    kind: 'face-model',
    name: `Face model: landmark geometry (AU model, ${options.folds}-fold)`,
    quality: {
      measure: `out-of-fold accuracy on ${result.used.toLocaleString('en')} read faces`,
      value: result.accuracy,
      samples: result.used,
    },
  };
}
