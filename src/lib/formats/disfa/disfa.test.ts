import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { auMaskWords, maskHas, maskToAus, parseAuString } from '../../labels/au';
import { textColumnToArray } from '../../labels/text-column';
import { encodeLike } from '../../labels/text-out';
import { AuStatus, type InputFile, type SampleLabels } from '../../labels/types';
import { fileHead } from '../format';
import { importLabelFiles, type ImportResult } from '../import';
import { detectFile } from '../registry';
import { DISFA_FORMAT } from '.';
import { disfaFileOf, presenceThresholdOf, readDisfaFile, readDisfaFiles } from './read';

const fixture = (path: string, name = path): InputFile => ({
  name,
  bytes: new Uint8Array(readFileSync(new URL(`./fixtures/${path}`, import.meta.url))),
});
const text = (bytes: Uint8Array) => new TextDecoder().decode(bytes);
const textFile = (name: string, content: string): InputFile => ({
  name,
  bytes: new TextEncoder().encode(content),
});

const SET = ['SN001_au1.txt', 'SN001_au2.txt', 'SN001_au12.txt'].flatMap((name) => [
  fixture(name),
  fixture(name.replace('SN001', 'SN002')),
]);

function written(imported: ImportResult, labels: SampleLabels = imported.table, kept?: number[]) {
  return DISFA_FORMAT.write({
    format: imported.format,
    table: imported.table,
    labels,
    kept: Int32Array.from(kept ?? [...Array(imported.table.count).keys()]),
    scheme: imported.scheme,
    splitNames: imported.splitNames,
    sourceFiles: imported.sourceFiles,
  });
}

function corrected(imported: ImportResult, changes: Record<number, string>): SampleLabels {
  const { table } = imported;
  const labels: SampleLabels = {
    classIds: table.classIds.slice(),
    auStatus: table.auStatus.slice(),
    auRaw: [...table.auRaw],
    auMask: table.auMask.slice(),
  };
  for (const [at, raw] of Object.entries(changes)) {
    const i = Number(at);
    labels.auRaw[i] = raw;
    const [lo, hi] = auMaskWords(parseAuString(raw).tokens);
    labels.auMask[2 * i] = lo;
    labels.auMask[2 * i + 1] = hi;
  }
  return labels;
}

const rowsOf = (imported: ImportResult) =>
  textColumnToArray(imported.table.names).map((name, i) => [
    name,
    imported.table.auRaw[i],
    maskToAus(imported.table.auMask, i),
  ]);

describe('DISFA names', () => {
  it.each<[string, { subject: string; au: number } | null]>([
    ['SN001_au12.txt', { subject: 'SN001', au: 12 }],
    ['ActionUnit_Labels/SN032/SN032_au1.txt', { subject: 'SN032', au: 1 }],
    ['SN001_AU05.txt', { subject: 'SN001', au: 5 }],
    ['intensities.txt', null],
    ['SN001_au12.csv', null],
    ['SN001.txt', null],
  ])('%s gives %j', (path, named) => {
    expect(disfaFileOf(path)).toEqual(named);
  });

  it('a subject is its own video', () => {
    expect(DISFA_FORMAT.subjectOf?.('SN001')).toBe('SN001');
    expect(DISFA_FORMAT.auVocabulary).toEqual([1, 2, 4, 5, 6, 9, 12, 15, 17, 20, 25, 26]);
  });

  it.each<[number | undefined, number | null]>([
    [undefined, 2],
    [1, 1],
    [5, 5],
    [0, null],
    [6, null],
    [1.5, null],
  ])('presence threshold %s: %s', (setting, threshold) => {
    if (threshold === null) expect(() => presenceThresholdOf(setting)).toThrow(RangeError);
    else expect(presenceThresholdOf(setting)).toBe(threshold);
  });
});

describe('DISFA detection', () => {
  const FILES: Record<string, InputFile> = { SN001_au1: SET[0] as InputFile };

  it.each<[string, string, string | null]>([
    ['SN001_au1.txt', 'SN001_au1', 'certain'],
    ['P07_au4.txt', 'SN001_au1', 'certain'],
    ['renamed.txt', 'SN001_au1', 'likely'],
    ['renamed', '1,0\r\n2,5\r\n', 'likely'],
    ['SN001_au1.txt', 'nothing like it\n', 'likely'],
    ['x.txt', '1,0\n2,6\n', null],
    ['x.txt', '2,0\n1,1\n', null],
    ['x.txt', '1,0,1\n', null],
    ['x.csv', 'frame,1,2\n1,0,1\n', null],
  ])('%s holding %j: %s', (name, content, confidence) => {
    const file = FILES[content] ?? textFile(name, content);
    const detection = DISFA_FORMAT.detect(fileHead({ ...file, name }));
    expect(detection?.confidence ?? null).toBe(confidence);
    if (detection) expect(detection.role).toBe('au');
  });

  it.each(['renamed.txt', 'SN001_au1.txt', 'labels'])(
    'the registry takes %s for DISFA by its content',
    (name) => {
      expect(detectFile(fileHead({ ...(SET[0] as InputFile), name }))[0]?.format).toBe('disfa');
    },
  );
});

describe('readDisfaFile', () => {
  it('broken lines: each a problem with its line, field and raw text; good lines kept', () => {
    const read = readDisfaFile(fixture('broken/SN003_au4.txt'), 'SN003', 4);
    expect([read.frames, read.intensities, read.lines]).toEqual([
      [1, 5, 4],
      [0, 1, 0],
      [1, 4, 6],
    ]);
    expect(
      read.problems.map((p) => [p.kind, p.severity, p.line, p.field, p.raw, p.message]),
    ).toEqual([
      [
        'bad-au-token',
        'error',
        2,
        'AU4',
        '7',
        "AU4 intensity '7' is not a whole number 0-5; row rejected",
      ],
      [
        'column-count',
        'error',
        3,
        'line',
        '3,1,2',
        "expected 2 fields 'frame,intensity', found 3; row rejected",
      ],
      [
        'duplicate-image',
        'error',
        5,
        'frame',
        '1',
        'frame 1 already given on line 1; row rejected',
      ],
      [
        'conflict',
        'warning',
        6,
        'frame',
        '4',
        'frame 4 comes after frame 5: frames are expected in ascending order; kept',
      ],
      [
        'missing-value',
        'error',
        7,
        'frame',
        'x',
        "frame number 'x' is not a whole number; row rejected",
      ],
      [
        'missing-value',
        'error',
        8,
        'frame',
        '02',
        "frame number '02' is not written as a plain number (no sign, no leading zeros), so an export could not give it back as written; row rejected",
      ],
    ]);
    expect(read.problems.every((p) => p.file === 'broken/SN003_au4.txt')).toBe(true);
    expect(read.rowsRead).toBe(8);
  });

  it('a file whose name gives no subject is not read', () => {
    const read = readDisfaFiles([fixture('broken/intensities.txt')], 2);
    expect(read.sourceFiles).toEqual([]);
    expect(read.problems).toEqual([
      {
        kind: 'unknown-file',
        severity: 'error',
        file: 'broken/intensities.txt',
        line: 0,
        field: 'file',
        raw: 'broken/intensities.txt',
        message:
          'the file name does not say whose frames and which AU it holds (expected <subject>_au<AU>.txt, as SN001_au12.txt); not read',
      },
    ]);
  });

  it('a subject without a file for an AU the others have: warned once, the AU absent', () => {
    const read = readDisfaFiles(
      SET.filter((f) => f.name !== 'SN002_au12.txt' && f.name !== 'SN002_au2.txt'),
      2,
    );
    expect(read.read.problems).toEqual([
      {
        kind: 'missing-value',
        severity: 'warning',
        file: 'SN002_au1.txt',
        line: 0,
        field: 'file',
        raw: 'SN002_au2.txt, SN002_au12.txt',
        message:
          "SN002 has no file for AU 2, AU 12, which other subjects have (SN002_au2.txt, SN002_au12.txt): those AUs are read as absent in SN002's frames",
      },
    ]);
  });

  it('frames one file lacks that the others give: warned, the AU absent there, given back as lacking', () => {
    const short = textFile('SN001_au2.txt', '1,0\n2,0\n3,1\n4,2\n');
    const files = [SET[0] as InputFile, short];
    const read = readDisfaFiles(files, 2);
    expect(read.read.problems).toEqual([
      expect.objectContaining({
        file: 'SN001_au2.txt',
        line: 0,
        field: 'frame',
        raw: '5',
        message:
          '2 frames of SN001 that its other AU files give are not in this file (the first: frame 5): AU 2 is read as absent in them',
      }),
    ]);
    expect(read.sourceFiles.map((s) => s.sideValues)).toEqual(['t=2;1=2,6', 't=2;1=3;-=5-6']);
    const imported = importLabelFiles(files);
    expect(written(imported).map((f) => text(f.bytes))).toEqual(files.map((f) => text(f.bytes)));
  });
});

describe('importLabelFiles with a DISFA set of 2 subjects and 3 AUs', () => {
  const at2 = importLabelFiles(SET);
  const at1 = importLabelFiles(SET, { presenceThreshold: 1 });

  it('picks DISFA, joins each subject’s files by frame, present at 2 by default', () => {
    expect(at2.format).toBe('disfa');
    expect(at2.detection.unsure).toBeNull();
    expect(at2.problems).toEqual([]);
    expect(rowsOf(at2)).toEqual([
      ['SN001/00001.jpg', '12D', [12]],
      ['SN001/00002.jpg', '12C', [12]],
      ['SN001/00003.jpg', '1B', [1]],
      ['SN001/00004.jpg', '1C+2B', [1, 2]],
      ['SN001/00005.jpg', '2E', [2]],
      ['SN001/00006.jpg', '0', []],
      ['SN002/00001.jpg', '0', []],
      ['SN002/00002.jpg', '2B', [2]],
      ['SN002/00003.jpg', '12C', [12]],
      ['SN002/00004.jpg', '1D', [1]],
    ]);
    expect(at2.table.auStatus.every((s) => s === AuStatus.coded)).toBe(true);
    expect(at2.table.flags.every((f) => f === 0)).toBe(true);
    expect(at2.report.files.map((f) => [f.name, f.lines, f.accepted])).toEqual([
      ['SN001_au1.txt', 6, 6],
      ['SN001_au2.txt', 6, 6],
      ['SN001_au12.txt', 6, 6],
      ['SN002_au1.txt', 4, 4],
      ['SN002_au2.txt', 4, 4],
      ['SN002_au12.txt', 4, 4],
    ]);
  });

  it('at threshold 1, intensity 1 is present too', () => {
    expect(rowsOf(at1).map(([name, raw]) => [name, raw])).toEqual([
      ['SN001/00001.jpg', '12D'],
      ['SN001/00002.jpg', '1A+12C'],
      ['SN001/00003.jpg', '1B+2A+12A'],
      ['SN001/00004.jpg', '1C+2B'],
      ['SN001/00005.jpg', '2E'],
      ['SN001/00006.jpg', '1A+12A'],
      ['SN002/00001.jpg', '1A+12A'],
      ['SN002/00002.jpg', '1A+2B'],
      ['SN002/00003.jpg', '12C'],
      ['SN002/00004.jpg', '1D+12A'],
    ]);
    // SN001 frame 2: AU1 at intensity 1.
    expect([maskHas(at2.table.auMask, 1, 1), maskHas(at1.table.auMask, 1, 1)]).toEqual([
      false,
      true,
    ]);
  });

  it.each([
    ['2', at2],
    ['1', at1],
  ])('at threshold %s, an untouched export gives every file back byte for byte', (_t, imported) => {
    const files = written(imported);
    expect(files.map((f) => f.path)).toEqual(SET.map((f) => f.name).sort(bySubjectAndAu));
    for (const file of files) {
      const original = SET.find((f) => f.name === file.path) as InputFile;
      expect(text(file.bytes)).toBe(text(original.bytes));
    }
  });

  it('a frame left out loses its line in every file of its subject; corrections write intensities', () => {
    // SN001 frame 3 dropped; frame 6 gains a plain AU 12 (at the threshold) and frame 1 loses it;
    // frame 2 gets `12A`, under the threshold: still present, so written at the threshold.
    const labels = corrected(at2, { 5: '12', 0: '', 1: '12A' });
    const files = written(at2, labels, [0, 1, 3, 4, 5, 6, 7, 8, 9]);
    const of = (name: string) =>
      text(files.find((f) => f.path === name)?.bytes ?? new Uint8Array());
    expect(of('SN001_au1.txt')).toBe('1,0\n2,1\n4,3\n5,0\n6,1\n');
    expect(of('SN001_au2.txt')).toBe('1,0\n2,0\n4,2\n5,5\n6,0\n');
    expect(of('SN001_au12.txt')).toBe('1,0\n2,2\n4,0\n5,0\n6,2\n');
    expect(of('SN002_au12.txt')).toBe(text((SET[5] as InputFile).bytes));
  });

  it('labels for no source file: a file per subject and DISFA AU', () => {
    const files = DISFA_FORMAT.write({
      format: 'disfa',
      table: at2.table,
      labels: at2.table,
      kept: Int32Array.of(0, 3, 9),
      scheme: at2.scheme,
      splitNames: {},
      sourceFiles: [],
    });
    expect(files).toHaveLength(24);
    const of = (name: string) =>
      text(files.find((f) => f.path === name)?.bytes ?? new Uint8Array());
    expect([
      of('SN001_au1.txt'),
      of('SN001_au12.txt'),
      of('SN002_au1.txt'),
      of('SN002_au26.txt'),
    ]).toEqual(['1,0\n4,3\n', '1,4\n4,0\n', '4,4\n', '4,0\n']);
  });

  it('a name that gives no subject, and broken lines, are problems of the import', () => {
    const imported = importLabelFiles([
      ...SET,
      fixture('broken/SN003_au4.txt'),
      fixture('broken/intensities.txt'),
    ]);
    expect(imported.format).toBe('disfa');
    expect(
      imported.problems.filter((p) => p.severity === 'error').map((p) => [p.file, p.line]),
    ).toEqual([
      ['broken/intensities.txt', 0],
      ['broken/SN003_au4.txt', 2],
      ['broken/SN003_au4.txt', 3],
      ['broken/SN003_au4.txt', 5],
      ['broken/SN003_au4.txt', 7],
      ['broken/SN003_au4.txt', 8],
    ]);
    expect(textColumnToArray(imported.table.names).filter((n) => n.startsWith('SN003/'))).toEqual([
      'SN003/00001.jpg',
      'SN003/00005.jpg',
      'SN003/00004.jpg',
    ]);
  });
});

function bySubjectAndAu(a: string, b: string): number {
  const x = disfaFileOf(a) as { subject: string; au: number };
  const y = disfaFileOf(b) as { subject: string; au: number };
  return x.subject.localeCompare(y.subject) || x.au - y.au;
}

/** A DISFA set: subjects with files for some AUs, each file some frames of its subject, any intensities. */
const disfaSet = fc
  .record({
    subjects: fc.uniqueArray(fc.constantFrom('SN001', 'SN002', 'SN010'), {
      minLength: 1,
      maxLength: 3,
    }),
    aus: fc.uniqueArray(fc.constantFrom(1, 2, 4, 5, 6, 9, 12, 15, 17, 20, 25, 26), {
      minLength: 1,
      maxLength: 4,
    }),
    start: fc.integer({ min: 0, max: 5000 }),
    count: fc.integer({ min: 1, max: 12 }),
    files: fc.array(
      fc.record({
        intensities: fc.array(fc.integer({ min: 0, max: 5 }), { minLength: 12, maxLength: 12 }),
        lacks: fc.array(fc.boolean(), { minLength: 12, maxLength: 12 }),
        eol: fc.constantFrom('\n', '\r\n'),
        finalNewline: fc.boolean(),
        bom: fc.boolean(),
      }),
      { minLength: 12, maxLength: 12 },
    ),
    threshold: fc.integer({ min: 1, max: 5 }),
  })
  .map(({ subjects, aus, start, count, files, threshold }) => {
    const inputs: InputFile[] = [];
    const intensity = new Map<string, number>();
    let f = 0;
    for (const subject of subjects)
      for (const au of aus) {
        const spec = files[f++ % files.length] as (typeof files)[number];
        const lines: string[] = [];
        for (let k = 0; k < count; k++) {
          // A file lacks a frame now and then, but never all of them.
          if (spec.lacks[k] === true && k > 0) continue;
          const value = spec.intensities[k] as number;
          lines.push(`${start + k},${value}`);
          intensity.set(`${subject}/${start + k}/${au}`, value);
        }
        const content = lines.join(spec.eol) + (spec.finalNewline ? spec.eol : '');
        inputs.push({ name: `${subject}_au${au}.txt`, bytes: encodeLike(content, spec) });
      }
    return { inputs, intensity, threshold, aus };
  });

describe('DISFA round trips', () => {
  it('bytes -> read -> write gives the same bytes at any threshold, and presence is intensity >= threshold', () => {
    fc.assert(
      fc.property(disfaSet, ({ inputs, intensity, threshold, aus }) => {
        const imported = importLabelFiles(inputs, { presenceThreshold: threshold });
        expect(imported.format).toBe('disfa');
        expect(imported.problems.filter((p) => p.severity === 'error')).toEqual([]);
        const names = textColumnToArray(imported.table.names);
        names.forEach((name, i) => {
          const [subject, file] = name.split('/') as [string, string];
          const frame = Number(file.slice(0, -4));
          for (const au of aus) {
            const value = intensity.get(`${subject}/${frame}/${au}`) ?? 0;
            expect(maskHas(imported.table.auMask, i, au)).toBe(value >= threshold);
          }
        });
        const out = written(imported);
        expect(out).toHaveLength(inputs.length);
        for (const file of inputs) {
          const back = out.find((f) => f.path === file.name);
          expect(back && Buffer.from(back.bytes).equals(Buffer.from(file.bytes))).toBe(true);
        }
      }),
      { numRuns: 150 },
    );
  });
});
