import type { Point2, Size2 } from '../review/evidence';

/**
 * The face model's landmarks as the viewer draws them: dots at the mesh points, in
 * image pixels (the scene's units), so they zoom and pan with the image.
 */

/** A dot's radius in screen pixels, the same at any zoom: a 3 px dot marks without hiding. */
export const LANDMARK_DOT_RADIUS = 1.5;

/**
 * The mesh's points (x, y pairs in image coordinates 0-1) in image pixels. Points that
 * are not finite are left out; points just off the image (a face cut off) are kept.
 */
export function landmarkPoints(mesh: ArrayLike<number>, image: Size2): Point2[] {
  const points: Point2[] = [];
  for (let i = 0; i + 1 < mesh.length; i += 2) {
    const x = mesh[i]!;
    const y = mesh[i + 1]!;
    if (!Number.isFinite(x) || !Number.isFinite(y)) continue;
    points.push({ x: x * image.width, y: y * image.height });
  }
  return points;
}
