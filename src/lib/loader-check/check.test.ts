import { describe, expect, it } from 'vitest';
import { auMaskWords, isNullAuValue, parseAuString } from '../labels/au';
import { emptySampleTable } from '../labels/table';
import { textColumnOf } from '../labels/text-column';
import { AuStatus, type SampleTable } from '../labels/types';
import {
  checkLoaderTargets,
  LoaderCheckSchema,
  MAX_EXAMPLES,
  type LoaderCheck,
  type LoaderFinding,
  type LoaderFindingKind,
} from './check';
import { TARGET_DUMP_VERSION, type TargetDump } from './target-file';

/** Label rows: image, AU value as a file writes it (undefined: no AU label), split. */
type Row = [string, string | undefined, number?];

function tableOf(rows: readonly Row[]): SampleTable {
  const table = {
    ...emptySampleTable(rows.length),
    names: textColumnOf(rows.map(([name]) => name)),
  };
  rows.forEach(([, au, split], i) => {
    table.splits[i] = split ?? 0;
    if (au === undefined) return;
    table.auRaw[i] = au;
    if (isNullAuValue(au)) {
      table.auStatus[i] = AuStatus.null;
      return;
    }
    table.auStatus[i] = AuStatus.coded;
    const [lo, hi] = auMaskWords(parseAuString(au).tokens);
    table.auMask[2 * i] = lo;
    table.auMask[2 * i + 1] = hi;
  });
  return table;
}

const LABELS: Row[] = [
  ['a01.jpg', '1+2+5'],
  ['a02.jpg', '4+7'],
  ['a03.jpg', '6+12'],
  ['a04.jpg', 'null'],
  ['a05.jpg', '1+4+15'],
  ['a06.jpg', '12+25'],
  ['a07.jpg', '2+5+26'],
  ['a08.jpg', '4'],
  ['a09.jpg', '6+12+25'],
  ['a10.jpg', 'null'],
  ['a11.jpg', '1+2+25+26'],
  ['a12.jpg', '9+17'],
  ['a13.jpg', '4+9+17+25'],
  ['a14.jpg', 'L12+R6'],
  ['a15.jpg', '15+17'],
  ['a16.jpg', '7+9'],
];
const TABLE = tableOf(LABELS);
const AUS = [1, 2, 4, 5, 6, 7, 9, 12, 15, 17, 25, 26];
const CODED = LABELS.filter(([, au]) => au !== 'null').length;

function has(table: SampleTable, s: number, au: number): boolean {
  const word = table.auMask[au <= 32 ? 2 * s : 2 * s + 1] as number;
  return ((word >>> (au <= 32 ? au - 1 : au - 33)) & 1) === 1;
}

/** Targets straight from the labels: 1/0 for coded samples, -1 for the rest. */
function labelRows(table: SampleTable, aus: readonly number[]): number[][] {
  return Array.from({ length: table.count }, (_, s) =>
    aus.map((au) => (table.auStatus[s] !== AuStatus.coded ? -1 : has(table, s, au) ? 1 : 0)),
  );
}

function dumpOf(
  rows: readonly (readonly number[])[],
  options: { aus?: readonly number[]; images?: string[] | null; names?: string[] } = {},
): TargetDump {
  const aus = [...(options.aus ?? AUS)];
  const values = new Float32Array(rows.length * aus.length);
  rows.forEach((row, r) =>
    row.forEach((value, j) => (values[r * aus.length + j] = value < 0 ? NaN : value)),
  );
  const images =
    options.images === undefined ? LABELS.slice(0, rows.length).map(([n]) => n) : options.images;
  return {
    version: TARGET_DUMP_VERSION,
    fileNames: ['targets.csv'],
    join: images ? 'image' : 'row-order',
    aus,
    columnNames: options.names ?? aus.map((au) => `AU${au}`),
    rows: rows.length,
    values,
    images,
    lines: Int32Array.from(rows, (_, r) => r + 2),
  };
}

function finding<K extends LoaderFindingKind>(
  check: LoaderCheck,
  kind: K,
): Extract<LoaderFinding, { kind: K }> | undefined {
  return check.findings.find((f) => f.kind === kind) as Extract<LoaderFinding, { kind: K }>;
}

const kinds = (check: LoaderCheck) => check.findings.map((f) => f.kind).sort();

function correct(): number[][] {
  return labelRows(TABLE, AUS);
}

describe('checkLoaderTargets: clean targets', () => {
  it.each([
    ['masked with -1', () => dumpOf(correct())],
    ['joined by row order', () => dumpOf(correct(), { images: null })],
    [
      'null samples left out',
      () => {
        const rows = correct();
        const kept = LABELS.flatMap(([name, au], s) => (au === 'null' ? [] : [[name, s] as const]));
        return dumpOf(
          kept.map(([, s]) => rows[s] as number[]),
          { images: kept.map(([name]) => name) },
        );
      },
    ],
    [
      'soft targets on the right side of 0.5',
      () => dumpOf(correct().map((row) => row.map((v) => (v < 0 ? v : v === 1 ? 0.9 : 0.2)))),
    ],
    [
      'image names with folders',
      () => dumpOf(correct(), { images: LABELS.map(([name]) => `train/aligned/${name}`) }),
    ],
  ])('%s: clean, no finding', (_, make) => {
    const check = checkLoaderTargets(TABLE, make());
    expect(check.findings).toEqual([]);
    expect(check.clean).toBe(true);
    expect(check.verdict).toMatch(
      /^The AU targets match the labels: 14 coded samples agree on 12 AU columns/,
    );
    expect(LoaderCheckSchema.parse(check)).toEqual(check);
  });
});

describe('all-zero-coded', () => {
  it('finds that no coded sample was read, in the sentence the researcher needs', () => {
    const rows = correct().map((row) => row.map((v) => (v < 0 ? v : 0)));
    const check = checkLoaderTargets(TABLE, dumpOf(rows));
    expect(kinds(check)).toEqual(['all-zero-coded']);
    const found = finding(check, 'all-zero-coded');
    expect(found).toMatchObject({ count: CODED, of: CODED, detail: { all: true } });
    expect(check.verdict).toBe(
      `The AU targets your training code used are all zero for the ${CODED} coded samples: the loader never read the AU labels.`,
    );
    expect(found?.examples[0]).toEqual({
      image: 'a01.jpg',
      line: 2,
      label: '1+2+5',
      expected: 'AU1 AU2 AU5',
      target: 'all 0',
      note: '',
    });
    expect(check.clean).toBe(false);
  });

  it.each([
    // zeroed coded rows, found?, all?
    [14, true, true],
    [8, true, false],
    [7, true, false],
    [6, false, false],
    [1, false, false],
  ])('%i of 14 coded rows zero: found %s (all %s)', (zeroed, found, all) => {
    const rows = correct();
    let left = zeroed;
    rows.forEach((row, s) => {
      if (left > 0 && TABLE.auStatus[s] === AuStatus.coded) {
        row.fill(0);
        left--;
      }
    });
    const check = checkLoaderTargets(TABLE, dumpOf(rows));
    const allZero = finding(check, 'all-zero-coded');
    expect(allZero !== undefined).toBe(found);
    if (allZero) expect(allZero).toMatchObject({ count: zeroed, of: 14, detail: { all } });
    // Fewer all-zero rows than half are ordinary differing rows.
    if (!found) {
      expect(kinds(check)).toEqual(['row-differs']);
      expect(finding(check, 'row-differs')?.count).toBe(zeroed);
    } else expect(finding(check, 'row-differs')).toBeUndefined();
  });

  it('is not claimed when every row is masked', () => {
    const rows = correct().map((row) => row.map(() => -1));
    const check = checkLoaderTargets(TABLE, dumpOf(rows));
    expect(finding(check, 'all-zero-coded')).toBeUndefined();
  });
});

describe('null-as-zero', () => {
  it.each([
    [
      'both null samples given 0',
      [0, 0],
      { zero: 2, nonZero: 0, masked: 0 },
      'were given 0 targets',
    ],
    [
      'one given 0, one masked',
      [0, -1],
      { zero: 1, nonZero: 0, masked: 1 },
      'were given 0 targets',
    ],
    ['one given an AU present', [1, -1], { zero: 0, nonZero: 1, masked: 1 }, 'AUs present'],
  ])('%s', (_, values, detail, words) => {
    const rows = correct();
    [3, 9].forEach((s, i) => (rows[s] as number[]).fill(values[i] as number));
    const check = checkLoaderTargets(TABLE, dumpOf(rows));
    expect(kinds(check)).toEqual(['null-as-zero']);
    const found = finding(check, 'null-as-zero');
    expect(found?.detail).toMatchObject(detail);
    expect(found?.count).toBe(detail.zero + detail.nonZero);
    expect(found?.of).toBe(2);
    expect(found?.sentence).toContain(words);
    expect(found?.examples[0]).toMatchObject({ label: 'null', expected: 'masked' });
  });

  it('counts samples without any AU label apart', () => {
    const table = tableOf([...LABELS, ['a17.jpg', undefined]]);
    const rows = [...labelRows(table, AUS)];
    (rows[16] as number[]).fill(0);
    const check = checkLoaderTargets(
      table,
      dumpOf(rows, { images: [...LABELS.map(([n]) => n), 'a17.jpg'] }),
    );
    expect(finding(check, 'null-as-zero')?.detail).toMatchObject({ zero: 1, withoutLabel: 1 });
    expect(finding(check, 'null-as-zero')?.sentence).toContain('samples without an AU label');
  });
});

/** Each column j holds the labels of column j + shift (0 past the edge). */
function shiftedColumns(shift: number): number[][] {
  return labelRows(TABLE, AUS).map((row) => row.map((v, j) => (v < 0 ? v : (row[j + shift] ?? 0))));
}

describe('column-shift', () => {
  it.each([1, -1, 2, -3])('finds columns shifted by %i', (shift) => {
    const check = checkLoaderTargets(TABLE, dumpOf(shiftedColumns(shift)));
    const found = finding(check, 'column-shift');
    expect(found?.detail.shift).toBe(shift);
    // On 14 samples a rare AU's column may fit too few rows to be sure of.
    expect(found?.count).toBeGreaterThanOrEqual(AUS.length - Math.abs(shift) - 1);
    expect(found?.detail.agreementAfter).toBe(1);
    expect(found?.detail.agreementBefore).toBeLessThan(0.6);
    for (const column of found?.detail.columns ?? []) {
      expect(column.holds).toBe(AUS[AUS.indexOf(column.au) + shift]);
    }
    expect(found?.sentence).toContain(`shift ${shift > 0 ? '+' : '−'}${Math.abs(shift)}`);
    expect(check.verdict).toMatch(/^Target columns do not hold the AUs they are named for/);
  });

  it('finds two columns swapped, and leaves them out of the row comparison', () => {
    const rows = correct().map((row) => {
      const copy = [...row];
      [copy[0], copy[7]] = [row[7] as number, row[0] as number]; // AU1 <-> AU12
      return copy;
    });
    const check = checkLoaderTargets(TABLE, dumpOf(rows));
    expect(kinds(check)).toEqual(['column-shift']);
    const found = finding(check, 'column-shift');
    expect(found?.detail.columns.map((c) => [c.column, c.holds, c.swappedWith])).toEqual([
      ['AU1', 12, 'AU12'],
      ['AU12', 1, 'AU1'],
    ]);
    expect(found?.detail.shift).toBeNull();
    expect(found?.sentence).toContain('columns AU1 and AU12 are swapped');
  });

  it('finds one column holding its neighbour, the rest right', () => {
    const rows = correct().map((row) => {
      const copy = [...row];
      copy[2] = row[3] as number; // AU4 holds AU5
      return copy;
    });
    const check = checkLoaderTargets(TABLE, dumpOf(rows));
    const found = finding(check, 'column-shift');
    expect(found?.detail.columns).toMatchObject([{ column: 'AU4', holds: 5, shift: 1 }]);
    expect(found?.examples[0]?.note).toMatch(/^read by the labels its columns hold: /);
  });

  it('is not claimed for the right columns or an empty one', () => {
    const rows = correct().map((row) => row.map((v, j) => (j === 4 && v >= 0 ? 0 : v)));
    const check = checkLoaderTargets(TABLE, dumpOf(rows));
    expect(finding(check, 'column-shift')).toBeUndefined();
    // An all-zero AU6 column is rows that differ.
    expect(finding(check, 'row-differs')?.detail.perAu).toEqual([
      { au: 6, column: 'AU6', falseZero: 3, falseOne: 0 },
    ]);
  });
});

describe('missing-column', () => {
  it('names a coded AU without a column, with its count; a warning when a rarer AU has one', () => {
    const aus = AUS.filter((au) => au !== 25); // AU25: 4 samples; AU26 (2) kept
    const check = checkLoaderTargets(TABLE, dumpOf(labelRows(TABLE, aus), { aus }));
    expect(kinds(check)).toEqual(['missing-column']);
    const found = finding(check, 'missing-column');
    expect(found).toMatchObject({
      severity: 'warning',
      detail: { missing: [{ au: 25, count: 4 }], extra: [] },
    });
    expect(found?.sentence).toBe(
      'The labels code 1 AU the targets have no column for: AU25 (4 samples).',
    );
    expect(found?.examples[0]).toMatchObject({ image: 'a06.jpg', note: 'no column for AU25' });
    expect(check.clean).toBe(false);
  });

  it('takes a subset of the most coded AUs as a choice (info, still clean)', () => {
    const aus = AUS.filter((au) => au !== 26);
    const check = checkLoaderTargets(TABLE, dumpOf(labelRows(TABLE, aus), { aus }));
    expect(finding(check, 'missing-column')).toMatchObject({
      severity: 'info',
      detail: { missing: [{ au: 26, count: 2 }] },
    });
    expect(check.clean).toBe(true);
  });

  it.each([
    ['never present', 0, 'info'],
    ['present in one row', 1, 'warning'],
  ])('names an extra column the labels never use (%s)', (_, present, severity) => {
    const aus = [...AUS, 43];
    const rows = labelRows(TABLE, aus).map((row, s) =>
      row.map((v, j) => (j === aus.length - 1 && s === 0 ? present : v)),
    );
    const check = checkLoaderTargets(TABLE, dumpOf(rows, { aus }));
    const found = finding(check, 'missing-column');
    expect(found?.severity).toBe(severity);
    expect(found?.detail.extra).toEqual([{ column: 'AU43', au: 43, present }]);
  });
});

describe('order-mismatch', () => {
  it.each([1, -1, 2, -3])('finds rows shifted by %i (row n holds sample n + k)', (k) => {
    const rows = correct();
    const shifted = rows.map((_, r) => rows[r + k] ?? AUS.map(() => -1));
    for (const images of [undefined, null] as const) {
      const check = checkLoaderTargets(TABLE, dumpOf(shifted, { images }));
      const found = finding(check, 'order-mismatch');
      expect(found?.detail).toMatchObject({ order: 'shifted', rowShift: k, agreementAfter: 1 });
      expect(found?.detail.agreementBefore).toBeLessThan(0.75);
      // The rest is compared in the order found: nothing else to say.
      expect(kinds(check)).toEqual(['order-mismatch']);
      expect(check.verdict).toMatch(/^The target rows are not in the labels' order/);
    }
  });

  it('finds targets in the order of the names sorted, when the labels are not', () => {
    const order = [5, 2, 14, 0, 11, 7, 9, 1, 13, 3, 15, 6, 10, 4, 12, 8];
    const table = tableOf(order.map((i) => LABELS[i] as Row));
    const rows = labelRows(table, AUS);
    const names = order.map((i) => (LABELS[i] as Row)[0]);
    const sorted = [...names.keys()].sort((a, b) => (names[a]! < names[b]! ? -1 : 1));
    const dump = dumpOf(
      sorted.map((s) => rows[s] as number[]),
      { images: null },
    );
    const check = checkLoaderTargets(table, dump);
    expect(finding(check, 'order-mismatch')?.detail).toMatchObject({ order: 'sorted-by-name' });
    expect(finding(check, 'order-mismatch')?.examples[0]?.note).toBe(
      'matches the labels of a01.jpg',
    );
    expect(kinds(check)).toEqual(['order-mismatch']);
  });

  it.each([
    ['labels in number order, targets sorted as text', 'natural', 'sorted-by-name'],
    ['labels sorted as text, targets in number order', 'text', 'sorted-naturally'],
  ])('%s', (_, labelOrder, order) => {
    const names = LABELS.map((_, i) => `${i + 1}.jpg`);
    const textOrder = [...names].sort();
    const labelNames = labelOrder === 'natural' ? names : textOrder;
    const dumpNames = labelOrder === 'natural' ? textOrder : names;
    const table = tableOf(labelNames.map((name, i) => [name, (LABELS[i] as Row)[1]]));
    const rows = labelRows(table, AUS);
    const dump = dumpOf(
      dumpNames.map((name) => rows[labelNames.indexOf(name)] as number[]),
      { images: null },
    );
    expect(finding(checkLoaderTargets(table, dump), 'order-mismatch')?.detail.order).toBe(order);
  });

  it('is not claimed for all-zero targets (no order fits better)', () => {
    const rows = correct().map((row) => row.map((v) => (v < 0 ? v : 0)));
    expect(finding(checkLoaderTargets(TABLE, dumpOf(rows)), 'order-mismatch')).toBeUndefined();
  });
});

describe('row-differs', () => {
  it('counts false 0 and false 1 per AU, most first, with examples', () => {
    const rows = correct();
    (rows[0] as number[])[0] = 0; // a01 AU1 labelled, target 0
    (rows[4] as number[])[0] = 0; // a05 AU1
    (rows[1] as number[])[11] = 1; // a02 AU26 not labelled, target 1
    const check = checkLoaderTargets(TABLE, dumpOf(rows));
    expect(kinds(check)).toEqual(['row-differs']);
    const found = finding(check, 'row-differs');
    expect(found).toMatchObject({ count: 3, of: 14, severity: 'warning' });
    expect(found?.detail.perAu).toEqual([
      { au: 1, column: 'AU1', falseZero: 2, falseOne: 0 },
      { au: 26, column: 'AU26', falseZero: 0, falseOne: 1 },
    ]);
    expect(found?.examples.map((e) => [e.image, e.expected, e.target])).toEqual([
      ['a01.jpg', 'AU1 AU2 AU5', 'AU2 AU5'],
      ['a02.jpg', 'AU4 AU7', 'AU4 AU7 AU26'],
      ['a05.jpg', 'AU1 AU4 AU15', 'AU4 AU15'],
    ]);
    expect(found?.sentence).toContain('2 AUs labelled present have target 0');
  });

  it('does not count a masked cell as a difference', () => {
    const rows = correct();
    (rows[0] as number[])[0] = -1;
    const check = checkLoaderTargets(TABLE, dumpOf(rows));
    expect(check.findings).toEqual([]);
  });

  it('lists at most MAX_EXAMPLES examples', () => {
    const rows = correct().map((row) => row.map((v) => (v < 0 ? v : 1 - v)));
    const check = checkLoaderTargets(TABLE, dumpOf(rows));
    expect(finding(check, 'row-differs')?.examples.length).toBeLessThanOrEqual(MAX_EXAMPLES);
  });
});

describe('the join', () => {
  it('counts rows naming no sample and samples without a row', () => {
    const rows = correct().slice(0, 10);
    const images = LABELS.slice(0, 10).map(([n]) => n);
    images[9] = 'z99.jpg';
    const check = checkLoaderTargets(TABLE, dumpOf(rows, { images }));
    expect(check.join).toEqual({
      by: 'image',
      rows: 10,
      matched: 9,
      unmatched: 1,
      unmatchedExamples: ['z99.jpg'],
      samplesWithoutRow: 7,
    });
  });

  it('says when nothing could be compared', () => {
    const check = checkLoaderTargets(
      TABLE,
      dumpOf(correct().slice(0, 2), { images: ['x.jpg', 'y.jpg'] }),
    );
    expect(check.clean).toBe(false);
    expect(check.verdict).toBe(
      'None of the 2 target rows names an image of this dataset (for example x.jpg, y.jpg): nothing was compared.',
    );
  });

  it('joins by row order within a split when told', () => {
    const table = tableOf(LABELS.map(([name, au], i) => [name, au, i % 2]));
    const train = LABELS.flatMap((_, s) => (s % 2 === 0 ? [s] : []));
    const rows = labelRows(table, AUS);
    const dump = dumpOf(
      train.map((s) => rows[s] as number[]),
      { images: null },
    );
    const check = checkLoaderTargets(table, dump, { split: 0 });
    // AU7 is coded in the other split only: an extra column, a note.
    expect(check.findings.map((f) => f.severity)).toEqual(['info']);
    expect(check.clean).toBe(true);
    expect(check.join.samplesWithoutRow).toBe(0);
    // Without the split, the rows pair with the wrong samples.
    expect(checkLoaderTargets(table, dump).clean).toBe(false);
  });
});
