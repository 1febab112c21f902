import {
  DEFAULT_FACE_REGION_TEMPLATE,
  type FaceRegionTemplate,
  type Region,
  type RegionShape,
} from '../review/face-regions';
import {
  BROW,
  CHEEK,
  CHIN_AREA,
  EYE_RING,
  FACE_OVAL,
  GLABELLA,
  LOWER_JAW,
  NASOLABIAL_FOLD,
  NOSE,
  OUTER_LIPS,
  UPPER_LIP_SKIN,
  type SidedPoints,
} from './mesh';
import { MESH_POINTS } from './reading';

/**
 * The AU region overlay fitted to one face: the fixed template's regions (same ids,
 * names and AUs) with each shape drawn round the mesh points of its part of the face,
 * so the regions follow a face that is not aligned (shifted, scaled, tilted, cut off).
 *
 * A shape is the bounding box of its points, padded by a share of the face's size, as
 * an axis-aligned rect or ellipse (all a region shape can be). Padding is a share of
 * the face outline's width (x) and height (y) taken separately, because image
 * coordinates stretch x and y by different amounts on a non-square image. Shapes are
 * cut at the image edge so that they stay valid shapes.
 *
 * Pure: no DOM, no framework.
 */

/** Padding of a box, as shares of the face outline's width (x) and height (y). */
interface Padding {
  x: number;
  /** Above the points. */
  up: number;
  /** Below the points. */
  down: number;
}

/** The smallest side a shape keeps (image 0-1), so a part outside the image still draws. */
const MIN_SIDE = 0.005;

interface Box {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

type Mesh = ArrayLike<number>;

/** The bounding box of mesh points; points not finite are skipped; null when none is. */
function boxOf(mesh: Mesh, points: readonly number[]): Box | null {
  let box: Box | null = null;
  for (const p of points) {
    const x = mesh[2 * p];
    const y = mesh[2 * p + 1];
    if (x === undefined || y === undefined || !Number.isFinite(x) || !Number.isFinite(y)) continue;
    box = box
      ? {
          x0: Math.min(box.x0, x),
          y0: Math.min(box.y0, y),
          x1: Math.max(box.x1, x),
          y1: Math.max(box.y1, y),
        }
      : { x0: x, y0: y, x1: x, y1: y };
  }
  return box;
}

/** One side of a box cut to 0-1, at least MIN_SIDE long (moved inside if it was outside). */
function cutSide(from: number, to: number): [number, number] {
  let a = Math.min(Math.max(from, 0), 1);
  let b = Math.min(Math.max(to, 0), 1);
  if (b - a < MIN_SIDE) {
    a = Math.min(a, 1 - MIN_SIDE);
    b = a + MIN_SIDE;
  }
  return [a, b];
}

function padded(box: Box, pad: Padding, face: { w: number; h: number }): Box {
  return {
    x0: box.x0 - pad.x * face.w,
    y0: box.y0 - pad.up * face.h,
    x1: box.x1 + pad.x * face.w,
    y1: box.y1 + pad.down * face.h,
  };
}

/** A box cut to the image (each side at least MIN_SIDE long). */
function cut(box: Box): Box {
  const [x0, x1] = cutSide(box.x0, box.x1);
  const [y0, y1] = cutSide(box.y0, box.y1);
  return { x0, y0, x1, y1 };
}

function rectOf(box: Box): RegionShape {
  const b = cut(box);
  return { kind: 'rect', x: b.x0, y: b.y0, w: b.x1 - b.x0, h: b.y1 - b.y0 };
}

/** Room between a point and the outline of an ellipse grown to hold it (share of the radii). */
const HOLD_MARGIN = 0.03;

/** The ellipse inscribed in a box: for a region whose points trace a curve (the jaw, the chin). */
function ellipseOf(box: Box): RegionShape {
  return ellipseIn(cut(box));
}

function ellipseIn(b: Box): RegionShape {
  return {
    kind: 'ellipse',
    cx: (b.x0 + b.x1) / 2,
    cy: (b.y0 + b.y1) / 2,
    rx: (b.x1 - b.x0) / 2,
    ry: (b.y1 - b.y0) / 2,
  };
}

/**
 * The ellipse inscribed in a box, grown about its centre until it holds every point:
 * an inscribed ellipse misses the box's corners, where a brow's inner end or a mouth
 * corner can sit.
 */
function ellipseHolding(box: Box, mesh: Mesh, points: readonly number[]): RegionShape {
  const cx = (box.x0 + box.x1) / 2;
  const cy = (box.y0 + box.y1) / 2;
  const rx = (box.x1 - box.x0) / 2;
  const ry = (box.y1 - box.y0) / 2;
  let reach = 1;
  for (const p of points) {
    const x = mesh[2 * p];
    const y = mesh[2 * p + 1];
    if (x === undefined || y === undefined || !Number.isFinite(x) || !Number.isFinite(y)) continue;
    reach = Math.max(reach, (1 + HOLD_MARGIN) * Math.hypot((x - cx) / rx, (y - cy) / ry));
  }
  const b = cut({
    x0: cx - rx * reach,
    y0: cy - ry * reach,
    x1: cx + rx * reach,
    y1: cy + ry * reach,
  });
  return ellipseIn(b);
}

/** How one part of the face is drawn: its points, padding and shape. */
interface Part {
  points: readonly number[];
  pad: Padding;
  shape: (box: Box, mesh: Mesh, points: readonly number[]) => RegionShape;
}

const both = (sided: SidedPoints, pad: Padding): Part[] => [
  // The subject's right first: on an unmirrored photo it is the image's left, as in the template.
  { points: sided.right, pad, shape: ellipseHolding },
  { points: sided.left, pad, shape: ellipseHolding },
];

/**
 * The parts of each region of the default template. The paddings leave room for the
 * movement the region's AUs make: the brows reach well up, for the forehead that AU1
 * and AU2 wrinkle; the lips spread sideways, for AU20 and the corners of AU12.
 */
const PARTS: Readonly<Record<string, readonly Part[]>> = {
  brows: both(BROW, { x: 0.03, up: 0.07, down: 0.02 }),
  glabella: [{ points: GLABELLA, pad: { x: 0, up: 0.02, down: 0 }, shape: rectOf }],
  eyes: both(EYE_RING, { x: 0.03, up: 0.035, down: 0.035 }),
  cheeks: both(CHEEK, { x: 0.02, up: 0.02, down: 0.02 }),
  nose: [{ points: NOSE, pad: { x: 0.02, up: 0, down: 0.01 }, shape: rectOf }],
  nasolabial: [
    { points: UPPER_LIP_SKIN, pad: { x: 0.01, up: 0, down: 0 }, shape: rectOf },
    ...both(NASOLABIAL_FOLD, { x: 0.02, up: 0.01, down: 0.02 }),
  ],
  lips: [{ points: OUTER_LIPS, pad: { x: 0.05, up: 0.025, down: 0.025 }, shape: ellipseHolding }],
  chin: [{ points: CHIN_AREA, pad: { x: 0.02, up: 0, down: 0.01 }, shape: ellipseOf }],
  jaw: [{ points: LOWER_JAW, pad: { x: 0.02, up: 0.02, down: 0.02 }, shape: ellipseOf }],
};

/** The region ids this module fits to a face; any other region keeps its template shapes. */
export const LANDMARK_REGION_IDS: readonly string[] = Object.keys(PARTS);

/**
 * The template with its regions fitted to one face's mesh (468 x, y pairs in image
 * coordinates 0-1). Regions not known here, and parts whose points are all missing,
 * keep the template's shapes. Ids, names, order and each AU's regions are unchanged.
 */
export function landmarkTemplate(
  mesh: Mesh,
  base: FaceRegionTemplate = DEFAULT_FACE_REGION_TEMPLATE,
): FaceRegionTemplate {
  if (mesh.length !== MESH_POINTS * 2) {
    throw new RangeError(`A mesh holds ${MESH_POINTS * 2} numbers, not ${mesh.length}.`);
  }
  const oval = boxOf(mesh, FACE_OVAL);
  if (!oval) return base;
  const face = { w: oval.x1 - oval.x0, h: oval.y1 - oval.y0 };

  const fitted = (region: Region): Region => {
    const parts = PARTS[region.id];
    if (!parts) return region;
    const shapes: RegionShape[] = [];
    for (const part of parts) {
      const box = boxOf(mesh, part.points);
      if (!box) return region;
      shapes.push(part.shape(padded(box, part.pad, face), mesh, part.points));
    }
    return { ...region, shapes };
  };
  return { ...base, regions: base.regions.map(fitted) };
}
