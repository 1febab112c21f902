import { describe, expect, it } from 'vitest';
import {
  DEFAULT_FACE_REGION_TEMPLATE,
  FaceRegionTemplateSchema,
  type FaceRegionTemplate,
  type RegionShape,
} from '../review/face-regions';
import cropFixture from './fixtures/astronaut-crop-mesh.json';
import fullFixture from './fixtures/astronaut-full-mesh.json';
import { LANDMARK_REGION_IDS, landmarkTemplate } from './landmark-regions';
import {
  CHIN,
  EYE_INNER_CORNER,
  EYE_OUTER_CORNER,
  FACE_OVAL,
  FOREHEAD,
  INNER_BROW,
  INNER_LIP_CENTRE,
  MOUTH_CORNER,
  NOSE_TIP,
  OUTER_BROW,
  SUBNASALE,
  UPPER_LIP_TOP,
} from './mesh';
import { MESH_POINTS } from './reading';

interface Fixture {
  width: number;
  height: number;
  mesh: number[][];
}

/** A fixture's mesh in image coordinates 0-1, as a reading holds it. */
function meshOf(fixture: Fixture): Float32Array {
  return Float32Array.from(
    fixture.mesh.flatMap(([x, y]) => [x! / fixture.width, y! / fixture.height]),
  );
}

const meshes: [string, Float32Array][] = [
  ['the aligned crop', meshOf(cropFixture)],
  ['the whole portrait', meshOf(fullFixture)],
];

/** The same mesh with x and y mapped by a scale and shift each (image coordinates). */
function transformed(mesh: Float32Array, sx: number, dx: number, sy: number, dy: number) {
  return Float32Array.from(mesh, (v, i) => (i % 2 === 0 ? v * sx + dx : v * sy + dy));
}

function shapesOf(template: FaceRegionTemplate, id: string): RegionShape[] {
  const region = template.regions.find((r) => r.id === id);
  if (!region) throw new Error(`no region ${id}`);
  return region.shapes;
}

interface Bounds {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

function boundsOf(shape: RegionShape): Bounds {
  return shape.kind === 'rect'
    ? { x0: shape.x, y0: shape.y, x1: shape.x + shape.w, y1: shape.y + shape.h }
    : {
        x0: shape.cx - shape.rx,
        y0: shape.cy - shape.ry,
        x1: shape.cx + shape.rx,
        y1: shape.cy + shape.ry,
      };
}

function centreOf(shape: RegionShape): { x: number; y: number } {
  const b = boundsOf(shape);
  return { x: (b.x0 + b.x1) / 2, y: (b.y0 + b.y1) / 2 };
}

/** Centre height of a region: the mean of its shapes' centres. */
function heightOf(template: FaceRegionTemplate, id: string): number {
  const shapes = shapesOf(template, id);
  return shapes.reduce((sum, s) => sum + centreOf(s).y, 0) / shapes.length;
}

function contains(shape: RegionShape, x: number, y: number): boolean {
  if (shape.kind === 'rect') {
    return x >= shape.x && x <= shape.x + shape.w && y >= shape.y && y <= shape.y + shape.h;
  }
  return ((x - shape.cx) / shape.rx) ** 2 + ((y - shape.cy) / shape.ry) ** 2 <= 1;
}

function point(mesh: Float32Array, p: number): [number, number] {
  return [mesh[2 * p]!, mesh[2 * p + 1]!];
}

function faceBox(mesh: Float32Array): Bounds & { w: number; h: number } {
  const xs = FACE_OVAL.map((p) => mesh[2 * p]!);
  const ys = FACE_OVAL.map((p) => mesh[2 * p + 1]!);
  const box = {
    x0: Math.min(...xs),
    y0: Math.min(...ys),
    x1: Math.max(...xs),
    y1: Math.max(...ys),
  };
  return { ...box, w: box.x1 - box.x0, h: box.y1 - box.y0 };
}

describe.each(meshes)('regions fitted to %s', (_name, mesh) => {
  const template = landmarkTemplate(mesh);
  const face = faceBox(mesh);

  it('is a valid template with the same ids, names, order and AUs as the fixed one', () => {
    expect(FaceRegionTemplateSchema.safeParse(template).success).toBe(true);
    expect(template.regions.map((r) => [r.id, r.name])).toEqual(
      DEFAULT_FACE_REGION_TEMPLATE.regions.map((r) => [r.id, r.name]),
    );
    expect(template.auRegions).toEqual(DEFAULT_FACE_REGION_TEMPLATE.auRegions);
    // Every region of the fixed template is fitted: none keeps the fixed shapes.
    expect(LANDMARK_REGION_IDS).toEqual(DEFAULT_FACE_REGION_TEMPLATE.regions.map((r) => r.id));
    for (const region of template.regions) {
      expect(
        region.shapes.map((s) => s.kind),
        region.id,
      ).toEqual(shapesOf(DEFAULT_FACE_REGION_TEMPLATE, region.id).map((s) => s.kind));
    }
  });

  it.each([
    ['brows', 'eyes'],
    ['glabella', 'nose'],
    ['eyes', 'cheeks'],
    ['eyes', 'nose'],
    ['nose', 'nasolabial'],
    ['nose', 'lips'],
    ['lips', 'chin'],
  ])('puts %s above %s', (upper, lower) => {
    expect(heightOf(template, upper)).toBeLessThan(heightOf(template, lower));
  });

  it.each([
    ['brows', 0, 1],
    ['eyes', 0, 1],
    ['cheeks', 0, 1],
    ['nasolabial', 1, 2],
  ])('mirrors the %s about the face midline', (id, right, left) => {
    const shapes = shapesOf(template, id);
    const r = boundsOf(shapes[right]!);
    const l = boundsOf(shapes[left]!);
    // The midline at this height: between the forehead and the chin, near enough.
    const midline =
      (point(mesh, FOREHEAD)[0] + point(mesh, CHIN)[0] + point(mesh, NOSE_TIP)[0]) / 3;
    expect(centreOf(shapes[right]!).x).toBeLessThan(midline);
    expect(centreOf(shapes[left]!).x).toBeGreaterThan(midline);
    // The head is turned a little: 8% of the face's width is slack for that.
    const middle = (centreOf(shapes[right]!).x + centreOf(shapes[left]!).x) / 2;
    expect(Math.abs(middle - midline)).toBeLessThan(0.08 * face.w);
    expect(Math.abs(centreOf(shapes[right]!).y - centreOf(shapes[left]!).y)).toBeLessThan(
      0.04 * face.h,
    );
    const widths = [r.x1 - r.x0, l.x1 - l.x0];
    expect(Math.min(...widths) / Math.max(...widths)).toBeGreaterThan(0.6);
  });

  it('keeps every shape inside the face, give or take a tenth of its size', () => {
    for (const region of template.regions) {
      for (const shape of region.shapes) {
        const b = boundsOf(shape);
        expect(b.x0, region.id).toBeGreaterThan(face.x0 - 0.1 * face.w);
        expect(b.x1, region.id).toBeLessThan(face.x1 + 0.1 * face.w);
        expect(b.y0, region.id).toBeGreaterThan(face.y0 - 0.1 * face.h);
        expect(b.y1, region.id).toBeLessThan(face.y1 + 0.1 * face.h);
      }
    }
  });

  it.each([
    ['brows', [...INNER_BROW.right, ...OUTER_BROW.right], 0],
    ['brows', [...INNER_BROW.left, ...OUTER_BROW.left], 1],
    ['eyes', [...EYE_OUTER_CORNER.right, ...EYE_INNER_CORNER.right], 0],
    ['eyes', [...EYE_OUTER_CORNER.left, ...EYE_INNER_CORNER.left], 1],
    ['nose', [NOSE_TIP, SUBNASALE], 0],
    ['nasolabial', [SUBNASALE, UPPER_LIP_TOP], 0],
    ['lips', [...MOUTH_CORNER.right, ...MOUTH_CORNER.left, UPPER_LIP_TOP, ...INNER_LIP_CENTRE], 0],
    ['chin', [CHIN], 0],
  ])('covers the %s points %j with shape %i', (id, points, shape) => {
    const drawn = shapesOf(template, id)[shape]!;
    for (const p of points) expect(contains(drawn, ...point(mesh, p)), `point ${p}`).toBe(true);
  });

  it('leaves room above the brows for brows raised by a tenth of the face height', () => {
    const [right] = shapesOf(template, 'brows');
    const [x, y] = point(mesh, OUTER_BROW.right[1]!);
    expect(contains(right!, x, y - 0.05 * face.h)).toBe(true);
  });
});

describe('a moved or resized face', () => {
  const mesh = meshOf(cropFixture);
  const before = landmarkTemplate(mesh);

  it.each([
    ['shifted', 1, -0.1, 1, -0.05],
    ['shrunk and moved to a corner', 0.5, 0.45, 0.5, 0.02],
    ['squeezed sideways (a wide image)', 0.6, 0.1, 1, 0],
  ])('%s: every shape moves and scales with it', (_name, sx, dx, sy, dy) => {
    const after = landmarkTemplate(transformed(mesh, sx, dx, sy, dy));
    expect(FaceRegionTemplateSchema.safeParse(after).success).toBe(true);
    before.regions.forEach((region, r) => {
      region.shapes.forEach((shape, s) => {
        const moved = boundsOf(after.regions[r]!.shapes[s]!);
        const b = boundsOf(shape);
        for (const [got, want] of [
          [moved.x0, b.x0 * sx + dx],
          [moved.x1, b.x1 * sx + dx],
          [moved.y0, b.y0 * sy + dy],
          [moved.y1, b.y1 * sy + dy],
        ] as const) {
          expect(got, `${region.id} ${s}`).toBeCloseTo(want, 5);
        }
      });
    });
  });

  it.each([
    ['half out on the right', 0.6, 0],
    ['half out at the top', 0, -0.6],
    ['wholly outside', 2, 2],
  ])('%s: shapes are cut at the image edge and stay valid', (_name, dx, dy) => {
    const after = landmarkTemplate(transformed(mesh, 1, dx, 1, dy));
    expect(FaceRegionTemplateSchema.safeParse(after).success).toBe(true);
  });
});

describe('what is not fitted', () => {
  it('keeps a custom region of the base template as it is, and its AUs', () => {
    const custom: FaceRegionTemplate = {
      version: 1,
      regions: [
        ...DEFAULT_FACE_REGION_TEMPLATE.regions,
        { id: 'ears', name: 'Ears', shapes: [{ kind: 'rect', x: 0, y: 0.4, w: 0.1, h: 0.2 }] },
      ],
      auRegions: { ...DEFAULT_FACE_REGION_TEMPLATE.auRegions, 99: ['ears'] },
    };
    const fitted = landmarkTemplate(meshOf(cropFixture), custom);
    expect(fitted.regions.at(-1)).toEqual(custom.regions.at(-1));
    expect(fitted.auRegions[99]).toEqual(['ears']);
  });

  it('keeps the fixed shapes of a part whose points are all missing', () => {
    const mesh = meshOf(cropFixture);
    const holes = Float32Array.from(mesh, (v, i) =>
      // Knock out the lips' and the chin's points: every point from the mouth down.
      mesh[i - (i % 2) + 1]! > point(mesh, MOUTH_CORNER.right[0]!)[1] - 0.1 ? NaN : v,
    );
    const fitted = landmarkTemplate(holes);
    expect(shapesOf(fitted, 'chin')).toEqual(shapesOf(DEFAULT_FACE_REGION_TEMPLATE, 'chin'));
    expect(shapesOf(fitted, 'brows')).not.toEqual(shapesOf(DEFAULT_FACE_REGION_TEMPLATE, 'brows'));
    expect(FaceRegionTemplateSchema.safeParse(fitted).success).toBe(true);
  });

  it.each([[0], [MESH_POINTS], [MESH_POINTS * 2 + 2]])(
    'refuses a mesh of %i numbers (a bug, not bad input)',
    (length) => {
      expect(() => landmarkTemplate(new Float32Array(length))).toThrow(RangeError);
    },
  );
});
