import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CROWD_EMOTIONS } from '../../label-evidence/crowd-file';
import { textColumnToArray } from '../../labels/text-column';
import { AuStatus, type InputFile, type Problem } from '../../labels/types';
import { fileHead, type LabelWriterInput } from '../format';
import { importLabelFiles, importLabelStreams, type ImportResult } from '../import';
import { detectFile, detectImport } from '../registry';
import { RAF_AU_FORMAT } from './index';
import { leadingEmotion, looksLikeRafMl } from './read';
import { RAFML_BASIC_SCHEME } from './scheme';

const FIXTURES = fileURLToPath(new URL('./fixtures/', import.meta.url));

function fixture(path: string, name = path): InputFile {
  return { name, bytes: new Uint8Array(readFileSync(join(FIXTURES, path))) };
}

function textFile(name: string, text: string): InputFile {
  return { name, bytes: new TextEncoder().encode(text) };
}

const where = (problems: readonly Problem[]) =>
  problems.map(({ file, line, kind, severity, field, raw, message }) => ({
    file,
    line,
    kind,
    severity,
    field,
    raw,
    message,
  }));

function writerInput(imported: ImportResult): LabelWriterInput {
  return {
    format: imported.format,
    table: imported.table,
    labels: imported.table,
    kept: Int32Array.from({ length: imported.table.count }, (_, i) => i),
    scheme: imported.scheme,
    splitNames: imported.splitNames,
    sourceFiles: imported.sourceFiles,
    csv: imported.csv,
  };
}

const AU_TEXT = '0001.jpg 1+2+25\n0002.jpg null\n0003.jpg 4+L12\n';
const SHARES_TEXT = '0001.jpg 0.70 0.20 0.00 0.05 0.05 0.00\n0002.jpg 0 0 0 1 0 0\n';

describe('RAF-AU detection', () => {
  it.each<[string, string, string | null, string | null]>([
    ['RAFAU_label.txt', AU_TEXT, 'au', 'certain'],
    ['RAF-AU/rafau_label.TXT', AU_TEXT, 'au', 'certain'],
    ['RAFAU_label.txt', '0001.jpg 3\n0002.jpg 5\n', 'au', 'likely'],
    ['renamed.txt', AU_TEXT, 'au', 'possible'],
    ['distribution.txt', SHARES_TEXT, 'emotion', 'possible'],
    [
      'crowd.txt',
      `image p_surprise p_fear p_disgust p_happy p_sad p_anger\n${SHARES_TEXT}`,
      'emotion',
      'possible',
    ],
    // RAF-CE's own name, RAF-DB's images, a third field: none is RAF-AU's.
    ['RAFCE_AUlabel.txt', AU_TEXT, null, null],
    ['list.txt', 'train_00001.jpg 1+2\ntest_00002.jpg null\n', null, null],
    ['renamed.txt', '0001.jpg 0.5 0.5 0 0 0\n', null, null],
  ])('%s: %j -> %s, %s', (name, text, role, confidence) => {
    const found = detectFile(fileHead(textFile(name, text))).find((d) => d.format === 'raf-au');
    expect(found?.role ?? null).toBe(role);
    expect(found?.confidence ?? null).toBe(confidence);
  });

  it('by content alone, RAF-CE fits the AU file as well: the import is unsure', () => {
    const detection = detectImport([fileHead(textFile('renamed.txt', AU_TEXT))]);
    expect(detection.format).toBe('raf-ce');
    expect(detection.unsure).toBe('read as RAF-CE, but RAF-AU would fit as well');
  });

  it('by its name, the AU file is RAF-AU with nothing unsure', () => {
    const detection = detectImport([
      fileHead(fixture('RAFAU_label.txt')),
      fileHead(fixture('distribution.txt')),
    ]);
    expect(detection.format).toBe('raf-au');
    expect(detection.unsure).toBeNull();
  });

  it.each<[string, boolean]>([
    ['0001.jpg 0.1 0.2 0.3 0.1 0.2 0.1', true],
    ['name surprise fear disgust happiness sadness anger\n0001.jpg 0 0 0 1 0 0', true],
    ['0001.jpg 0.1 0.2 0.3 0.1 0.2', false],
    ['0001.jpg 0.1 0.2 0.3 0.1 0.2 1.5', false],
    ['0001.jpg 0.1 0.2 0.3 0.1 0.2 -0', false],
    ['0001 0.1 0.2 0.3 0.1 0.2 0.1', false],
  ])('looksLikeRafMl(%j) is %s', (text, expected) => {
    expect(looksLikeRafMl(text.split('\n'))).toBe(expected);
  });
});

describe('leadingEmotion', () => {
  it.each<[number[], number]>([
    [[0.7, 0.2, 0, 0.05, 0.05, 0], 0],
    [[0, 0, 0.1, 0.8, 0.1, 0], 3],
    [[0.05, 0.05, 0.4, 0.05, 0.05, 0.4], -1],
    [[0, 0, 0, 0, 0, 1], 5],
  ])('%j -> %i', (shares, expected) => {
    expect(leadingEmotion(shares)).toBe(expected);
  });

  it('is the one largest share, or -1 when it is shared', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 40 }), { minLength: 6, maxLength: 6 }),
        (votes) => {
          const top = Math.max(...votes);
          const tops = votes.filter((v) => v === top).length;
          const leading = leadingEmotion(votes);
          if (tops > 1) expect(leading).toBe(-1);
          else expect(votes[leading]).toBe(top);
        },
      ),
    );
  });
});

describe('importLabelFiles with RAF-AU files', () => {
  it('reads RAFAU_label.txt alone as an AU-only dataset', () => {
    const result = importLabelFiles([fixture('RAFAU_label.txt')]);
    expect(result.format).toBe('raf-au');
    expect(result.detection.format).toBe('raf-au');
    expect(result.scheme.id).toBe('none');
    expect(result.problems).toEqual([]);
    expect(textColumnToArray(result.table.names)).toEqual([
      '0001.jpg',
      '0002.jpg',
      '0003.jpg',
      '0004.jpg',
      '0005.jpg',
    ]);
    expect(result.table.auRaw).toEqual(['1+2+25+26', 'null', '4+7+L12', '6+12+25', '1+4+15']);
    expect(Array.from(result.table.auStatus)).toEqual([2, 1, 2, 2, 2]);
    expect(Array.from(result.table.classIds)).toEqual([-1, -1, -1, -1, -1]);
    expect(result.report.files).toEqual([
      { name: 'RAFAU_label.txt', role: 'au', lines: 5, accepted: 5, rejected: 0 },
    ]);
  });

  it("gives each image RAF-ML's leading emotion; a tie gives none, with a warning", () => {
    const result = importLabelFiles([fixture('distribution.txt'), fixture('RAFAU_label.txt')]);
    expect(result.format).toBe('raf-au');
    expect(result.scheme).toBe(RAFML_BASIC_SCHEME);
    // The AU file's order, whichever file came first.
    expect(textColumnToArray(result.table.names)).toEqual([
      '0001.jpg',
      '0002.jpg',
      '0003.jpg',
      '0004.jpg',
      '0005.jpg',
    ]);
    expect(Array.from(result.table.classIds)).toEqual([0, 3, -1, 3, -1]);
    expect(result.table.auRaw[1]).toBe('null');
    expect(where(result.problems)).toEqual([
      {
        file: 'distribution.txt',
        line: 3,
        kind: 'missing-value',
        severity: 'warning',
        field: 'emotion',
        raw: '0003.jpg 0.05 0.05 0.40 0.05 0.05 0.40',
        message:
          "the largest share (0.4) is tied between disgust and anger; '0003.jpg' kept without an emotion label",
      },
      {
        file: 'distribution.txt',
        line: 5,
        kind: 'unmatched',
        severity: 'warning',
        field: 'image',
        raw: '0009.jpg',
        message: "image '0009.jpg' is not in the dataset; row skipped",
      },
    ]);
    expect(result.report.files).toEqual([
      { name: 'RAFAU_label.txt', role: 'au', lines: 5, accepted: 5, rejected: 0 },
      { name: 'distribution.txt', role: 'emotion', lines: 5, accepted: 3, rejected: 2 },
    ]);
    expect(result.report.classCounts.map((c) => [c.name, c.count])).toEqual([
      ['Surprise', 1],
      ['Fear', 0],
      ['Disgust', 0],
      ['Happiness', 2],
      ['Sadness', 0],
      ['Anger', 0],
      ['(no emotion label)', 2],
    ]);
  });

  it('streams the AU file and gives the same samples', async () => {
    const files = [fixture('RAFAU_label.txt'), fixture('distribution.txt')];
    const streamed = await importLabelStreams(
      files.map((file) => ({
        name: file.name,
        size: file.bytes.length,
        // In small chunks, so that the AU file's lines arrive cut.
        stream: () =>
          new ReadableStream<Uint8Array>({
            start(controller) {
              for (let at = 0; at < file.bytes.length; at += 7)
                controller.enqueue(file.bytes.slice(at, at + 7));
              controller.close();
            },
          }),
      })),
    );
    const whole = importLabelFiles(files);
    expect(streamed?.format).toBe('raf-au');
    expect(textColumnToArray(streamed?.table.names ?? whole.table.names)).toEqual(
      textColumnToArray(whole.table.names),
    );
    expect(streamed?.table.auRaw).toEqual(whole.table.auRaw);
    expect(Array.from(streamed?.table.classIds ?? [])).toEqual(Array.from(whole.table.classIds));
    expect(streamed?.problems).toEqual(whole.problems);
  });

  it('refuses RAF-ML shares without an AU file to lend them to', () => {
    const result = importLabelFiles([fixture('distribution.txt')], { format: 'raf-au' });
    expect(result.table.count).toBe(0);
    expect(where(result.problems)).toEqual([
      {
        file: 'distribution.txt',
        line: 0,
        kind: 'unknown-file',
        severity: 'error',
        field: 'file',
        raw: 'distribution.txt',
        message:
          "RAF-ML's shares give emotions to the images of RAFAU_label.txt, and none is in the import; not read",
      },
    ]);
  });
});

describe('RAF-AU broken files', () => {
  it('the AU file: problems as RAF-CE reports them, good rows kept', () => {
    const result = importLabelFiles([fixture('broken/RAFAU_label.txt', 'RAFAU_label.txt')]);
    expect(result.format).toBe('raf-au');
    expect(textColumnToArray(result.table.names)).toEqual(['0001.jpg', '0003.jpg', '0004.jpg']);
    expect(where(result.problems).map((p) => [p.line, p.kind, p.field, p.raw])).toEqual([
      [2, 'column-count', 'au', '0002.jpg'],
      [3, 'bad-au-token', 'au', 'RB18'],
      [4, 'duplicate-image', 'image', '0001.jpg'],
    ]);
  });

  it('the shares file: each bad row named by line and field, ties warned of', () => {
    const result = importLabelFiles([
      fixture('broken/RAFAU_label.txt', 'RAFAU_label.txt'),
      fixture('broken/distribution.txt', 'distribution.txt'),
    ]);
    const shares = result.problems.filter((p) => p.file === 'distribution.txt');
    expect(where(shares).map((p) => [p.line, p.kind, p.severity, p.field, p.raw])).toEqual([
      [1, 'missing-value', 'error', 'p_disgust', 'x'],
      [2, 'missing-value', 'error', 'line', '0002.jpg 0.5 0.3 0 0 0 0'],
      [3, 'missing-value', 'warning', 'emotion', '0003.jpg 0.2 0.2 0.2 0.2 0.1 0.1'],
      [4, 'column-count', 'error', 'line', '0004.jpg 0 0 0 1'],
    ]);
    expect(shares.map((p) => p.message).slice(1, 3)).toEqual([
      'shares sum to 0.8, not 1 (tolerance 0.02); row rejected',
      "the largest share (0.2) is tied between surprise and fear and disgust and happy; '0003.jpg' kept without an emotion label",
    ]);
    expect(Array.from(result.table.classIds)).toEqual([-1, -1, -1]);
  });
});

describe('RAF-AU export', () => {
  it('gives RAFAU_label.txt back byte for byte, and never distribution.txt', () => {
    const au = fixture('RAFAU_label.txt');
    const imported = importLabelFiles([au, fixture('distribution.txt')]);
    const files = RAF_AU_FORMAT.write(writerInput(imported));
    expect(files.map((f) => f.path)).toEqual(['RAFAU_label.txt']);
    expect(Buffer.from(files[0]?.bytes ?? []).equals(Buffer.from(au.bytes))).toBe(true);
    expect(RAF_AU_FORMAT.readmeName('raf-au')).toContain('distribution.txt');
  });

  it('writes RAFAU_label.txt for a dataset without source files', () => {
    const imported = importLabelFiles([fixture('RAFAU_label.txt')]);
    const files = RAF_AU_FORMAT.write({ ...writerInput(imported), sourceFiles: [] });
    expect(files.map((f) => f.path)).toEqual(['RAFAU_label.txt']);
    expect(new TextDecoder().decode(files[0]?.bytes)).toBe(
      new TextDecoder().decode(fixture('RAFAU_label.txt').bytes),
    );
  });

  const auToken = fc
    .tuple(
      fc.constantFrom('', 'L', 'R', 'B', 'T'),
      fc.constantFrom(1, 2, 4, 5, 6, 7, 9, 10, 12, 15, 17, 20, 25, 26, 43),
      fc.constantFrom('', 'A', 'C', 'E'),
    )
    .map(([side, au, intensity]) => `${side}${au}${intensity}`);
  const auValue = fc.oneof(
    fc.constant('null'),
    fc.array(auToken, { minLength: 1, maxLength: 5 }).map((tokens) => tokens.join('+')),
  );

  it('reads and writes back any RAF-AU file byte for byte (EOL, final newline, BOM, separator)', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.integer({ min: 1, max: 9999 }), { minLength: 1, maxLength: 30 }),
        fc.array(auValue, { minLength: 30, maxLength: 30 }),
        fc.constantFrom('\n', '\r\n'),
        fc.boolean(),
        fc.boolean(),
        fc.constantFrom(' ', '\t'),
        (numbers, values, eol, finalNewline, bom, separator) => {
          const lines = numbers.map(
            (n, k) => `${String(n).padStart(4, '0')}.jpg${separator}${values[k] as string}`,
          );
          const text = (bom ? '\uFEFF' : '') + lines.join(eol) + (finalNewline ? eol : '');
          const file = textFile('RAFAU_label.txt', text);
          const imported = importLabelFiles([file]);
          expect(imported.format).toBe('raf-au');
          expect(imported.problems).toEqual([]);
          expect(imported.table.auRaw).toEqual(values.slice(0, numbers.length));
          const statuses = values
            .slice(0, numbers.length)
            .map((v) => (v === 'null' ? AuStatus.null : AuStatus.coded));
          expect(Array.from(imported.table.auStatus)).toEqual(statuses);
          const [written] = RAF_AU_FORMAT.write(writerInput(imported));
          expect(Buffer.from(written?.bytes ?? []).equals(Buffer.from(file.bytes))).toBe(true);
        },
      ),
      { numRuns: 60 },
    );
  });

  it('gives every image with shares its leading emotion, whatever the shares', () => {
    const votes = fc
      .array(fc.integer({ min: 0, max: 10 }), { minLength: 6, maxLength: 6 })
      .filter((v) => v.some((n) => n > 0));
    fc.assert(
      fc.property(fc.array(votes, { minLength: 1, maxLength: 20 }), (rows) => {
        const images = rows.map((_, k) => `${String(k + 1).padStart(4, '0')}.jpg`);
        const au = textFile('RAFAU_label.txt', images.map((image) => `${image} 1+2`).join('\n'));
        const shares = textFile(
          'distribution.txt',
          rows
            .map((row, k) => {
              const sum = row.reduce((a, b) => a + b, 0);
              return `${images[k] as string} ${row.map((n) => (n / sum).toFixed(4)).join(' ')}`;
            })
            .join('\n'),
        );
        const imported = importLabelFiles([au, shares]);
        const expected = rows.map((row) => leadingEmotion(row));
        expect(Array.from(imported.table.classIds)).toEqual(expected);
        const ties = imported.problems.filter((p) => p.message.includes('is tied between'));
        expect(ties.map((p) => p.line)).toEqual(
          expected.flatMap((id, k) => (id < 0 ? [k + 1] : [])),
        );
        for (let k = 0; k < rows.length; k++)
          if ((expected[k] as number) >= 0)
            expect(RAFML_BASIC_SCHEME.classes[expected[k] as number]?.components).toEqual([
              CROWD_EMOTIONS[expected[k] as number],
            ]);
      }),
      { numRuns: 60 },
    );
  });
});
