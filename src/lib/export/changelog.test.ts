import Papa from 'papaparse';
import { describe, expect, it } from 'vitest';
import type { LabelScheme } from '../labels/types';
import { CHANGELOG_COLUMNS, writeChangelog } from './changelog';
import { ExportPolicySchema, selectForExport, type ExportPolicyInput } from './policy';
import { finalOf, tableFrom, type TestDecision } from './test-support';

const scheme: LabelScheme = {
  id: 't',
  name: 'test',
  classes: [
    { id: 0, name: 'Happy', components: ['happy'] },
    { id: 1, name: 'Sad', components: ['sad'] },
  ],
};

const table = tableFrom([
  { name: 'a.jpg', classId: 0, split: 0, aus: '12' },
  { name: 'b, "odd".jpg', classId: 1, split: 0, aus: 'null' },
  { name: 'c.jpg', classId: 1, split: 1, aus: '1+4' },
  { name: 'd.jpg', classId: 0, split: 1, aus: '6+12' },
  { name: 'e.jpg', classId: 0, split: 1, aus: 'null' },
  { name: 'f.jpg', classId: 0, split: 1, aus: '25' },
]);

const T = Date.UTC(2025, 0, 2, 3, 4, 5);
const decisions: TestDecision[] = [
  {
    sample: 0,
    kind: 'correct',
    classId: 1,
    au: '1+4+15',
    note: 'frown, "clearly", see\nline 2',
    at: T,
  },
  { sample: 1, kind: 'discard', note: 'not a face, cropped', reviewer: 'bo', at: T + 1000 },
  { sample: 2, kind: 'flag', flagReason: 'occluded', reviewer: 'cy', at: T + 2000 },
  { sample: 3, kind: 'accept', at: T + 3000 },
];
const final = finalOf(table, decisions);

function changelog(policyInput: ExportPolicyInput): string[][] {
  const policy = ExportPolicySchema.parse(policyInput);
  const csv = writeChangelog({
    dataset: 'd',
    format: 'raf-ce',
    scheme,
    splitNames: {},
    table,
    final,
    selection: selectForExport(table, final, null, policy),
    policy,
  });
  expect(csv.endsWith('\n')).toBe(true);
  const parsed = Papa.parse<string[]>(csv.slice(0, -1), { delimiter: ',' });
  expect(parsed.errors).toEqual([]);
  expect(parsed.data[0]).toEqual([...CHANGELOG_COLUMNS]);
  return parsed.data.slice(1);
}

const NOTE = 'frown, "clearly", see\nline 2';
const T0 = '2025-01-02T03:04:05.000Z';

describe('writeChangelog', () => {
  it.each<[string, ExportPolicyInput, string[][]]>([
    [
      'default policy',
      {},
      [
        ['0', 'a.jpg', 'class changed', 'Happy (0)', 'Sad (1)', NOTE, 'ana', T0],
        ['0', 'a.jpg', 'AU changed', '12', '1+4+15', NOTE, 'ana', T0],
        [
          '1',
          'b, "odd".jpg',
          'removed',
          '',
          '',
          'discarded by a reviewer; not a face, cropped',
          'bo',
          '2025-01-02T03:04:06.000Z',
        ],
        ['2', 'c.jpg', 'flagged', '', 'Occluded', '', 'cy', '2025-01-02T03:04:07.000Z'],
      ],
    ],
    [
      'corrections off, discarded kept, occluded dropped, null AU dropped',
      { applyCorrections: false, dropDiscarded: false, dropFlagged: ['occluded'], nullAu: 'drop' },
      [
        ['0', 'a.jpg', 'class change not applied', 'Happy (0)', 'Sad (1)', NOTE, 'ana', T0],
        ['0', 'a.jpg', 'AU change not applied', '12', '1+4+15', NOTE, 'ana', T0],
        ['1', 'b, "odd".jpg', 'removed', '', '', 'AU label is null (not coded)', '', ''],
        [
          '2',
          'c.jpg',
          'removed',
          '',
          '',
          'flagged with a reason the policy drops; Occluded',
          'cy',
          '2025-01-02T03:04:07.000Z',
        ],
        ['4', 'e.jpg', 'removed', '', '', 'AU label is null (not coded)', '', ''],
      ],
    ],
    [
      'a subset: the rest is removed, one row each',
      { subset: Int32Array.of(0, 3) },
      [
        ['0', 'a.jpg', 'class changed', 'Happy (0)', 'Sad (1)', NOTE, 'ana', T0],
        ['0', 'a.jpg', 'AU changed', '12', '1+4+15', NOTE, 'ana', T0],
        [
          '1',
          'b, "odd".jpg',
          'removed',
          '',
          '',
          'outside the exported filter or selection',
          '',
          '',
        ],
        ['2', 'c.jpg', 'removed', '', '', 'outside the exported filter or selection', '', ''],
        ['4', 'e.jpg', 'removed', '', '', 'outside the exported filter or selection', '', ''],
        ['5', 'f.jpg', 'removed', '', '', 'outside the exported filter or selection', '', ''],
      ],
    ],
  ])('%s', (_, policy, expected) => {
    expect(changelog(policy)).toEqual(expected);
  });

  it('quotes commas, quotes and newlines so every row keeps 8 fields', () => {
    const policy = ExportPolicySchema.parse({});
    const csv = writeChangelog({
      dataset: 'd',
      format: 'raf-ce',
      scheme,
      splitNames: {},
      table,
      final,
      selection: selectForExport(table, final, null, policy),
      policy,
    });
    expect(csv).toContain('"frown, ""clearly"", see\nline 2"');
    expect(csv).toContain('"b, ""odd"".jpg"');
    expect(changelog({}).every((row) => row.length === 8)).toBe(true);
  });

  it('a discard kept by the policy is logged as not applied', () => {
    const rows = changelog({ dropDiscarded: false });
    expect(rows.find((r) => r[0] === '1')?.slice(2, 6)).toEqual([
      'discard not applied',
      '',
      '',
      'the policy keeps discarded samples; not a face, cropped',
    ]);
  });
});

describe('writeChangelog: spreadsheet formulas', () => {
  const hostileScheme: LabelScheme = {
    id: 'h',
    name: 'hostile',
    classes: [
      { id: 0, name: '@Happy', components: ['happy'] },
      { id: 1, name: 'Sad', components: ['sad'] },
    ],
  };
  const hostileTable = tableFrom([
    { name: '=cmd|calc.jpg', classId: 0, split: 0, aus: '12' },
    { name: '+b.jpg', classId: 1, split: 0, aus: '4' },
  ]);
  const hostileFinal = finalOf(hostileTable, [
    { sample: 0, kind: 'correct', au: '1+4', note: '=HYPERLINK("http://x")', reviewer: '-eve' },
    { sample: 1, kind: 'discard', note: '\t=1+1', reviewer: '@bob' },
  ]);
  const policy = ExportPolicySchema.parse({});
  const csv = writeChangelog({
    dataset: 'd',
    format: 'raf-ce',
    scheme: hostileScheme,
    splitNames: {},
    table: hostileTable,
    final: hostileFinal,
    selection: selectForExport(hostileTable, hostileFinal, null, policy),
    policy,
  });

  it('neutralises image names, notes and reviewers that start like a formula', () => {
    const rows = Papa.parse<string[]>(csv.trimEnd(), { delimiter: ',' }).data.slice(1);
    expect(rows).toEqual([
      ['0', "'=cmd|calc.jpg", 'AU changed', '12', '1+4', `'=HYPERLINK("http://x")`, "'-eve", T0],
      [
        '1',
        "'+b.jpg",
        'removed',
        '',
        '',
        'discarded by a reviewer; \t=1+1',
        "'@bob",
        '2025-01-02T03:04:06.000Z',
      ],
    ]);
    expect(csv).toContain(`"'=cmd|calc.jpg"`);
  });
});
