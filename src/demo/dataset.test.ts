import { describe, expect, it } from 'vitest';
import {
  alignedImageName,
  allocateClassCounts,
  DEMO_FILES,
  DemoNoiseRecordSchema,
  generateDemoDataset,
  InjectedErrorSchema,
  sampleName,
  type DemoDataset,
  type InjectedError,
  type NoiseKind,
} from './dataset';
import { hallmarkShows, RAF_CE_PROFILES } from './profiles';
import { checkSvg } from './svg-check';

const cache = new Map<string, DemoDataset>();
function dataset(seed = 2026, count = 200): DemoDataset {
  const key = `${seed}/${count}`;
  let d = cache.get(key);
  if (!d) {
    d = generateDemoDataset(seed, count);
    cache.set(key, d);
  }
  return d;
}

function file(d: DemoDataset, name: string): string {
  const f = d.files.find((x) => x.name === name);
  expect(f, name).toBeDefined();
  return f?.text ?? '';
}

/** `name value` lines of a label file, as a map. */
function parseLines(text: string): Map<string, string> {
  expect(text.endsWith('\n')).toBe(true);
  expect(text).not.toContain('\r');
  const out = new Map<string, string>();
  for (const line of text.slice(0, -1).split('\n')) {
    const m = /^(\d{4,}\.jpg) (\S+)$/.exec(line);
    expect(m, line).not.toBeNull();
    expect(out.has(m?.[1] ?? '')).toBe(false);
    out.set(m?.[1] ?? '', m?.[2] ?? '');
  }
  return out;
}

const TOKEN = /^([LRBT]?)(\d+)([A-E]?)$/;
function ausOf(value: string): number[] {
  if (value === 'null') return [];
  return value.split('+').map((t) => {
    const m = TOKEN.exec(t);
    expect(m, t).not.toBeNull();
    return Number(m?.[2]);
  });
}

const SEEDS = [2026, 1, 7, 12345];

describe('generateDemoDataset', () => {
  it('is deterministic: same seed, same bytes', () => {
    const a = generateDemoDataset(2026, 60);
    const b = generateDemoDataset(2026, 60);
    expect(a).toEqual(b);
    expect(JSON.stringify(a)).toBe(JSON.stringify(b));
  });

  it.each([
    [2026, 1],
    [2026, 2027],
    [5, 6],
  ])('seeds %i and %i give different data', (x, y) => {
    const a = generateDemoDataset(x, 60);
    const b = generateDemoDataset(y, 60);
    for (const name of [DEMO_FILES.emotion, DEMO_FILES.au, DEMO_FILES.split]) {
      expect(file(a, name)).not.toBe(file(b, name));
    }
    expect(a.images[0]?.svg).not.toBe(b.images[0]?.svg);
  });

  it('defaults to seed 2026 and 200 samples', () => {
    const d = dataset();
    expect(generateDemoDataset().files).toEqual(d.files);
    expect(d.truth).toHaveLength(200);
    expect(d.images).toHaveLength(200);
  });

  it('names samples 0001.jpg... and images aligned/0001_aligned.svg', () => {
    const d = dataset();
    expect(d.truth.map((t) => t.name)).toEqual(
      Array.from({ length: 200 }, (_, i) => sampleName(i, 200)),
    );
    expect(d.truth[0]?.name).toBe('0001.jpg');
    expect(d.truth[199]?.name).toBe('0200.jpg');
    expect(d.images.map((i) => i.name)).toEqual(d.truth.map((t) => alignedImageName(t.name)));
    expect(d.images[0]?.name).toBe('aligned/0001_aligned.svg');
  });

  it('writes the RAF-CE files, one `name value` line per sample, LF, final newline', () => {
    const d = dataset();
    expect(d.files.map((f) => f.name)).toEqual([
      'RAFCE_emolabel.txt',
      'RAFCE_partition.txt',
      'RAFCE_AUlabel.txt',
      'DEMO_NOISE.json',
    ]);
    const names = d.truth.map((t) => t.name);
    const emo = parseLines(file(d, DEMO_FILES.emotion));
    const split = parseLines(file(d, DEMO_FILES.split));
    const au = parseLines(file(d, DEMO_FILES.au));
    for (const m of [emo, split, au]) expect([...m.keys()]).toEqual(names);
    for (const v of emo.values()) expect(v).toMatch(/^(\d|1[0-3])$/);
    for (const v of split.values()) expect(v).toMatch(/^[012]$/);
    for (const v of au.values()) {
      expect(v).toMatch(/^(null|[LRBT]?\d+[A-E]?(\+[LRBT]?\d+[A-E]?)*)$/);
      const list = ausOf(v);
      expect(list, v).toEqual([...new Set(list)].sort((a, b) => a - b));
    }
  });

  it('uses the real grammar: some side prefixes and intensity letters', () => {
    const au = [...parseLines(file(dataset(), DEMO_FILES.au)).values()].join('+');
    expect(au).toMatch(/(^|\+)[LR]\d+/);
    expect(au).toMatch(/\d[A-E](\+|$)/);
  });

  it.each(SEEDS)(
    'seed %i: every class present, at least 6 each, in truth and in the file',
    (seed) => {
      const d = dataset(seed);
      const truth = new Array<number>(14).fill(0);
      for (const t of d.truth) truth[t.classId] = (truth[t.classId] ?? 0) + 1;
      const given = new Array<number>(14).fill(0);
      for (const v of parseLines(file(d, DEMO_FILES.emotion)).values()) given[Number(v)]! += 1;
      expect(Math.min(...truth)).toBeGreaterThanOrEqual(6);
      expect(Math.min(...given)).toBeGreaterThanOrEqual(4);
      // mildly imbalanced, like the real data
      expect(Math.max(...truth)).toBeGreaterThan(2 * Math.min(...truth));
    },
  );

  it.each([
    [200, 14],
    [100, 14],
    [20, 14],
    [10, 10],
  ])('allocateClassCounts(%i) sums to the count over %i classes', (count, present) => {
    const c = allocateClassCounts(count);
    expect(c.reduce((a, b) => a + b, 0)).toBe(count);
    expect(c.filter((x) => x > 0).length).toBeGreaterThanOrEqual(present);
  });

  it('splits about 60/20/20, within every class too', () => {
    const d = dataset();
    const split = parseLines(file(d, DEMO_FILES.split));
    const count = [0, 0, 0];
    for (const v of split.values()) count[Number(v)]! += 1;
    expect(count[0]).toBeGreaterThanOrEqual(115);
    expect(count[0]).toBeLessThanOrEqual(125);
    for (const i of [1, 2]) {
      expect(count[i]).toBeGreaterThanOrEqual(36);
      expect(count[i]).toBeLessThanOrEqual(44);
    }
    for (const p of RAF_CE_PROFILES) {
      const members = d.truth.filter((t) => t.classId === p.id);
      const train = members.filter((t) => split.get(t.name) === '0').length;
      expect(train / members.length).toBeGreaterThanOrEqual(0.5);
    }
  });

  it('draws true AUs from the class profile (prototypical AUs almost always)', () => {
    const d = dataset(2026, 1000);
    for (const p of RAF_CE_PROFILES) {
      const members = d.truth.filter((t) => t.classId === p.id);
      for (const au of p.prototypical) {
        const rate = members.filter((t) => t.aus.includes(au)).length / members.length;
        expect(rate, `class ${p.id} AU${au}`).toBeGreaterThanOrEqual(0.8);
      }
    }
    const sadlyDisgusted = d.truth.filter((t) => t.classId === 5);
    const rate17 = sadlyDisgusted.filter((t) => t.aus.includes(17)).length / sadlyDisgusted.length;
    expect(rate17).toBeGreaterThan(0.3);
    expect(rate17).toBeLessThan(0.65);
  });

  it.each(SEEDS)('seed %i: each noise kind is 3-8% of the samples, on disjoint samples', (seed) => {
    const d = dataset(seed);
    const kinds: NoiseKind[] = ['null-au', 'missing-hallmark', 'class-swap'];
    for (const kind of kinds) {
      const n = d.injected.filter((e) => e.kind === kind).length;
      expect(n, kind).toBeGreaterThanOrEqual(0.03 * 200);
      expect(n, kind).toBeLessThanOrEqual(0.08 * 200);
    }
    expect(new Set(d.injected.map((e) => e.name)).size).toBe(d.injected.length);
  });

  it('keeps the noise rates for other sizes', () => {
    const d = dataset(3, 500);
    for (const kind of ['null-au', 'missing-hallmark', 'class-swap']) {
      const n = d.injected.filter((e) => e.kind === kind).length;
      expect(n).toBeGreaterThanOrEqual(15);
      expect(n).toBeLessThanOrEqual(40);
    }
  });

  const check: Record<NoiseKind, (e: InjectedError) => void> = {
    'null-au': (e) => {
      expect(e.givenAus).toBe('null');
      expect(e.trueAus).not.toBe('null');
      expect(e.givenClassId).toBe(e.trueClassId);
    },
    'missing-hallmark': (e) => {
      expect(e.givenClassId).toBe(e.trueClassId);
      const truth = new Set(ausOf(e.trueAus));
      const given = new Set(ausOf(e.givenAus));
      expect(given.size).toBeGreaterThan(0);
      expect(given.size).toBeLessThan(truth.size);
      for (const au of given) expect(truth.has(au)).toBe(true);
      const profile = RAF_CE_PROFILES[e.trueClassId];
      const component = e.component;
      expect(component && profile?.components.includes(component)).toBe(true);
      if (!component || !profile) return;
      const other = profile.components.find((c) => c !== component) ?? component;
      expect(hallmarkShows(component, truth)).toBe(true);
      expect(hallmarkShows(component, given)).toBe(false);
      expect(hallmarkShows(other, given)).toBe(true);
      // the other tokens are kept exactly as written
      const kept = e.trueAus.split('+').filter((t) => given.has(Number(TOKEN.exec(t)?.[2])));
      expect(kept.join('+')).toBe(e.givenAus);
    },
    'class-swap': (e) => {
      expect(e.givenAus).toBe(e.trueAus);
      expect(e.givenClassId).not.toBe(e.trueClassId);
      const t = RAF_CE_PROFILES[e.trueClassId];
      const g = RAF_CE_PROFILES[e.givenClassId];
      expect(t && g).toBeTruthy();
      if (!t || !g) return;
      // no shared component: the expected AUs differ clearly
      expect(g.components.filter((c) => t.components.includes(c))).toEqual([]);
      const aus = new Set(ausOf(e.trueAus));
      expect(g.components.every((c) => hallmarkShows(c, aus))).toBe(false);
    },
  };

  it.each(SEEDS)(
    'seed %i: every injected label differs from its truth as its kind says',
    (seed) => {
      const d = dataset(seed);
      const emo = parseLines(file(d, DEMO_FILES.emotion));
      const au = parseLines(file(d, DEMO_FILES.au));
      const truthByName = new Map(d.truth.map((t) => [t.name, t]));
      for (const e of d.injected) {
        expect(InjectedErrorSchema.parse(e)).toEqual(e);
        check[e.kind](e);
        // the files carry the given labels, the truth the true ones
        expect(emo.get(e.name)).toBe(String(e.givenClassId));
        expect(au.get(e.name)).toBe(e.givenAus);
        const t = truthByName.get(e.name);
        expect(t?.classId).toBe(e.trueClassId);
        expect(t?.aus).toEqual(ausOf(e.trueAus));
      }
    },
  );

  it('labels the samples without noise truthfully', () => {
    const d = dataset();
    const noisy = new Set(d.injected.map((e) => e.name));
    const emo = parseLines(file(d, DEMO_FILES.emotion));
    const au = parseLines(file(d, DEMO_FILES.au));
    for (const t of d.truth) {
      if (noisy.has(t.name)) continue;
      expect(emo.get(t.name)).toBe(String(t.classId));
      expect(ausOf(au.get(t.name) ?? '')).toEqual(t.aus);
    }
    // the only nulls in the AU file are injected ones
    const nulls = [...au.values()].filter((v) => v === 'null').length;
    expect(nulls).toBe(d.injected.filter((e) => e.kind === 'null-au').length);
  });

  it('records the noise in DEMO_NOISE.json, versioned and validated', () => {
    const d = dataset();
    const text = file(d, DEMO_FILES.noise);
    expect(text.endsWith('\n')).toBe(true);
    const record = DemoNoiseRecordSchema.parse(JSON.parse(text));
    expect(record.version).toBe(1);
    expect(record.seed).toBe(2026);
    expect(record.injected).toEqual(d.injected);
    expect(DemoNoiseRecordSchema.safeParse({ ...record, version: 2 }).success).toBe(false);
    expect(
      InjectedErrorSchema.safeParse({ ...d.injected[0], kind: 'typo' } as unknown).success,
    ).toBe(false);
  });

  it('draws every face as well-formed SVG, from the true AUs', () => {
    const d = dataset();
    for (const img of d.images) expect(checkSvg(img.svg).errors, img.name).toEqual([]);
    expect(new Set(d.images.map((i) => i.svg)).size).toBe(200);
  });

  it('draws the faces from the TRUE AUs: the noise changes labels, never faces', () => {
    const noisy = dataset();
    const clean = generateDemoDataset(2026, 200, { noise: false });
    expect(clean.injected).toEqual([]);
    expect(clean.images).toEqual(noisy.images);
    expect(clean.truth).toEqual(noisy.truth);
    const au = parseLines(file(clean, DEMO_FILES.au));
    for (const e of noisy.injected) expect(au.get(e.name)).toBe(e.trueAus);
  });

  it('handles small and odd counts', () => {
    for (const count of [1, 13, 30]) {
      const d = generateDemoDataset(1, count);
      expect(d.truth).toHaveLength(count);
      expect(file(d, DEMO_FILES.emotion).split('\n')).toHaveLength(count + 1);
    }
    expect(() => generateDemoDataset(1, 0)).toThrow(RangeError);
    expect(sampleName(0, 20000)).toBe('00001.jpg');
  });
});
