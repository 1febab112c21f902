import { describe, expect, it } from 'vitest';
import { drawFace, FACE_REGIONS, makeIdentity, type FaceRegion } from './face';
import { checkSvg } from './svg-check';

const who = makeIdentity(7);

/** The markup of one region group of a face SVG. */
function region(svg: string, name: FaceRegion): string {
  const start = svg.indexOf(`<g data-region="${name}">`);
  expect(start, `region ${name}`).toBeGreaterThanOrEqual(0);
  const rest = svg.slice(start + 1);
  const next = rest.search(/<g data-region="|<\/svg>$/);
  return rest.slice(0, next);
}

/** Ids differ between any two faces; compare the drawing, not the ids. */
const noIds = (svg: string) => svg.replace(/(id="|url\(#)[^")]+/g, '$1ID');

function changedRegions(a: string, b: string): FaceRegion[] {
  return FACE_REGIONS.filter((r) => noIds(region(a, r)) !== noIds(region(b, r)));
}

describe('drawFace', () => {
  it('draws a 256 x 256 well-formed SVG with every region', () => {
    const svg = drawFace({}, who);
    const check = checkSvg(svg);
    expect(check.errors).toEqual([]);
    expect(svg).toMatch(
      /^<svg xmlns="http:\/\/www.w3.org\/2000\/svg" viewBox="0 0 256 256" width="256" height="256"/,
    );
    for (const r of FACE_REGIONS) expect(svg).toContain(`<g data-region="${r}">`);
  });

  it('is deterministic', () => {
    expect(drawFace({ 12: 0.7, 25: 1 }, makeIdentity(3))).toBe(
      drawFace({ 12: 0.7, 25: 1 }, makeIdentity(3)),
    );
  });

  // Each AU, from 0 to 1, must visibly move its own region(s) of the face, and upper-face
  // AUs must leave the mouth alone (and lip AUs the eyes and brows).
  const cases: { au: number; moves: FaceRegion[]; keeps: FaceRegion[] }[] = [
    { au: 1, moves: ['brows', 'forehead'], keeps: ['mouth', 'eyes'] },
    { au: 2, moves: ['brows', 'forehead'], keeps: ['mouth', 'eyes'] },
    { au: 4, moves: ['brows', 'forehead', 'eyes'], keeps: ['mouth'] },
    { au: 5, moves: ['eyes'], keeps: ['mouth', 'brows'] },
    { au: 6, moves: ['eyes', 'cheeks', 'folds'], keeps: ['mouth', 'brows'] },
    { au: 7, moves: ['eyes'], keeps: ['mouth', 'brows'] },
    { au: 9, moves: ['nose', 'folds', 'brows'], keeps: ['mouth'] },
    { au: 10, moves: ['mouth', 'nose', 'folds'], keeps: ['eyes', 'brows'] },
    { au: 11, moves: ['folds'], keeps: ['mouth', 'eyes', 'brows'] },
    { au: 12, moves: ['mouth', 'folds'], keeps: ['eyes', 'brows'] },
    { au: 14, moves: ['mouth'], keeps: ['eyes', 'brows'] },
    { au: 15, moves: ['mouth'], keeps: ['eyes', 'brows'] },
    { au: 16, moves: ['mouth'], keeps: ['eyes', 'brows'] },
    { au: 17, moves: ['mouth', 'chin'], keeps: ['eyes', 'brows'] },
    { au: 18, moves: ['mouth'], keeps: ['eyes', 'brows'] },
    { au: 20, moves: ['mouth'], keeps: ['eyes', 'brows'] },
    { au: 22, moves: ['mouth'], keeps: ['eyes', 'brows'] },
    { au: 23, moves: ['mouth'], keeps: ['eyes', 'brows'] },
    { au: 24, moves: ['mouth'], keeps: ['eyes', 'brows'] },
    { au: 25, moves: ['mouth', 'chin', 'head'], keeps: ['eyes', 'brows'] },
    { au: 26, moves: ['mouth', 'chin', 'head'], keeps: ['eyes', 'brows'] },
    { au: 27, moves: ['mouth', 'chin', 'head'], keeps: ['eyes', 'brows'] },
    { au: 43, moves: ['eyes'], keeps: ['mouth', 'brows'] },
    { au: 45, moves: ['eyes'], keeps: ['mouth', 'brows'] },
  ];

  it.each(cases)('AU$au moves $moves and keeps $keeps', ({ au, moves, keeps }) => {
    for (const base of [{}, { 25: 0.8 }] as Record<number, number>[]) {
      if (au === 25 && base[25]) continue;
      const off = drawFace({ ...base, [au]: 0 }, who);
      const on = drawFace({ ...base, [au]: 1 }, who);
      expect(checkSvg(on).errors).toEqual([]);
      const changed = changedRegions(off, on);
      for (const r of moves) expect(changed, `AU${au} should move ${r}`).toContain(r);
      for (const r of keeps) expect(changed, `AU${au} should keep ${r}`).not.toContain(r);
    }
  });

  it.each(cases)('AU$au changes gradually with intensity', ({ au, moves }) => {
    const r = moves[0] as FaceRegion;
    const shapes = [0, 0.5, 1].map((v) => region(drawFace({ [au]: v }, who), r));
    expect(new Set(shapes).size).toBe(3);
  });

  it('pulls the mouth corners up for AU12 and down for AU15', () => {
    // The lip line is the only path with stroke-width 1.8 in the mouth group when lips are closed.
    const cornerY = (svg: string): number => {
      const d =
        /<path d="M([\d.]+) ([\d.]+)C[^"]*" fill="none" stroke="#[0-9a-f]{6}" stroke-width="1.8"/.exec(
          region(svg, 'mouth'),
        );
      expect(d).not.toBeNull();
      return Number(d?.[2]);
    };
    const neutral = cornerY(drawFace({}, who));
    expect(cornerY(drawFace({ 12: 1 }, who))).toBeLessThan(neutral - 5);
    expect(cornerY(drawFace({ 15: 1 }, who))).toBeGreaterThan(neutral + 5);
  });

  it('draws a unilateral AU on one side only', () => {
    const both = drawFace({ 12: 1 }, who);
    const left = drawFace({ 12: 1 }, who, { 12: 'L' });
    const right = drawFace({ 12: 1 }, who, { 12: 'R' });
    expect(new Set([both, left, right]).size).toBe(3);
    expect(checkSvg(left).errors).toEqual([]);
  });

  it('clamps intensities outside 0..1', () => {
    expect(drawFace({ 12: 3 }, who)).toBe(drawFace({ 12: 1 }, who));
    expect(drawFace({ 12: -1 }, who)).toBe(drawFace({}, who));
  });

  it('stays well-formed for every AU at full intensity together', () => {
    const all: Record<number, number> = {};
    for (const { au } of cases) all[au] = 1;
    for (let seed = 0; seed < 20; seed++) {
      expect(checkSvg(drawFace(all, makeIdentity(seed))).errors).toEqual([]);
    }
  });

  it('varies identities: many seeds give many different faces', () => {
    const ids = Array.from({ length: 40 }, (_, i) => makeIdentity(i));
    const neutral = new Set(ids.map((id) => drawFace({}, id)));
    expect(neutral.size).toBe(40);
    for (const key of ['skin', 'hairColor', 'hairStyle', 'eyeColor', 'glasses'] as const) {
      expect(new Set(ids.map((id) => id[key])).size, key).toBeGreaterThan(2);
    }
    expect(makeIdentity(5)).toEqual(makeIdentity(5));
  });

  it('gives each face its own clip-path ids, so many can share one page', () => {
    const a = drawFace({ 25: 1 }, makeIdentity(1));
    const b = drawFace({ 25: 1 }, makeIdentity(2));
    const ids = (svg: string) => [...svg.matchAll(/\sid="([^"]*)"/g)].map((m) => m[1]);
    expect(ids(a).length).toBeGreaterThan(0);
    expect(ids(a).filter((x) => ids(b).includes(x))).toEqual([]);
  });
});

describe('checkSvg', () => {
  it.each([
    ['<svg a="1"><g></g></svg>', true],
    ['<svg a="1"><g></svg>', false],
    ['<svg a="1"><g/></svg><svg a="1"></svg>', false],
    ['<svg a="1"><path d="MNaN 1"/></svg>', false],
    ['<svg a="1"><path d=1/></svg>', false],
    ['<g a="1"></g>', false],
    ['<svg a="1"><rect clip-path="url(#x)"/></svg>', false],
  ])('%s -> %s', (svg, ok) => {
    expect(checkSvg(svg).ok).toBe(ok);
  });
});
