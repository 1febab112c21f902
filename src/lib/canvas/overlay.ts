import type { Point2, Size2 } from '../review/evidence';
import type { Region, RegionShape } from '../review/face-regions';

/** One face region to draw over the image (see `overlayFor` in review/face-regions). */
export interface CanvasOverlayRegion {
  region: Region;
  style: 'labelled' | 'missing';
  aus: number[];
  /** AUs among `aus` that are expected but not labelled; shown as "AU6?". */
  missingAus?: number[];
}

/** "AU6? AU12": the region's AUs, the expected but unlabelled ones marked with "?". */
export function overlayLabelText(entry: CanvasOverlayRegion): string {
  const missing = new Set(entry.style === 'missing' ? entry.aus : (entry.missingAus ?? []));
  return entry.aus.map((au) => `AU${au}${missing.has(au) ? '?' : ''}`).join(' ');
}

/** Where a region's label goes: the top-left corner of all its shapes (image 0-1). */
export function overlayLabelCorner(region: Region): Point2 {
  let x = Infinity;
  let y = Infinity;
  for (const shape of region.shapes) {
    x = Math.min(x, shape.kind === 'rect' ? shape.x : shape.cx - shape.rx);
    y = Math.min(y, shape.kind === 'rect' ? shape.y : shape.cy - shape.ry);
  }
  return { x, y };
}

/** A region shape in image pixels, by its centre (how the canvas places shapes). */
export type ShapeInPixels =
  | { kind: 'rect'; centre: Point2; width: number; height: number }
  | { kind: 'ellipse'; centre: Point2; rx: number; ry: number };

export function shapeInPixels(shape: RegionShape, image: Size2): ShapeInPixels {
  if (shape.kind === 'rect') {
    return {
      kind: 'rect',
      centre: {
        x: (shape.x + shape.w / 2) * image.width,
        y: (shape.y + shape.h / 2) * image.height,
      },
      width: shape.w * image.width,
      height: shape.h * image.height,
    };
  }
  return {
    kind: 'ellipse',
    centre: { x: shape.cx * image.width, y: shape.cy * image.height },
    rx: shape.rx * image.width,
    ry: shape.ry * image.height,
  };
}
