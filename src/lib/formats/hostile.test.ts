import { describe, expect, it } from 'vitest';
import {
  readCsvHeader,
  readGenericCsv,
  MAX_CSV_COLUMNS,
  uniqueColumnNames,
} from './generic-table/csv';
import { fileHead } from './format';
import { importLabelFiles, importLabelStreams, type LabelFileSource } from './import';
import { detectFile } from './registry';
import { RafCeReader, readRafCe } from './raf-ce/read';
import { readRafDb } from './raf-db/read';
import { fixture, recordsOf, textFile } from '../labels/test-fixtures';
import { LongLineFilter, MAX_LINE_BYTES, MAX_UTF16_BYTES } from '../labels/text';
import type { Problem } from '../labels/types';

/**
 * Hostile and unlucky input (tests/fixtures/hostile): memory stays bounded whatever the
 * lines, and nothing is skipped or misread without a problem that says so.
 */

const LONG_LINE_MESSAGE = 'line longer than 1,048,576 bytes: skipped';
const where = (problems: readonly Problem[]) =>
  problems.map((p) => [p.kind, p.severity, p.line, p.message]);

const MB = 1 << 20;
/** Bytes held in array buffers now (what a reader that buffers a line would hold). */
const bufferBytes = () => process.memoryUsage().arrayBuffers;

/**
 * `0001.jpg ` and then `megabytes` MB of `x` on one line, then `tail`: handed out as the
 * same 4 MB chunk again and again, so that the test itself holds little.
 */
function* hugeLine(megabytes: number, tail: string): Generator<Uint8Array> {
  yield new TextEncoder().encode('0001.jpg ');
  const chunk = new Uint8Array(4 * MB).fill(0x78);
  for (let sent = 0; sent < megabytes; sent += 4) yield chunk;
  yield new TextEncoder().encode(tail);
}

describe('a line longer than MAX_LINE_BYTES', () => {
  it('is one problem in a streamed RAF-CE file, skipped without being held (200 MB)', () => {
    const reader = new RafCeReader('RAFCE_emolabel.txt', 'emotion');
    const before = bufferBytes();
    let most = 0;
    for (const chunk of hugeLine(200, ' 3\n0002.jpg 4\n')) {
      reader.push(chunk);
      most = Math.max(most, bufferBytes() - before);
    }
    // The old reader kept the whole line (200 MB and more) until its line feed.
    expect(most).toBeLessThan(32 * MB);
    const read = reader.finish();
    expect(where(read.problems)).toEqual([['line-too-long', 'error', 1, LONG_LINE_MESSAGE]]);
    expect(read.problems[0]?.raw).toBe(`0001.jpg ${'x'.repeat(31)}…`);
    expect(recordsOf(read).map((r) => [r.line, r.image, r.classId])).toEqual([[2, '0002.jpg', 4]]);
    expect(read.rowsRead).toBe(2);
    expect(read.source).toMatchObject({ lines: 2, finalNewline: true });
  });

  it('is the same problem when the line arrives whole in one piece', () => {
    const text = `0001.jpg 3\n0002.jpg ${'7'.repeat(MAX_LINE_BYTES)}\n0003.jpg 5`;
    const read = readRafCe(textFile('RAFCE_emolabel.txt', text), 'emotion');
    expect(where(read.problems)).toEqual([['line-too-long', 'error', 2, LONG_LINE_MESSAGE]]);
    expect(recordsOf(read).map((r) => r.line)).toEqual([1, 3]);
  });

  it('is the same problem at the very end of a file, without a line feed', () => {
    const reader = new RafCeReader('RAFCE_AUlabel.txt', 'au');
    reader.push(new TextEncoder().encode('0001.jpg 1+2\n'));
    for (const chunk of hugeLine(8, '')) reader.push(chunk);
    const read = reader.finish();
    expect(where(read.problems)).toEqual([['line-too-long', 'error', 2, LONG_LINE_MESSAGE]]);
    expect(read.source).toMatchObject({ lines: 2, finalNewline: false });
  });

  it('is one problem in a file read whole (RAF-DB, CSV), cut short as it streams in', async () => {
    const source = (name: string, head: string, tail: string): LabelFileSource => ({
      name,
      size: 200 * MB,
      stream: () => {
        const chunks = [new TextEncoder().encode(head), ...hugeLine(200, tail)];
        return new ReadableStream<Uint8Array>({
          pull(controller) {
            const next = chunks.shift();
            if (next) controller.enqueue(next);
            else controller.close();
          },
        });
      },
    });
    const before = bufferBytes();
    const rafDb = await importLabelStreams([
      source('list_patition_label.txt', 'train_1.jpg 1\n', '\ntest_2.jpg 2\n'),
    ]);
    expect(bufferBytes() - before).toBeLessThan(32 * MB);
    expect(where(rafDb?.problems ?? [])).toEqual([
      ['line-too-long', 'error', 2, LONG_LINE_MESSAGE],
    ]);
    expect(rafDb?.table.count).toBe(2);

    const csv = await importLabelStreams([
      source('labels.csv', 'image,emotion\na.jpg,1\n', '\nb.jpg,2\n'),
    ]);
    expect(where(csv?.problems ?? [])).toEqual([['line-too-long', 'error', 3, LONG_LINE_MESSAGE]]);
    expect(csv?.table.count).toBe(2);
    expect(csv?.report.files).toEqual([expect.objectContaining({ lines: 3, accepted: 2 })]);
  });

  it('LongLineFilter passes short lines on unchanged however the bytes are cut', () => {
    const text = new TextEncoder().encode('a 1\r\nbé 2\n\nc 3');
    for (const size of [1, 2, 3, 5, 64]) {
      const filter = new LongLineFilter();
      for (let at = 0; at < text.length; at += size) filter.push(text.subarray(at, at + size));
      expect(filter.bytes()).toEqual(text);
    }
  });

  it('LongLineFilter cuts a long line at a character boundary and keeps the lines after', () => {
    const long = 'é'.repeat(MAX_LINE_BYTES);
    const bytes = new TextEncoder().encode(`a 1\n${long}\nb 2\n`);
    for (const size of [bytes.length, 4093, 4 * MB]) {
      const filter = new LongLineFilter();
      for (let at = 0; at < bytes.length; at += size) filter.push(bytes.subarray(at, at + size));
      const text = new TextDecoder('utf-8', { fatal: true }).decode(filter.bytes());
      const lines = text.split('\n');
      expect(lines.length).toBe(4);
      expect(lines[0]).toBe('a 1');
      expect(new TextEncoder().encode(lines[1]).length).toBeGreaterThan(MAX_LINE_BYTES);
      expect(new TextEncoder().encode(lines[1]).length).toBeLessThan(MAX_LINE_BYTES + 8);
      expect(lines[2]).toBe('b 2');
    }
  });
});

describe('files read whole', () => {
  it('a UTF-16 file over MAX_UTF16_BYTES is refused as it streams in, not gathered', () => {
    const reader = new RafCeReader('RAFCE_AUlabel.txt', 'au');
    const chunk = new Uint8Array(4 * MB).fill(0x41);
    let more = reader.push(new Uint8Array([0xff, 0xfe]));
    for (let sent = 0; more && sent <= MAX_UTF16_BYTES; sent += chunk.length)
      more = reader.push(chunk);
    expect(more).toBe(false);
    expect(where(reader.finish().problems)).toEqual([
      ['encoding', 'error', 0, 'a UTF-16 file over 67,108,864 bytes is not read; save it as UTF-8'],
    ]);
  });

  it('a CSV of one long line says so, besides having no header', () => {
    const result = importLabelFiles([textFile('labels.csv', 'x'.repeat(MAX_LINE_BYTES + 1))]);
    expect(where(result.problems)).toEqual([
      ['line-too-long', 'error', 1, LONG_LINE_MESSAGE],
      ['header', 'error', 0, 'no header row: every row is empty'],
    ]);
  });
});

describe('lone carriage returns (classic Mac OS line ends)', () => {
  const message =
    'a carriage return (CR) without a line feed: lines ending in CR alone (classic Mac OS) ' +
    'are not read; save the file with LF or CR LF line ends';

  it('a RAF-CE file says so, not "expected 2 fields"', () => {
    const read = readRafCe(fixture('hostile/lone-cr/RAFCE_emolabel.txt'), 'emotion');
    expect(where(read.problems)).toEqual([['line-end', 'error', 1, `${message}; row rejected`]]);
    expect(read.problems[0]?.raw).toBe('0001.jpg 1\\r0002.jpg 2\\r0003.jpg 3');
  });

  it('a RAF-DB file says so', () => {
    const read = readRafDb(textFile('list_patition_label.txt', 'train_1.jpg 1\rtrain_2.jpg 2\r'));
    expect(where(read.problems)).toEqual([['line-end', 'error', 1, `${message}; row rejected`]]);
  });

  it('a CSV is refused, with the line of the first one', () => {
    const file = textFile('labels.csv', 'image,emotion\na.jpg,1\rb.jpg,2\r');
    expect(detectFile(fileHead(file))[0]?.format).toBe('generic-table');
    const result = importLabelFiles([file]);
    expect(where(result.problems)).toEqual([
      ['line-end', 'error', 2, `${message}; the file is not read`],
    ]);
  });
});

describe('class and split ids not written as plain numbers', () => {
  const nonCanonical = (what: string, raw: string) =>
    `${what} '${raw}' is not written as a plain number (no sign, no leading zeros), so an export could not give it back as written; row rejected`;

  it('RAF-CE: `03` and `+3` are refused, naming the text', () => {
    const read = readRafCe(fixture('hostile/non-canonical-ids/RAFCE_emolabel.txt'), 'emotion');
    expect(read.problems.map((p) => [p.line, p.kind, p.raw, p.message])).toEqual([
      [2, 'unknown-class', '03', nonCanonical('class id', '03')],
      [3, 'unknown-class', '+3', nonCanonical('class id', '+3')],
    ]);
    expect(recordsOf(read).map((r) => [r.line, r.classId])).toEqual([
      [1, 3],
      [4, 7],
    ]);
  });

  it('RAF-CE partition: `01` is refused', () => {
    const read = readRafCe(textFile('RAFCE_partition.txt', 'a.jpg 1\nb.jpg 01\n'), 'split');
    expect(read.problems.map((p) => [p.line, p.kind, p.message])).toEqual([
      [2, 'bad-split', nonCanonical('split id', '01')],
    ]);
  });

  it('RAF-DB: `+3` is refused', () => {
    const read = readRafDb(textFile('list_patition_label.txt', 'train_1.jpg 3\ntrain_2.jpg +3\n'));
    expect(read.problems.map((p) => [p.line, p.kind, p.raw, p.message])).toEqual([
      [2, 'unknown-class', '+3', nonCanonical('class id', '+3')],
    ]);
  });

  it('CSV with ids: `03` is refused; with names, `03` is a name like any other', () => {
    const mapping = { image: 'image', emotion: 'emotion', au: null, split: null };
    const ids = readGenericCsv(
      textFile('a.csv', 'image,emotion\na.jpg,3\nb.jpg,03\nc.jpg,4\n'),
      mapping,
    );
    expect(ids.problems.map((p) => [p.line, p.kind, p.message])).toEqual([
      [3, 'unknown-class', nonCanonical('class id', '03')],
    ]);
    const names = readGenericCsv(
      textFile('a.csv', 'image,emotion\na.jpg,happy\nb.jpg,sad\nc.jpg,03\n'),
      mapping,
    );
    expect(names.problems).toEqual([]);
  });
});

describe('CSV headers', () => {
  it('repeated column names are made unique for the mapping, and reported', () => {
    const header = readCsvHeader(fixture('hostile/repeated-columns.csv'));
    expect(header).toMatchObject({
      columns: ['image', 'image (2)', 'emotion', 'emotion (2)'],
      mapping: { image: 'image', emotion: 'emotion' },
    });
    const result = importLabelFiles([fixture('hostile/repeated-columns.csv')]);
    expect(result.csv?.columns).toEqual(['image', 'image (2)', 'emotion', 'emotion (2)']);
    expect(where(result.problems)).toEqual([
      [
        'header',
        'warning',
        1,
        "column names repeated or empty in the header; shown as 'image' as 'image (2)', 'emotion' as 'emotion (2)'",
      ],
    ]);
    expect(result.table.count).toBe(2);
    // Mapped to the repeat, the second column is read.
    const second = importLabelFiles([fixture('hostile/repeated-columns.csv')], {
      csvMapping: { image: 'image', emotion: 'emotion (2)', au: null, split: null },
    });
    expect(second.report.classCounts.map((c) => [c.name, c.count])).toEqual([
      ['sad', 1],
      ['happy', 1],
    ]);
  });

  it.each([
    [
      ['a', 'a', 'a'],
      ['a', 'a (2)', 'a (3)'],
    ],
    [
      ['a', 'a', 'a (2)'],
      ['a', 'a (2)', 'a (2) (2)'],
    ],
    [
      ['image', '', ''],
      ['image', '(column 2)', '(column 3)'],
    ],
    [
      ['x', 'y'],
      ['x', 'y'],
    ],
  ])('uniqueColumnNames(%j) is %j', (names, unique) => {
    expect(uniqueColumnNames(names)).toEqual(unique);
  });

  it('a header of 20,000 columns is refused with a message, not handed to the page', () => {
    const header = ['image', ...Array.from({ length: 19_999 }, (_, i) => `c${i}`)].join(',');
    const file = textFile('wide.csv', `${header}\n${header}\n`);
    expect(detectFile(fileHead(file))[0]?.format).toBe('generic-table');
    const result = importLabelFiles([file]);
    expect(result.csv).toBeNull();
    expect(where(result.problems)).toEqual([
      [
        'header',
        'error',
        1,
        `the header has 20,000 columns, more than the ${MAX_CSV_COLUMNS.toLocaleString('en')} this importer reads; the file is not read (save a copy with only the columns you need)`,
      ],
    ]);
  });
});
