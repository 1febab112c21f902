import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { REFERENCE_HALLMARKS, REFERENCE_RARELY } from './builtin';
import { checkTable, VERDICTS, type CheckColumns } from './check';
import {
  ALL_SAMPLES_FILTER,
  applyFilter,
  SampleFilterSchema,
  SavedFilterSchema,
  type IssueColumns,
  type SampleFilterInput,
} from './filter';
import { RuleSetSchema } from './schema';
import { groupFrames } from '../labels/groups';
import { textColumnOf } from '../labels/text-column';
import { comparatorSort, tableOf } from './test-support';

const rules = RuleSetSchema.parse({
  version: 1,
  id: 't',
  name: 't',
  source: '',
  schemeId: 't',
  classes: [
    {
      classId: 0,
      required: [1, 2, 12, 25],
      anyOf: [],
      variants: [],
      discouragedPairs: [],
      components: [],
    },
    {
      classId: 1,
      required: [4, 15],
      anyOf: [],
      variants: [],
      discouragedPairs: [],
      components: [],
    },
  ],
  hallmarks: REFERENCE_HALLMARKS,
  together: [],
  rarely: REFERENCE_RARELY,
  settings: { minClassSamples: 1, priorBlend: 0 },
});

const table = tableOf([
  { classId: 0, aus: [1, 2, 12, 25], split: 0 }, // 0 fits, score 1
  { classId: 0, aus: [1, 12, 25], split: 1 }, // 1 fits, 0.75, required-missing
  { classId: 0, aus: [12], split: 0 }, // 2 atypical, 0.25
  { classId: 0, aus: null, split: 2 }, // 3 not coded
  { classId: 1, aus: [4, 15], split: 0 }, // 4 fits, 1
  { classId: 1, aus: [1, 2, 12, 25], split: 1 }, // 5 atypical, 0: labelled 1, looks like 0
  { classId: 1, aus: [4, 12, 15], split: 2 }, // 6 atypical (rare 12+15), 0.9
  { classId: 1, split: 0 }, // 7 absent
  { classId: 5, aus: [4], split: 0 }, // 8 no rule
  { classId: 0, aus: [1, 2, 12, 25, 26, 27], split: 1 }, // 9 breaks FACS (26+27), 1
]);
const check = checkTable(table, rules);
/**
 * What the label evidence would say, by hand (LabelFlag codes: 0 none, 1 likely
 * mislabelled, 2 insufficient data, 3 not scored): 5 and 2 are flagged, 6 is in a class
 * too small to flag; rank is the worst-first place of the scored samples.
 */
const issues: IssueColumns = {
  flagged: Uint8Array.from([0, 0, 1, 3, 0, 1, 2, 3, 3, 0]),
  rank: Float32Array.from([5, 3, 1, NaN, 6, 0, 2, NaN, NaN, 4]),
};

function run(partial: Omit<SampleFilterInput, 'version'>): number[] {
  return Array.from(
    applyFilter(table, check, issues, SampleFilterSchema.parse({ version: 1, ...partial })),
  );
}

describe('applyFilter', () => {
  it('sanity: the table checks as the comments say', () => {
    expect(Array.from(check.verdict, (v) => VERDICTS[v])).toEqual([
      'fits',
      'fits',
      'atypical',
      'not-coded',
      'fits',
      'atypical',
      'atypical',
      'not-coded',
      'no-rule',
      'breaks-facs',
    ]);
  });

  it.each<[string, Omit<SampleFilterInput, 'version'>, number[]]>([
    ['everything', {}, [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]],
    ['one verdict', { verdicts: ['atypical'] }, [2, 5, 6]],
    ['breaking FACS', { verdicts: ['breaks-facs'] }, [9]],
    ['several verdicts', { verdicts: ['breaks-facs', 'not-coded'] }, [3, 7, 9]],
    [
      "the old 'fails' and 'suspect' find the atypical",
      { verdicts: ['fails', 'suspect'] },
      [2, 5, 6],
    ],
    ['a reason', { reasons: ['rare-pair'] }, [6]],
    ['an exclusive pair', { reasons: ['exclusive-pair'] }, [9]],
    ['any of several reasons', { reasons: ['rare-pair', 'null-au'] }, [3, 6, 7]],
    [
      'a tolerated absence is still findable',
      { reasons: ['required-missing'], verdicts: ['fits'] },
      [1],
    ],
    ['a score range, bounds included', { score: { min: 0.25, max: 0.9 } }, [1, 2, 6]],
    ['a score range never matches NaN', { score: { min: 0, max: 1 } }, [0, 1, 2, 4, 5, 6, 9]],
    ['classes', { classIds: [1, 5] }, [4, 5, 6, 7, 8]],
    ['splits', { splits: [1, 2] }, [1, 3, 5, 6, 9]],
    ['AUs present (all of them)', { auPresent: [12, 25] }, [0, 1, 5, 9]],
    ['AUs absent: coded samples only, never the null ones', { auAbsent: [12] }, [4, 8]],
    ['present and absent', { auPresent: [1], auAbsent: [2] }, [1]],
    ['null only', { nullOnly: true }, [3]],
    ['not null: coded only', { notNull: true }, [0, 1, 2, 4, 5, 6, 8, 9]],
    ['flagged only: likely mislabelled, not insufficient data', { flaggedOnly: true }, [2, 5]],
    ['conditions combine', { classIds: [0], verdicts: ['fits'], splits: [1] }, [1]],
    [
      'sorted by score, worst first, NaN last',
      { sort: 'score-asc' },
      [5, 2, 1, 6, 0, 4, 9, 3, 7, 8],
    ],
    [
      'sorted by score, best first, NaN last',
      { sort: 'score-desc' },
      [0, 4, 9, 6, 1, 2, 5, 3, 7, 8],
    ],
    ['sorted by suspicion, unscored last', { sort: 'suspicion' }, [5, 2, 6, 1, 9, 0, 4, 3, 7, 8]],
    ['sorted by suspicion within a class', { sort: 'suspicion', classIds: [1] }, [5, 6, 4, 7]],
    ['flagged, most suspicious first', { sort: 'suspicion', flaggedOnly: true }, [5, 2]],
    [
      "a saved 'posterior-asc' sorts by suspicion too",
      { sort: 'posterior-asc' },
      [5, 2, 6, 1, 9, 0, 4, 3, 7, 8],
    ],
  ])('%s', (_, partial, expected) => {
    expect(run(partial)).toEqual(expected);
  });

  it.each(['suspicion', 'posterior-asc'] as const)(
    'without label evidence: flaggedOnly matches nothing, %s keeps dataset order',
    (sort) => {
      const flagged = SampleFilterSchema.parse({ version: 1, flaggedOnly: true });
      expect(Array.from(applyFilter(table, check, null, flagged))).toEqual([]);
      const sorted = SampleFilterSchema.parse({ version: 1, sort });
      expect(Array.from(applyFilter(table, check, null, sorted))).toEqual([
        0, 1, 2, 3, 4, 5, 6, 7, 8, 9,
      ]);
    },
  );

  it('flaggedOnly keeps only the likely-mislabelled code, never the other flags', () => {
    const flags = [0, 1, 2, 3, 1, 0, 2, 3, 1, 0];
    const handMade: IssueColumns = {
      flagged: Uint8Array.from(flags),
      rank: new Float32Array(flags.length).fill(NaN),
    };
    const flaggedOnly = SampleFilterSchema.parse({ version: 1, flaggedOnly: true });
    expect(Array.from(applyFilter(table, check, handMade, flaggedOnly))).toEqual([1, 4, 8]);
  });

  it('returns an Int32Array', () => {
    expect(applyFilter(table, check, issues, ALL_SAMPLES_FILTER)).toBeInstanceOf(Int32Array);
  });
});

describe('applyFilter sorts as the comparator sort did', () => {
  // Few distinct values, so ties are common; NaN, -0, +0 and the infinities included.
  const key = fc.oneof(
    fc.constantFrom(NaN, -0, 0, 0.25, 0.5, 1, Infinity, -Infinity),
    fc.float({ min: 0, max: 1 }),
  );
  const columns = fc.integer({ min: 0, max: 200 }).chain((n) =>
    fc.record({
      classIds: fc.array(fc.integer({ min: -1, max: 2 }), { minLength: n, maxLength: n }),
      verdicts: fc.array(fc.integer({ min: 0, max: VERDICTS.length - 1 }), {
        minLength: n,
        maxLength: n,
      }),
      score: fc.array(key, { minLength: n, maxLength: n }),
      rank: fc.array(key, { minLength: n, maxLength: n }),
      flagged: fc.array(fc.integer({ min: 0, max: 3 }), { minLength: n, maxLength: n }),
    }),
  );
  const conditions = fc.record({
    verdicts: fc.subarray([...VERDICTS]),
    classIds: fc.subarray([-1, 0, 1, 2]),
    flaggedOnly: fc.boolean(),
  });

  it('for every sort, on random columns', () => {
    fc.assert(
      fc.property(columns, conditions, (c, partial) => {
        const n = c.classIds.length;
        const randomTable = tableOf(c.classIds.map((classId) => ({ classId, aus: [] })));
        const randomCheck: CheckColumns = {
          verdict: Uint8Array.from(c.verdicts),
          score: Float32Array.from(c.score),
          reasons: new Uint16Array(n),
          missing: new Uint32Array(2 * n),
        };
        const randomIssues: IssueColumns = {
          rank: Float32Array.from(c.rank),
          flagged: Uint8Array.from(c.flagged),
        };
        const filterOf = (sort: SampleFilterInput['sort']) =>
          SampleFilterSchema.parse({ version: 1, ...partial, sort });
        const matched = applyFilter(randomTable, randomCheck, randomIssues, filterOf('index'));
        const sorted = (sort: SampleFilterInput['sort']) =>
          Array.from(applyFilter(randomTable, randomCheck, randomIssues, filterOf(sort)));
        expect(sorted('score-asc')).toEqual(comparatorSort(matched, randomCheck.score, 1));
        expect(sorted('score-desc')).toEqual(comparatorSort(matched, randomCheck.score, -1));
        expect(sorted('suspicion')).toEqual(comparatorSort(matched, randomIssues.rank, 1));
        expect(sorted('posterior-asc')).toEqual(comparatorSort(matched, randomIssues.rank, 1));
      }),
      { numRuns: 200 },
    );
  });
});

describe('applyFilter by video and subject', () => {
  // Two subjects, three videos, a still; the subject is the name's part before '_'.
  const names = [
    'F001_T1/00002.jpg',
    'F001_T1/00001.jpg',
    'F001_T2/00001.jpg',
    'F002_T1/00001.jpg',
    'still.jpg',
  ];
  const frames = {
    ...tableOf(names.map(() => ({ classId: 0, aus: [12] }))),
    names: textColumnOf(names),
  };
  const groups = groupFrames(frames.names, (video) => video.split('_')[0] ?? null);
  const frameCheck = checkTable(frames, rules);

  it.each<[string, Omit<SampleFilterInput, 'version'>, number[]]>([
    ['no condition', {}, [0, 1, 2, 3, 4]],
    ['one video', { videos: ['F001_T1'] }, [0, 1]],
    ['any of two videos', { videos: ['F001_T2', 'F002_T1'] }, [2, 3]],
    ['one subject', { subjects: ['F001'] }, [0, 1, 2]],
    [
      'a subject and a video: both must hold',
      { subjects: ['F001'], videos: ['F001_T2', 'F002_T1'] },
      [2],
    ],
    ['a video not in the dataset', { videos: ['F009_T1'] }, []],
    ['with other conditions', { subjects: ['F002'], classIds: [0] }, [3]],
  ])('%s', (_, partial, expected) => {
    const filter = SampleFilterSchema.parse({ version: 1, ...partial });
    expect(Array.from(applyFilter(frames, frameCheck, null, filter, undefined, groups))).toEqual(
      expected,
    );
  });

  it('a video or subject condition matches nothing in a dataset of stills', () => {
    for (const partial of [{ videos: ['F001_T1'] }, { subjects: ['F001'] }]) {
      const filter = SampleFilterSchema.parse({ version: 1, ...partial });
      expect(Array.from(applyFilter(frames, frameCheck, null, filter))).toEqual([]);
    }
  });
});

describe('SampleFilterSchema and SavedFilterSchema', () => {
  it('fills every default from a bare version', () => {
    expect(ALL_SAMPLES_FILTER).toEqual({
      version: 1,
      verdicts: [],
      reasons: [],
      score: null,
      classIds: [],
      splits: [],
      auPresent: [],
      auAbsent: [],
      nullOnly: false,
      notNull: false,
      flaggedOnly: false,
      runs: [],
      videos: [],
      subjects: [],
      sort: 'index',
    });
  });

  it.each<[string, { runId: string; correct: boolean }[], number[]]>([
    ['baseline right', [{ runId: 'base', correct: true }], [0, 1]],
    [
      'baseline right, multi-task wrong',
      [
        { runId: 'base', correct: true },
        { runId: 'multi', correct: false },
      ],
      [1],
    ],
    ['multi-task wrong', [{ runId: 'multi', correct: false }], [1, 3]],
    ['a run no longer stored', [{ runId: 'gone', correct: true }], []],
  ])('runs: %s', (_, runs, expected) => {
    const small = tableOf([0, 1, 2, 3].map((classId) => ({ classId, aus: null })));
    const correctness = new Map([
      // right right wrong unknown / right wrong unknown wrong
      ['base', Uint8Array.from([1, 1, 0, 2])],
      ['multi', Uint8Array.from([1, 0, 2, 0])],
    ]);
    const filter = SampleFilterSchema.parse({ version: 1, runs });
    expect(
      Array.from(applyFilter(small, checkTable(small, rules), null, filter, correctness)),
    ).toEqual(expected);
  });

  it.each<[string, unknown]>([
    ['no version', {}],
    ['a future version', { version: 2 }],
    ['an unknown verdict', { version: 1, verdicts: ['ok'] }],
    ['a verdict that is not a string', { version: 1, verdicts: [1] }],
    ['an unknown reason', { version: 1, reasons: ['bad'] }],
    ['an inverted score range', { version: 1, score: { min: 0.8, max: 0.2 } }],
    ['AU 0', { version: 1, auPresent: [0] }],
    ['null only and not null', { version: 1, nullOnly: true, notNull: true }],
    ['an unknown sort', { version: 1, sort: 'random' }],
  ])('rejects %s', (_, data) => {
    expect(SampleFilterSchema.safeParse(data).success).toBe(false);
  });

  it.each<[string, unknown, string[]]>([
    ['the verdicts of today', ['breaks-facs', 'atypical'], ['breaks-facs', 'atypical']],
    ["the old 'fails' and 'suspect' are both atypical now", ['fails', 'suspect'], ['atypical']],
    ["the old 'suspect' alone", ['suspect'], ['atypical']],
    ['old and new names, one verdict each', ['atypical', 'fails', 'fits'], ['atypical', 'fits']],
    ['a verdict twice', ['fits', 'fits'], ['fits']],
  ])('reads verdicts: %s', (_, verdicts, expected) => {
    expect(SampleFilterSchema.parse({ version: 1, verdicts }).verdicts).toEqual(expected);
  });

  it('reads a filter saved with the old verdicts, through JSON', () => {
    const text = JSON.stringify({
      name: 'Failing train',
      filter: { version: 1, verdicts: ['fails', 'suspect'], splits: [0] },
    });
    const saved = SavedFilterSchema.parse(JSON.parse(text));
    expect(saved.filter.verdicts).toEqual(['atypical']);
    expect(saved.filter.splits).toEqual([0]);
    expect(SavedFilterSchema.parse(JSON.parse(JSON.stringify(saved)))).toEqual(saved);
  });

  it.each<[string, unknown, boolean]>([
    [
      'a named filter',
      { name: 'Failing train', filter: { version: 1, verdicts: ['fails'], splits: [0] } },
      true,
    ],
    [
      "a named filter with today's verdicts and sort",
      { name: 'Broken', filter: { version: 1, verdicts: ['breaks-facs'], sort: 'suspicion' } },
      true,
    ],
    ['a blank name', { name: '  ', filter: { version: 1 } }, false],
    ['a bad filter', { name: 'x', filter: { version: 1, sort: 'up' } }, false],
  ])('saved filter: %s', (_, data, ok) => {
    expect(SavedFilterSchema.safeParse(data).success).toBe(ok);
  });

  it('reads a filter saved before videos and subjects as any video, any subject', () => {
    const stored = JSON.parse(
      JSON.stringify({ name: 'Train', filter: { version: 1, splits: [0], sort: 'suspicion' } }),
    );
    const saved = SavedFilterSchema.parse(stored);
    expect(saved.filter.videos).toEqual([]);
    expect(saved.filter.subjects).toEqual([]);
    expect(saved.filter.splits).toEqual([0]);
  });

  it.each<[string, unknown]>([
    ['a video that is not a string', { version: 1, videos: [3] }],
    ['subjects that are not a list', { version: 1, subjects: 'F001' }],
  ])('rejects %s', (_, data) => {
    expect(SampleFilterSchema.safeParse(data).success).toBe(false);
  });

  it('round-trips a saved filter of videos and subjects through JSON', () => {
    const saved = SavedFilterSchema.parse({
      name: 'F001, first task',
      filter: { version: 1, videos: ['F001_T1'], subjects: ['F001'] },
    });
    expect(SavedFilterSchema.parse(JSON.parse(JSON.stringify(saved)))).toEqual(saved);
  });

  it('round-trips a saved filter through JSON', () => {
    const saved = SavedFilterSchema.parse({
      name: 'Null in test',
      filter: { version: 1, nullOnly: true, splits: [1] },
    });
    expect(SavedFilterSchema.parse(JSON.parse(JSON.stringify(saved)))).toEqual(saved);
  });
});
