import { describe, expect, it } from 'vitest';
import type { Region } from '../review/face-regions';
import {
  overlayLabelCorner,
  overlayLabelText,
  shapeInPixels,
  type CanvasOverlayRegion,
  type ShapeInPixels,
} from './overlay';

const mouth: Region = {
  id: 'mouth',
  name: 'Mouth',
  shapes: [{ kind: 'ellipse', cx: 0.5, cy: 0.75, rx: 0.15, ry: 0.08 }],
};
const brows: Region = {
  id: 'brows',
  name: 'Brows',
  shapes: [
    { kind: 'ellipse', cx: 0.365, cy: 0.365, rx: 0.105, ry: 0.06 },
    { kind: 'ellipse', cx: 0.635, cy: 0.365, rx: 0.105, ry: 0.06 },
  ],
};
const glabella: Region = {
  id: 'glabella',
  name: 'Glabella',
  shapes: [{ kind: 'rect', x: 0.45, y: 0.35, w: 0.1, h: 0.12 }],
};

describe('overlayLabelText', () => {
  it.each<[string, CanvasOverlayRegion, string]>([
    ['labelled', { region: mouth, style: 'labelled', aus: [12, 25] }, 'AU12 AU25'],
    [
      'labelled with one expected missing',
      { region: mouth, style: 'labelled', aus: [12, 25], missingAus: [25] },
      'AU12 AU25?',
    ],
    ['all missing', { region: brows, style: 'missing', aus: [1, 2] }, 'AU1? AU2?'],
    ['no AUs', { region: brows, style: 'labelled', aus: [] }, ''],
  ])('%s', (_what, entry, want) => {
    expect(overlayLabelText(entry)).toBe(want);
  });
});

describe('overlayLabelCorner', () => {
  it.each<[string, Region, number, number]>([
    ['one ellipse', mouth, 0.35, 0.67],
    ['a pair of ellipses: the left one', brows, 0.26, 0.305],
    ['a rect', glabella, 0.45, 0.35],
    [
      'a rect and an ellipse: the smallest of each',
      { ...glabella, shapes: [...glabella.shapes, ...mouth.shapes] },
      0.35,
      0.35,
    ],
  ])('%s', (_what, region, x, y) => {
    const got = overlayLabelCorner(region);
    expect(got.x).toBeCloseTo(x, 9);
    expect(got.y).toBeCloseTo(y, 9);
  });
});

describe('shapeInPixels', () => {
  const image = { width: 200, height: 100 };
  it.each<[string, Region['shapes'][number], ShapeInPixels]>([
    [
      'a rect, by its centre',
      { kind: 'rect', x: 0.45, y: 0.35, w: 0.1, h: 0.12 },
      { kind: 'rect', centre: { x: 100, y: 41 }, width: 20, height: 12 },
    ],
    [
      'an ellipse on a wide image',
      { kind: 'ellipse', cx: 0.5, cy: 0.75, rx: 0.15, ry: 0.08 },
      { kind: 'ellipse', centre: { x: 100, y: 75 }, rx: 30, ry: 8 },
    ],
  ])('%s', (_what, shape, want) => {
    const got = shapeInPixels(shape, image);
    expect(got.kind).toBe(want.kind);
    for (const [name, value] of Object.entries(want)) {
      if (typeof value === 'number') expect(got[name as keyof typeof got]).toBeCloseTo(value, 9);
    }
    expect(got.centre.x).toBeCloseTo(want.centre.x, 9);
    expect(got.centre.y).toBeCloseTo(want.centre.y, 9);
  });
});
