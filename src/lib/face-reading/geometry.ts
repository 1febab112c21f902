import { z } from 'zod';
import {
  CHIN,
  EYE_INNER_CORNER,
  EYE_OUTER_CORNER,
  FOREHEAD,
  INNER_BROW,
  INNER_LIP_CENTRE,
  INNER_LIP_GAPS,
  LID_GAPS,
  MOUTH_CORNER,
  NOSE_TIP,
  OUTER_BROW,
  SUBNASALE,
  UPPER_LIP_TOP,
  type GapPoints,
  type SidedPoints,
} from './mesh';
import { MESH_POINTS } from './reading';

/**
 * Geometric measures of one face, read off its 468-point MediaPipe mesh: a second
 * opinion on the AU labels that needs no trained AU model. Every expression measure is a
 * length divided by the inter-ocular distance (between the eye centres), taken in the
 * face's own frame (the eye line turned horizontal), so it does not change when the
 * photo is scaled, shifted or the head tilted (roll). Bilateral measures average both
 * sides, so a mildly turned head (yaw), which shortens one side and lengthens the other,
 * roughly cancels; strong yaw still foreshortens the inter-ocular distance and inflates
 * every vertical measure by about 1/cos(yaw), which is why yaw is reported.
 */
export const FaceMeasuresSchema = z.object({
  /** Gap between the inner lip contours on the midline and either side of it. AU25 (Lips Part) opens it. */
  mouthOpening: z.number(),
  /** Subnasale to chin. AU26 (Jaw Drop) lengthens the lower face; AU27 (Mouth Stretch) more so. */
  jawDrop: z.number(),
  /**
   * Height of the mouth corners above the lips' mid-line (halfway between the inner lip
   * centres), positive up. AU12 (Lip Corner Puller) lifts the corners; AU15 (Lip Corner
   * Depressor) pulls them down. The mid-line, not the upper lip, because an open mouth's
   * corners stay level with the middle of the opening: opening alone lifts nothing.
   */
  lipCornerLift: z.number(),
  /** Height of the inner brow ends above the eye line. AU1 (Inner Brow Raiser) lifts them. */
  innerBrowRaise: z.number(),
  /** Height of the outer half of the brows above the eye line. AU2 (Outer Brow Raiser) lifts it. */
  outerBrowRaise: z.number(),
  /** Distance between the two inner brow ends. AU4 (Brow Lowerer) draws the brows together. */
  browGap: z.number(),
  /**
   * browGap plus innerBrowRaise: AU4 (Brow Lowerer) pulls the inner brows down and
   * together at once, so it shrinks both; AU1 (raises) works against it.
   */
  browKnit: z.number(),
  /**
   * Lid gap divided by the eye's width (corner to corner), both eyes averaged: wide with
   * AU5 (Upper Lid Raiser), near zero with AU43 (Eyes Closed) or AU45 (Blink).
   */
  eyeOpening: z.number(),
  /**
   * Subnasale to the top of the upper lip: short when AU10 (Upper Lip Raiser) lifts the
   * lip, and when AU9 (Nose Wrinkler) drags it up with the nose wings.
   */
  noseToUpperLip: z.number(),
  /**
   * Head tilt in degrees: the eye line's angle in the image, clockwise on screen
   * (image y points down); the measures above are taken with it undone.
   */
  roll: z.number().min(-180).max(180),
  /**
   * Head turn in degrees, estimated from how far the nose tip sits off the middle of
   * the eye line; positive when the face turns towards the subject's left (the nose tip
   * moves towards the left eye). A rough estimate: it assumes a typical nose depth.
   */
  yaw: z.number().min(-90).max(90),
  /** Distance between the eye centres in the mesh's units (pixels): the face's size. */
  interocular: z.number().positive(),
});
export type FaceMeasures = z.infer<typeof FaceMeasuresSchema>;

/**
 * How far the nose tip stands out in front of the eye centres, as a share of the
 * inter-ocular distance: 32 of 43 px on the astronaut fixture's mesh (its z values).
 * Turning the head by yaw moves the tip off the middle of the eye line by this much
 * times sin(yaw). Adult noses vary by perhaps a quarter either way, so yaw is rough.
 */
const NOSE_DEPTH_PER_INTEROCULAR = 0.7;

const DEGREES_PER_RADIAN = 180 / Math.PI;

/**
 * The measures of one face. `mesh` holds x, y (and anything else, such as z) of each of
 * the 468 mesh points, `stride` numbers a point, in units equal along x and y (pixels,
 * not 0-1 shares of a non-square image: see `meshInPixels`). Throws for a mesh that is
 * too short or has no usable eyes: the face model never returns one, so it is a bug.
 */
export function faceMeasures(mesh: ArrayLike<number>, stride = 3): FaceMeasures {
  if (!Number.isInteger(stride) || stride < 2) {
    throw new RangeError(`a mesh point needs at least x and y, got a stride of ${stride}`);
  }
  if (mesh.length < MESH_POINTS * stride) {
    throw new RangeError(`a face mesh has ${MESH_POINTS} points; got ${mesh.length / stride}`);
  }
  const xOf = (point: number): number => mesh[point * stride]!;
  const yOf = (point: number): number => mesh[point * stride + 1]!;

  const rightEye = eyeCentre(EYE_OUTER_CORNER.right[0]!, EYE_INNER_CORNER.right[0]!);
  const leftEye = eyeCentre(EYE_OUTER_CORNER.left[0]!, EYE_INNER_CORNER.left[0]!);
  const eyeLineX = leftEye.x - rightEye.x;
  const eyeLineY = leftEye.y - rightEye.y;
  const interocular = Math.hypot(eyeLineX, eyeLineY);
  if (!(interocular > 0) || !Number.isFinite(interocular)) {
    throw new RangeError('the mesh has no usable eye corners (they coincide or are not numbers)');
  }
  const roll = Math.atan2(eyeLineY, eyeLineX) * DEGREES_PER_RADIAN;

  // The face's frame: `across` runs along the eye line to the subject's left, `down`
  // at right angles to it, towards the chin. Taking the chin's side from the mesh (not
  // from the sign of a cross product) keeps the measures right for a mesh whose x axis
  // was flipped without swapping its sides.
  const acrossX = eyeLineX / interocular;
  const acrossY = eyeLineY / interocular;
  let downX = -acrossY;
  let downY = acrossX;
  if ((xOf(CHIN) - xOf(FOREHEAD)) * downX + (yOf(CHIN) - yOf(FOREHEAD)) * downY < 0) {
    downX = -downX;
    downY = -downY;
  }
  const originX = (rightEye.x + leftEye.x) / 2;
  const originY = (rightEye.y + leftEye.y) / 2;
  // Both coordinates in inter-ocular distances from the middle of the eye line.
  const across = (point: number): number =>
    ((xOf(point) - originX) * acrossX + (yOf(point) - originY) * acrossY) / interocular;
  const down = (point: number): number =>
    ((xOf(point) - originX) * downX + (yOf(point) - originY) * downY) / interocular;

  // The eye line runs through both eye centres, so height above it is height above
  // each brow's own eye.
  const heightAboveEyes = (points: readonly number[]): number =>
    -mean(points.map((point) => down(point)));
  const gap = ([top, bottom]: GapPoints): number => down(bottom) - down(top);
  const bothSides = (sided: SidedPoints): number =>
    heightAboveEyes([...sided.right, ...sided.left]);

  const innerBrowRaise = bothSides(INNER_BROW);
  const browGap =
    mean(INNER_BROW.left.map((point) => across(point))) -
    mean(INNER_BROW.right.map((point) => across(point)));
  const lipMidLine = (down(INNER_LIP_CENTRE[0]) + down(INNER_LIP_CENTRE[1])) / 2;
  const noseOffset = across(NOSE_TIP);

  const measures: FaceMeasures = {
    mouthOpening: mean(INNER_LIP_GAPS.map(gap)),
    jawDrop: down(CHIN) - down(SUBNASALE),
    lipCornerLift: lipMidLine - mean([...MOUTH_CORNER.right, ...MOUTH_CORNER.left].map(down)),
    innerBrowRaise,
    outerBrowRaise: bothSides(OUTER_BROW),
    browGap,
    browKnit: browGap + innerBrowRaise,
    eyeOpening: (eyeOpeningOf('right') + eyeOpeningOf('left')) / 2,
    noseToUpperLip: down(UPPER_LIP_TOP) - down(SUBNASALE),
    roll,
    yaw:
      Math.asin(Math.max(-1, Math.min(1, noseOffset / NOSE_DEPTH_PER_INTEROCULAR))) *
      DEGREES_PER_RADIAN,
    interocular,
  };
  for (const [name, value] of Object.entries(measures)) {
    if (!Number.isFinite(value)) {
      throw new RangeError(`the mesh gives no finite ${name}: some of its points are not numbers`);
    }
  }
  return measures;

  function eyeCentre(outer: number, inner: number): { x: number; y: number } {
    return { x: (xOf(outer) + xOf(inner)) / 2, y: (yOf(outer) + yOf(inner)) / 2 };
  }

  function eyeOpeningOf(side: 'right' | 'left'): number {
    const outer = EYE_OUTER_CORNER[side][0]!;
    const inner = EYE_INNER_CORNER[side][0]!;
    const width = Math.hypot(xOf(outer) - xOf(inner), yOf(outer) - yOf(inner)) / interocular;
    return mean(LID_GAPS[side].map(gap)) / width;
  }
}

/**
 * A mesh stored in image shares (x and y in 0-1 of the width and height) turned into
 * pixels, which the measures need: in shares a non-square image stretches one axis.
 */
export function meshInPixels(
  mesh: ArrayLike<number>,
  width: number,
  height: number,
  stride = 2,
): Float32Array {
  return Float32Array.from({ length: mesh.length }, (_, i) => {
    const axis = i % stride;
    const value = mesh[i]!;
    return axis === 0 ? value * width : axis === 1 ? value * height : value;
  });
}

function mean(values: readonly number[]): number {
  let sum = 0;
  for (const value of values) sum += value;
  return sum / values.length;
}
