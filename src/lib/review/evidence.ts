import { z } from 'zod';

/**
 * Evidence boxes: a reviewer marks where on the face an AU shows. Boxes are kept
 * in image coordinates 0-1 (x to the right, y down, relative to the image's width
 * and height), never in canvas pixels, so they survive zoom, pan, another screen
 * size and a re-encoded image of the same crop.
 *
 * Pure: no DOM, no framework. The viewport math matches fabric's 2D matrix
 * [a, b, c, d, e, f]: canvas = (a x + c y + e, b x + d y + f) for a scene point (x, y);
 * the image sits at the scene origin at its natural size.
 */

/** Slack for floating-point sums such as x + w <= 1. */
const EPSILON = 1e-9;

const unit = z.number().min(0).max(1);

export const EvidenceBoxSchema = z
  .object({
    version: z.literal(1),
    /** Unique id (crypto.randomUUID()). */
    id: z.string().min(1),
    datasetId: z.string().min(1),
    /** Index of the sample in the dataset's table. */
    sample: z.number().int().min(0),
    au: z.number().int().min(1),
    x: unit,
    y: unit,
    w: z.number().positive().max(1),
    h: z.number().positive().max(1),
    /** Milliseconds since the epoch. */
    createdAt: z.number(),
    reviewer: z.string().min(1),
  })
  .refine((b) => b.x + b.w <= 1 + EPSILON, {
    message: 'The box runs past the right edge (x + w > 1).',
    path: ['w'],
  })
  .refine((b) => b.y + b.h <= 1 + EPSILON, {
    message: 'The box runs past the bottom edge (y + h > 1).',
    path: ['h'],
  });
export type EvidenceBox = z.infer<typeof EvidenceBoxSchema>;

/** A rectangle: top-left corner and size. */
export interface BoxRect {
  x: number;
  y: number;
  w: number;
  h: number;
}

export interface Point2 {
  x: number;
  y: number;
}

export interface Size2 {
  width: number;
  height: number;
}

/** fabric's viewport transform: [scaleX, skewY, skewX, scaleY, translateX, translateY]. */
export type ViewportTransform = readonly [number, number, number, number, number, number];

/** The smallest box side kept by default (0.5% of the image side). */
export const MIN_BOX_SIZE = 0.005;

function clamp(v: number, lo: number, hi: number): number {
  return v < lo ? lo : v > hi ? hi : v;
}

/** A span [a, b] in either order, clamped to [0, 1], at least `min` long: [start, size]. */
function clampSpan(a: number, b: number, min: number): [number, number] {
  const size = Math.min(Math.max(min, 0), 1);
  let lo = clamp(Math.min(a, b), 0, 1);
  let hi = clamp(Math.max(a, b), 0, 1);
  if (hi - lo < size) {
    const centre = (lo + hi) / 2;
    lo = clamp(centre - size / 2, 0, 1 - size);
    hi = lo + size;
  }
  return [lo, Math.min(hi, 1) - lo];
}

/**
 * The box inside the image: negative sizes flipped, edges clamped to [0, 1], each
 * side at least `minSize` (grown about its centre, kept inside the image).
 * Non-finite input gives a minimal box at the origin.
 */
export function clampBox(box: BoxRect, minSize = MIN_BOX_SIZE): BoxRect {
  const finite = [box.x, box.y, box.w, box.h].every(Number.isFinite);
  const { x, y, w, h } = finite ? box : { x: 0, y: 0, w: 0, h: 0 };
  const [bx, bw] = clampSpan(x, x + w, minSize);
  const [by, bh] = clampSpan(y, y + h, minSize);
  return { x: bx, y: by, w: bw, h: bh };
}

/**
 * The box moved (not cut) to lie inside the image, for a box dragged past an edge:
 * its size is kept (at most the image, at least `minSize`), its place clamped.
 */
export function keepInside(box: BoxRect, minSize = MIN_BOX_SIZE): BoxRect {
  const sized = clampBox({ x: 0, y: 0, w: Math.abs(box.w), h: Math.abs(box.h) }, minSize);
  const x = Number.isFinite(box.x) ? Math.min(box.x, box.x + box.w) : 0;
  const y = Number.isFinite(box.y) ? Math.min(box.y, box.y + box.h) : 0;
  return {
    x: clamp(x, 0, 1 - sized.w),
    y: clamp(y, 0, 1 - sized.h),
    w: sized.w,
    h: sized.h,
  };
}

/** The box moved by (dx, dy), its size kept, stopped at the image edges. */
export function moveBox(box: BoxRect, dx: number, dy: number, minSize = MIN_BOX_SIZE): BoxRect {
  return keepInside({ ...box, x: box.x + dx, y: box.y + dy }, minSize);
}

/**
 * The box grown (or shrunk, for negative steps) by (dw, dh) from its top-left corner,
 * which stays put: a box never turns inside out, stops at `minSize` and is cut at the
 * right and bottom edges.
 */
export function resizeBox(box: BoxRect, dw: number, dh: number, minSize = MIN_BOX_SIZE): BoxRect {
  const w = Math.max(box.w + dw, minSize);
  const h = Math.max(box.h + dh, minSize);
  return clampBox({ x: box.x, y: box.y, w, h }, minSize);
}

/** A box of the given size centred on a point, moved inside the image if it runs past. */
export function boxCentredAt(
  centre: Point2,
  size: { w: number; h: number },
  minSize = MIN_BOX_SIZE,
): BoxRect {
  // Sized first, so that a box grown to the minimum still sits on the centre.
  const { w, h } = clampBox({ x: 0, y: 0, w: Math.abs(size.w), h: Math.abs(size.h) }, minSize);
  return keepInside({ x: centre.x - w / 2, y: centre.y - h / 2, w, h }, minSize);
}

/** The box spanned by two corners in image coordinates (any order), clamped. */
export function boxFromPoints(p1: Point2, p2: Point2, minSize = MIN_BOX_SIZE): BoxRect {
  return clampBox({ x: p1.x, y: p1.y, w: p2.x - p1.x, h: p2.y - p1.y }, minSize);
}

/** Canvas pixels (relative to the canvas element) to image coordinates 0-1 (not clamped). */
export function toImageCoords(
  canvasPoint: Point2,
  viewportTransform: ViewportTransform,
  imageSize: Size2,
): Point2 {
  const [a, b, c, d, e, f] = viewportTransform;
  const det = a * d - b * c;
  if (det === 0 || imageSize.width <= 0 || imageSize.height <= 0) {
    throw new RangeError('The viewport transform or the image size is degenerate.');
  }
  const px = canvasPoint.x - e;
  const py = canvasPoint.y - f;
  const sceneX = (d * px - c * py) / det;
  const sceneY = (-b * px + a * py) / det;
  return { x: sceneX / imageSize.width, y: sceneY / imageSize.height };
}

/** Image coordinates 0-1 to canvas pixels (relative to the canvas element). */
export function fromImageCoords(
  imagePoint: Point2,
  viewportTransform: ViewportTransform,
  imageSize: Size2,
): Point2 {
  const [a, b, c, d, e, f] = viewportTransform;
  const sceneX = imagePoint.x * imageSize.width;
  const sceneY = imagePoint.y * imageSize.height;
  return { x: a * sceneX + c * sceneY + e, y: b * sceneX + d * sceneY + f };
}

/** A box in image coordinates 0-1 to image pixels (the canvas scene). */
export function boxToPixels(box: BoxRect, imageSize: Size2): BoxRect {
  return {
    x: box.x * imageSize.width,
    y: box.y * imageSize.height,
    w: box.w * imageSize.width,
    h: box.h * imageSize.height,
  };
}

/**
 * A box in image pixels to image coordinates 0-1, as it is: a box dragged past an
 * edge keeps running past it, for `keepInside` to move back rather than cut.
 */
export function boxFromPixelsUnclamped(box: BoxRect, imageSize: Size2): BoxRect {
  if (imageSize.width <= 0 || imageSize.height <= 0) {
    throw new RangeError('The image size is degenerate.');
  }
  return {
    x: box.x / imageSize.width,
    y: box.y / imageSize.height,
    w: box.w / imageSize.width,
    h: box.h / imageSize.height,
  };
}

/** A box in image pixels to image coordinates 0-1, clamped. */
export function boxFromPixels(box: BoxRect, imageSize: Size2, minSize = MIN_BOX_SIZE): BoxRect {
  return clampBox(boxFromPixelsUnclamped(box, imageSize), minSize);
}

/** Whether two boxes have the same place and size (within `tolerance`). */
export function sameRect(a: BoxRect, b: BoxRect, tolerance = 1e-6): boolean {
  return (
    Math.abs(a.x - b.x) <= tolerance &&
    Math.abs(a.y - b.y) <= tolerance &&
    Math.abs(a.w - b.w) <= tolerance &&
    Math.abs(a.h - b.h) <= tolerance
  );
}

/** "AU12 box at x 0.31, y 0.62, 0.20 x 0.10": a box for screen readers and lists. */
export function describeBox(box: Pick<EvidenceBox, 'au'> & BoxRect): string {
  const f = (v: number) => v.toFixed(2);
  return `AU${box.au} box at x ${f(box.x)}, y ${f(box.y)}, ${f(box.w)} x ${f(box.h)}`;
}

export interface NewEvidenceBox {
  id: string;
  datasetId: string;
  sample: number;
  au: number;
  reviewer: string;
  createdAt: number;
  rect: BoxRect;
}

/** A valid box (clamped rect), or throws a ZodError for bad ids or AU. */
export function makeEvidenceBox(init: NewEvidenceBox): EvidenceBox {
  const { rect, ...rest } = init;
  return EvidenceBoxSchema.parse({ version: 1, ...rest, ...clampBox(rect) });
}
