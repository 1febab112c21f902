import { describe, expect, it } from 'vitest';
import {
  GEOMETRIC_AU_CUES,
  geometricAuScores,
  labelGeometryAgreement,
  type GeometricAuCue,
  type GeometricMeasure,
  type SampleAuLabel,
} from './au-cues';
import { FaceMeasuresSchema, faceMeasures, type FaceMeasures } from './geometry';
import { NEUTRAL_FACE, meshOf, moved, movedBothSides } from './synthetic-face';

const NEUTRAL = faceMeasures(meshOf(NEUTRAL_FACE));
const CUE_COUNT = GEOMETRIC_AU_CUES.length;
const cueOf = (au: number): GeometricAuCue => GEOMETRIC_AU_CUES.find((cue) => cue.au === au)!;
const column = (scores: Float32Array, au: number): number[] => {
  const j = GEOMETRIC_AU_CUES.indexOf(cueOf(au));
  return Array.from({ length: scores.length / CUE_COUNT }, (_, i) => scores[i * CUE_COUNT + j]!);
};
/** Neutral faces differing only in one measure. */
const facesWith = (measure: GeometricMeasure, values: readonly number[]): FaceMeasures[] =>
  values.map((value) => ({ ...NEUTRAL, [measure]: value }));

describe('GEOMETRIC_AU_CUES', () => {
  it('reads each AU the geometry can see, once', () => {
    expect(GEOMETRIC_AU_CUES.map((cue) => cue.au)).toEqual([
      1, 2, 4, 5, 9, 10, 12, 15, 25, 26, 27, 43, 45,
    ]);
  });

  it.each(GEOMETRIC_AU_CUES.map((cue) => [cue.au, cue]))(
    'AU%i reads an expression measure and says when it shares it',
    (_au, cue) => {
      expect(Object.keys(FaceMeasuresSchema.shape)).toContain(cue.measure);
      expect(['roll', 'yaw', 'interocular']).not.toContain(cue.measure);
      const sharing = GEOMETRIC_AU_CUES.filter(
        (other) => other.measure === cue.measure && other !== cue,
      );
      expect(cue.shared !== null).toBe(sharing.length > 0);
      expect(cue.reads.length).toBeGreaterThan(0);
    },
  );
});

describe('geometricAuScores', () => {
  // Median 0.02, median absolute deviation 0.01, so a robust sigma of 0.014826; scores
  // are 1 / (1 + exp(-2 (z - 1))).
  const spread = [0, 0.01, 0.02, 0.03, 0.5];

  it.each<[string, GeometricMeasure, number, readonly number[], readonly number[]]>([
    [
      'lips parted (AU25), one wide open mouth',
      'mouthOpening',
      25,
      spread,
      [0.009, 0.0339, 0.1192, 0.3427, 1],
    ],
    [
      'corners down (AU15) reads the lift the other way',
      'lipCornerLift',
      15,
      spread,
      [0.6677, 0.3427, 0.1192, 0.0339, 0],
    ],
    [
      'over half the faces on the median: the mean deviation (0.08) stands in',
      'mouthOpening',
      25,
      [0.1, 0.1, 0.1, 0.1, 0.5],
      [0.1192, 0.1192, 0.1192, 0.1192, 0.9975],
    ],
    ['no spread at all: every face usual', 'jawDrop', 26, [1, 1, 1], [0.1192, 0.1192, 0.1192]],
    ['one face: usual for its dataset', 'eyeOpening', 5, [0.9], [0.1192]],
  ])('%s', (_name, measure, au, values, expected) => {
    const scores = geometricAuScores(facesWith(measure, values));
    expect(scores).toHaveLength(values.length * CUE_COUNT);
    column(scores, au).forEach((score, i) => expect(score).toBeCloseTo(expected[i]!, 3));
  });

  it('gives nothing for no faces', () => {
    expect(geometricAuScores([])).toHaveLength(0);
  });

  it('scores relative to the dataset: a uniformly larger or offset measure scores the same', () => {
    const values = [0.12, 0.3, 0.05, 0.18, 0.22, 0.6];
    const here = geometricAuScores(facesWith('mouthOpening', values));
    const elsewhere = geometricAuScores(
      facesWith(
        'mouthOpening',
        values.map((value) => 3 * value + 0.2),
      ),
    );
    expect(Array.from(elsewhere)).toEqual(
      Array.from(here).map((score) => expect.closeTo(score, 6)),
    );
  });

  it('gives AUs that share a measure the same score, or mirrored ones for opposite directions', () => {
    const faces = facesWith('jawDrop', [0.9, 1, 1.1, 1.4, 1.5]).map((face, i) => ({
      ...face,
      lipCornerLift: [-0.1, 0, 0.1, 0.2, 0.3][i]!,
    }));
    const scores = geometricAuScores(faces);
    expect(column(scores, 27)).toEqual(column(scores, 26));
    const up = column(scores, 12);
    const down = column(scores, 15);
    expect(up.map((_, i) => Math.sign(up[i]! - down[i]!))).toEqual([-1, -1, 0, 1, 1]);
  });
});

describe('labelGeometryAgreement', () => {
  const cues = [cueOf(25), cueOf(12)];
  const coded = (...aus: number[]): SampleAuLabel => ({ coded: true, aus: new Set(aus) });
  const labels = [
    coded(25),
    coded(25, 12),
    coded(),
    coded(12),
    { coded: false, aus: new Set<number>() },
  ];
  // Rows are samples, columns AU25 then AU12; the uncoded last sample takes no part.
  const scores = Float32Array.from([0.9, 0.2, 0.6, 0.7, 0.4, 0.8, 0.7, 0.3, 0.99, 0.99]);

  it.each([
    // AU25: labelled 0.9, 0.6 against 0.4, 0.7: three pairs of four ranked right.
    [25, { samples: 4, labelRate: 0.5, geometryRate: 0.75, agreement: 0.75, auroc: 0.75 }],
    // AU12: labelled 0.7, 0.3 against 0.2, 0.8: two of four, chance.
    [12, { samples: 4, labelRate: 0.5, geometryRate: 0.5, agreement: 0.5, auroc: 0.5 }],
  ])('AU%i against a hand-counted table', (au, expected) => {
    const row = labelGeometryAgreement(labels, scores, cues).find((r) => r.au === au)!;
    expect(row).toEqual({ au, measure: cueOf(au).measure, ...expected });
  });

  it.each<[string, SampleAuLabel[], number[], Record<string, number | null>]>([
    [
      'ties count half',
      [coded(25), coded()],
      [0.5, 0.5],
      { samples: 2, labelRate: 0.5, geometryRate: 0, agreement: 0.5, auroc: 0.5 },
    ],
    [
      'no face labelled: no AUROC',
      [coded(), coded()],
      [0.9, 0.1],
      { samples: 2, labelRate: 0, geometryRate: 0.5, agreement: 0.5, auroc: null },
    ],
    [
      'every face labelled: no AUROC',
      [coded(25)],
      [0.9],
      { samples: 1, labelRate: 1, geometryRate: 1, agreement: 1, auroc: null },
    ],
    [
      'nothing coded: no rates',
      [{ coded: false, aus: new Set([25]) }],
      [0.9],
      { samples: 0, labelRate: null, geometryRate: null, agreement: null, auroc: null },
    ],
  ])('%s', (_name, sampleLabels, au25Scores, expected) => {
    const [row] = labelGeometryAgreement(sampleLabels, Float32Array.from(au25Scores), [cueOf(25)]);
    expect(row).toEqual({ au: 25, measure: 'mouthOpening', ...expected });
  });

  it('refuses scores of another shape', () => {
    expect(() => labelGeometryAgreement(labels, new Float32Array(3), cues)).toThrow(RangeError);
  });

  it('finds the labelled open mouths and smiles among hand-made faces', () => {
    // Twelve faces with small differences of their own; every third mouth open and
    // labelled 25 (the corners, where the lips meet, go half as far down as the lower
    // lip), every fourth smiling and labelled 12.
    const faces = Array.from({ length: 12 }, (_, i) => {
      const jitter = ((i * 7) % 5) / 500;
      let face = moved(NEUTRAL_FACE, [[[14, 87, 317], 0, jitter]]);
      face = movedBothSides(face, [[[61], 0, -jitter]]);
      if (i % 3 === 0) {
        face = moved(face, [
          [[14, 87, 317], 0, 0.3],
          [[61, 291], 0, 0.15],
        ]);
      }
      if (i % 4 === 0) face = movedBothSides(face, [[[61], 0, -0.1]]);
      return faceMeasures(meshOf(face));
    });
    const sampleLabels = faces.map((_, i) =>
      coded(...(i % 3 === 0 ? [25] : []), ...(i % 4 === 0 ? [12] : [])),
    );
    const rows = labelGeometryAgreement(sampleLabels, geometricAuScores(faces));
    const rowOf = (au: number) => rows.find((row) => row.au === au)!;
    expect(rowOf(25)).toMatchObject({ samples: 12, labelRate: 4 / 12, auroc: 1, agreement: 1 });
    expect(rowOf(12)).toMatchObject({ samples: 12, labelRate: 3 / 12, auroc: 1, agreement: 1 });
    expect(rowOf(15).auroc).toBeNull();
  });
});
