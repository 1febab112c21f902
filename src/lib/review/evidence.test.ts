import { describe, expect, it } from 'vitest';
import {
  boxCentredAt,
  boxFromPixels,
  boxFromPixelsUnclamped,
  boxFromPoints,
  boxToPixels,
  clampBox,
  describeBox,
  EvidenceBoxSchema,
  fromImageCoords,
  keepInside,
  makeEvidenceBox,
  MIN_BOX_SIZE,
  moveBox,
  resizeBox,
  sameRect,
  toImageCoords,
  type BoxRect,
  type ViewportTransform,
} from './evidence';

const box = (x: number, y: number, w: number, h: number): BoxRect => ({ x, y, w, h });

const valid = {
  version: 1,
  id: 'b1',
  datasetId: 'd1',
  sample: 3,
  au: 12,
  x: 0.3,
  y: 0.6,
  w: 0.4,
  h: 0.2,
  createdAt: 1_700_000_000_000,
  reviewer: 'ana',
};

function expectRect(got: BoxRect, want: BoxRect) {
  expect(got.x).toBeCloseTo(want.x, 9);
  expect(got.y).toBeCloseTo(want.y, 9);
  expect(got.w).toBeCloseTo(want.w, 9);
  expect(got.h).toBeCloseTo(want.h, 9);
}

describe('EvidenceBoxSchema', () => {
  it('accepts a box inside the image', () => {
    expect(EvidenceBoxSchema.parse(valid)).toEqual(valid);
  });

  it.each([
    ['touching the right and bottom edges', { x: 0.7, w: 0.3, y: 0.9, h: 0.1 }],
    ['the whole image', { x: 0, y: 0, w: 1, h: 1 }],
  ])('accepts a box %s', (_what, patch) => {
    expect(EvidenceBoxSchema.safeParse({ ...valid, ...patch }).success).toBe(true);
  });

  it.each([
    ['version 2', { version: 2 }],
    ['x + w > 1', { x: 0.7, w: 0.31 }],
    ['y + h > 1', { y: 0.95, h: 0.1 }],
    ['w = 0', { w: 0 }],
    ['h < 0', { h: -0.1 }],
    ['x < 0', { x: -0.01 }],
    ['y > 1', { y: 1.2 }],
    ['canvas pixels', { x: 120, y: 80, w: 40, h: 20 }],
    ['a fractional sample', { sample: 1.5 }],
    ['a negative sample', { sample: -1 }],
    ['AU 0', { au: 0 }],
    ['a fractional AU', { au: 12.5 }],
    ['an empty id', { id: '' }],
    ['an empty dataset id', { datasetId: '' }],
    ['an empty reviewer', { reviewer: '' }],
    ['a string createdAt', { createdAt: '2024-01-01' }],
  ])('rejects %s', (_what, patch) => {
    expect(EvidenceBoxSchema.safeParse({ ...valid, ...patch }).success).toBe(false);
  });
});

describe('clampBox', () => {
  it.each<[string, BoxRect, BoxRect]>([
    ['inside stays', box(0.1, 0.2, 0.3, 0.4), box(0.1, 0.2, 0.3, 0.4)],
    ['negative size flips', box(0.5, 0.5, -0.2, -0.1), box(0.3, 0.4, 0.2, 0.1)],
    ['past the right and bottom is cut', box(0.8, 0.9, 0.5, 0.5), box(0.8, 0.9, 0.2, 0.1)],
    ['past the left and top is cut', box(-0.2, -0.1, 0.5, 0.3), box(0, 0, 0.3, 0.2)],
    ['larger than the image becomes the image', box(-1, -1, 3, 3), box(0, 0, 1, 1)],
    ['a zero box grows about its centre', box(0.5, 0.5, 0, 0), box(0.4975, 0.4975, 0.005, 0.005)],
    [
      'a thin box grows in one direction only',
      box(0.2, 0.5, 0.3, 0.001),
      box(0.2, 0.498, 0.3, 0.005),
    ],
    ['a tiny box at the corner stays inside', box(1, 1, 0, 0), box(0.995, 0.995, 0.005, 0.005)],
    ['wholly outside lands on the edge', box(1.5, -0.5, 0.2, 0.2), box(0.995, 0, 0.005, 0.005)],
    ['non-finite gives a minimal box', box(Number.NaN, 0, 1, 1), box(0, 0, 0.005, 0.005)],
  ])('%s', (_what, input, want) => {
    const got = clampBox(input);
    expectRect(got, want);
    expect(got.x + got.w).toBeLessThanOrEqual(1 + 1e-12);
    expect(got.y + got.h).toBeLessThanOrEqual(1 + 1e-12);
    expect(got.w).toBeGreaterThan(0);
    expect(got.h).toBeGreaterThan(0);
  });

  it('honours a custom minimum size', () => {
    expectRect(clampBox(box(0.5, 0.5, 0.01, 0.01), 0.1), box(0.455, 0.455, 0.1, 0.1));
    expectRect(clampBox(box(0.5, 0.5, 0.01, 0.01), 0), box(0.5, 0.5, 0.01, 0.01));
  });

  it('always gives a box the schema accepts', () => {
    for (const input of [
      box(0.7, 0.7, 0.30000000000000004, 0.3),
      box(0.1 + 0.2, 0.6, 0.7, 0.4),
      box(0.9999999, 0.9999999, 1, 1),
      box(0.3333333333, 0.6666666667, 0.6666666667, 0.3333333333),
    ]) {
      expect(EvidenceBoxSchema.safeParse({ ...valid, ...clampBox(input) }).success).toBe(true);
    }
  });
});

describe('keepInside', () => {
  it.each<[string, BoxRect, BoxRect]>([
    ['inside stays', box(0.1, 0.2, 0.3, 0.4), box(0.1, 0.2, 0.3, 0.4)],
    ['past the left moves right', box(-0.2, 0.5, 0.3, 0.1), box(0, 0.5, 0.3, 0.1)],
    ['past the bottom-right moves back', box(0.9, 0.95, 0.3, 0.1), box(0.7, 0.9, 0.3, 0.1)],
    ['far outside lands in the corner', box(5, -5, 0.2, 0.2), box(0.8, 0, 0.2, 0.2)],
    ['larger than the image becomes the image', box(-0.5, -0.5, 2, 3), box(0, 0, 1, 1)],
    ['negative size flips first', box(0.5, 0.5, -0.2, -0.1), box(0.3, 0.4, 0.2, 0.1)],
    ['a tiny box grows to the minimum', box(0.999, 0.5, 0.001, 0.1), box(0.995, 0.5, 0.005, 0.1)],
  ])('%s', (_what, input, want) => {
    const got = keepInside(input);
    expectRect(got, want);
    expect(EvidenceBoxSchema.safeParse({ ...valid, ...got }).success).toBe(true);
  });
});

describe('moveBox', () => {
  it.each<[string, BoxRect, number, number, BoxRect]>([
    ['right by a step', box(0.2, 0.3, 0.2, 0.1), 0.01, 0, box(0.21, 0.3, 0.2, 0.1)],
    ['up and left', box(0.2, 0.3, 0.2, 0.1), -0.1, -0.1, box(0.1, 0.2, 0.2, 0.1)],
    ['stops at the left edge', box(0.005, 0.3, 0.2, 0.1), -0.1, 0, box(0, 0.3, 0.2, 0.1)],
    ['stops at the bottom edge', box(0.2, 0.85, 0.2, 0.1), 0, 0.1, box(0.2, 0.9, 0.2, 0.1)],
    ['already at the edge stays', box(0.8, 0, 0.2, 0.1), 0.1, -0.1, box(0.8, 0, 0.2, 0.1)],
    ['no step', box(0.2, 0.3, 0.2, 0.1), 0, 0, box(0.2, 0.3, 0.2, 0.1)],
  ])('%s', (_what, input, dx, dy, want) => {
    const got = moveBox(input, dx, dy);
    expectRect(got, want);
    expect(EvidenceBoxSchema.safeParse({ ...valid, ...got }).success).toBe(true);
  });
});

describe('resizeBox', () => {
  it.each<[string, BoxRect, number, number, BoxRect]>([
    ['wider', box(0.2, 0.3, 0.2, 0.1), 0.05, 0, box(0.2, 0.3, 0.25, 0.1)],
    ['shorter', box(0.2, 0.3, 0.2, 0.1), 0, -0.05, box(0.2, 0.3, 0.2, 0.05)],
    ['cut at the right edge', box(0.7, 0.3, 0.2, 0.1), 0.5, 0, box(0.7, 0.3, 0.3, 0.1)],
    ['cut at the bottom edge', box(0.2, 0.95, 0.2, 0.04), 0, 0.1, box(0.2, 0.95, 0.2, 0.05)],
    [
      'never smaller than the minimum, never flipped',
      box(0.2, 0.3, 0.02, 0.02),
      -0.1,
      -0.1,
      box(0.2, 0.3, MIN_BOX_SIZE, MIN_BOX_SIZE),
    ],
    [
      'a minimal box at the right edge stays inside',
      box(0.995, 0.3, 0.005, 0.1),
      -0.01,
      0,
      box(0.995, 0.3, MIN_BOX_SIZE, 0.1),
    ],
  ])('%s', (_what, input, dw, dh, want) => {
    const got = resizeBox(input, dw, dh);
    expectRect(got, want);
    expect(EvidenceBoxSchema.safeParse({ ...valid, ...got }).success).toBe(true);
  });
});

describe('boxCentredAt', () => {
  it.each<[string, { x: number; y: number }, { w: number; h: number }, BoxRect]>([
    ['the image centre', { x: 0.5, y: 0.5 }, { w: 0.2, h: 0.1 }, box(0.4, 0.45, 0.2, 0.1)],
    ['near the top-left corner', { x: 0.05, y: 0 }, { w: 0.2, h: 0.2 }, box(0, 0, 0.2, 0.2)],
    [
      'near the bottom-right corner',
      { x: 0.99, y: 0.95 },
      { w: 0.2, h: 0.2 },
      box(0.8, 0.8, 0.2, 0.2),
    ],
    ['larger than the image', { x: 0.5, y: 0.5 }, { w: 2, h: 0.5 }, box(0, 0.25, 1, 0.5)],
    [
      'a zero size grows to the minimum',
      { x: 0.5, y: 0.5 },
      { w: 0, h: 0 },
      box(0.4975, 0.4975, MIN_BOX_SIZE, MIN_BOX_SIZE),
    ],
  ])('%s', (_what, centre, size, want) => {
    expectRect(boxCentredAt(centre, size), want);
  });
});

describe('boxFromPoints', () => {
  it.each<[string, { x: number; y: number }, { x: number; y: number }, BoxRect]>([
    ['top-left to bottom-right', { x: 0.1, y: 0.2 }, { x: 0.4, y: 0.5 }, box(0.1, 0.2, 0.3, 0.3)],
    ['bottom-right to top-left', { x: 0.4, y: 0.5 }, { x: 0.1, y: 0.2 }, box(0.1, 0.2, 0.3, 0.3)],
    ['top-right to bottom-left', { x: 0.6, y: 0.1 }, { x: 0.2, y: 0.3 }, box(0.2, 0.1, 0.4, 0.2)],
    [
      'dragged past the image edge',
      { x: 0.8, y: 0.8 },
      { x: 1.3, y: 1.1 },
      box(0.8, 0.8, 0.2, 0.2),
    ],
    ['dragged from outside', { x: -0.5, y: 0.5 }, { x: 0.25, y: 0.75 }, box(0, 0.5, 0.25, 0.25)],
    [
      'a click',
      { x: 0.3, y: 0.3 },
      { x: 0.3, y: 0.3 },
      box(0.2975, 0.2975, MIN_BOX_SIZE, MIN_BOX_SIZE),
    ],
  ])('%s', (_what, p1, p2, want) => {
    expectRect(boxFromPoints(p1, p2), want);
  });
});

describe('image coordinates and the viewport', () => {
  const image = { width: 256, height: 256 };
  const wide = { width: 400, height: 200 };
  type Row = [
    string,
    ViewportTransform,
    { width: number; height: number },
    [number, number],
    [number, number],
  ];
  it.each<Row>([
    ['identity: pixel = image pixel', [1, 0, 0, 1, 0, 0], image, [128, 64], [0.5, 0.25]],
    ['fitted at 2x, centred', [2, 0, 0, 2, 44, 0], image, [44, 0], [0, 0]],
    ['fitted at 2x, far corner', [2, 0, 0, 2, 44, 0], image, [556, 512], [1, 1]],
    ['zoomed 8x on the mouth', [8, 0, 0, 8, -824, -1260], image, [200, 100], [0.5, 0.6640625]],
    ['panned right and down', [1.5, 0, 0, 1.5, 100, 50], image, [292, 242], [0.5, 0.5]],
    ['zoomed out below 1', [0.5, 0, 0, 0.5, 10, 20], image, [74, 52], [0.5, 0.25]],
    ['a wide image, zoomed and panned', [3, 0, 0, 3, -150, -30], wide, [450, 270], [0.5, 0.5]],
    ['outside the image is not clamped', [1, 0, 0, 1, 0, 0], image, [-64, 512], [-0.25, 2]],
  ])('%s', (_what, vpt, size, [cx, cy], [ix, iy]) => {
    const got = toImageCoords({ x: cx, y: cy }, vpt, size);
    expect(got.x).toBeCloseTo(ix, 9);
    expect(got.y).toBeCloseTo(iy, 9);
    const back = fromImageCoords(got, vpt, size);
    expect(back.x).toBeCloseTo(cx, 9);
    expect(back.y).toBeCloseTo(cy, 9);
  });

  it('inverts a rotated and skewed transform too', () => {
    const vpt: ViewportTransform = [0, 2, -2, 0, 300, 10];
    for (const p of [
      { x: 0.1, y: 0.9 },
      { x: 0.5, y: 0.5 },
      { x: 1, y: 0 },
    ]) {
      const canvas = fromImageCoords(p, vpt, image);
      const got = toImageCoords(canvas, vpt, image);
      expect(got.x).toBeCloseTo(p.x, 9);
      expect(got.y).toBeCloseTo(p.y, 9);
    }
  });

  it.each<[string, ViewportTransform, { width: number; height: number }]>([
    ['a singular transform', [0, 0, 0, 0, 0, 0], image],
    ['an empty image', [1, 0, 0, 1, 0, 0], { width: 0, height: 10 }],
  ])('refuses %s', (_what, vpt, size) => {
    expect(() => toImageCoords({ x: 1, y: 1 }, vpt, size)).toThrow(RangeError);
  });

  it('a drag on a zoomed, panned view gives the same box as on the fitted view', () => {
    const fitted: ViewportTransform = [2, 0, 0, 2, 44, 0];
    const zoomed: ViewportTransform = [6, 0, 0, 6, -400, -700];
    const corners = [
      { x: 0.35, y: 0.65 },
      { x: 0.65, y: 0.78 },
    ] as const;
    const drag = (vpt: ViewportTransform) =>
      boxFromPoints(
        toImageCoords(fromImageCoords(corners[0], vpt, image), vpt, image),
        toImageCoords(fromImageCoords(corners[1], vpt, image), vpt, image),
      );
    expectRect(drag(fitted), box(0.35, 0.65, 0.3, 0.13));
    expectRect(drag(zoomed), drag(fitted));
  });
});

describe('pixel boxes', () => {
  it.each<[string, BoxRect, { width: number; height: number }, BoxRect]>([
    ['square image', box(0.25, 0.5, 0.5, 0.25), { width: 256, height: 256 }, box(64, 128, 128, 64)],
    ['wide image', box(0.1, 0.2, 0.3, 0.4), { width: 1000, height: 500 }, box(100, 100, 300, 200)],
  ])('%s', (_what, unit, size, pixels) => {
    expectRect(boxToPixels(unit, size), pixels);
    expectRect(boxFromPixels(pixels, size), unit);
  });

  it.each<[string, BoxRect, BoxRect]>([
    ['inside', box(64, 128, 128, 64), box(0.25, 0.5, 0.5, 0.25)],
    ['past the right edge, not cut', box(200, 0, 100, 50), box(200 / 256, 0, 100 / 256, 50 / 256)],
    [
      'past the top edge, not cut',
      box(10, -20, 20, 40),
      box(10 / 256, -20 / 256, 20 / 256, 40 / 256),
    ],
  ])('unclamped: %s', (_what, pixels, want) => {
    expectRect(boxFromPixelsUnclamped(pixels, { width: 256, height: 256 }), want);
  });

  it('refuses an empty image', () => {
    expect(() => boxFromPixelsUnclamped(box(0, 0, 1, 1), { width: 0, height: 5 })).toThrow(
      RangeError,
    );
  });

  it('clamps a box moved past the image', () => {
    expectRect(boxFromPixels(box(200, -10, 100, 50), { width: 256, height: 256 }), {
      x: 200 / 256,
      y: 0,
      w: 56 / 256,
      h: 40 / 256,
    });
  });
});

describe('helpers', () => {
  it.each([
    [box(0.1, 0.2, 0.3, 0.4), box(0.1 + 1e-8, 0.2, 0.3, 0.4), true],
    [box(0.1, 0.2, 0.3, 0.4), box(0.1, 0.2, 0.31, 0.4), false],
  ])('sameRect %j %j = %s', (a, b, want) => {
    expect(sameRect(a, b)).toBe(want);
  });

  it('describes a box', () => {
    expect(describeBox({ au: 12, x: 0.3125, y: 0.6171875, w: 0.2, h: 0.1 })).toBe(
      'AU12 box at x 0.31, y 0.62, 0.20 x 0.10',
    );
  });

  it('makes a valid, clamped box', () => {
    const made = makeEvidenceBox({
      id: 'b2',
      datasetId: 'd1',
      sample: 0,
      au: 6,
      reviewer: 'ana',
      createdAt: 5,
      rect: box(0.9, 0.5, 0.3, -0.1),
    });
    expect(made).toMatchObject({ version: 1, au: 6, sample: 0 });
    expectRect(made, box(0.9, 0.4, 0.1, 0.1));
    expect(() =>
      makeEvidenceBox({
        id: '',
        datasetId: 'd1',
        sample: 0,
        au: 6,
        reviewer: 'ana',
        createdAt: 5,
        rect: box(0, 0, 1, 1),
      }),
    ).toThrow();
  });
});
