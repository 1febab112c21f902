import { describe, expect, it } from 'vitest';
import { landmarkPoints } from './landmarks';

describe('landmarkPoints', () => {
  it.each([
    [
      'a point per pair, in image pixels',
      [0.5, 0.25, 0, 1],
      { width: 200, height: 100 },
      [
        { x: 100, y: 25 },
        { x: 0, y: 100 },
      ],
    ],
    [
      'points off the image kept (a face cut off)',
      [-0.1, 1.2],
      { width: 100, height: 100 },
      [{ x: -10, y: 120 }],
    ],
    [
      'points not finite left out',
      [NaN, 0.5, 0.5, Infinity, 0.1, 0.2],
      { width: 10, height: 10 },
      [{ x: 1, y: 2 }],
    ],
    [
      'a trailing lone number ignored',
      [0.5, 0.5, 0.7],
      { width: 10, height: 10 },
      [{ x: 5, y: 5 }],
    ],
    ['no mesh, no points', [], { width: 10, height: 10 }, []],
  ])('%s', (_name, mesh, image, want) => {
    const got = landmarkPoints(Float32Array.from(mesh), image);
    expect(got).toHaveLength(want.length);
    got.forEach((p, i) => {
      expect(p.x).toBeCloseTo(want[i]!.x, 4);
      expect(p.y).toBeCloseTo(want[i]!.y, 4);
    });
  });
});
