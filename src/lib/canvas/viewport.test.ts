import { describe, expect, it } from 'vitest';
import {
  fromImageCoords,
  toImageCoords,
  type BoxRect,
  type ViewportTransform,
} from '../review/evidence';
import {
  boxInView,
  clampZoom,
  fitTransform,
  fitZoom,
  isClick,
  keepCentre,
  onImage,
  panBy,
  sceneLength,
  visibleImageRect,
  wheelZoomFactor,
  zoomAbout,
  zoomBy,
  zoomOf,
  zoomPercent,
} from './viewport';

type Size = { width: number; height: number };

function expectTransform(got: ViewportTransform, want: ViewportTransform): void {
  got.forEach((value, i) => expect(value).toBeCloseTo(want[i] ?? Number.NaN, 9));
}

function expectRect(got: BoxRect | null, want: BoxRect): void {
  if (!got) throw new Error('expected a rect');
  expect(got.x).toBeCloseTo(want.x, 9);
  expect(got.y).toBeCloseTo(want.y, 9);
  expect(got.w).toBeCloseTo(want.w, 9);
  expect(got.h).toBeCloseTo(want.h, 9);
}

describe('fit', () => {
  it.each<[string, Size, Size, ViewportTransform]>([
    [
      'a wide image in a tall view',
      { width: 300, height: 400 },
      { width: 200, height: 100 },
      [1.5, 0, 0, 1.5, 0, 125],
    ],
    [
      'a tall image in a wide view',
      { width: 400, height: 300 },
      { width: 100, height: 200 },
      [1.5, 0, 0, 1.5, 125, 0],
    ],
    [
      'a large image shrinks',
      { width: 200, height: 200 },
      { width: 800, height: 400 },
      [0.25, 0, 0, 0.25, 0, 50],
    ],
    [
      'the same shape fills the view',
      { width: 512, height: 256 },
      { width: 256, height: 128 },
      [2, 0, 0, 2, 0, 0],
    ],
    [
      'an empty image stays at 1',
      { width: 400, height: 300 },
      { width: 0, height: 0 },
      [1, 0, 0, 1, 200, 150],
    ],
  ])('%s', (_what, view, image, want) => {
    expectTransform(fitTransform(view, image), want);
    expect(fitZoom(view, image)).toBeCloseTo(want[0], 9);
  });

  it('puts the image centre at the view centre', () => {
    const view = { width: 640, height: 480 };
    const image = { width: 123, height: 77 };
    const centre = fromImageCoords({ x: 0.5, y: 0.5 }, fitTransform(view, image), image);
    expect(centre.x).toBeCloseTo(320, 9);
    expect(centre.y).toBeCloseTo(240, 9);
  });
});

describe('zoom', () => {
  it.each<[string, number, number, number]>([
    ['inside the limits', 3, 2, 3],
    ['below a quarter of the fit', 0.4, 2, 0.5],
    ['above twenty times the fit', 50, 2, 40],
    ['exactly at the upper limit', 40, 2, 40],
  ])('clamps %s', (_what, zoom, fit, want) => {
    expect(clampZoom(zoom, fit)).toBeCloseTo(want, 9);
  });

  it.each<[string, ViewportTransform, { x: number; y: number }, number]>([
    ['about the view origin', [1, 0, 0, 1, 0, 0], { x: 0, y: 0 }, 2],
    ['about a point, from a panned view', [2, 0, 0, 2, 30, -20], { x: 150, y: 90 }, 5],
    ['zooming out', [4, 0, 0, 4, -300, -100], { x: 10, y: 200 }, 1],
  ])('keeps the point under the pointer: %s', (_what, transform, at, zoom) => {
    const image = { width: 100, height: 100 };
    const before = toImageCoords(at, transform, image);
    const after = zoomAbout(transform, at, zoom);
    expect(zoomOf(after)).toBeCloseTo(zoom, 9);
    const still = toImageCoords(at, after, image);
    expect(still.x).toBeCloseTo(before.x, 9);
    expect(still.y).toBeCloseTo(before.y, 9);
  });

  it('zooms by a factor within the limits', () => {
    expectTransform(zoomBy([2, 0, 0, 2, 0, 0], 1.25, { x: 0, y: 0 }, 2), [2.5, 0, 0, 2.5, 0, 0]);
    expectTransform(zoomBy([2, 0, 0, 2, 0, 0], 100, { x: 0, y: 0 }, 2), [40, 0, 0, 40, 0, 0]);
    expectTransform(zoomBy([2, 0, 0, 2, 0, 0], 0.01, { x: 0, y: 0 }, 2), [0.5, 0, 0, 0.5, 0, 0]);
  });

  it.each<[ViewportTransform, number]>([
    [[1, 0, 0, 1, 0, 0], 100],
    [[1.234, 0, 0, 1.234, 5, 5], 123],
    [[0.255, 0, 0, 0.255, 0, 0], 26],
  ])('shows %j as %i%%', (transform, want) => {
    expect(zoomPercent(transform)).toBe(want);
  });

  it.each<[number, number]>([
    [0, 1],
    [-400, Math.pow(0.999, -400)],
    [100, Math.pow(0.999, 100)],
  ])('the wheel delta %i zooms by %f', (delta, want) => {
    expect(wheelZoomFactor(delta)).toBeCloseTo(want, 12);
  });

  it('a wheel notch in and out returns to the same zoom', () => {
    expect(wheelZoomFactor(-120) * wheelZoomFactor(120)).toBeCloseTo(1, 12);
  });
});

describe('pan and resize', () => {
  it('pans by view pixels, zoom untouched', () => {
    expectTransform(panBy([3, 0, 0, 3, 10, 20], -40, 5), [3, 0, 0, 3, -30, 25]);
  });

  it.each<[string, Size, Size, ViewportTransform]>([
    ['wider', { width: 400, height: 300 }, { width: 600, height: 300 }, [2, 0, 0, 2, 100, 50]],
    ['smaller', { width: 400, height: 300 }, { width: 200, height: 100 }, [2, 0, 0, 2, -100, -50]],
    ['unchanged', { width: 400, height: 300 }, { width: 400, height: 300 }, [2, 0, 0, 2, 0, 50]],
  ])('keeps the centre when the view gets %s', (_what, before, after, want) => {
    const transform: ViewportTransform = [2, 0, 0, 2, 0, 50];
    const moved = keepCentre(transform, before, after);
    expectTransform(moved, want);
    const image = { width: 200, height: 100 };
    const centreBefore = toImageCoords(
      { x: before.width / 2, y: before.height / 2 },
      transform,
      image,
    );
    const centreAfter = toImageCoords({ x: after.width / 2, y: after.height / 2 }, moved, image);
    expect(centreAfter.x).toBeCloseTo(centreBefore.x, 9);
    expect(centreAfter.y).toBeCloseTo(centreBefore.y, 9);
  });
});

describe('hit tests and sizes', () => {
  it.each<[{ x: number; y: number }, boolean]>([
    [{ x: 0, y: 0 }, true],
    [{ x: 1, y: 1 }, true],
    [{ x: 0.5, y: 0.2 }, true],
    [{ x: -0.01, y: 0.5 }, false],
    [{ x: 0.5, y: 1.01 }, false],
  ])('%j is on the image: %s', (point, want) => {
    expect(onImage(point)).toBe(want);
  });

  const image = { width: 200, height: 100 };
  it.each<[string, [number, number], [number, number], number, boolean]>([
    ['a still press', [0.5, 0.5], [0.5, 0.5], 2, true],
    ['3 px wide on screen', [0.5, 0.5], [0.5075, 0.6], 2, true],
    ['4 px both ways', [0.5, 0.5], [0.51, 0.52], 2, false],
    ['long but flat', [0.1, 0.5], [0.9, 0.501], 2, true],
    ['the same drag, zoomed in 10x', [0.5, 0.5], [0.5075, 0.6], 20, false],
  ])('%s: a click = %s', (_what, [x1, y1], [x2, y2], zoom, want) => {
    expect(isClick({ x: x1, y: y1 }, { x: x2, y: y2 }, image, zoom, 4)).toBe(want);
  });

  it.each<[number, number, number]>([
    [2, 1, 2],
    [2, 4, 0.5],
    [11, 0.5, 22],
    [3, 0, 3],
  ])('%f screen px at zoom %f is %f scene units', (pixels, zoom, want) => {
    expect(sceneLength(pixels, zoom)).toBeCloseTo(want, 12);
  });
});

describe('the image in view', () => {
  const view = { width: 400, height: 300 };
  const image = { width: 200, height: 100 };
  it.each<[string, ViewportTransform, BoxRect | null]>([
    ['fitted: all of it', [2, 0, 0, 2, 0, 50], { x: 0, y: 0, w: 1, h: 1 }],
    ['zoomed 8x at the origin', [8, 0, 0, 8, 0, 0], { x: 0, y: 0, w: 0.25, h: 0.375 }],
    ['panned half off to the left', [2, 0, 0, 2, -200, 50], { x: 0.5, y: 0, w: 0.5, h: 1 }],
    ['panned wholly away', [2, 0, 0, 2, 500, 50], null],
  ])('%s', (_what, transform, want) => {
    const got = visibleImageRect(transform, view, image);
    if (want === null) expect(got).toBeNull();
    else expectRect(got, want);
  });

  it.each<[string, BoxRect | null, BoxRect]>([
    ['the whole image', { x: 0, y: 0, w: 1, h: 1 }, { x: 0.375, y: 0.375, w: 0.25, h: 0.25 }],
    [
      'a corner in view',
      { x: 0.5, y: 0, w: 0.5, h: 0.4 },
      { x: 0.6875, y: 0.15, w: 0.125, h: 0.1 },
    ],
    ['nothing in view: the image centre', null, { x: 0.375, y: 0.375, w: 0.25, h: 0.25 }],
  ])('a new box goes in the middle of %s', (_what, visible, want) => {
    expectRect(boxInView(visible), want);
  });
});
