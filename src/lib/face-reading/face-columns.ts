import {
  GEOMETRIC_AU_CUES,
  geometricAuScores,
  labelGeometryAgreement,
  type GeometryAgreement,
  type SampleAuLabel,
} from './au-cues';
import { maskToAus } from '../labels/au';
import { AuStatus, type SampleTable } from '../labels/types';
import { faceMeasures, meshInPixels, type FaceMeasures } from './geometry';
import { READ_EXPRESSION_COUNT, type FaceReading } from './reading';

/**
 * The face model's readings laid out per sample, as the evidence layer and the screens
 * read them: samples that share an image share its reading. Geometric scores are
 * relative to the faces of this dataset that were read (see au-cues.ts), computed once
 * per image.
 */
export interface FaceColumns {
  count: number;
  /** 1 when the sample's image was read with a face (a mesh and an expression). */
  hasFace: Uint8Array;
  /** count x 7 expression probabilities (READ_EXPRESSIONS order); 0 where hasFace is 0. */
  expression: Float32Array;
  /** count x GEOMETRIC_AU_CUES.length scores, 0-1; NaN where hasFace is 0. */
  geometry: Float32Array;
}

export interface FaceGeometry {
  /** Per image key, its row in `scores` (faces whose measures could be taken). */
  rowOf: Map<string, number>;
  measures: FaceMeasures[];
  scores: Float32Array;
}

/**
 * Each reading's measures, remembered by the reading itself: readings are immutable and a
 * run replaces the map of them every second, so the geometry of a large dataset is
 * measured once per face, not once per update.
 */
const measured = new WeakMap<FaceReading, FaceMeasures | null>();

function measuresOf(reading: FaceReading): FaceMeasures | null {
  let measures = measured.get(reading);
  if (measures === undefined) {
    measures = null;
    if (reading.mesh && reading.width > 0) {
      try {
        measures = faceMeasures(meshInPixels(reading.mesh, reading.width, reading.height), 2);
      } catch {
        // A degenerate mesh (eyes on one point): no geometry for this face.
      }
    }
    measured.set(reading, measures);
  }
  return measures;
}

/** Measures and scores of every reading with a usable mesh. */
export function faceGeometry(readings: Iterable<FaceReading>): FaceGeometry {
  const rowOf = new Map<string, number>();
  const measures: FaceMeasures[] = [];
  for (const reading of readings) {
    const m = measuresOf(reading);
    if (!m) continue;
    measures.push(m);
    rowOf.set(reading.imageKey, measures.length - 1);
  }
  return { rowOf, measures, scores: geometricAuScores(measures) };
}

export function faceColumns(
  count: number,
  imageKeyOf: (i: number) => string,
  readings: ReadonlyMap<string, FaceReading>,
  geometry: FaceGeometry = faceGeometry(readings.values()),
): FaceColumns {
  const cues = GEOMETRIC_AU_CUES.length;
  const hasFace = new Uint8Array(count);
  const expression = new Float32Array(count * READ_EXPRESSION_COUNT);
  const scores = new Float32Array(count * cues).fill(NaN);
  for (let i = 0; i < count; i++) {
    const key = imageKeyOf(i);
    const reading = readings.get(key);
    const row = geometry.rowOf.get(key);
    if (!reading?.expression || row === undefined) continue;
    hasFace[i] = 1;
    expression.set(reading.expression, i * READ_EXPRESSION_COUNT);
    scores.set(geometry.scores.subarray(row * cues, row * cues + cues), i * cues);
  }
  return { count, hasFace, expression, geometry: scores };
}

/**
 * Per AU, how the labels agree with the landmark geometry over the samples read with a
 * face (see labelGeometryAgreement): the dataset-wide table of the Faces page.
 */
export function geometryAgreementOf(
  faces: FaceColumns,
  labels: Pick<SampleTable, 'auStatus' | 'auMask'>,
): GeometryAgreement[] {
  const cues = GEOMETRIC_AU_CUES.length;
  const samples: SampleAuLabel[] = [];
  const rows: number[] = [];
  for (let i = 0; i < faces.count; i++) {
    if (faces.hasFace[i] !== 1) continue;
    const coded = labels.auStatus[i] === AuStatus.coded;
    samples.push({ coded, aus: new Set(coded ? maskToAus(labels.auMask, i) : []) });
    rows.push(i);
  }
  const scores = new Float32Array(rows.length * cues);
  rows.forEach((i, r) => scores.set(faces.geometry.subarray(i * cues, i * cues + cues), r * cues));
  return labelGeometryAgreement(samples, scores);
}

/** The cue scores of one sample's face, by AU (the highest where two cues read one AU); null without a face. */
export function geometryOfSample(faces: FaceColumns, i: number): Map<number, number> | null {
  if (faces.hasFace[i] !== 1) return null;
  const cues = GEOMETRIC_AU_CUES.length;
  const byAu = new Map<number, number>();
  GEOMETRIC_AU_CUES.forEach((cue, j) => {
    const score = faces.geometry[i * cues + j] as number;
    byAu.set(cue.au, Math.max(byAu.get(cue.au) ?? 0, score));
  });
  return byAu;
}
