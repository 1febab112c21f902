import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { auMaskWords } from '../../labels/au';
import { textFile } from '../../labels/test-fixtures';
import { emptySampleTable } from '../../labels/table';
import { textColumnOf, textColumnToArray } from '../../labels/text-column';
import { encodeLike } from '../../labels/text-out';
import { AuStatus, type InputFile, type SourceFile } from '../../labels/types';
import { importLabelFiles, type ImportResult } from '../import';
import { ABAW_AU_HEADER, ABAW_AUS, ABAW_EXPR_HEADER, ABAW_EXPR_SCHEME } from './scheme';
import { exportPath, writeAbaw } from './write';

const decoder = new TextDecoder();

function writeAll(result: ImportResult, kept?: Int32Array, labels = result.table) {
  return writeAbaw({
    format: 'abaw',
    table: result.table,
    labels,
    kept: kept ?? Int32Array.from({ length: result.table.count }, (_, i) => i),
    scheme: result.scheme,
    splitNames: result.splitNames,
    sourceFiles: result.sourceFiles,
  });
}

const textOf = (files: { path: string; bytes: Uint8Array }[]) =>
  Object.fromEntries(files.map((f) => [f.path, decoder.decode(f.bytes)]));

/** A generated video's files, written as they could be found in the wild. */
interface VideoSpec {
  name: string;
  folder: string;
  eol: SourceFile['eol'];
  finalNewline: boolean;
  bom: boolean;
  encoding: 'utf-8' | 'utf-16le';
  aus: number[] | null;
  auRows: (number[] | null)[];
  exprRows: number[] | null;
}

const OTHER_AUS = [5, 9, 14, 17, 20, 43];

const videoSpec = fc.record({
  name: fc.constantFrom(
    '1-30-1280x720',
    'video10-1',
    '118-30-640x480_right',
    '118-30-640x480_left',
    'é-2',
  ),
  folder: fc.constantFrom('AU_Set/Train_Set', 'AU_Set/Validation_Set', 'abaw/AU_Set', 'AU_Set'),
  eol: fc.constantFrom<SourceFile['eol']>('\n', '\r\n'),
  finalNewline: fc.boolean(),
  bom: fc.boolean(),
  encoding: fc.constantFrom<VideoSpec['encoding']>('utf-8', 'utf-8', 'utf-16le'),
  aus: fc.option(
    fc.oneof(
      fc.constant<number[]>([...ABAW_AUS]),
      fc.shuffledSubarray<number>([...ABAW_AUS, ...OTHER_AUS], { minLength: 1 }),
    ),
    { nil: null },
  ),
  frames: fc.integer({ min: 0, max: 12 }),
  exprFrames: fc.option(fc.integer({ min: 0, max: 12 }), { nil: null }),
  seed: fc.array(fc.integer({ min: 0, max: 1 << 30 }), { minLength: 40, maxLength: 40 }),
});

type GeneratedVideo = typeof videoSpec extends fc.Arbitrary<infer T> ? T : never;

function materialize(spec: GeneratedVideo): VideoSpec {
  const { seed, frames, exprFrames, aus } = spec;
  const random = (k: number) => seed[k % seed.length] as number;
  const auRows = aus
    ? Array.from({ length: frames }, (_, f) =>
        random(f) % 5 === 0 ? null : aus.map((_, c) => (random(f + c * 7) >> c) & 1),
      )
    : [];
  const exprRows =
    exprFrames === null && aus !== null
      ? null
      : Array.from({ length: exprFrames ?? frames }, (_, f) => (random(f * 3) % 9) - 1);
  return { ...spec, auRows, exprRows };
}

function filesOf(spec: VideoSpec): InputFile[] {
  const files: InputFile[] = [];
  const write = (set: string, header: string, lines: string[]) => {
    let text = [header, ...lines].join(spec.eol);
    if (spec.finalNewline) text += spec.eol;
    const folder = spec.folder.replace('AU_Set', set);
    // UTF-16 is only read with its byte-order mark.
    const source =
      spec.encoding === 'utf-8' ? { bom: spec.bom } : { bom: true, encoding: spec.encoding };
    files.push({
      name: `${folder}/${spec.name}.txt`,
      bytes: encodeLike(text, source),
    });
  };
  if (spec.aus) {
    const aus = spec.aus;
    write(
      'AU_Set',
      aus.map((au) => `AU${au}`).join(','),
      spec.auRows.map((row) => (row ? row.join(',') : aus.map(() => '-1').join(','))),
    );
  }
  if (spec.exprRows) write('EXPR_Set', ABAW_EXPR_HEADER, spec.exprRows.map(String));
  return files;
}

describe('writeAbaw', () => {
  it('gives back the imported bytes of any set of videos, untouched (property)', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(videoSpec, { minLength: 1, maxLength: 4, selector: (v) => v.name }),
        (specs) => {
          const files = specs.map(materialize).flatMap(filesOf);
          const result = importLabelFiles(files);
          expect(result.format).toBe('abaw');
          expect(result.problems.filter((p) => p.severity === 'error')).toEqual([]);
          const written = writeAll(result);
          expect(written.map((f) => f.path).sort()).toEqual(files.map((f) => f.name).sort());
          for (const file of files)
            expect(written.find((f) => f.path === file.name)?.bytes).toEqual(file.bytes);
        },
      ),
      { numRuns: 150 },
    );
  });

  const au = textFile(
    'AU_Set/Train_Set/v.txt',
    `${ABAW_AU_HEADER}\n${['1,0,0,0,0,0,1,0,0,0,1,0', '0,0,0,0,0,0,0,0,0,0,0,0', '-1,-1,-1,-1,-1,-1,-1,-1,-1,-1,-1,-1', '0,1,0,0,0,0,0,0,0,0,0,1'].join('\n')}\n`,
  );
  const expr = textFile('EXPR_Set/Train_Set/v.txt', `${ABAW_EXPR_HEADER}\n4\n0\n-1\n6\n`);

  it('writes a dropped frame as a line of -1, never a missing line', () => {
    const result = importLabelFiles([au, expr]);
    const written = textOf(writeAll(result, new Int32Array([0, 3])));
    expect(written[au.name]).toBe(
      `${ABAW_AU_HEADER}\n1,0,0,0,0,0,1,0,0,0,1,0\n${'-1,'.repeat(11)}-1\n${'-1,'.repeat(11)}-1\n0,1,0,0,0,0,0,0,0,0,0,1\n`,
    );
    expect(written[expr.name]).toBe(`${ABAW_EXPR_HEADER}\n4\n-1\n-1\n6\n`);
  });

  it('writes corrected labels in the header columns, a null AU label as -1 everywhere', () => {
    const result = importLabelFiles([au, expr]);
    const labels = {
      classIds: result.table.classIds.slice(),
      auStatus: result.table.auStatus.slice(),
      auRaw: result.table.auRaw.slice(),
      auMask: result.table.auMask.slice(),
    };
    labels.classIds[0] = 7;
    labels.classIds[1] = -1;
    // AU 9 has no column in the header: it cannot be written.
    const [lo, hi] = auMaskWords(
      [4, 9, 26].map((n) => ({ raw: String(n), au: n, kind: 'AU', side: null, intensity: null })),
    );
    labels.auStatus[1] = AuStatus.coded;
    labels.auRaw[1] = '4+9+26';
    labels.auMask[2] = lo;
    labels.auMask[3] = hi;
    labels.auStatus[0] = AuStatus.null;
    labels.auRaw[0] = 'null';
    const written = textOf(writeAll(result, undefined, { ...result.table, ...labels }));
    expect(written[au.name]?.split('\n').slice(1, 3)).toEqual([
      `${'-1,'.repeat(11)}-1`,
      '0,0,1,0,0,0,0,0,0,0,0,1',
    ]);
    expect(written[expr.name]?.split('\n').slice(1, 3)).toEqual(['7', '-1']);
  });

  it('puts files of both sets given without folders each in its set folder', () => {
    const flatAu = { ...au, name: 'v.txt' };
    const flatExpr = { ...expr, name: 'C:\\v.txt' };
    const result = importLabelFiles([flatAu, flatExpr]);
    expect(writeAll(result).map((f) => f.path)).toEqual(['AU_Set/v.txt', 'EXPR_Set/v.txt']);
  });

  it('finds the frame of any `<video>/<number>.<ext>` name, and passes over other names', () => {
    const names = [
      'v/00002.jpg',
      'v/1.png',
      'v/x.jpg',
      'plain.jpg',
      'a/b/00001.jpeg',
      'v/000003.jpg',
    ];
    const table = { ...emptySampleTable(names.length), names: textColumnOf(names) };
    table.auStatus.fill(AuStatus.coded);
    table.auMask[0] = 1; // AU1 on v/00002.jpg
    table.classIds.fill(2);
    const written = writeAbaw({
      format: 'abaw',
      table,
      labels: table,
      kept: Int32Array.from(names, (_, i) => i),
      scheme: ABAW_EXPR_SCHEME,
      splitNames: {},
      sourceFiles: [],
    });
    expect(textOf(written)).toEqual({
      'AU_Set/v.txt': `${ABAW_AU_HEADER}\n${'0,'.repeat(11)}0\n1${',0'.repeat(11)}\n${'0,'.repeat(11)}0\n`,
      'EXPR_Set/v.txt': `${ABAW_EXPR_HEADER}\n2\n2\n2\n`,
      'AU_Set/a/b.txt': `${ABAW_AU_HEADER}\n${'0,'.repeat(11)}0\n`,
      'EXPR_Set/a/b.txt': `${ABAW_EXPR_HEADER}\n2\n`,
    });
  });

  it.each<[string, string]>([
    ['AU_Set\\Train_Set\\v.txt', 'AU_Set/Train_Set/v.txt'],
    ['/home/me/../AU_Set/./v.txt', 'home/me/AU_Set/v.txt'],
    ['C:/x/v.txt', 'x/v.txt'],
  ])('exportPath %s -> %s', (name, path) => {
    expect(exportPath(name)).toBe(path);
  });

  it('writes a dataset without ABAW sources as one file per video and set, by split', () => {
    const result = importLabelFiles([au, expr]);
    const written = writeAbaw({
      format: 'abaw',
      table: result.table,
      labels: result.table,
      kept: new Int32Array([0, 1, 2, 3]),
      scheme: result.scheme,
      splitNames: result.splitNames,
      sourceFiles: [],
    });
    expect(textOf(written)).toEqual(
      textOf([
        { path: au.name, bytes: au.bytes },
        { path: expr.name, bytes: expr.bytes },
      ]),
    );
    expect(textColumnToArray(result.table.names)[3]).toBe('v/00004.jpg');
  });
});
