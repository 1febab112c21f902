import { describe, expect, it } from 'vitest';
import { writeNpy } from '../../../tests/support/prediction-fixtures';
import { textFile } from '../labels/test-fixtures';
import type { InputFile } from '../labels/types';
import {
  auOfColumnName,
  parseAuList,
  readImageList,
  readTargetCell,
  readTargetCsv,
  readTargetDump,
  readTargetNpy,
  type TargetDumpRead,
} from './target-file';

const valuesOf = (read: TargetDumpRead) => Array.from(read.dump?.values ?? []);
const kindsOf = (read: TargetDumpRead) => read.problems.map((p) => `${p.kind}/${p.severity}`);

describe('auOfColumnName', () => {
  it.each([
    ['AU1', 1],
    ['AU12', 12],
    ['au_12', 12],
    ['12', 12],
    ['AU01_c', 1],
    ['AU12_r', 12],
    [' AU 6 ', 6],
    ['au-25', 25],
    ['AU64', 64],
    ['AU65', 65],
    ['AU12_target', 12],
    ['AU0', null],
    ['0', null],
    ['AU100', null],
    ['image', null],
    ['label', null],
    ['p_3', null],
    ['AU12_intensity_x', null],
  ])('%j is %j', (name, au) => {
    expect(auOfColumnName(name)).toBe(au);
  });
});

describe('parseAuList', () => {
  it.each([
    ['1,2,4,6,12', { aus: [1, 2, 4, 6, 12] }],
    ['AU1 AU2  AU25', { aus: [1, 2, 25] }],
    ['1; 2;4', { aus: [1, 2, 4] }],
    ['', { message: 'no AU numbers given' }],
    ['1,x', { message: "'x' is not an AU number" }],
    ['1,2,1', { message: 'AU 1 is given twice' }],
    ['1,70', { message: 'AU 70 is outside 1-64' }],
  ])('%j', (text, expected) => {
    expect(parseAuList(text)).toEqual(expected);
  });
});

describe('readTargetCell', () => {
  it.each([
    ['1', 1],
    ['0', 0],
    [' 0.75 ', 0.75],
    ['1.0', 1],
    ['3', 3],
    ['True', 1],
    ['false', 0],
    ['-1', NaN],
    ['-100', NaN],
    ['nan', NaN],
    ['NaN', NaN],
    ['', NaN],
  ])('%j reads as %d', (raw, value) => {
    expect(readTargetCell(raw)).toEqual({ value });
  });

  it.each([
    ['yes', "'yes' is not a number"],
    ['Infinity', "'Infinity' is not a finite number"],
    ['1,5', "'1,5' is not a number"],
  ])('%j is refused: %s', (raw, message) => {
    expect(readTargetCell(raw)).toEqual({ message });
  });
});

describe('readTargetCsv', () => {
  it('reads an image column and AU columns, masking -1 and NaN', () => {
    const read = readTargetCsv(
      textFile('t.csv', 'image,AU1,au_2,12\na.jpg,1,0,0.8\nb.jpg,-1,NaN,0\n'),
    );
    expect(read.problems).toEqual([]);
    expect(read.dump).toMatchObject({
      version: 1,
      fileNames: ['t.csv'],
      join: 'image',
      aus: [1, 2, 12],
      columnNames: ['AU1', 'au_2', '12'],
      rows: 2,
      images: ['a.jpg', 'b.jpg'],
    });
    expect(valuesOf(read)).toEqual([1, 0, expect.closeTo(0.8, 6), NaN, NaN, 0]);
    expect(Array.from(read.dump?.lines ?? [])).toEqual([2, 3]);
  });

  it('reads a TSV, quoted names with commas, and blank lines between rows', () => {
    const read = readTargetCsv(textFile('t.tsv', 'file\tAU4\n"a, b.jpg"\t1\n\nc.jpg\t0\n'));
    expect(read.dump?.images).toEqual(['a, b.jpg', 'c.jpg']);
    expect(Array.from(read.dump?.lines ?? [])).toEqual([2, 4]);
  });

  it('reads CRLF line ends and semicolons', () => {
    const read = readTargetCsv(textFile('t.csv', 'image;AU1;AU2\r\na.jpg;1;0\r\nb.jpg;0;1\r\n'));
    expect(read.problems).toEqual([]);
    expect(read.dump?.images).toEqual(['a.jpg', 'b.jpg']);
    expect(valuesOf(read)).toEqual([1, 0, 0, 1]);
  });

  it('reads rows by order without an image column, and says so', () => {
    const read = readTargetCsv(textFile('t.csv', 'AU1,AU2\n1,0\n0,1\n'));
    expect(read.dump).toMatchObject({ join: 'row-order', images: null, rows: 2 });
    expect(read.problems).toMatchObject([
      {
        kind: 'header',
        severity: 'warning',
        message: expect.stringContaining("row n is taken as the dataset's sample n"),
      },
    ]);
  });

  it('reads by row order when told, even with an image column, quietly', () => {
    const read = readTargetCsv(textFile('t.csv', 'image,AU1\na.jpg,1\n'), { imageColumn: null });
    expect(read.dump?.join).toBe('row-order');
    // The image column is then no AU and not read.
    expect(read.ignoredColumns).toEqual(['image']);
  });

  it('uses the image column it is told', () => {
    const read = readTargetCsv(textFile('t.csv', 'path,img,AU1\np/a.jpg,a.jpg,1\n'), {
      imageColumn: 'img',
    });
    expect(read.dump?.images).toEqual(['a.jpg']);
    expect(read.ignoredColumns).toEqual(['path']);
    const missing = readTargetCsv(textFile('t.csv', 'img,AU1\na.jpg,1\n'), { imageColumn: 'name' });
    expect(missing.dump).toBeNull();
    expect(missing.problems[0]?.message).toBe("the header has no column 'name'");
  });

  it.each([
    [
      'a column neither image nor AU',
      'image,emotion,AU1\na.jpg,3,1\n',
      ['header/warning'],
      "column 'emotion' named neither an image nor an AU: not read",
    ],
    [
      'an AU twice',
      'image,AU12,au_12\na.jpg,1,0\n',
      ['header/error'],
      "column 'au_12' is AU 12 again (column 'AU12' already is); this column is not compared",
    ],
    [
      'an AU past 64',
      'image,AU1,AU65\na.jpg,1,0\n',
      ['header/warning'],
      "column 'AU65' names AU 65, outside 1-64; the column is not compared",
    ],
    [
      'a row of the wrong width (rejected)',
      'image,AU1\na.jpg,1,0\nb.jpg,1\n',
      ['column-count/error'],
      '3 fields where the header has 2; row rejected',
    ],
    [
      'an image twice (later row rejected)',
      'image,AU1\na.jpg,1\na.jpg,0\n',
      ['duplicate-image/error'],
      "image 'a.jpg' already given on line 2; this row is rejected",
    ],
    [
      'a cell that is no number (masked)',
      'image,AU1\na.jpg,yes\n',
      ['missing-value/warning'],
      "'yes' is not a number; the cell is taken as masked",
    ],
    [
      'intensities',
      'image,AU1\na.jpg,4\n',
      ['missing-value/warning'],
      'targets go up to 4: read as intensities, an AU counted present from 0.5 up',
    ],
    [
      'no image name',
      'image,AU1\n,1\nb.jpg,0\n',
      ['missing-value/error'],
      'no image name; row rejected',
    ],
  ])('reports %s', (_, text, kinds, message) => {
    const read = readTargetCsv(textFile('t.csv', text));
    expect(kindsOf(read)).toEqual(kinds);
    expect(read.problems[0]?.message).toBe(message);
    expect(read.problems[0]?.file).toBe('t.csv');
    expect(read.dump).not.toBeNull();
  });

  it('keeps a row of the wrong width in place, masked, when joined by order', () => {
    const read = readTargetCsv(textFile('t.csv', 'AU1,AU2\n1,0\n1\n0,1\n'));
    expect(read.dump?.rows).toBe(3);
    expect(valuesOf(read)).toEqual([1, 0, NaN, NaN, 0, 1]);
    expect(read.problems.map((p) => [p.line, p.message])).toContainEqual([
      3,
      "1 fields where the header has 2; the row's targets are taken as masked",
    ]);
  });

  it.each([
    ['an empty file', new Uint8Array(0), 'the file is empty (0 bytes)'],
    [
      'a header alone',
      new TextEncoder().encode('image,AU1\n'),
      'no rows of targets under the header',
    ],
    [
      'no AU column',
      new TextEncoder().encode('image,label\na.jpg,3\n'),
      'no AU column in the header (looked for names such as AU1, AU12, au_12, AU01_c or 12)',
    ],
    ['binary junk', new Uint8Array([0x00, 0xff, 0xfe, 0x00, 0x41]), null],
  ])('reads nothing from %s, and says why', (_, bytes, message) => {
    const read = readTargetCsv({ name: 't.csv', bytes });
    expect(read.dump).toBeNull();
    const errors = read.problems.filter((p) => p.severity === 'error');
    expect(errors.length).toBeGreaterThan(0);
    if (message) expect(errors.at(-1)?.message).toBe(message);
  });
});

function npy(values: number[], shape: number[], name = 'targets.npy'): InputFile {
  return { name, bytes: writeNpy(values, shape) };
}

describe('readTargetNpy', () => {
  it('reads N x K with the AUs given and an image list', () => {
    const read = readTargetNpy(npy([1, 0, -1, 0.25, 1, 0], [3, 2]), {
      aus: [4, 12],
      imageList: textFile('images.txt', 'a.jpg\nb.jpg\r\nc.jpg\n'),
    });
    expect(read.problems).toEqual([]);
    expect(read.dump).toMatchObject({
      join: 'image',
      aus: [4, 12],
      columnNames: ['AU4', 'AU12'],
      rows: 3,
      images: ['a.jpg', 'b.jpg', 'c.jpg'],
      fileNames: ['targets.npy', 'images.txt'],
    });
    expect(valuesOf(read)).toEqual([1, 0, NaN, 0.25, 1, 0]);
    expect(Array.from(read.dump?.lines ?? [])).toEqual([1, 2, 3]);
  });

  it('reads one AU as a 1-D array, by row order without a list', () => {
    const read = readTargetNpy(npy([1, 0], [2]), { aus: [12] });
    expect(read.dump).toMatchObject({ join: 'row-order', images: null, rows: 2, aus: [12] });
  });

  it.each([
    [
      'no AU numbers',
      npy([1, 0], [1, 2]),
      {},
      'an .npy has no column names: give the AU number of each column, in order',
    ],
    ['an AU twice', npy([1, 0], [1, 2]), { aus: [1, 1] }, 'AU 1 is given twice'],
    [
      'more AUs than columns',
      npy([1, 0], [1, 2]),
      { aus: [1, 2, 4] },
      'the array has 2 columns but 3 AU numbers were given',
    ],
    [
      'three dimensions',
      npy([1, 0, 1, 0], [1, 2, 2]),
      { aus: [1, 2] },
      // Said by the .npy reader, or by this one if that reader lets it through.
      /3 dimensions|shape \(1, 2, 2\)/,
    ],
    [
      'an image list of another length',
      npy([1, 0], [2, 1]),
      { aus: [1], imageList: textFile('images.txt', 'a.jpg\n') },
      'the image list names 1 images but the array has 2 rows: rows and images cannot be paired',
    ],
    [
      'an image listed twice',
      npy([1, 0], [2, 1]),
      { aus: [1], imageList: textFile('images.txt', 'a.jpg\na.jpg\n') },
      "image 'a.jpg' already listed as row 1: rows and images cannot be paired one to one",
    ],
  ])('reads nothing with %s, and says why', (_, file, options, message) => {
    const read = readTargetNpy(file, options);
    expect(read.dump).toBeNull();
    if (typeof message === 'string') expect(read.problems.at(-1)?.message).toBe(message);
    else expect(read.problems.at(-1)?.message).toMatch(message);
  });

  it("passes on the .npy reader's problems (a truncated file)", () => {
    const whole = writeNpy([1, 0, 1, 0], [2, 2]);
    const read = readTargetNpy(
      { name: 'cut.npy', bytes: whole.subarray(0, whole.length - 3) },
      { aus: [1, 2] },
    );
    expect(read.dump).toBeNull();
    expect(read.problems.length).toBeGreaterThan(0);
    expect(read.problems[0]?.file).toBe('cut.npy');
  });

  it('masks infinite values and says how many', () => {
    const read = readTargetNpy(npy([1, Infinity, -Infinity, 0], [2, 2]), { aus: [1, 2] });
    expect(valuesOf(read)).toEqual([1, NaN, NaN, 0]);
    expect(read.problems).toMatchObject([
      { line: 1, field: 'AU2', message: '2 infinite values: taken as masked' },
    ]);
  });
});

describe('readTargetDump', () => {
  it('tells an .npy by its bytes, whatever its name, and a CSV otherwise', () => {
    const asNpy = readTargetDump(
      { name: 'targets.bin', bytes: writeNpy([1], [1, 1]) },
      { aus: [6] },
    );
    expect(asNpy.dump?.aus).toEqual([6]);
    const asCsv = readTargetDump(textFile('targets.txt', 'image,AU6\na.jpg,1\n'));
    expect(asCsv.dump?.images).toEqual(['a.jpg']);
  });
});

describe('readImageList', () => {
  it('takes one name per line, keeping paths, skipping blank lines with a warning', () => {
    const read = readImageList(textFile('list.txt', 'train/a.jpg\n\n b.jpg \n'));
    expect(read.images).toEqual(['train/a.jpg', 'b.jpg']);
    expect(read.problems.map((p) => [p.line, p.message])).toEqual([[2, 'blank line skipped']]);
  });
});
