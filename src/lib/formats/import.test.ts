import { describe, expect, it } from 'vitest';
import { HEAD_BYTES, fileHead } from './format';
import { detectFile } from './registry';
import { textColumnToArray } from '../labels/text-column';
import {
  importLabelFiles,
  importLabelStreams,
  MAX_WHOLE_FILE_BYTES,
  type ImportOptions,
  type LabelFileSource,
  type ReadProgress,
} from './import';
import { NO_EMOTION_SCHEME, RAFCE_SCHEME, RAFDB_BASIC_SCHEME } from '../labels/schemes';
import { readRafCe } from './raf-ce/read';
import { countAuTokens } from '../labels/report';
import { buildSampleTable, sampleRow } from '../labels/table';
import { describeRealRafCe, fixture, realRafCeFile, textFile } from '../labels/test-fixtures';
import { AuStatus, ParseReportSchema, SampleFlag, type InputFile } from '../labels/types';

const REAL_NAMES = ['RAFCE_emolabel.txt', 'RAFCE_AUlabel.txt', 'RAFCE_partition.txt'] as const;
const real = Object.fromEntries(REAL_NAMES.map((name) => [name, realRafCeFile(name)])) as Record<
  (typeof REAL_NAMES)[number],
  InputFile
>;

const CLASS_COUNTS = [676, 279, 171, 230, 120, 835, 195, 603, 36, 210, 977, 177, 11, 29];

describeRealRafCe('importLabelFiles on the real RAF-CE files', () => {
  const result = importLabelFiles([
    real['RAFCE_emolabel.txt'],
    real['RAFCE_AUlabel.txt'],
    real['RAFCE_partition.txt'],
  ]);
  const { report, table } = result;

  it('reads 4,549 samples with the measured counts', () => {
    expect(result.format).toBe('raf-ce');
    expect(result.scheme).toBe(RAFCE_SCHEME);
    expect(result.splitNames).toEqual({ 0: 'train', 1: 'test', 2: 'validation' });
    expect(table.count).toBe(4549);
    expect(report.samples).toBe(4549);
    expect(report.rowsRead).toBe(3 * 4549);
    expect(report.nullCount).toBe(251);
    expect(report.codedCount).toBe(4549 - 251);
    expect(report.absentCount).toBe(0);
    expect(report.splitCounts.map((s) => [s.split, s.name, s.count])).toEqual([
      [0, 'train', 2709],
      [1, 'test', 909],
      [2, 'validation', 931],
    ]);
    expect(report.classCounts.map((c) => c.count)).toEqual(CLASS_COUNTS);
    expect(report.classCounts.map((c) => c.name)).toEqual(RAFCE_SCHEME.classes.map((c) => c.name));
    expect(report.classCounts.reduce((sum, c) => sum + c.nullCount, 0)).toBe(251);
    expect(ParseReportSchema.parse(report)).toEqual(report);
  });

  it.each<[string, number, boolean]>([
    ['25', 2785, true],
    ['4', 1792, true],
    ['10', 1249, true],
    ['12', 1153, true],
    ['B22', 137, true],
    ['L12', 50, true],
    ['AD19', 1, true],
    ['t23', 1, true],
    ['RB18', 1, false],
    ['BL18', 1, false],
    ['L12L', 1, false],
  ])('token %s: %i, known %s', (token, count, known) => {
    expect(report.auTokens.find((t) => t.token === token)).toMatchObject({ count, known });
  });

  it('highlights exactly the three tokens outside the grammar', () => {
    expect(report.auTokens.filter((t) => !t.known).map((t) => t.token)).toEqual(
      expect.arrayContaining(['RB18', 'BL18', 'L12L']),
    );
    expect(report.auTokens.filter((t) => !t.known)).toHaveLength(3);
    expect(report.problemCounts).toEqual({ 'bad-au-token': 4 });
    expect(report.files.map((f) => [f.name, f.role, f.lines, f.accepted, f.rejected])).toEqual([
      ['RAFCE_emolabel.txt', 'emotion', 4549, 4549, 0],
      ['RAFCE_AUlabel.txt', 'au', 4549, 4549, 0],
      ['RAFCE_partition.txt', 'split', 4549, 4549, 0],
    ]);
  });

  it('fills the table columns', () => {
    expect(sampleRow(table, 0, result.scheme, result.splitNames)).toMatchObject({
      name: '0001.jpg',
      classId: 5,
      split: 0,
      auStatus: 'coded',
      auRaw: '1+4+25',
      aus: [1, 4, 25],
    });
    expect(sampleRow(table, 2)).toMatchObject({ auRaw: 'L12+24', aus: [12, 24] });
    let flagged = 0;
    for (let i = 0; i < table.count; i++)
      if (table.flags[i]! & SampleFlag.unknownAuToken) flagged++;
    expect(flagged).toBe(3);
  });

  it('keeps how each file was written', () => {
    expect(result.sourceFiles.map((f) => [f.name, f.role, f.finalNewline, f.lines])).toEqual([
      ['RAFCE_emolabel.txt', 'emotion', false, 4549],
      ['RAFCE_AUlabel.txt', 'au', true, 4549],
      ['RAFCE_partition.txt', 'split', false, 4549],
    ]);
  });

  const subsets = [
    [['RAFCE_emolabel.txt'], { classes: true, splits: false, aus: false }],
    [['RAFCE_AUlabel.txt'], { classes: false, splits: false, aus: true }],
    [['RAFCE_partition.txt'], { classes: false, splits: true, aus: false }],
    [['RAFCE_emolabel.txt', 'RAFCE_AUlabel.txt'], { classes: true, splits: false, aus: true }],
    [['RAFCE_partition.txt', 'RAFCE_emolabel.txt'], { classes: true, splits: true, aus: false }],
    [['RAFCE_AUlabel.txt', 'RAFCE_partition.txt'], { classes: false, splits: true, aus: true }],
  ] as const;
  it.each(subsets)('any subset works: %j', (names, has) => {
    const subset = importLabelFiles(names.map((name) => real[name]));
    expect(subset.format).toBe('raf-ce');
    expect(subset.table.count).toBe(4549);
    expect(subset.table.names).toEqual(table.names);
    expect(subset.problems.filter((p) => p.severity === 'error')).toEqual([]);
    const classes = subset.report.classCounts.filter((c) => c.classId >= 0).map((c) => c.count);
    expect(classes).toEqual(has.classes ? CLASS_COUNTS : CLASS_COUNTS.map(() => 0));
    expect(subset.report.nullCount).toBe(has.aus ? 251 : 0);
    expect(subset.report.absentCount).toBe(has.aus ? 0 : 4549);
    expect(subset.report.splitCounts.find((s) => s.split === 0)?.count).toBe(has.splits ? 2709 : 0);
  });

  it('accepts folder paths in the names', () => {
    const withFolders = importLabelFiles(
      REAL_NAMES.map((name) => ({ ...real[name], name: `RAF-CE/labels/${name}` })),
    );
    expect(withFolders.table.count).toBe(4549);
    expect(withFolders.report.files.map((f) => f.role)).toEqual(['emotion', 'au', 'split']);
  });
});

describe('detectFile (the registry), by content with the name as a hint', () => {
  const best = (name: string, text: string) => {
    const [first] = detectFile(fileHead(textFile(name, text)));
    return first ? { format: first.format, role: first.role, confidence: first.confidence } : null;
  };
  it.each<[string, string, ReturnType<typeof best>]>([
    [
      'RAFCE_emolabel.txt',
      '0001.jpg 5\n',
      { format: 'raf-ce', role: 'emotion', confidence: 'certain' },
    ],
    [
      'x/RAFCE_AUlabel.txt',
      '0001.jpg 1\n',
      { format: 'raf-ce', role: 'au', confidence: 'certain' },
    ],
    [
      'emotions.txt',
      '0001.jpg 5\n0002.jpg 13\n',
      { format: 'raf-ce', role: 'emotion', confidence: 'possible' },
    ],
    [
      'aus.txt',
      '0001.jpg 1+2+25\n0002.jpg null\n',
      { format: 'raf-ce', role: 'au', confidence: 'possible' },
    ],
    [
      'parts.txt',
      '0001.jpg 0\n0002.jpg 2\n',
      { format: 'raf-ce', role: 'split', confidence: 'possible' },
    ],
    [
      'RAFCE_emolabel.txt',
      'not labels at all\n',
      { format: 'raf-ce', role: 'emotion', confidence: 'likely' },
    ],
    [
      'EmoLabel/list_patition_label.txt',
      'train_1.jpg 1\n',
      { format: 'raf-db', role: 'combined', confidence: 'certain' },
    ],
    [
      'compound/EmoLabel/list_patition_label.txt',
      'train_1.jpg 1\n',
      { format: 'raf-db', role: 'combined', confidence: 'certain' },
    ],
    [
      'renamed.txt',
      'train_00001.jpg 5\ntest_0002.jpg 1\n',
      { format: 'raf-db', role: 'combined', confidence: 'likely' },
    ],
    [
      'labels.csv',
      'image,emotion\na.jpg,happy\n',
      { format: 'generic-table', role: 'combined', confidence: 'likely' },
    ],
    [
      'labels.txt',
      'file\tlabel\na.jpg\t1\n',
      { format: 'generic-table', role: 'combined', confidence: 'likely' },
    ],
    ['notes.txt', 'some notes\n', null],
    ['photo.jpg', 'not text', null],
  ])('%s: %j', (name, text, detected) => {
    expect(best(name, text)).toEqual(detected);
  });
});

describe('importLabelFiles on small files', () => {
  it('joins partial RAF-CE files and warns about each gap', () => {
    const result = importLabelFiles(
      ['RAFCE_partition.txt', 'RAFCE_AUlabel.txt', 'RAFCE_emolabel.txt'].map((name) =>
        fixture(`raf-ce-broken/join/${name}`),
      ),
    );
    expect(textColumnToArray(result.table.names)).toEqual([
      '0001.jpg',
      '0002.jpg',
      '0003.jpg',
      '0004.jpg',
    ]);
    expect([...result.table.classIds]).toEqual([5, 10, -1, -1]);
    expect([...result.table.auStatus]).toEqual([
      AuStatus.coded,
      AuStatus.null,
      AuStatus.coded,
      AuStatus.absent,
    ]);
    expect(result.problems.map((p) => [p.kind, p.severity, p.file, p.line, p.message])).toEqual([
      [
        'conflict',
        'warning',
        'raf-ce-broken/join/RAFCE_AUlabel.txt',
        2,
        "'0003.jpg' is not in raf-ce-broken/join/RAFCE_emolabel.txt: kept without an emotion label (class -1)",
      ],
      [
        'conflict',
        'warning',
        'raf-ce-broken/join/RAFCE_partition.txt',
        4,
        "'0004.jpg' is not in raf-ce-broken/join/RAFCE_emolabel.txt: kept without an emotion label (class -1)",
      ],
      [
        'conflict',
        'warning',
        'raf-ce-broken/join/RAFCE_partition.txt',
        4,
        "'0004.jpg' is not in raf-ce-broken/join/RAFCE_AUlabel.txt: its AUs are absent (neither coded nor null)",
      ],
    ]);
  });

  it('reports unknown files, files of another format and a second file of one role', () => {
    const result = importLabelFiles([
      textFile('readme.md', '# hello\n'),
      fixture('raf-ce-broken/duplicate/RAFCE_emolabel.txt'),
      fixture('raf-ce-broken/bom/RAFCE_emolabel.txt'),
      fixture('raf-db/basic/EmoLabel/list_patition_label.txt'),
    ]);
    expect(result.format).toBe('raf-ce');
    expect(textColumnToArray(result.table.names)).toEqual(['0001.jpg', '0002.jpg']);
    const fileProblems = result.problems.filter((p) => p.kind === 'unknown-file');
    expect(fileProblems.map((p) => [p.severity, p.file, p.line, p.field, p.message])).toEqual([
      [
        'error',
        'readme.md',
        0,
        'file',
        expect.stringMatching(
          /^not a label file this importer knows \(it reads RAF-CE, RAF-DB, .*Table with a header \(CSV\/TSV\)\); ignored$/,
        ),
      ],
      [
        'error',
        'raf-ce-broken/bom/RAFCE_emolabel.txt',
        0,
        'file',
        'a second RAF-CE emotion file; only raf-ce-broken/duplicate/RAFCE_emolabel.txt is read',
      ],
      [
        'error',
        'raf-db/basic/EmoLabel/list_patition_label.txt',
        0,
        'file',
        'a RAF-DB file (named list_patition_label.txt) in an import read as RAF-CE; ignored',
      ],
    ]);
    expect(result.problems.filter((p) => p.kind === 'duplicate-image')).toHaveLength(1);
  });

  it('nothing recognised: an empty table and problems, no exception', () => {
    const result = importLabelFiles([textFile('a.bin', 'x')]);
    expect(result.table.count).toBe(0);
    expect(result.scheme).toBe(NO_EMOTION_SCHEME);
    expect(result.problems.map((p) => p.kind)).toEqual(['unknown-file']);
    expect(ParseReportSchema.parse(result.report).samples).toBe(0);
  });

  it('an undecodable RAF-CE file is reported and the others still read', () => {
    const result = importLabelFiles([
      fixture('raf-ce-broken/binary/RAFCE_AUlabel.txt'),
      fixture('raf-ce-broken/bom/RAFCE_emolabel.txt'),
    ]);
    expect(result.table.count).toBe(2);
    expect(result.problems.map((p) => [p.kind, p.file])).toEqual([
      ['encoding', 'raf-ce-broken/binary/RAFCE_AUlabel.txt'],
    ]);
    expect(result.report.files.map((f) => [f.name, f.lines, f.accepted])).toEqual([
      ['raf-ce-broken/binary/RAFCE_AUlabel.txt', 0, 0],
      ['raf-ce-broken/bom/RAFCE_emolabel.txt', 2, 2],
    ]);
    expect(result.sourceFiles.map((f) => [f.name, f.bom])).toEqual([
      ['raf-ce-broken/bom/RAFCE_emolabel.txt', true],
    ]);
  });

  it.each<[string, string, string]>([
    ['raf-db/basic/EmoLabel/list_patition_label.txt', 'raf-db-basic', 'raf-db-basic'],
    ['raf-db/compound/EmoLabel/list_patition_label.txt', 'raf-db-compound', 'raf-db-compound'],
  ])('RAF-DB %s', (path, format, schemeId) => {
    const result = importLabelFiles([fixture(path)]);
    expect(result.format).toBe(format);
    expect(result.scheme.id).toBe(schemeId);
    expect(result.splitNames).toEqual({ 0: 'train', 1: 'test' });
    expect(result.sourceFiles.map((f) => f.role)).toEqual(['combined']);
  });

  it('RAF-DB: a forced format or scheme wins over the guess', () => {
    const path = 'raf-db/compound/EmoLabel/list_patition_label.txt';
    const forced = importLabelFiles([fixture(path)], { format: 'raf-db-basic' });
    expect(forced.scheme).toBe(RAFDB_BASIC_SCHEME);
    expect(forced.table.count).toBe(1);
    expect(importLabelFiles([fixture(path)], { schemeId: 'raf-db-basic' }).format).toBe(
      'raf-db-basic',
    );
  });

  it('generic CSV: mapping guessed, scheme and split names from the file', () => {
    const result = importLabelFiles([fixture('csv/labels.csv')]);
    expect(result.format).toBe('generic-csv');
    expect(result.csv).toEqual({
      file: 'csv/labels.csv',
      columns: ['file', 'expression', 'AUs', 'set', 'note'],
      mapping: { image: 'file', emotion: 'expression', au: 'AUs', split: 'set' },
    });
    expect(result.scheme.classes.map((c) => c.name)).toEqual([
      'Happily surprised',
      'sadly angry',
      'happy',
    ]);
    expect(result.splitNames).toEqual({ 0: 'train', 1: 'test', 2: 'validation' });
    expect(result.table.count).toBe(7);
    expect(result.report.problemCounts).toEqual({
      'bad-au-token': 1,
      'missing-value': 2,
      'column-count': 1,
      'duplicate-image': 1,
    });
  });

  it('generic CSV: the mapping and scheme given are used', () => {
    const result = importLabelFiles([fixture('csv/labels.csv')], {
      schemeId: 'raf-ce',
      csvMapping: { image: 'file', emotion: 'expression', au: null, split: null },
    });
    expect(result.scheme).toBe(RAFCE_SCHEME);
    expect(result.table.count).toBe(6);
    expect(result.report.absentCount).toBe(6);
    expect(result.csv?.mapping).toEqual({
      image: 'file',
      emotion: 'expression',
      au: null,
      split: null,
    });
  });

  it('generic CSV without an image column: a header problem, asked for or not', () => {
    const path = 'csv/no-image-column.csv';
    const guessed = importLabelFiles([fixture(path)]);
    expect(guessed.problems.map((p) => [p.kind, p.file, p.line, p.field])).toEqual([
      ['header', path, 1, 'image'],
    ]);
    // Taken on its extension alone: the screen asks what the file is.
    expect(guessed.detection.unsure).toMatch(/by content alone/);
    const forced = importLabelFiles([fixture(path)], { format: 'generic-csv' });
    expect(forced.table.count).toBe(0);
    expect(forced.problems.map((p) => [p.kind, p.file, p.line, p.field])).toEqual([
      ['header', path, 1, 'image'],
    ]);
  });

  it('matches images and puts the result in the table and report', () => {
    const result = importLabelFiles([fixture('raf-ce-broken/join/RAFCE_partition.txt')], {
      imageNames: [
        'aligned/0001_aligned.jpg',
        'aligned/0002_aligned.jpg',
        'aligned/0099_aligned.jpg',
      ],
    });
    expect([...result.table.flags]).toEqual([SampleFlag.hasImage, SampleFlag.hasImage, 0, 0]);
    expect(result.report).toMatchObject({
      imagesGiven: 3,
      imagesWithoutLabels: { count: 1, examples: ['aligned/0099_aligned.jpg'] },
      labelsWithoutImages: { count: 2, examples: ['0003.jpg', '0004.jpg'] },
      problemCounts: { unmatched: 3 },
    });
  });

  it('an unknown scheme id is a programming bug', () => {
    expect(() => importLabelFiles([], { schemeId: 'nope' })).toThrow(/unknown scheme id 'nope'/);
  });
});

describeRealRafCe('importLabelStreams', () => {
  /** A file as a stream of chunks of the given size, like File.stream(). */
  function chunked(file: InputFile, size: number): LabelFileSource {
    return {
      name: file.name,
      size: file.bytes.length,
      stream: () =>
        new ReadableStream<Uint8Array>({
          start(controller) {
            for (let at = 0; at < file.bytes.length; at += size) {
              controller.enqueue(file.bytes.slice(at, at + size));
            }
            controller.close();
          },
        }),
    };
  }

  const cases: [string, InputFile[], ImportOptions][] = [
    ['the real RAF-CE files', REAL_NAMES.map((name) => real[name]), {}],
    [
      'the real files, split file first',
      [real['RAFCE_partition.txt'], real['RAFCE_AUlabel.txt'], real['RAFCE_emolabel.txt']],
      {},
    ],
    [
      'RAF-CE files that disagree and miss images',
      ['RAFCE_emolabel.txt', 'RAFCE_AUlabel.txt', 'RAFCE_partition.txt'].map((name) =>
        fixture(`raf-ce-broken/join/${name}`),
      ),
      {},
    ],
    ['a RAF-DB list', [fixture('raf-db/basic/EmoLabel/list_patition_label.txt')], {}],
    ['a CSV', [fixture('csv/labels.csv')], {}],
    [
      'a binary file among RAF-CE files',
      [fixture('raf-ce-broken/binary/RAFCE_AUlabel.txt'), real['RAFCE_emolabel.txt']],
      {},
    ],
  ];

  it.each(cases)('%s: the same result as importLabelFiles', async (_name, files, options) => {
    const expected = importLabelFiles(files, options);
    for (const size of [files[0]?.bytes.length ?? 1, 4096, 777]) {
      const got = await importLabelStreams(
        files.map((file) => chunked(file, size)),
        options,
      );
      expect(got).toEqual(expected);
    }
  });

  it('reports bytes and rows read as it goes, ending at the whole', async () => {
    const files = REAL_NAMES.map((name) => real[name]);
    const seen: ReadProgress[] = [];
    await importLabelStreams(
      files.map((file) => chunked(file, 8192)),
      {},
      { onProgress: (progress) => seen.push(progress) },
    );
    const total = files.reduce((sum, file) => sum + file.bytes.length, 0);
    expect(seen.length).toBeGreaterThan(10);
    expect(seen.every((p) => p.bytesTotal === total)).toBe(true);
    expect(seen.at(-1)).toEqual({
      bytesRead: total,
      bytesTotal: total,
      rowsRead: 3 * 4549,
      filesDone: 3,
      filesTotal: 3,
    });
    for (let i = 1; i < seen.length; i++) {
      expect(seen[i]!.bytesRead).toBeGreaterThanOrEqual(seen[i - 1]!.bytesRead);
      expect(seen[i]!.rowsRead).toBeGreaterThanOrEqual(seen[i - 1]!.rowsRead);
      expect(seen[i]!.filesDone).toBeGreaterThanOrEqual(seen[i - 1]!.filesDone);
    }
    // Each file's end is told: 1, 2, 3 files done.
    expect([...new Set(seen.map((p) => p.filesDone))]).toEqual([0, 1, 2, 3]);
  });

  it('tells how many rows of a CSV are checked, after reading it', async () => {
    const lines = ['image,emotion'];
    for (let i = 0; i < 20_000; i++) lines.push(`${i}.jpg,${i % 3}`);
    const events: string[] = [];
    const result = await importLabelStreams(
      [chunked(textFile('labels.csv', lines.join('\n')), 65_536)],
      {},
      {
        onProgress: ({ bytesRead, bytesTotal }) =>
          events.push(bytesRead === bytesTotal ? 'read' : 'reading'),
        onRowsChecked: (done, total) => events.push(`checked ${done} of ${total}`),
      },
    );
    expect(result?.table.count).toBe(20_000);
    const checks = events.filter((event) => event.startsWith('checked'));
    expect(checks[0]).toBe('checked 0 of 20000');
    expect(checks.at(-1)).toBe('checked 20000 of 20000');
    expect(events.indexOf(checks[0] as string)).toBeGreaterThan(events.lastIndexOf('reading'));
  });

  it('stops reading and resolves with nothing when cancelled', async () => {
    const controller = new AbortController();
    let chunksRead = 0;
    const result = await importLabelStreams(
      REAL_NAMES.map((name) => chunked(real[name], 1024)),
      {},
      {
        signal: controller.signal,
        onProgress: () => {
          chunksRead++;
          if (chunksRead === 3) controller.abort();
        },
      },
    );
    expect(result).toBeNull();
    expect(chunksRead).toBe(3);
  });

  it('looks at the start of every file before parsing one, and lets go of the unread ones when cancelled', async () => {
    const controller = new AbortController();
    const events: string[] = [];
    // Each file twice over, so that it is longer than what detection looks at.
    const sources = REAL_NAMES.map((name) => {
      const once = real[name].bytes;
      const bytes = new Uint8Array(once.length * 2);
      bytes.set(once);
      bytes.set(once, once.length);
      return {
        name,
        size: bytes.length,
        stream: () => {
          let at = 0;
          return new ReadableStream<Uint8Array>({
            pull(stream) {
              if (at === 0) events.push(`start ${name}`);
              const end = Math.min(at + 1024, bytes.length);
              stream.enqueue(bytes.slice(at, end));
              at = end;
              if (at === bytes.length) {
                events.push(`end ${name}`);
                stream.close();
              }
            },
            cancel() {
              events.push(`cancel ${name}`);
            },
          });
        },
      };
    });
    let chunks = 0;
    const result = await importLabelStreams(
      sources,
      {},
      { signal: controller.signal, onProgress: () => ++chunks === 2 && controller.abort() },
    );
    expect(result).toBeNull();
    expect(events.slice(0, 3).sort()).toEqual(REAL_NAMES.map((name) => `start ${name}`).sort());
    expect(events.filter((event) => event.startsWith('end'))).toEqual([]);
    expect(events.filter((event) => event.startsWith('cancel')).sort()).toEqual(
      REAL_NAMES.map((name) => `cancel ${name}`).sort(),
    );
  });
});

describeRealRafCe('countAuTokens from the join ids', () => {
  it('counts the same tokens as reading every AU text', () => {
    const sources = REAL_NAMES.map((name) => {
      const role =
        name === 'RAFCE_AUlabel.txt' ? 'au' : name === 'RAFCE_emolabel.txt' ? 'emotion' : 'split';
      return { file: name, role, rows: readRafCe(real[name], role).rows } as const;
    });
    const joined = buildSampleTable(sources);
    const byIds = countAuTokens(joined.table, joined.auValues);
    expect(byIds).toEqual(countAuTokens(joined.table));
    expect(byIds.find((t) => t.token === 'RB18')).toMatchObject({ count: 1, known: false });
  });
});

describe('importLabelFiles with a problem on every line', () => {
  it('keeps every row and reports every problem, however many (no stack overflow)', () => {
    const n = 300_000;
    const emotion: string[] = [];
    const au: string[] = [];
    for (let i = 1; i <= n; i++) {
      const image = `${String(i).padStart(7, '0')}.jpg`;
      emotion.push(`${image} ${i % 14}`);
      // An odd token on every line, and every image missing from the split file.
      au.push(`${image} 1+RB18`);
    }
    const result = importLabelFiles([
      textFile('RAFCE_emolabel.txt', emotion.join('\n')),
      textFile('RAFCE_AUlabel.txt', au.join('\n')),
      textFile('RAFCE_partition.txt', '0000001.jpg 0\n'),
    ]);
    expect(result.table.count).toBe(n);
    expect(result.problems.filter((p) => p.kind === 'bad-au-token')).toHaveLength(n);
    expect(result.problems.filter((p) => p.field === 'image')).toHaveLength(n - 1);
    expect(result.report.problemCounts).toMatchObject({ 'bad-au-token': n, conflict: n - 1 });
    // 300,000 rows take seconds on a loaded machine: the default 5 s limit is not the point here.
  }, 60_000);
});

describe('importLabelStreams with a file too large to read whole', () => {
  it('refuses a CSV over the limit after its first bytes, names it, and still reads the other files', async () => {
    let pulled = 0;
    let cancelled = false;
    const row = new TextEncoder().encode('a.jpg,happy\n'.repeat(100));
    const huge = {
      name: 'labels.csv',
      size: MAX_WHOLE_FILE_BYTES + 1,
      stream: () =>
        new ReadableStream<Uint8Array>({
          start(stream) {
            stream.enqueue(new TextEncoder().encode('image,emotion\n'));
          },
          pull(stream) {
            pulled += row.length;
            if (pulled > 4 * HEAD_BYTES) throw new Error('a refused file must not be read whole');
            stream.enqueue(row);
          },
          cancel() {
            cancelled = true;
          },
        }),
    };
    const emotion = textFile('RAFCE_emolabel.txt', '0001.jpg 3\n');
    const small = {
      name: emotion.name,
      size: emotion.bytes.length,
      stream: () => new Blob([emotion.bytes as Uint8Array<ArrayBuffer>]).stream(),
    };
    const result = await importLabelStreams([huge, small]);
    // Its start only, to tell its format; then it is let go.
    expect(pulled).toBeLessThan(HEAD_BYTES + 2 * row.length);
    expect(cancelled).toBe(true);
    expect(result?.table.count).toBe(1);
    const problem = result?.problems.find((p) => p.kind === 'file-too-large');
    expect(problem).toMatchObject({ file: 'labels.csv', line: 0, severity: 'error' });
    expect(problem?.message).toMatch(/read whole, and at most 512 MiB is taken/);
  });
});
