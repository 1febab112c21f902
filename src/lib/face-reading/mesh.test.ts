import { describe, expect, it } from 'vitest';
import fullFixture from './fixtures/astronaut-full-mesh.json';
import {
  BROW,
  CHEEK,
  CHIN,
  CHIN_AREA,
  EYE_RING,
  FACE_OVAL,
  GLABELLA,
  LOWER_JAW,
  NASOLABIAL_FOLD,
  NOSE,
  OUTER_LIPS,
  UPPER_LIP_SKIN,
  EYE_INNER_CORNER,
  EYE_OUTER_CORNER,
  FOREHEAD,
  INNER_BROW,
  INNER_LIP_CENTRE,
  INNER_LIP_GAPS,
  LID_GAPS,
  MIDLINE_POINTS,
  MIRRORED_POINT_PAIRS,
  MOUTH_CORNER,
  NOSE_TIP,
  OUTER_BROW,
  SUBNASALE,
  UPPER_LIP_TOP,
} from './mesh';
import { MESH_POINTS } from './reading';

// The real mesh proves the indices name what they say: a wrong index lands elsewhere.
const mesh = fullFixture.mesh as [number, number, number][];
const [foreheadX, foreheadY] = mesh[FOREHEAD]!;
const [chinX, chinY] = mesh[CHIN]!;
const midlineLength = Math.hypot(chinX - foreheadX, chinY - foreheadY);

/** Distance from the forehead-chin line, positive on the subject's left (image right). */
function sideOf(point: number): number {
  const [x, y] = mesh[point]!;
  return (
    ((x - foreheadX) * (chinY - foreheadY) - (y - foreheadY) * (chinX - foreheadX)) / midlineLength
  );
}
/** Height down the face, 0 at the forehead and 1 at the chin. */
function heightOf(point: number): number {
  const [x, y] = mesh[point]!;
  return (
    ((x - foreheadX) * (chinX - foreheadX) + (y - foreheadY) * (chinY - foreheadY)) /
    midlineLength ** 2
  );
}

describe('mesh indices', () => {
  it('are mesh points, each named once', () => {
    const all = [...MIRRORED_POINT_PAIRS.flat(), ...MIDLINE_POINTS];
    expect(new Set(all).size).toBe(all.length);
    for (const point of all) expect(point >= 0 && point < MESH_POINTS, String(point)).toBe(true);
  });

  it.each(MIRRORED_POINT_PAIRS.map(([right, left]) => [right, left]))(
    'right %i and left %i sit either side of the midline at about one height',
    (right, left) => {
      expect(sideOf(right)).toBeLessThan(-0.02 * midlineLength);
      expect(sideOf(left)).toBeGreaterThan(0.02 * midlineLength);
      expect(Math.abs(heightOf(right) - heightOf(left))).toBeLessThan(0.05);
    },
  );

  it.each(MIDLINE_POINTS.map((point) => [point]))('%i lies on the midline', (point) => {
    expect(Math.abs(sideOf(point))).toBeLessThan(0.03 * midlineLength);
  });

  it('runs from forehead to chin in anatomical order', () => {
    const order = [
      OUTER_BROW.right[1]!,
      INNER_BROW.right[0]!,
      EYE_INNER_CORNER.right[0]!,
      NOSE_TIP,
      SUBNASALE,
      UPPER_LIP_TOP,
      ...INNER_LIP_CENTRE,
      CHIN,
    ];
    const heights = order.map(heightOf);
    expect(heights).toEqual([...heights].sort((a, b) => a - b));
  });

  it('puts each lid top above its bottom, outer corners outside the inner ones', () => {
    for (const [top, bottom] of [...LID_GAPS.right, ...LID_GAPS.left, ...INNER_LIP_GAPS]) {
      expect(heightOf(top), `${top} over ${bottom}`).toBeLessThan(heightOf(bottom));
    }
    expect(sideOf(EYE_OUTER_CORNER.right[0]!)).toBeLessThan(sideOf(EYE_INNER_CORNER.right[0]!));
    expect(sideOf(EYE_OUTER_CORNER.left[0]!)).toBeGreaterThan(sideOf(EYE_INNER_CORNER.left[0]!));
    expect(sideOf(OUTER_BROW.right[0]!)).toBeLessThan(sideOf(INNER_BROW.right[0]!));
    expect(sideOf(MOUTH_CORNER.right[0]!)).toBeLessThan(sideOf(INNER_LIP_GAPS[0]![0]));
  });
});

describe('the contours of the region overlay', () => {
  const sided = { BROW, EYE_RING, CHEEK, NASOLABIAL_FOLD };
  const single = { FACE_OVAL, GLABELLA, NOSE, UPPER_LIP_SKIN, OUTER_LIPS, CHIN_AREA, LOWER_JAW };

  it.each(Object.entries({ ...single, ...sided }))(
    '%s names mesh points, each once',
    (_, group) => {
      const all = 'right' in group ? [...group.right, ...group.left] : [...group];
      expect(new Set(all).size).toBe(all.length);
      for (const point of all) expect(point >= 0 && point < MESH_POINTS, String(point)).toBe(true);
    },
  );

  it.each(Object.entries(sided))('%s: each right point mirrors its left one', (_, group) => {
    expect(group.right).toHaveLength(group.left.length);
    group.right.forEach((right, k) => {
      const left = group.left[k]!;
      expect(sideOf(right), `${right}`).toBeLessThan(0);
      expect(sideOf(left), `${left}`).toBeGreaterThan(0);
      expect(Math.abs(heightOf(right) - heightOf(left)), `${right}/${left}`).toBeLessThan(0.05);
    });
  });
});
