import { describe, expect, it } from 'vitest';
import {
  AU_REGION_IDS,
  DEFAULT_FACE_REGION_TEMPLATE,
  FACE_REGIONS,
  FaceRegionTemplateSchema,
  overlayFor,
  parseFaceRegionTemplate,
  regionsForAu,
  type Region,
  type RegionShape,
} from './face-regions';

/** The AUs the template must place (FACS AUs with a face region). */
const PLACED_AUS = [
  1, 2, 4, 5, 6, 7, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 20, 22, 23, 24, 25, 26, 27, 28, 41, 42,
  43, 44, 45, 46,
];

/** Bounding box of a region, image coordinates. */
function bounds(region: Region) {
  const boxes = region.shapes.map((s: RegionShape) =>
    s.kind === 'rect'
      ? { x0: s.x, y0: s.y, x1: s.x + s.w, y1: s.y + s.h }
      : { x0: s.cx - s.rx, y0: s.cy - s.ry, x1: s.cx + s.rx, y1: s.cy + s.ry },
  );
  return {
    x0: Math.min(...boxes.map((b) => b.x0)),
    y0: Math.min(...boxes.map((b) => b.y0)),
    x1: Math.max(...boxes.map((b) => b.x1)),
    y1: Math.max(...boxes.map((b) => b.y1)),
  };
}

const centreY = (id: string) => {
  const b = bounds(FACE_REGIONS[id] as Region);
  return (b.y0 + b.y1) / 2;
};

describe('the default template', () => {
  it('is valid under its schema, version 1', () => {
    expect(FaceRegionTemplateSchema.parse(DEFAULT_FACE_REGION_TEMPLATE)).toEqual(
      DEFAULT_FACE_REGION_TEMPLATE,
    );
    expect(DEFAULT_FACE_REGION_TEMPLATE.version).toBe(1);
  });

  it('survives a JSON round trip', () => {
    const json = JSON.parse(JSON.stringify(DEFAULT_FACE_REGION_TEMPLATE));
    expect(parseFaceRegionTemplate(json)).toEqual(DEFAULT_FACE_REGION_TEMPLATE);
  });

  it.each(PLACED_AUS)('places AU%i in at least one region', (au) => {
    expect(AU_REGION_IDS[au]?.length ?? 0).toBeGreaterThan(0);
    expect(regionsForAu(au).length).toBeGreaterThan(0);
  });

  it.each([
    // Landmark groups of the AU reference, section 5.
    [1, ['brows', 'eyes']],
    [2, ['brows', 'eyes']],
    [4, ['brows', 'glabella', 'eyes']],
    [5, ['brows', 'eyes']],
    [6, ['cheeks']],
    [7, ['brows', 'eyes']],
    [9, ['nose']],
    [10, ['nasolabial']],
    [12, ['nasolabial']],
    [15, ['nasolabial']],
    [16, ['lips', 'jaw']],
    [17, ['chin']],
    [18, ['lips']],
    [20, ['lips', 'jaw']],
    [24, ['lips']],
    [25, ['lips', 'jaw']],
    [26, ['lips', 'jaw']],
    [27, ['lips', 'jaw']],
    [28, ['lips']],
    [43, ['eyes']],
    [45, ['eyes']],
    [46, ['eyes']],
  ] as const)('AU%i shows in %j (template order)', (au, ids) => {
    expect(regionsForAu(au).map((r) => r.id)).toEqual(ids);
  });

  it.each([0, 3, 8, 19, 51, 64, 99, -1, 1.5])('gives AU%s no region', (au) => {
    expect(regionsForAu(au)).toEqual([]);
  });

  it('has the regions in face order, top to bottom', () => {
    const order = ['brows', 'eyes', 'nose', 'cheeks', 'nasolabial', 'lips', 'chin'];
    const ys = order.map(centreY);
    expect(ys).toEqual([...ys].sort((a, b) => a - b));
  });

  it.each(Object.keys(FACE_REGIONS))('region %s is symmetric about the midline', (id) => {
    const b = bounds(FACE_REGIONS[id] as Region);
    expect(b.x0 + b.x1).toBeCloseTo(1, 6);
  });

  it.each([
    // Where the landmark groups sit on an aligned crop (eyes ~45% down, mouth ~70%).
    ['brows', 0.3, 0.43],
    ['eyes', 0.4, 0.5],
    ['lips', 0.65, 0.79],
    ['chin', 0.74, 0.9],
  ] as const)('region %s lies between y %f and %f', (id, top, bottom) => {
    const b = bounds(FACE_REGIONS[id] as Region);
    expect(b.y0).toBeGreaterThanOrEqual(top);
    expect(b.y1).toBeLessThanOrEqual(bottom);
  });
});

describe('FaceRegionTemplateSchema', () => {
  const region = (shapes: unknown[]) => ({ id: 'r', name: 'R', shapes });
  const template = (regions: unknown[], auRegions: Record<string, string[]> = {}) => ({
    version: 1,
    regions,
    auRegions,
  });

  it.each([
    [
      'a wrong version',
      { ...template([region([{ kind: 'rect', x: 0, y: 0, w: 1, h: 1 }])]), version: 2 },
    ],
    [
      'a rect past the right edge',
      template([region([{ kind: 'rect', x: 0.5, y: 0, w: 0.6, h: 0.1 }])]),
    ],
    ['a rect with no width', template([region([{ kind: 'rect', x: 0, y: 0, w: 0, h: 0.1 }])])],
    [
      'an ellipse past the top',
      template([region([{ kind: 'ellipse', cx: 0.5, cy: 0.05, rx: 0.1, ry: 0.1 }])]),
    ],
    ['a region without shapes', template([region([])])],
    ['an unknown shape', template([region([{ kind: 'circle', cx: 0.5, cy: 0.5, r: 0.1 }])])],
    [
      'a bad region id',
      template([{ ...region([{ kind: 'rect', x: 0, y: 0, w: 1, h: 1 }]), id: 'Brows' }]),
    ],
    [
      'duplicate region ids',
      template([
        region([{ kind: 'rect', x: 0, y: 0, w: 1, h: 1 }]),
        region([{ kind: 'rect', x: 0, y: 0, w: 1, h: 1 }]),
      ]),
    ],
    [
      'an AU naming an unknown region',
      template([region([{ kind: 'rect', x: 0, y: 0, w: 1, h: 1 }])], { 12: ['mouth'] }),
    ],
    [
      'a non-numeric AU key',
      template([region([{ kind: 'rect', x: 0, y: 0, w: 1, h: 1 }])], { AU12: ['r'] }),
    ],
  ])('rejects %s', (_what, value) => {
    expect(FaceRegionTemplateSchema.safeParse(value).success).toBe(false);
  });

  it('accepts a custom template and uses it', () => {
    const custom = parseFaceRegionTemplate(
      template([region([{ kind: 'rect', x: 0.2, y: 0.6, w: 0.6, h: 0.3 }])], { 12: ['r'] }),
    );
    expect(regionsForAu(12, custom).map((r) => r.id)).toEqual(['r']);
    expect(regionsForAu(6, custom)).toEqual([]);
    expect(overlayFor([12], [6], custom)).toEqual([
      { region: custom.regions[0], style: 'labelled', aus: [12], missingAus: [] },
    ]);
  });
});

describe('overlayFor', () => {
  type Row = [string, number[], number[], [string, 'labelled' | 'missing', number[], number[]][]];
  it.each<Row>([
    ['nothing', [], [], []],
    ['one labelled AU', [12], [], [['nasolabial', 'labelled', [12], []]]],
    ['one missing AU', [], [6], [['cheeks', 'missing', [6], [6]]]],
    [
      'happiness with AU6 missing',
      [12, 25],
      [6],
      [
        ['cheeks', 'missing', [6], [6]],
        ['nasolabial', 'labelled', [12], []],
        ['lips', 'labelled', [25], []],
        ['jaw', 'labelled', [25], []],
      ],
    ],
    [
      'AUs sharing a region merge',
      [1, 2, 5],
      [],
      [
        ['brows', 'labelled', [1, 2, 5], []],
        ['eyes', 'labelled', [1, 2, 5], []],
      ],
    ],
    [
      'a region both labelled and missing is labelled',
      [1],
      [4],
      [
        ['brows', 'labelled', [1, 4], [4]],
        ['glabella', 'missing', [4], [4]],
        ['eyes', 'labelled', [1, 4], [4]],
      ],
    ],
    [
      'an AU both labelled and missing counts as labelled',
      [17],
      [17],
      [['chin', 'labelled', [17], []]],
    ],
    ['AUs without a region are skipped', [51, 53], [61], []],
    [
      'input order and duplicates do not matter',
      [26, 16, 26],
      [20, 20],
      [
        ['lips', 'labelled', [16, 20, 26], [20]],
        ['jaw', 'labelled', [16, 20, 26], [20]],
      ],
    ],
    [
      'surprise: brows and eyes labelled, jaw drop missing',
      [1, 2, 5],
      [26],
      [
        ['brows', 'labelled', [1, 2, 5], []],
        ['eyes', 'labelled', [1, 2, 5], []],
        ['lips', 'missing', [26], [26]],
        ['jaw', 'missing', [26], [26]],
      ],
    ],
  ])('%s', (_what, labelled, missing, expected) => {
    const got = overlayFor(labelled, missing).map((o) => [
      o.region.id,
      o.style,
      o.aus,
      o.missingAus,
    ]);
    expect(got).toEqual(expected);
  });

  it('returns the template regions themselves', () => {
    const [first] = overlayFor([9], []);
    expect(first?.region).toBe(FACE_REGIONS.nose);
  });
});
