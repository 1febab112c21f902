import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import cropFixture from './fixtures/astronaut-crop-mesh.json';
import fullFixture from './fixtures/astronaut-full-mesh.json';
import { FaceMeasuresSchema, faceMeasures, meshInPixels, type FaceMeasures } from './geometry';
import { MESH_POINTS } from './reading';
import {
  FRONTAL,
  NEUTRAL_FACE,
  meshOf,
  mirroredMesh,
  moved,
  movedBothSides,
  type Pose,
  type SyntheticFace,
} from './synthetic-face';

type ExpressionMeasure = Exclude<keyof FaceMeasures, 'roll' | 'yaw' | 'interocular'>;
const EXPRESSION_MEASURES = Object.keys(FaceMeasuresSchema.shape).filter(
  (name): name is ExpressionMeasure => !['roll', 'yaw', 'interocular'].includes(name),
);

const measuresOf = (face: SyntheticFace, pose: Pose = FRONTAL, stride = 3): FaceMeasures =>
  faceMeasures(meshOf(face, pose, stride), stride);

const OPEN_MOUTH = moved(NEUTRAL_FACE, [
  // The lower lip and chin drop with the jaw; the corners go half as far, staying on
  // the lips' mid-line.
  [[87, 14, 317], 0, 0.45],
  [[152], 0, 0.35],
  [[61, 291], 0, 0.225],
]);
const RAISED_BROWS = movedBothSides(NEUTRAL_FACE, [[[107, 55, 70, 105], 0, -0.12]]);
const SMILE = movedBothSides(NEUTRAL_FACE, [[[61], -0.06, -0.1]]);
const FROWN = movedBothSides(NEUTRAL_FACE, [[[107, 55], 0.06, 0.07]]);
const CORNERS_DOWN = movedBothSides(NEUTRAL_FACE, [[[61], 0, 0.08]]);
const CLOSED_EYES = movedBothSides(NEUTRAL_FACE, [
  [[160, 158], 0, 0.115],
  [[159], 0, 0.135],
]);
const WIDE_EYES = movedBothSides(NEUTRAL_FACE, [[[160, 159, 158], 0, -0.05]]);
const UPPER_LIP_RAISED = moved(NEUTRAL_FACE, [[[0], 0, -0.08]]);

describe('faceMeasures of the neutral face', () => {
  const neutral = measuresOf(NEUTRAL_FACE);

  it.each<[keyof FaceMeasures, number]>([
    ['mouthOpening', 0.02],
    ['jawDrop', 1.7 - 0.72],
    ['lipCornerLift', 0],
    ['innerBrowRaise', (0.32 + 0.2) / 2],
    ['outerBrowRaise', (0.26 + 0.38) / 2],
    ['browGap', 0.38],
    ['browKnit', 0.38 + 0.26],
    ['eyeOpening', (0.12 + 0.14 + 0.12) / 3 / 0.44],
    ['noseToUpperLip', 0.88 - 0.72],
    ['roll', 0],
    ['yaw', 0],
    ['interocular', 100],
  ])('%s is %f', (measure, expected) => {
    expect(neutral[measure]).toBeCloseTo(expected, 9);
  });

  it('gives a record its schema accepts', () => {
    expect(FaceMeasuresSchema.parse(neutral)).toEqual(neutral);
  });
});

describe('faceMeasures move the right way for each expression', () => {
  const neutral = measuresOf(NEUTRAL_FACE);

  it.each<[string, SyntheticFace, Partial<Record<ExpressionMeasure, 1 | -1>>]>([
    ['open mouth (AU25, AU26)', OPEN_MOUTH, { mouthOpening: 1, jawDrop: 1 }],
    [
      'raised brows (AU1, AU2)',
      RAISED_BROWS,
      { innerBrowRaise: 1, outerBrowRaise: 1, browKnit: 1 },
    ],
    ['smile (AU12)', SMILE, { lipCornerLift: 1 }],
    ['frown (AU4)', FROWN, { innerBrowRaise: -1, browGap: -1, browKnit: -1 }],
    ['lip corners down (AU15)', CORNERS_DOWN, { lipCornerLift: -1 }],
    ['closed eyes (AU43)', CLOSED_EYES, { eyeOpening: -1 }],
    ['wide eyes (AU5)', WIDE_EYES, { eyeOpening: 1 }],
    ['upper lip raised (AU10)', UPPER_LIP_RAISED, { noseToUpperLip: -1 }],
  ])('%s', (_name, face, moves) => {
    const measures = measuresOf(face);
    for (const measure of EXPRESSION_MEASURES) {
      const change = measures[measure] - neutral[measure];
      const expected = moves[measure];
      if (expected === undefined) expect(change, measure).toBeCloseTo(0, 9);
      else expect(Math.sign(change), measure).toBe(expected);
    }
    expect(measures.roll).toBeCloseTo(0, 9);
    expect(measures.yaw).toBeCloseTo(0, 9);
  });

  it('closes the eyes to almost no gap and opens the mouth to about half an eye distance', () => {
    expect(measuresOf(CLOSED_EYES).eyeOpening).toBeLessThan(0.02);
    expect(measuresOf(OPEN_MOUTH).mouthOpening).toBeCloseTo(0.47, 9);
  });
});

describe('faceMeasures do not change with scale, shift, tilt or stride', () => {
  const poses: [string, Pose, number][] = [
    ['scaled down to a 37 px face', { ...FRONTAL, scale: 37 }, 3],
    ['shifted into the image', { ...FRONTAL, x: 812, y: 433 }, 3],
    ['tilted 25 degrees clockwise', { ...FRONTAL, rollDegrees: 25, x: 300, y: 300 }, 3],
    ['tilted 40 degrees anticlockwise', { ...FRONTAL, rollDegrees: -40, x: 300, y: 300 }, 3],
    ['all at once, x and y only', { scale: 61.5, rollDegrees: 12, yawDegrees: 0, x: 90, y: 7 }, 2],
  ];
  const expressions: [string, SyntheticFace][] = [
    ['neutral', NEUTRAL_FACE],
    ['open mouth', OPEN_MOUTH],
    ['raised brows', RAISED_BROWS],
    ['smile', SMILE],
    ['frown', FROWN],
    ['closed eyes', CLOSED_EYES],
  ];

  it.each(
    expressions.flatMap(([expression, face]) =>
      poses.map(
        ([pose, place, stride]) => [`${expression}, ${pose}`, face, place, stride] as const,
      ),
    ),
  )('%s', (_name, face, pose, stride) => {
    const frontal = measuresOf(face);
    const posed = measuresOf(face, pose, stride);
    for (const measure of EXPRESSION_MEASURES) {
      expect(posed[measure], measure).toBeCloseTo(frontal[measure], 9);
    }
    expect(posed.roll).toBeCloseTo(pose.rollDegrees, 9);
    expect(posed.yaw).toBeCloseTo(0, 9);
    expect(posed.interocular).toBeCloseTo(pose.scale, 9);
  });
});

describe('faceMeasures of a turned head (yaw)', () => {
  it.each([
    ['10 degrees to the left', 10],
    ['10 degrees to the right', -10],
    ['20 degrees to the left', 20],
  ])('%s: estimated within a few degrees, expression measures within 7%%', (_name, yaw) => {
    const frontal = measuresOf(SMILE);
    const turned = measuresOf(SMILE, { ...FRONTAL, yawDegrees: yaw });
    expect(Math.sign(turned.yaw)).toBe(Math.sign(yaw));
    expect(Math.abs(turned.yaw - yaw)).toBeLessThan(Math.abs(yaw) * 0.2);
    for (const measure of EXPRESSION_MEASURES) {
      expect(Math.abs(turned[measure] - frontal[measure]), measure).toBeLessThanOrEqual(
        0.07 * Math.abs(frontal[measure]) + 1e-9,
      );
    }
  });
});

describe('faceMeasures of a mirrored face', () => {
  // Lopsided on purpose: the right brow raised, the right corner up; 15 degrees of tilt.
  const lopsided = moved(NEUTRAL_FACE, [
    [[107, 55, 70, 105], 0, -0.1],
    [[61], 0, -0.08],
  ]);
  const pose: Pose = { scale: 80, rollDegrees: 15, yawDegrees: 8, x: 250, y: 200 };
  const mesh = meshOf(lopsided, pose);
  const original = faceMeasures(mesh);

  it('measures the same expression, with tilt and turn reversed', () => {
    const mirrored = faceMeasures(mirroredMesh(mesh, 3, 256));
    for (const measure of EXPRESSION_MEASURES) {
      expect(mirrored[measure], measure).toBeCloseTo(original[measure], 9);
    }
    expect(mirrored.roll).toBeCloseTo(-original.roll, 9);
    expect(mirrored.yaw).toBeCloseTo(-original.yaw, 9);
    expect(mirrored.interocular).toBeCloseTo(original.interocular, 9);
  });

  it('measures the same expression when only x was flipped, sides left unswapped', () => {
    const flipped = faceMeasures(mirroredMesh(mesh, 3, 256, false));
    for (const measure of EXPRESSION_MEASURES) {
      expect(flipped[measure], measure).toBeCloseTo(original[measure], 9);
    }
  });
});

describe('faceMeasures of a bad mesh', () => {
  it.each<[string, () => FaceMeasures]>([
    ['too few points', () => faceMeasures(new Float64Array(100))],
    ['a stride of 1', () => faceMeasures(new Float64Array(MESH_POINTS * 3), 1)],
    ['all points on one spot', () => faceMeasures(new Float64Array(MESH_POINTS * 3))],
    [
      'a point that is not a number',
      () => {
        const mesh = meshOf(NEUTRAL_FACE);
        mesh[152 * 3 + 1] = Number.NaN;
        return faceMeasures(mesh);
      },
    ],
  ])('throws for %s', (_name, measure) => {
    expect(measure).toThrow(RangeError);
  });
});

describe('meshInPixels', () => {
  it('turns shares of a 200 x 100 image into pixels, keeping a third value', () => {
    expect(Array.from(meshInPixels([0.5, 0.5, 0.25, 1], 200, 100))).toEqual([100, 50, 50, 100]);
    expect(Array.from(meshInPixels([0.5, 0.5, -3], 200, 100, 3))).toEqual([100, 50, -3]);
  });

  it('measures a face stored in shares of a non-square image as in pixels', () => {
    const pixels = meshOf(NEUTRAL_FACE, { ...FRONTAL, x: 320, y: 120 }, 2);
    const shares = pixels.map((value, i) => value / (i % 2 === 0 ? 640 : 240));
    const measures = faceMeasures(meshInPixels(shares, 640, 240, 2), 2);
    expect(measures.eyeOpening).toBeCloseTo(measuresOf(NEUTRAL_FACE).eyeOpening, 5);
  });
});

const FixtureSchema = z.object({
  width: z.number(),
  height: z.number(),
  mesh: z.array(z.tuple([z.number(), z.number(), z.number()])).length(MESH_POINTS),
});

describe('faceMeasures of a real mesh (the astronaut photo, read by human)', () => {
  const full = FixtureSchema.parse(fullFixture);
  const crop = FixtureSchema.parse(cropFixture);
  const fullMeasures = faceMeasures(full.mesh.flat());
  const cropMeasures = faceMeasures(crop.mesh.flat());

  // The crop is 130 px of the photo shrunk to 100: the face is 0.77 times as large, and
  // its mesh, rounded to whole pixels on a 34 px eye distance, is read afresh by the
  // model. Measures agree to a few hundredths of an eye distance, the lid gap (5 px)
  // to a fifth of itself.
  it.each<[ExpressionMeasure, number]>([
    ['mouthOpening', 0.05],
    ['jawDrop', 0.05],
    ['lipCornerLift', 0.05],
    ['innerBrowRaise', 0.05],
    ['outerBrowRaise', 0.05],
    ['browGap', 0.05],
    ['browKnit', 0.05],
    ['eyeOpening', 0.08],
    ['noseToUpperLip', 0.05],
  ])('crop and full image agree on %s within %f', (measure, tolerance) => {
    expect(Math.abs(cropMeasures[measure] - fullMeasures[measure])).toBeLessThan(tolerance);
  });

  it('finds the face at its size and pose in both', () => {
    expect(cropMeasures.interocular / fullMeasures.interocular).toBeCloseTo(100 / 130, 1);
    expect(Math.abs(cropMeasures.roll - fullMeasures.roll)).toBeLessThan(3);
    expect(Math.abs(fullMeasures.yaw)).toBeLessThan(10);
    expect(Math.abs(cropMeasures.yaw)).toBeLessThan(10);
  });

  it.each([
    ['full image', full],
    ['crop', crop],
  ])('measures the mirrored %s the same', (_name, fixture) => {
    const mesh = fixture.mesh.flat();
    const original = faceMeasures(mesh);
    const mirrored = faceMeasures(mirroredMesh(mesh, 3, fixture.width / 2));
    for (const measure of EXPRESSION_MEASURES) {
      expect(mirrored[measure], measure).toBeCloseTo(original[measure], 9);
    }
    expect(mirrored.roll).toBeCloseTo(-original.roll, 9);
  });

  it.each([
    ['full image', fullMeasures],
    ['crop', cropMeasures],
  ])(
    'reads the smile in the %s: corners lifted, mouth far less open than an open mouth',
    (_n, m) => {
      expect(m.lipCornerLift).toBeGreaterThan(0.08);
      expect(m.mouthOpening).toBeLessThan(measuresOf(OPEN_MOUTH).mouthOpening / 2);
      expect(m.eyeOpening).toBeGreaterThan(0.15);
    },
  );
});
