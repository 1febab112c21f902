/** Fixtures for the store's tests (imported only by *.test.ts). */
import type { ParseReport, SampleTable } from '../labels/types';
import { EMPTY_TEXT_COLUMN, textColumnOf, textColumnToArray } from '../labels/text-column';
import type { NewDatasetMeta } from './records';

const odd = [
  'a b.jpg',
  'é visage.png',
  '日本語/顔 01.jpg',
  '😀 smile.jpg',
  ' lead',
  'tab\there',
  'x,y;"z"',
];

/** A deterministic table of n samples exercising every column's range. */
export function makeTable(n: number, seed = 0): SampleTable {
  const t: SampleTable = {
    count: n,
    names: EMPTY_TEXT_COLUMN,
    classIds: new Int16Array(n),
    splits: new Int8Array(n),
    auStatus: new Uint8Array(n),
    auRaw: [],
    auMask: new Uint32Array(2 * n),
    flags: new Uint8Array(n),
  };
  const names: string[] = [];
  for (let i = 0; i < n; i++) {
    const k = i + seed;
    names.push(i % 97 === 0 ? `${odd[k % odd.length]} #${i}` : `${String(k).padStart(7, '0')}.jpg`);
    t.classIds[i] = k % 13 === 0 ? -1 : (k % 11) + (k % 5000);
    t.splits[i] = k % 17 === 0 ? -1 : k % 3;
    t.auStatus[i] = k % 3;
    t.auRaw.push(k % 3 === 0 ? '' : k % 3 === 1 ? 'null' : `${(k % 64) + 1}+L12 ${k}`);
    t.auMask[2 * i] = (k * 2654435761) >>> 0;
    t.auMask[2 * i + 1] = k % 7 === 0 ? 0xffffffff : k >>> 0;
    t.flags[i] = k % 4;
  }
  return { ...t, names: textColumnOf(names) };
}

export function makeReport(samples: number): ParseReport {
  return {
    version: 1,
    format: 'raf-ce',
    files: [
      {
        name: 'RAFCE_emolabel.txt',
        role: 'emotion',
        lines: samples,
        accepted: samples,
        rejected: 0,
      },
    ],
    rowsRead: samples,
    samples,
    problems: [],
    problemsTruncated: false,
    problemCounts: {},
    auTokens: [],
    nullCount: 0,
    codedCount: 0,
    absentCount: samples,
    classCounts: [],
    splitCounts: [],
    imagesWithoutLabels: { count: 0, examples: [] },
    labelsWithoutImages: { count: 0, examples: [] },
    imagesGiven: 0,
  };
}

export function makeMeta(name: string, sampleCount: number): NewDatasetMeta {
  return {
    name,
    format: 'raf-ce',
    scheme: {
      id: 'raf-ce',
      name: 'RAF-CE',
      classes: [{ id: 0, name: 'Happily surprised', components: ['happy', 'surprise'] }],
    },
    splitNames: { '0': 'train', '1': 'test' },
    sourceFiles: [
      {
        name: 'RAFCE_emolabel.txt',
        role: 'emotion',
        eol: '\n',
        finalNewline: true,
        bom: false,
        lines: sampleCount,
      },
    ],
    report: makeReport(sampleCount),
    sampleCount,
    isDemo: false,
  };
}

export function makeImages(keys: string[]): { key: string; name: string; blob: Blob }[] {
  return keys.map((key) => ({
    key,
    name: key.split('/').pop() ?? key,
    blob: new Blob([`image ${key}`], { type: 'image/jpeg' }),
  }));
}

/** Column-by-column equality with a useful failure message (cheaper than toEqual on a million). */
export function tableDifference(a: SampleTable, b: SampleTable): string | null {
  if (a.count !== b.count) return `count ${a.count} != ${b.count}`;
  const names = [textColumnToArray(a.names), textColumnToArray(b.names)] as const;
  if (names[0].length !== names[1].length)
    return `names: length ${names[0].length} != ${names[1].length}`;
  for (let i = 0; i < names[0].length; i++)
    if (names[0][i] !== names[1][i])
      return `names[${i}]: ${JSON.stringify(names[0][i])} != ${JSON.stringify(names[1][i])}`;
  const columns = ['classIds', 'splits', 'auStatus', 'auRaw', 'auMask', 'flags'] as const;
  for (const c of columns) {
    const x = a[c];
    const y = b[c];
    if (x.constructor !== y.constructor)
      return `${c}: ${x.constructor.name} != ${y.constructor.name}`;
    if (x.length !== y.length) return `${c}: length ${x.length} != ${y.length}`;
    for (let i = 0; i < x.length; i++)
      if (x[i] !== y[i]) return `${c}[${i}]: ${JSON.stringify(x[i])} != ${JSON.stringify(y[i])}`;
  }
  return null;
}
