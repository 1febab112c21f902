import { describe, expect, it } from 'vitest';
import { GEOMETRIC_AU_CUES } from '../face-reading/au-cues';
import type { FaceColumns } from '../face-reading/face-columns';
import { READ_EXPRESSIONS } from '../face-reading/reading';
import { maskToAus } from '../labels/au';
import { RAFDB_BASIC_SCHEME } from '../labels/schemes';
import { AuStatus } from '../labels/types';
import { seededRandom } from '../random/seeded-random';
import {
  MIN_GEOMETRY_FACES,
  expressionOpinions,
  geometryAuColumns,
  geometryOpinions,
} from './face-source';
import { opinionOf } from './opinion';

const cues = GEOMETRIC_AU_CUES.length;
const E = READ_EXPRESSIONS.length;
const classOf = (emotion: string) =>
  RAFDB_BASIC_SCHEME.classes.find((c) => c.components.includes(emotion as never))!.id;

/** Faces with the given read expressions (null: no face), geometry all 0.1 but where set. */
function facesOf(
  expressions: (number[] | null)[],
  geometry?: (i: number) => Map<number, number>,
): FaceColumns {
  const count = expressions.length;
  const faces: FaceColumns = {
    count,
    hasFace: Uint8Array.from(expressions, (e) => (e ? 1 : 0)),
    expression: new Float32Array(count * E),
    geometry: new Float32Array(count * cues).fill(NaN),
  };
  expressions.forEach((e, i) => {
    if (!e) return;
    faces.expression.set(e, i * E);
    const set = geometry?.(i) ?? new Map();
    GEOMETRIC_AU_CUES.forEach((cue, j) => (faces.geometry[i * cues + j] = set.get(cue.au) ?? 0.1));
  });
  return faces;
}

// angry, disgust, fear, happy, sad, surprise, neutral
const happy = [0, 0, 0, 0.9, 0, 0.05, 0.05];
const sad = [0.05, 0, 0.05, 0, 0.85, 0, 0.05];

describe('expressionOpinions', () => {
  const classIds = Int16Array.from([
    classOf('happy'),
    classOf('happy'),
    classOf('sad'),
    classOf('happy'),
  ]);
  const faces = facesOf([happy, sad, sad, null]);
  const opinions = expressionOpinions(faces, RAFDB_BASIC_SCHEME, classIds);
  const at = (i: number, emotion: string) =>
    opinionOf(opinions, i)![
      RAFDB_BASIC_SCHEME.classes.findIndex((c) => c.id === classOf(emotion))
    ]!;

  it('gives each read face a distribution led by the read expression, and none without a face', () => {
    expect(at(0, 'happy')).toBeGreaterThan(0.8);
    expect(at(1, 'sad')).toBeGreaterThan(0.8);
    expect(opinionOf(opinions, 3)).toBeNull();
    for (const i of [0, 1, 2]) {
      const row = opinionOf(opinions, i)!;
      expect(row.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
    }
  });

  it('states its quality: the share of read faces whose class leads', () => {
    expect(opinions.kind).toBe('face-model');
    expect(opinions.quality).toMatchObject({ samples: 3, value: 2 / 3 });
  });
});

describe('geometry as AU columns', () => {
  it('sets an AU where its cue scores above 0.5, and codes only faces that were read', () => {
    const faces = facesOf(
      [happy, happy, null],
      (i) =>
        new Map(
          i === 0
            ? [
                [12, 0.9],
                [25, 0.7],
              ]
            : [[4, 0.8]],
        ),
    );
    const columns = geometryAuColumns(faces, Int16Array.from([0, 0, 0]));
    expect(Array.from(columns.auStatus)).toEqual([AuStatus.coded, AuStatus.coded, AuStatus.absent]);
    expect(maskToAus(columns.auMask, 0)).toEqual([12, 25]);
    expect(maskToAus(columns.auMask, 1)).toEqual([4]);
    expect(maskToAus(columns.auMask, 2)).toEqual([]);
  });
});

describe('geometryOpinions', () => {
  it('fits nothing on too few faces', () => {
    const faces = facesOf(Array.from({ length: MIN_GEOMETRY_FACES - 1 }, () => happy));
    expect(geometryOpinions(faces, new Int16Array(faces.count), [0, 1])).toBeNull();
  });

  it('learns the class from the landmark cues out of fold, and says how well', () => {
    // Happy faces lift their lip corners (AU12), sad ones pull them down (AU15); 10% noise.
    const random = seededRandom(7);
    const n = 400;
    const happyId = classOf('happy');
    const sadId = classOf('sad');
    const classIds = Int16Array.from({ length: n }, (_, i) => (i % 2 === 0 ? happyId : sadId));
    const faces = facesOf(
      Array.from({ length: n }, () => happy),
      (i) => {
        const smiling = (i % 2 === 0) !== random() < 0.1;
        return new Map([[smiling ? 12 : 15, 0.9]]);
      },
    );
    const opinions = geometryOpinions(
      faces,
      classIds,
      RAFDB_BASIC_SCHEME.classes.map((c) => c.id),
    );
    expect(opinions?.kind).toBe('face-model');
    expect(opinions!.quality.value).toBeGreaterThan(0.8);
    expect(opinions!.quality.value).toBeLessThan(0.95);
    expect(opinions!.quality.samples).toBe(n);
  });
});
