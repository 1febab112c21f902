import { parseAuString } from '../../labels/au';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { recordsOf, textFile } from '../../labels/test-fixtures';
import { textColumnToArray } from '../../labels/text-column';
import type { InputFile, Problem, SourceFile } from '../../labels/types';
import type { FormatRead } from '../format';
import { frameImageName, frameOfImage } from '../frames';
import { parseAbawHeader, readAbaw, splitOfPath, videoOfPath } from './read';
import { ABAW_AU_HEADER, ABAW_EXPR_HEADER, ABAW_EXPR_SCHEME } from './scheme';
import { abawFixture } from './test-fixtures';

const read = (files: InputFile[], roles: SourceFile['role'][] = []) =>
  readAbaw({
    files: files.map((file, k) => ({ file, role: roles[k] ?? 'au' })),
    settings: {},
  });

const readOf = (result: FormatRead, role: SourceFile['role']) =>
  result.reads.find((r) => r.role === role)?.read;

const allProblems = (result: FormatRead): Problem[] => [
  ...result.problems,
  ...result.reads.flatMap((r) => r.read.problems),
];

const brief = ({ file, kind, severity, line, field, raw }: Problem) => ({
  file,
  kind,
  severity,
  line,
  field,
  raw,
});

const H = ABAW_AU_HEADER;
const E = ABAW_EXPR_HEADER;

describe('parseAbawHeader', () => {
  it.each<[string, ReturnType<typeof parseAbawHeader>]>([
    [H, { set: 'au', aus: [1, 2, 4, 6, 7, 10, 12, 15, 23, 24, 25, 26], exact: true }],
    ['AU12,AU1,AU25', { set: 'au', aus: [12, 1, 25], exact: false }],
    ['au01, AU4', { set: 'au', aus: [1, 4], exact: false }],
    [E, { set: 'emotion', exact: true }],
    [
      'neutral, anger,disgust,fear,happiness,sadness,surprise,other',
      { set: 'emotion', exact: false },
    ],
  ])('%s', (line, expected) => {
    expect(parseAbawHeader(line)).toEqual(expected);
  });

  it.each<[string, string, string]>([
    ['Frame,Valence', 'header', 'names no AU'],
    ['valence,arousal', 'header', 'names no AU'],
    ['AU1,Smile,AU12', 'column 2', "'Smile' is not an AU"],
    ['AU1,AU3', 'column 2', 'AU3 is not a FACS AU'],
    ['AU1,AU12,AU1', 'column 3', 'AU1 a second time'],
    ['AU1;AU2', 'header', 'names no AU'],
  ])('refuses %s (%s)', (line, field, message) => {
    const parsed = parseAbawHeader(line);
    expect(parsed).toMatchObject({ refused: { field } });
    expect('refused' in parsed && parsed.refused.message).toContain(message);
    expect('refused' in parsed && parsed.refused.message).toMatch(/; not read$/);
  });
});

describe('file names', () => {
  it.each<[string, string, number]>([
    ['AU_Set/Train_Set/1-30-1280x720.txt', '1-30-1280x720', 0],
    ['Annotations\\EXPR_Set\\Validation_Set\\video10-1.txt', 'video10-1', 1],
    ['abaw/AU_Set/train_set/118-30-640x480_right.TXT', '118-30-640x480_right', 0],
    ['AU_Set/Training_Set/x.txt', 'x', 0],
    ['AU_Set/Valid_Set/x.txt', 'x', 1],
    ['x.txt', 'x', -1],
    ['Train_Set.txt', 'Train_Set', -1],
    ['AU_Set/Test_Set/x.txt', 'x', -1],
  ])('%s: video %s, split %i', (path, video, split) => {
    expect(videoOfPath(path)).toBe(video);
    expect(splitOfPath(path)).toBe(split);
  });

  it.each<[string, number, string]>([
    ['video10-1', 1, 'video10-1/00001.jpg'],
    ['v', 99_999, 'v/99999.jpg'],
    ['v', 123_456, 'v/123456.jpg'],
  ])('frame %s %i is %s, and back', (video, frame, name) => {
    expect(frameImageName(video, frame)).toBe(name);
    expect(frameOfImage(name)).toEqual({ video, frame });
  });
});

describe('readAbaw on the fixtures (3 videos, AU and expression sets, two splits)', () => {
  const files = [
    'AU_Set/Train_Set/1-30-1280x720.txt',
    'AU_Set/Validation_Set/video10-1.txt',
    'AU_Set/Train_Set/118-30-640x480_right.txt',
    'EXPR_Set/Train_Set/1-30-1280x720.txt',
    'EXPR_Set/Validation_Set/video10-1.txt',
    'EXPR_Set/Train_Set/118-30-640x480_right.txt',
  ];
  const result = read(
    files.map(abawFixture),
    files.map((f) => (f.startsWith('AU') ? 'au' : 'emotion')),
  );
  const au = readOf(result, 'au');
  const emotion = readOf(result, 'emotion');
  const split = readOf(result, 'split');

  it('reads one read per set and one of splits, all naming the same frames', () => {
    expect(result.format).toBe('abaw');
    expect(result.scheme).toBe(ABAW_EXPR_SCHEME);
    expect(result.splitNames).toEqual({ 0: 'train', 1: 'validation' });
    expect(result.reads.map((r) => r.role)).toEqual(['au', 'emotion', 'split']);
    expect(au?.rows.names).toBe(emotion?.rows.names);
    expect(split?.rows.names).toBe(au?.rows.names);
    expect(allProblems(result)).toEqual([]);
  });

  it('names frames <video>/<n:05d>.jpg with their AU strings, class ids and splits', () => {
    const aus = recordsOf(au as NonNullable<typeof au>).map((r) => [r.image, r.line, r.au?.raw]);
    expect(aus).toEqual([
      ['1-30-1280x720/00001.jpg', 2, '1+12+25'],
      ['1-30-1280x720/00002.jpg', 3, '1+12+25'],
      ['1-30-1280x720/00003.jpg', 4, '0'],
      ['1-30-1280x720/00004.jpg', 5, 'null'],
      ['1-30-1280x720/00005.jpg', 6, '4+7'],
      ['video10-1/00001.jpg', 2, '6+10+12+25+26'],
      ['video10-1/00002.jpg', 3, '6+10+12+25+26'],
      ['video10-1/00003.jpg', 4, '0'],
      ['118-30-640x480_right/00001.jpg', 2, '1+2+25+26'],
      ['118-30-640x480_right/00002.jpg', 3, 'null'],
    ]);
    expect(Array.from(emotion?.rows.classIds ?? [])).toEqual([4, 4, 0, -1, 1, 7, 7, 6, 6, 2]);
    expect(Array.from(split?.rows.splits ?? [])).toEqual([0, 0, 0, 0, 0, 1, 1, 1, 0, 0]);
  });

  it('reads all 0 as coded with no AU, all -1 as null (not coded)', () => {
    const values = au?.rows.auValues ?? [];
    // FACS's 0, the neutral face: the same reading as the AU grammar's, no AU bit.
    expect(values.find((v) => v.raw === '0')?.parsed).toEqual(parseAuString('0'));
    expect(values.find((v) => v.raw === 'null')?.parsed.status).toBe('null');
    expect(values.find((v) => v.raw === '1+12+25')?.parsed.tokens.map((t) => t.au)).toEqual([
      1, 12, 25,
    ]);
  });

  it('keeps every file as the writer needs it, and lists it for the report', () => {
    expect(
      result.sourceFiles?.map((s) => [s.name, s.role, s.eol, s.finalNewline, s.lines]),
    ).toEqual([
      [files[0], 'au', '\n', true, 6],
      [files[1], 'au', '\r\n', true, 4],
      [files[2], 'au', '\n', true, 3],
      [files[3], 'emotion', '\n', true, 6],
      [files[4], 'emotion', '\r\n', true, 4],
      [files[5], 'emotion', '\n', false, 3],
    ]);
    expect(result.sourceFiles?.map((s) => s.header)).toEqual([H, H, H, E, E, E]);
    expect(result.reportFiles?.map((f) => [f.name, f.role, f.lines, f.accepted])).toEqual([
      [files[0], 'au', 5, 5],
      [files[1], 'au', 3, 3],
      [files[2], 'au', 2, 2],
      [files[3], 'emotion', 5, 5],
      [files[4], 'emotion', 3, 3],
      [files[5], 'emotion', 2, 2],
    ]);
  });
});

describe('readAbaw on broken files', () => {
  it.each<[string, Omit<Problem, 'file' | 'message'>[], RegExp[]]>([
    [
      'broken/no-au-header.txt',
      [
        {
          kind: 'header',
          severity: 'error',
          line: 1,
          field: 'header',
          raw: 'Frame,Valence,Arousal',
        },
      ],
      [/names no AU .*; not read$/],
    ],
    [
      'broken/mixed-header.txt',
      [{ kind: 'header', severity: 'error', line: 1, field: 'column 2', raw: 'Smile' }],
      [/'Smile' is not an AU/],
    ],
    [
      'broken/bad-au-values.txt',
      [
        { kind: 'bad-au-token', severity: 'error', line: 3, field: 'AU12', raw: '2' },
        {
          kind: 'column-count',
          severity: 'error',
          line: 4,
          field: 'line',
          raw: '1,0,0,0,0,0,1,0,0,0,1',
        },
        { kind: 'missing-value', severity: 'warning', line: 5, field: 'line', raw: '' },
        { kind: 'bad-au-token', severity: 'error', line: 8, field: 'AU26', raw: '0 ' },
        {
          kind: 'missing-value',
          severity: 'warning',
          line: 6,
          field: 'au',
          raw: '1,-1,0,0,0,0,1,0,0,0,-1,0',
        },
      ],
      [
        /AU12 value '2' is not 0, 1 or -1 .*; row rejected$/,
        /expected 12 values \(AU1,AU2,.*\), found 11; row rejected$/,
        /blank line: frame 4 .*; row skipped$/,
        /AU26 value '0 ' is not 0, 1 or -1/,
        /^2 frames have some AUs not annotated/,
      ],
    ],
    [
      'broken/bad-expr-values.txt',
      [
        { kind: 'unknown-class', severity: 'error', line: 3, field: 'expression', raw: '9' },
        { kind: 'column-count', severity: 'error', line: 4, field: 'line', raw: '4,5' },
        { kind: 'unknown-class', severity: 'error', line: 5, field: 'expression', raw: 'x' },
      ],
      [/'9' is not a class index .*; row rejected$/, /found 2; row rejected$/, /'x' is not/],
    ],
  ])('%s', (path, expected, messages) => {
    const file = abawFixture(path);
    const result = read([file], [path.includes('expr') ? 'emotion' : 'au']);
    const problems = allProblems(result);
    expect(problems.map(({ file, message: _, ...rest }) => [file, rest])).toEqual(
      expected.map((p) => [path, p]),
    );
    problems.forEach((problem, k) => expect(problem.message).toMatch(messages[k] as RegExp));
  });

  it('keeps the good frames of a broken file at their positions', () => {
    const result = read([abawFixture('broken/bad-au-values.txt')]);
    const au = readOf(result, 'au');
    expect(recordsOf(au as NonNullable<typeof au>).map((r) => [r.image, r.au?.raw])).toEqual([
      ['bad-au-values/00001.jpg', '1+12+25'],
      ['bad-au-values/00005.jpg', '1+12'],
      ['bad-au-values/00006.jpg', '25'],
    ]);
    expect(result.reportFiles).toEqual([
      { name: 'broken/bad-au-values.txt', role: 'au', lines: 6, accepted: 3 },
    ]);
    // Positional: the file keeps its 7 frames for the writer.
    expect(result.sourceFiles?.[0]?.lines).toBe(8);
  });

  it('reads the frames of an expression file with -1 as frames without a class', () => {
    const result = read([abawFixture('broken/bad-expr-values.txt')], ['emotion']);
    const emotion = readOf(result, 'emotion');
    expect(textColumnToArray(emotion?.rows.names ?? { text: '', ends: new Uint32Array() })).toEqual(
      ['bad-expr-values/00001.jpg', 'bad-expr-values/00005.jpg'],
    );
    expect(Array.from(emotion?.rows.classIds ?? [])).toEqual([4, -1]);
  });

  it('reads the second file of a video in one set not at all, and says so', () => {
    const first = textFile('AU_Set/Train_Set/v.txt', `${H}\n${'0,'.repeat(11)}1\n`);
    const second = textFile('AU_Set/Validation_Set/v.txt', `${H}\n${'1,'.repeat(11)}1\n`);
    const result = read([first, second]);
    expect(result.problems.map(brief)).toEqual([
      {
        file: second.name,
        kind: 'unknown-file',
        severity: 'error',
        line: 0,
        field: 'file',
        raw: second.name,
      },
    ]);
    expect(result.problems[0]?.message).toBe(
      `video 'v' is already read from ${first.name} (AU set); not read`,
    );
    expect(result.sourceFiles?.map((s) => s.name)).toEqual([first.name]);
    expect(readOf(result, 'au')?.rows.auValues.map((v) => v.raw)).toContain('26');
    expect(readOf(result, 'split')?.rows.splits).toEqual(new Int8Array([0]));
  });

  it('reports a video whose sets differ in frames or split once, and keeps every frame', () => {
    const au = textFile('AU_Set/Train_Set/v.txt', `${H}\n${`${'0,'.repeat(11)}1\n`.repeat(5)}`);
    const expr = textFile('EXPR_Set/Validation_Set/v.txt', `${E}\n4\n4\n4\n`);
    const result = read([expr, au], ['emotion', 'au']);
    expect(result.problems.map(brief)).toEqual([
      {
        file: expr.name,
        kind: 'conflict',
        severity: 'warning',
        line: 0,
        field: 'frames',
        raw: '5 / 3',
      },
      {
        file: expr.name,
        kind: 'conflict',
        severity: 'warning',
        line: 0,
        field: 'split',
        raw: '0 / 1',
      },
    ]);
    expect(result.problems[0]?.message).toBe(
      `video 'v' has 5 frames in ${au.name} but 3 in ${expr.name}; the frames past the shorter file have no label of its set`,
    );
    expect(result.problems[1]?.message).toMatch(
      /train split of the AU set .* validation split of the expression set; the AU set's split is kept$/,
    );
    expect(Array.from(readOf(result, 'emotion')?.rows.classIds ?? [])).toEqual([4, 4, 4, -1, -1]);
    expect(Array.from(readOf(result, 'split')?.rows.splits ?? [])).toEqual([0, 0, 0, 0, 0]);
  });

  it.each<[string, string | Uint8Array, string]>([
    ['empty', '', 'empty-file'],
    ['blank lines only', '\n\n  \n', 'empty-file'],
    ['a NUL byte', `${H}\n0,0\u0000\n`, 'encoding'],
    [
      'invalid UTF-8',
      new Uint8Array([...new TextEncoder().encode(`${E}\n`), 0xff, 0x0a]),
      'encoding',
    ],
    ['a lone CR in the header', `${H}\r0,0\n`, 'line-end'],
  ])('refuses a file with %s as a whole', (_, content, kind) => {
    const file =
      typeof content === 'string' ? textFile('x.txt', content) : { name: 'x.txt', bytes: content };
    // 'combined': the role is left to the header.
    const result = read([file], ['combined']);
    expect(allProblems(result).map((p) => [p.kind, p.line])).toEqual([
      [kind, kind === 'line-end' ? 1 : 0],
    ]);
    expect(result.sourceFiles).toEqual([]);
    expect(result.reads.every((r) => r.read.source === null)).toBe(true);
  });

  it('reads UTF-8 with a BOM and UTF-16 as the same frames, and keeps how they were written', () => {
    const text = `${E}\r\n3\r\n-1\r\n`;
    const utf16 = new Uint8Array(2 + 2 * text.length);
    utf16.set([0xff, 0xfe]);
    for (let k = 0; k < text.length; k++) utf16[2 + 2 * k] = text.charCodeAt(k);
    const bom = new Uint8Array([0xef, 0xbb, 0xbf, ...new TextEncoder().encode(text)]);
    for (const bytes of [utf16, bom]) {
      const result = read([{ name: 'v.txt', bytes }], ['emotion']);
      expect(allProblems(result)).toEqual([]);
      expect(Array.from(readOf(result, 'emotion')?.rows.classIds ?? [])).toEqual([3, -1]);
      expect(result.sourceFiles?.[0]).toMatchObject({
        bom: true,
        eol: '\r\n',
        header: E,
        lines: 3,
      });
      expect(result.sourceFiles?.[0]?.encoding).toBe(bytes === utf16 ? 'utf-16le' : undefined);
    }
  });

  it('reads a header that reorders or leaves out AUs by its own columns', () => {
    const file = textFile('v.txt', 'AU25,AU1,AU12\n1,1,0\n0,-1,1\n-1,-1,-1');
    const result = read([file]);
    const au = readOf(result, 'au');
    expect(recordsOf(au as NonNullable<typeof au>).map((r) => r.au?.raw)).toEqual([
      '1+25',
      '12',
      'null',
    ]);
    expect(allProblems(result).map((p) => [p.line, p.field])).toEqual([[3, 'au']]);
    expect(allProblems(result)[0]?.message).toMatch(/^1 frame has some AUs not annotated/);
  });

  it('refuses a file given a role its header contradicts', () => {
    const result = read([textFile('v.txt', `${E}\n1\n`)], ['au']);
    expect(allProblems(result).map((p) => [p.kind, p.line, p.field])).toEqual([
      ['header', 1, 'header'],
    ]);
  });
});

describe('readAbaw on anything', () => {
  it('never throws, and every problem names its file and a line of it (property)', () => {
    const piece = fc.constantFrom(
      '0',
      '1',
      '-1',
      ',',
      '\n',
      '\r\n',
      '\r',
      '2',
      ' ',
      'é',
      '\u0000',
      '',
      '-',
    );
    const header = fc.constantFrom(H, E, 'AU12,AU1', 'x', '', '\uFEFF' + H);
    const content = fc
      .tuple(header, fc.array(piece, { maxLength: 60 }))
      .map(([head, body]) => `${head}\n${body.join('')}`);
    fc.assert(
      fc.property(
        fc.array(content, { minLength: 1, maxLength: 3 }),
        fc.array(fc.constantFrom<SourceFile['role']>('au', 'emotion', 'combined'), {
          minLength: 3,
          maxLength: 3,
        }),
        (texts, roles) => {
          const files = texts.map((text, k) => textFile(`S${k % 2}/Train_Set/v${k}.txt`, text));
          const result = read(files, roles);
          const lines = new Map(texts.map((text, k) => [files[k]?.name, text.split('\n').length]));
          for (const problem of allProblems(result)) {
            expect(lines.has(problem.file)).toBe(true);
            expect(problem.line).toBeLessThanOrEqual(lines.get(problem.file) as number);
            expect(problem.field).not.toBe('');
          }
          expect(result.reportFiles).toHaveLength(files.length);
        },
      ),
      { numRuns: 300 },
    );
  });
});
