import { MIRRORED_POINT_PAIRS } from './mesh';
import { MESH_POINTS } from './reading';

/**
 * Hand-made faces for the geometry's tests: a neutral face that sets only the mesh
 * points the measures read, expressions made by moving some of them, and a camera that
 * poses the face (scale, tilt, turn, shift) into an image. Coordinates are in
 * inter-ocular distances from the middle of the eye line: x towards the subject's left
 * (the image's right), y down, z towards the back of the head (MediaPipe's sign).
 */

export type FacePoint = readonly [x: number, y: number, z: number];
export type SyntheticFace = ReadonlyMap<number, FacePoint>;

/** The subject's right half and the midline; the left half mirrors the right. */
const NEUTRAL_RIGHT_AND_MIDLINE: readonly (readonly [number, FacePoint])[] = [
  // Eye corners: centres at x = -0.5 and 0.5, eyes 0.44 wide.
  [33, [-0.72, 0, 0.1]],
  [133, [-0.28, 0, 0.05]],
  // Upper lids, outer to inner, then lower lids: gaps 0.12, 0.14, 0.12.
  [160, [-0.61, -0.065, 0]],
  [159, [-0.5, -0.075, -0.02]],
  [158, [-0.39, -0.065, 0]],
  [144, [-0.61, 0.055, 0]],
  [145, [-0.5, 0.065, -0.02]],
  [153, [-0.39, 0.055, 0]],
  // Inner brow top and bottom, outer brow tail and arch.
  [107, [-0.2, -0.32, -0.1]],
  [55, [-0.18, -0.2, -0.1]],
  [70, [-0.88, -0.26, 0.05]],
  [105, [-0.62, -0.38, -0.05]],
  // Mouth corner and the inner lips beside the midline, lips nearly closed.
  [61, [-0.42, 0.985, -0.2]],
  [82, [-0.12, 0.975, -0.35]],
  [87, [-0.12, 0.995, -0.35]],
  // Midline.
  [13, [0, 0.975, -0.4]],
  [14, [0, 0.995, -0.4]],
  [0, [0, 0.88, -0.45]],
  [1, [0, 0.64, -0.7]],
  [2, [0, 0.72, -0.5]],
  [152, [0, 1.7, -0.3]],
  [10, [0, -0.75, -0.2]],
];

function withLeftHalf(rightAndMidline: ReadonlyMap<number, FacePoint>): Map<number, FacePoint> {
  const face = new Map(rightAndMidline);
  for (const [right, left] of MIRRORED_POINT_PAIRS) {
    const [x, y, z] = rightAndMidline.get(right)!;
    face.set(left, [-x, y, z]);
  }
  return face;
}

export const NEUTRAL_FACE: SyntheticFace = withLeftHalf(new Map(NEUTRAL_RIGHT_AND_MIDLINE));

/** The face with the listed points moved by dx, dy. */
export function moved(
  face: SyntheticFace,
  moves: readonly (readonly [points: readonly number[], dx: number, dy: number])[],
): SyntheticFace {
  const result = new Map(face);
  for (const [points, dx, dy] of moves) {
    for (const point of points) {
      const [x, y, z] = result.get(point)!;
      result.set(point, [x + dx, y + dy, z]);
    }
  }
  return result;
}

/** Both sides moved alike: the left point moves by -dx, as a mirror would. */
export function movedBothSides(
  face: SyntheticFace,
  moves: readonly (readonly [rightPoints: readonly number[], dx: number, dy: number])[],
): SyntheticFace {
  const leftOf = new Map(MIRRORED_POINT_PAIRS);
  return moved(
    face,
    moves.flatMap(([points, dx, dy]) => [
      [points, dx, dy] as const,
      [points.map((point) => leftOf.get(point)!), -dx, dy] as const,
    ]),
  );
}

export interface Pose {
  /** Pixels per inter-ocular distance. */
  scale: number;
  /** Tilt in the image plane, degrees, clockwise on screen. */
  rollDegrees: number;
  /** Turn towards the subject's left, degrees. */
  yawDegrees: number;
  /** Where the middle of the eye line lands, in pixels. */
  x: number;
  y: number;
}

export const FRONTAL: Pose = { scale: 100, rollDegrees: 0, yawDegrees: 0, x: 0, y: 0 };

/**
 * The face photographed (orthographic camera) as a 468-point mesh, `stride` numbers a
 * point (x, y, z); points the face does not set stay at 0, as no measure reads them.
 */
export function meshOf(face: SyntheticFace, pose: Pose = FRONTAL, stride = 3): Float64Array {
  const mesh = new Float64Array(MESH_POINTS * stride);
  const yaw = (pose.yawDegrees * Math.PI) / 180;
  const roll = (pose.rollDegrees * Math.PI) / 180;
  for (const [point, [x, y, z]] of face) {
    // Turning left brings the nose tip (in front, z < 0) towards the image's right.
    const turnedX = x * Math.cos(yaw) - z * Math.sin(yaw);
    const turnedZ = x * Math.sin(yaw) + z * Math.cos(yaw);
    mesh[point * stride] = pose.x + pose.scale * (turnedX * Math.cos(roll) - y * Math.sin(roll));
    mesh[point * stride + 1] =
      pose.y + pose.scale * (turnedX * Math.sin(roll) + y * Math.cos(roll));
    if (stride > 2) mesh[point * stride + 2] = pose.scale * turnedZ;
  }
  return mesh;
}

/**
 * The mesh of the same face in a mirrored photo: x flipped about `axisX`, and each
 * right point swapped with its left twin (the model names sides by anatomy, so in the
 * mirror image the subject's right eye is the old left one). Only the points listed in
 * mesh.ts are swapped; the measures read no others.
 */
export function mirroredMesh(
  mesh: ArrayLike<number>,
  stride: number,
  axisX: number,
  swapSides = true,
): Float64Array {
  const flipped = Float64Array.from(mesh, (value, i) =>
    i % stride === 0 ? 2 * axisX - value : value,
  );
  if (!swapSides) return flipped;
  const result = Float64Array.from(flipped);
  for (const [right, left] of MIRRORED_POINT_PAIRS) {
    result.set(flipped.subarray(left * stride, (left + 1) * stride), right * stride);
    result.set(flipped.subarray(right * stride, (right + 1) * stride), left * stride);
  }
  return result;
}
