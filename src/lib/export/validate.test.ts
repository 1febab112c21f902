import { unzipSync } from 'fflate';
import Papa from 'papaparse';
import { describe, expect, it } from 'vitest';
import { importLabelFiles } from '../formats/import';
import { textFile } from '../labels/test-fixtures';
import { AuStatus, type LabelScheme, type SourceFormat } from '../labels/types';
import { buildExportFiles, buildExportZip } from './bundle';
import { defaultExportPolicy, selectForExport } from './policy';
import { finalOf, tableFrom, type Row, type TestDecision } from './test-support';
import { labelChecker } from './validate';

const scheme: LabelScheme = {
  id: 't',
  name: 'test scheme',
  classes: [
    { id: 0, name: 'Happy', components: ['happy'] },
    { id: 1, name: 'Sad', components: ['sad'] },
  ],
};

describe('labelChecker: stored labels', () => {
  // [case, stored row, format, expected problem (a fragment) or null]
  it.each<[string, Row, SourceFormat, string | null]>([
    ['a sound sample', { name: 'a.jpg', classId: 1, split: 0, aus: '1+2' }, 'raf-ce', null],
    ['AU tokens outside the grammar, as imported', { classId: 0, aus: 't23+X9 ' }, 'raf-ce', null],
    ['no class where the original had none', { aus: '12' }, 'raf-ce', null],
    ['class id not in the scheme', { classId: 7, aus: '12' }, 'raf-ce', 'class id 7 is not in'],
    ['negative class id', { classId: -7, aus: '12' }, 'raf-ce', 'class id -7'],
    ['class id that wrapped in Int16', { classId: 40000, aus: '12' }, 'raf-ce', 'class id -25536'],
    ['split id below -1', { classId: 0, split: -7, aus: '12' }, 'raf-ce', 'split id -7'],
    [
      'AU text with a line feed',
      { classId: 0, aus: '1+2\nINJECTED_LINE.jpg 99' },
      'raf-ce',
      'U+000A',
    ],
    ['null AU text with a CR', { classId: 0, aus: 'null\r' }, 'raf-ce', 'U+000D'],
    ['AU text with U+2028', { classId: 0, aus: '1\u20282' }, 'generic-csv', 'U+2028'],
    ['image name with a space, RAF-CE', { name: 'a b.jpg', classId: 0 }, 'raf-ce', 'U+0020'],
    ['image name with a tab, RAF-DB', { name: 'a\tb.jpg', classId: 0 }, 'raf-db-basic', 'U+0009'],
    ['image name with a no-break space', { name: 'a\u00a0b.jpg', classId: 0 }, 'raf-ce', 'U+00A0'],
    ['image name with a space, CSV', { name: 'a b.jpg', classId: 0 }, 'generic-csv', null],
    ['image name with a tab, TSV', { name: 'a\tb.jpg', classId: 0 }, 'generic-csv', null],
    ['image name with a CR, CSV', { name: 'a\rb.jpg', classId: 0 }, 'generic-csv', 'U+000D'],
    ['image name with a NUL', { name: 'a\u0000.jpg', classId: 0 }, 'generic-csv', 'U+0000'],
    ['empty image name', { name: '', classId: 0 }, 'generic-csv', 'empty'],
  ])('%s', (_, row, format, expected) => {
    const table = tableFrom([{ name: 'ok.jpg', classId: 0, split: 0, aus: '1' }, row]);
    const check = labelChecker(table, table, { scheme, format });
    expect(check(0)).toBeNull();
    if (expected === null) expect(check(1)).toBeNull();
    else expect(check(1)).toContain(expected);
  });
});

describe('labelChecker: corrections', () => {
  const table = tableFrom([
    { name: 'a.jpg', classId: 0, split: 0, aus: '1+2' },
    { name: 'b.jpg', classId: 1, split: 0, aus: 't23+X9' },
  ]);
  // [case, decision on sample 0, expected problem (a fragment) or null]
  it.each<[string, Omit<TestDecision, 'sample' | 'kind'>, string | null]>([
    ['a class in the scheme', { classId: 1 }, null],
    ['an AU text in the grammar', { au: '4+L12B+AD19' }, null],
    ['null', { au: null }, null],
    ['class id 40000 (wraps to -25536)', { classId: 40000 }, 'class id -25536'],
    ['class id -7', { classId: -7 }, 'class id -7'],
    ['class id -1 where the original had one', { classId: -1 }, 'class was removed'],
    ['an injected line', { au: '1+2\nINJECTED_LINE.jpg 99' }, 'U+000A'],
    ['a formula', { au: '=cmd|calc' }, "token '=cmd|calc', outside the AU grammar"],
    ['a tab', { au: '1+\t2' }, 'U+0009'],
    ['an empty token', { au: '1++2' }, 'empty token'],
  ])('%s', (_, correction, expected) => {
    const final = finalOf(table, [{ sample: 0, kind: 'correct', ...correction }]);
    const check = labelChecker(table, final, { scheme, format: 'raf-ce' });
    // The untouched sample keeps its imported text, tokens outside the grammar included.
    expect(check(1)).toBeNull();
    if (expected === null) expect(check(0)).toBeNull();
    else expect(check(0)).toContain(expected);
  });

  it('an AU mask that does not match its text', () => {
    const final = finalOf(table, [{ sample: 0, kind: 'correct', au: '4' }]);
    final.auMask[0] = 1 << 11; // AU12, while the text says AU4
    expect(labelChecker(table, final, { scheme, format: 'raf-ce' })(0)).toContain('mask');
    const same = finalOf(table, [{ sample: 1, kind: 'accept' }]);
    same.auMask[2] = 1;
    expect(labelChecker(table, same, { scheme, format: 'raf-ce' })(1)).toContain('mask');
  });

  it('an AU value made absent where the original had one', () => {
    const final = finalOf(table);
    final.auStatus[0] = AuStatus.absent;
    expect(labelChecker(table, final, { scheme, format: 'raf-ce' })(0)).toContain('AU value');
  });
});

const enc = (text: string) => new TextEncoder().encode(text);
const dec = (bytes: Uint8Array | undefined) => new TextDecoder().decode(bytes);
const namesOf = (text: string) =>
  text
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => l.split(' ')[0]);

describe('a tampered store never corrupts the RAF-CE export', () => {
  const rows = Array.from({ length: 8 }, (_, i) => `${String(i + 1).padStart(4, '0')}.jpg`);
  const imported = importLabelFiles([
    textFile('RAFCE_emolabel.txt', rows.map((n, i) => `${n} ${i % 7}\n`).join('')),
    textFile('RAFCE_AUlabel.txt', rows.map((n) => `${n} 1+2\n`).join('')),
    textFile('RAFCE_partition.txt', rows.map((n, i) => `${n} ${i % 2}\n`).join('')),
  ]);
  const { table } = imported;
  // What a hand-edited review bundle put in the store.
  const decisions: TestDecision[] = [
    { sample: 1, kind: 'correct', au: '1+2\nINJECTED_LINE.jpg 99', reviewer: 'mallory' },
    { sample: 2, kind: 'correct', classId: 40000, reviewer: 'mallory' },
    { sample: 3, kind: 'correct', classId: -7, reviewer: 'mallory' },
    { sample: 4, kind: 'correct', classId: -25536 },
    { sample: 5, kind: 'correct', au: '=cmd|calc' },
    { sample: 6, kind: 'correct', classId: 3, au: '6+12' },
  ];
  const input = {
    dataset: 'tampered',
    format: imported.format,
    scheme: imported.scheme,
    splitNames: imported.splitNames,
    table,
    sourceFiles: imported.sourceFiles,
    final: finalOf(table, decisions),
    checkScore: null,
    policy: defaultExportPolicy(),
  };
  const entries = unzipSync(buildExportZip(input));
  const emotion = dec(entries['labels/RAFCE_emolabel.txt']);
  const au = dec(entries['labels/RAFCE_AUlabel.txt']);
  const split = dec(entries['labels/RAFCE_partition.txt']);

  it('the three label files list the same images in the same order', () => {
    const expected = [rows[0], rows[6], rows[7]];
    expect(namesOf(emotion)).toEqual(expected);
    expect(namesOf(au)).toEqual(expected);
    expect(namesOf(split)).toEqual(expected);
    expect(au).toBe(`${rows[0]} 1+2\n${rows[6]} 6+12\n${rows[7]} 1+2\n`);
  });

  it('nothing injected reaches a label file', () => {
    for (const text of [emotion, au, split]) {
      expect(text).not.toContain('INJECTED');
      expect(text).not.toContain('=cmd');
      expect(text).not.toMatch(/-\d/);
    }
    // And every file re-imports without an error.
    const again = importLabelFiles(
      ['RAFCE_emolabel.txt', 'RAFCE_AUlabel.txt', 'RAFCE_partition.txt'].map((name) => ({
        name,
        bytes: enc(dec(entries[`labels/${name}`])),
      })),
    );
    expect(again.problems.filter((p) => p.severity === 'error')).toEqual([]);
    expect(again.table.count).toBe(3);
  });

  it('the change log lists every sample left out, with why; the README counts them', () => {
    const log = Papa.parse<string[]>(dec(entries['changelog.csv']).trimEnd()).data.slice(1);
    const removed = log.filter((r) => r[2] === 'removed');
    expect(removed.map((r) => r[0])).toEqual(['1', '2', '3', '4', '5']);
    expect(removed[0]?.[5]).toMatch(/cannot be written safely.*line break.*U\+000A/);
    expect(removed[0]?.[6]).toBe('mallory');
    expect(removed[1]?.[5]).toContain('class id -25536 is not in');
    expect(removed[2]?.[5]).toContain('class id -7 is not in');
    expect(removed[4]?.[5]).toContain('outside the AU grammar');
    expect(dec(entries['README.txt'])).toMatch(/5 a stored label cannot be written safely/);
    const provenance = JSON.parse(dec(entries['provenance.json'])) as {
      summary: { byReason: Record<string, number> };
    };
    expect(provenance.summary.byReason['invalid-label']).toBe(5);
  });

  it('a selection made without the check is made again', () => {
    const unchecked = selectForExport(table, input.final, null, input.policy);
    expect(unchecked.keptCount).toBe(8);
    const { selection } = buildExportFiles({ ...input, selection: unchecked });
    expect(selection.keptCount).toBe(3);
    expect(selection.byReason['invalid-label']).toBe(5);
  });

  it('stored table labels are checked too, not only decisions', () => {
    const stored = tableFrom([
      { name: '0001.jpg', classId: 0, split: 0, aus: '1' },
      { name: '0002.jpg', classId: -7, split: 0, aus: '1' },
      { name: '0003.jpg', classId: 0, split: 0, aus: '2\nINJECTED_LINE.jpg 99' },
      { name: 'x y.jpg', classId: 0, split: 0, aus: '1' },
      { name: '0005.jpg', classId: 1, split: 1, aus: '4' },
    ]);
    const { files, selection } = buildExportFiles({
      ...input,
      scheme,
      splitNames: {},
      table: stored,
      sourceFiles: [],
      final: null,
    });
    expect(selection.invalid.map((x) => x.sample)).toEqual([1, 2, 3]);
    const labelFiles = files.filter((f) => f.path.startsWith('labels/'));
    expect(labelFiles).toHaveLength(3);
    for (const file of labelFiles) {
      expect(namesOf(dec(file.bytes))).toEqual(['0001.jpg', '0005.jpg']);
    }
  });
});
