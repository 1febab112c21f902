import {
  boxCentredAt,
  toImageCoords,
  type BoxRect,
  type Point2,
  type Size2,
  type ViewportTransform,
} from '../review/evidence';

/**
 * The face viewer's view, as pure geometry. The view is fabric's viewport transform
 * [zoom, 0, 0, zoom, panX, panY]: a uniform zoom and a pan, never rotated or skewed,
 * with the image at the scene origin at its natural size. Image points are 0-1
 * (`toImageCoords` / `fromImageCoords` in review/evidence convert).
 */

/** How far out and in the view zooms, as multiples of the zoom that fits the image. */
export const MIN_ZOOM_FACTOR = 0.25;
export const MAX_ZOOM_FACTOR = 20;

/** The zoom at which the whole image just fits the view (1 for an empty image). */
export function fitZoom(view: Size2, image: Size2): number {
  if (image.width <= 0 || image.height <= 0) return 1;
  return Math.min(view.width / image.width, view.height / image.height);
}

/** The whole image, centred in the view. */
export function fitTransform(view: Size2, image: Size2): ViewportTransform {
  const zoom = fitZoom(view, image);
  return [
    zoom,
    0,
    0,
    zoom,
    (view.width - image.width * zoom) / 2,
    (view.height - image.height * zoom) / 2,
  ];
}

/** The zoom of a view, as fabric's getZoom measures it. */
export function zoomOf(transform: ViewportTransform): number {
  return Math.hypot(transform[0], transform[1]);
}

/** The zoom shown to the user, in whole percent. */
export function zoomPercent(transform: ViewportTransform): number {
  return Math.round(zoomOf(transform) * 100);
}

/** A zoom kept between the limits around the fitting zoom. */
export function clampZoom(zoom: number, fit: number): number {
  return Math.min(Math.max(zoom, fit * MIN_ZOOM_FACTOR), fit * MAX_ZOOM_FACTOR);
}

/** The view at `zoom`, with the image point under `at` (view pixels) kept under it. */
export function zoomAbout(
  transform: ViewportTransform,
  at: Point2,
  zoom: number,
): ViewportTransform {
  const [scale, , , , panX, panY] = transform;
  const sceneX = (at.x - panX) / scale;
  const sceneY = (at.y - panY) / scale;
  return [zoom, 0, 0, zoom, at.x - sceneX * zoom, at.y - sceneY * zoom];
}

/** The view zoomed by `factor` about `at`, within the limits around `fit`. */
export function zoomBy(
  transform: ViewportTransform,
  factor: number,
  at: Point2,
  fit: number,
): ViewportTransform {
  return zoomAbout(transform, at, clampZoom(zoomOf(transform) * factor, fit));
}

/** The wheel's zoom factor: smooth for trackpads, about 1.5x per mouse notch of 400. */
export function wheelZoomFactor(deltaY: number): number {
  return Math.pow(0.999, deltaY);
}

/** The view with the image moved by (dx, dy) view pixels. */
export function panBy(transform: ViewportTransform, dx: number, dy: number): ViewportTransform {
  const [a, b, c, d, e, f] = transform;
  return [a, b, c, d, e + dx, f + dy];
}

/** After the view is resized, the same image point stays at its centre. */
export function keepCentre(
  transform: ViewportTransform,
  before: Size2,
  after: Size2,
): ViewportTransform {
  return panBy(transform, (after.width - before.width) / 2, (after.height - before.height) / 2);
}

export function viewCentre(view: Size2): Point2 {
  return { x: view.width / 2, y: view.height / 2 };
}

/** Screen pixels in scene units, so that outlines and labels keep their size at any zoom. */
export function sceneLength(screenPixels: number, zoom: number): number {
  return screenPixels / (zoom || 1);
}

/** Whether an image point (0-1) lies on the image. */
export function onImage(point: Point2): boolean {
  return point.x >= 0 && point.x <= 1 && point.y >= 0 && point.y <= 1;
}

/**
 * Whether a drag between two image points is a click rather than a box: shorter
 * than `minPixels` on screen along either side.
 */
export function isClick(
  from: Point2,
  to: Point2,
  image: Size2,
  zoom: number,
  minPixels: number,
): boolean {
  const spanX = Math.abs(to.x - from.x) * image.width * zoom;
  const spanY = Math.abs(to.y - from.y) * image.height * zoom;
  return spanX < minPixels || spanY < minPixels;
}

/** The part of the image in view (0-1), or null when none of it is. */
export function visibleImageRect(
  transform: ViewportTransform,
  view: Size2,
  image: Size2,
): BoxRect | null {
  const topLeft = toImageCoords({ x: 0, y: 0 }, transform, image);
  const bottomRight = toImageCoords({ x: view.width, y: view.height }, transform, image);
  const x0 = Math.max(0, Math.min(topLeft.x, bottomRight.x));
  const x1 = Math.min(1, Math.max(topLeft.x, bottomRight.x));
  const y0 = Math.max(0, Math.min(topLeft.y, bottomRight.y));
  const y1 = Math.min(1, Math.max(topLeft.y, bottomRight.y));
  if (x1 <= x0 || y1 <= y0) return null;
  return { x: x0, y: y0, w: x1 - x0, h: y1 - y0 };
}

/** Share of the visible image's width and height a box added from the keyboard takes. */
const NEW_BOX_SHARE = 0.25;

/** Where a box added from the keyboard goes: centred on what is in view, so it is seen. */
export function boxInView(visible: BoxRect | null, share = NEW_BOX_SHARE): BoxRect {
  const area = visible ?? { x: 0, y: 0, w: 1, h: 1 };
  return boxCentredAt(
    { x: area.x + area.w / 2, y: area.y + area.h / 2 },
    { w: area.w * share, h: area.h * share },
  );
}
