import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { assessLabels, LabelFlag } from '../label-evidence/assess';
import { FACS_AU_NAMES } from '../labels/au';
import { importLabelFiles } from '../formats/import';
import { className, RAFCE_SCHEME, splitName } from '../labels/schemes';
import {
  describeRealRafCe,
  HAS_REAL_RAFCE,
  RAFCE_REAL_DIR,
  realRafCeFile,
} from '../labels/test-fixtures';
import { textColumnToArray } from '../labels/text-column';
import {
  AuStatus,
  LabelSchemeSchema,
  SampleFlag,
  type LabelScheme,
  type SampleTable,
} from '../labels/types';
import {
  RAFCE_RULE_SET,
  REFERENCE_HALLMARKS,
  REFERENCE_RARELY,
  REFERENCE_TOGETHER,
} from './builtin';
import { checkTable, VERDICTS, type CheckColumns } from './check';
import { ruleAus } from './expected-rates';
import { ausOfMask } from './mask';
import {
  buildOverview,
  expectedMarkName,
  LIKELY_MISLABELLED_FLAG,
  samplesForCell,
  type FlagColumns,
  type Overview,
} from './overview';
import { classRuleOf, FACS_EXCLUSIVE_PAIRS, RuleSetSchema, type RuleSet } from './schema';
import { tableOf } from './test-support';

describe('buildOverview on a hand-made table', () => {
  const scheme = LabelSchemeSchema.parse({
    id: 't',
    name: 't',
    classes: [
      { id: 0, name: 'Smile', components: [] },
      { id: 1, name: 'Frown', components: [] },
      { id: 2, name: 'Empty', components: [] },
    ],
  });
  const rules = RuleSetSchema.parse({
    version: 1,
    id: 't',
    name: 't',
    source: '',
    schemeId: 't',
    classes: [
      {
        classId: 0,
        required: [12],
        anyOf: [],
        variants: [{ au: 6, rate: 0.5 }],
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
    together: [[6, 12]],
    rarely: [[12, 15]],
    settings: { minClassSamples: 2, priorBlend: 0.3 },
  });
  const table = tableOf([
    { classId: 0, aus: [6, 12], split: 0 }, // fits
    { classId: 0, aus: [12], split: 0 }, // an AU coded twice (flag below): breaks FACS
    { classId: 0, aus: [15], split: 1 }, // component missing: atypical
    { classId: 0, aus: null, split: 1 },
    { classId: 1, aus: [4, 15], split: 0 }, // fits
    { classId: 1, aus: [12, 15], split: 2 }, // fits with one missing, rare pair: atypical
    { classId: 1, aus: null, split: 2 },
    { classId: 1, aus: null, split: 2 },
    { classId: 1, split: 0 }, // absent
    { classId: -1, aus: [43], split: -1 }, // no rule
  ]);
  table.flags[1]! |= SampleFlag.duplicateAuToken;
  const check = checkTable(table, rules);
  /** The evidence by hand: 2 and 5 likely mislabelled; class 2 (no samples) too small. */
  const issues: FlagColumns = {
    flagged: Uint8Array.from([0, 0, 1, 3, 0, 1, 3, 3, 3, 3]),
    classes: [
      { classId: 0, scored: 3, insufficient: false },
      { classId: 1, scored: 2, insufficient: false },
      { classId: 2, scored: 0, insufficient: true },
    ],
  };
  const overview = buildOverview(table, scheme, { 0: 'train', 1: 'test' }, rules, check, issues);

  it('counts nulls by class and by split, with shares', () => {
    expect(
      overview.nullByClass.map((r) => [
        r.classId,
        r.name,
        r.samples,
        r.nullCount,
        r.nullShare,
        r.absentCount,
        r.coded,
      ]),
    ).toEqual([
      [0, 'Smile', 4, 1, 0.25, 0, 3],
      [1, 'Frown', 5, 2, 0.4, 1, 2],
      [2, 'Empty', 0, 0, 0, 0, 0],
      [-1, '(no emotion label)', 1, 0, 0, 0, 1],
    ]);
    expect(
      overview.nullBySplit.map((r) => [r.split, r.name, r.samples, r.nullCount, r.nullShare]),
    ).toEqual([
      [-1, '(no split)', 1, 0, 0],
      [0, 'train', 4, 0, 0],
      [1, 'test', 2, 1, 0.5],
      [2, 'split 2', 3, 2, 2 / 3],
    ]);
    expect([overview.samples, overview.coded, overview.nullCount, overview.absentCount]).toEqual([
      10, 6, 3, 1,
    ]);
    expect(overview.nullShare).toBe(0.3);
  });

  it('counts verdicts per class, with shares', () => {
    expect(
      overview.classQuality.map((r) => [r.classId, r.checked, r.fits, r.atypical, r.breaksFacs]),
    ).toEqual([
      [0, 3, 1, 1, 1],
      [1, 2, 1, 1, 0],
      [2, 0, 0, 0, 0],
      [-1, 0, 0, 0, 0],
    ]);
    expect(overview.classQuality.map((r) => [r.atypicalShare, r.breaksFacsShare])).toEqual([
      [1 / 3, 1 / 3],
      [1 / 2, 0],
      [NaN, NaN],
      [NaN, NaN],
    ]);
    expect(overview.verdictCounts).toEqual({
      fits: 2,
      atypical: 2,
      'breaks-facs': 1,
      'not-coded': 4,
      'no-rule': 1,
    });
  });

  it('takes the flags and the scored counts from the evidence, and ranks by flagged share', () => {
    expect(
      overview.classQuality.map((r) => [
        r.classId,
        r.scored,
        r.flagged,
        r.flaggedShare,
        r.insufficientData,
      ]),
    ).toEqual([
      [0, 3, 1, 1 / 3, false],
      [1, 2, 1, 1 / 2, false],
      [2, 0, 0, NaN, true],
      [-1, 0, 0, NaN, false],
    ]);
    expect(overview.flagged).toBe(2);
    expect(overview.rankedByFlaggedShare).toEqual([1, 0, 2, -1]);
    expect(overview.rankedByNullRate).toEqual([1, 0, -1, 2]);
  });

  it.each<[string, number[], number]>([
    ['none', [0, 0, 0, 0], 0],
    ['only likely mislabelled counts', [1, 2, 3, 1], 2],
    ['every sample', [1, 1, 1, 1], 4],
  ])('counts the likely-mislabelled code only: %s', (_, flags, expected) => {
    const small = tableOf(flags.map(() => ({ classId: 0, aus: [12] })));
    const flagged: FlagColumns = {
      flagged: Uint8Array.from(flags),
      classes: [{ classId: 0, scored: flags.length, insufficient: false }],
    };
    const o = buildOverview(small, scheme, {}, rules, checkTable(small, rules), flagged);
    expect([o.flagged, o.classQuality[0]?.flagged, o.classQuality[0]?.flaggedShare]).toEqual([
      expected,
      expected,
      expected / flags.length,
    ]);
    expect(LIKELY_MISLABELLED_FLAG).toBe(LabelFlag['likely-mislabelled']);
  });

  it('lays out class x AU rates with what is expected in each cell', () => {
    const { auRates } = overview;
    expect(auRates.aus).toEqual([4, 6, 12, 15, 43]);
    expect(auRates.classIds).toEqual([0, 1, 2, -1]);
    expect(Array.from(auRates.coded)).toEqual([3, 2, 0, 1]);
    const cell = (classId: number, au: number) => {
      const i = auRates.classIds.indexOf(classId) * auRates.aus.length + auRates.aus.indexOf(au);
      return {
        present: auRates.present[i],
        observed: auRates.observed[i],
        mark: expectedMarkName(auRates.mark[i]!),
        expected: auRates.expected[i],
      };
    };
    expect(cell(0, 12)).toEqual({
      present: 2,
      observed: Math.fround(2 / 3),
      mark: 'prototypical',
      expected: Math.fround(0.9),
    });
    expect(cell(0, 6)).toEqual({
      present: 1,
      observed: Math.fround(1 / 3),
      mark: 'variant',
      expected: 0.5,
    });
    expect(cell(0, 15)).toEqual({
      present: 1,
      observed: Math.fround(1 / 3),
      mark: 'unexpected',
      expected: Math.fround(0.05),
    });
    expect(cell(1, 15)).toEqual({
      present: 2,
      observed: 1,
      mark: 'prototypical',
      expected: Math.fround(0.9),
    });
    expect(cell(2, 12).observed).toBeNaN();
    expect(cell(-1, 43)).toMatchObject({ present: 1, observed: 1, mark: 'unexpected' });
    expect(cell(-1, 43).expected).toBeNaN();
  });

  it('counts AU pairs among coded samples and marks the rule pairs', () => {
    const { coOccurrence: co } = overview;
    expect(co.aus).toEqual([4, 6, 12, 15, 43]);
    expect(co.coded).toBe(6);
    expect(Array.from(co.auCount)).toEqual([1, 1, 3, 3, 1]);
    const k = co.aus.length;
    const pair = (a: number, b: number) => co.pairCount[co.aus.indexOf(a) * k + co.aus.indexOf(b)];
    expect([
      pair(6, 12),
      pair(12, 6),
      pair(12, 15),
      pair(4, 15),
      pair(4, 12),
      pair(12, 12),
    ]).toEqual([1, 1, 1, 1, 0, 3]);
    expect(co.marked).toEqual([
      { a: 6, b: 12, kind: 'together', count: 1, lift: (1 * 6) / (1 * 3) },
      { a: 12, b: 15, kind: 'rarely', count: 1, lift: (1 * 6) / (3 * 3) },
    ]);
  });

  it.each<[number, number, number[]]>([
    [0, 12, [0, 1]],
    [0, 15, [2]],
    [1, 15, [4, 5]],
    [1, 43, []],
    [-1, 43, [9]],
    [0, 99, []],
  ])('samplesForCell(class %i, AU%i) lists coded samples with the AU', (classId, au, expected) => {
    expect(Array.from(samplesForCell(table, classId, au))).toEqual(expected);
  });

  it('works without label evidence', () => {
    const without = buildOverview(table, scheme, {}, rules, check, null);
    expect(without.flagged).toBe(0);
    for (const row of without.classQuality) {
      expect([row.scored, row.flagged, row.flaggedShare, row.insufficientData]).toEqual([
        0,
        0,
        NaN,
        false,
      ]);
    }
    expect(without.rankedByFlaggedShare).toEqual([0, 1, 2, -1]);
  });
});

// ---------------------------------------------------------------------------
// The real RAF-CE files: every figure is recomputed here from the text, by hand.

function readPairs(name: string): Map<string, string> {
  const text = HAS_REAL_RAFCE ? readFileSync(join(RAFCE_REAL_DIR, name), 'utf8') : '';
  const out = new Map<string, string>();
  for (const line of text.split('\n')) {
    const trimmed = line.trim();
    if (trimmed === '') continue;
    const space = trimmed.indexOf(' ');
    out.set(trimmed.slice(0, space), trimmed.slice(space + 1).trim());
  }
  return out;
}

/** AU numbers of an AU string by a plain regular expression; AD codes and junk give none. */
function ausOf(value: string): Set<number> {
  const aus = new Set<number>();
  for (const token of value.split('+')) {
    const m = /^[LRBT]?(\d+)[A-E]?$/i.exec(token.trim());
    if (m) aus.add(Number(m[1]));
  }
  return aus;
}

/**
 * The hard contradictions, restated by hand (see check.ts): a FACS-exclusive pair, the same
 * AU (or AD) coded twice, or a token outside the grammar or not a FACS code. Sides are
 * merged, as the AU mask merges them.
 */
function breaksFacsByHand(value: string): boolean {
  const seen = new Set<string>();
  for (const raw of value.split('+')) {
    const token = raw.trim();
    const m = /^(?:[LRBT]?(\d{1,3})[A-E]?|AD(\d{1,3}))$/i.exec(token);
    if (!m) return true;
    const au = Number(m[1] ?? m[2]);
    if (!Object.hasOwn(FACS_AU_NAMES, au)) return true;
    const key = `${m[1] === undefined ? 'AD' : 'AU'}${au}`;
    if (seen.has(key)) return true;
    seen.add(key);
  }
  const aus = ausOf(value);
  return FACS_EXCLUSIVE_PAIRS.some(([a, b]) => aus.has(a) && aus.has(b));
}

/** The rule the posed faces set, restated with sets: a component without evidence, or < half required. */
function componentOrHalfMissing(classId: number, aus: Set<number>): boolean {
  const rule = classRuleOf(RAFCE_RULE_SET, classId)!;
  const present = rule.required.filter((au) => aus.has(au)).length;
  if (present * 2 < rule.required.length) return true;
  return rule.components.some((component) => {
    const alternatives = REFERENCE_HALLMARKS[component];
    if (alternatives.some((alt) => alt.every((au) => aus.has(au)))) return false;
    const prototypeShows = alternatives.some((alt) =>
      alt.every((au) => rule.required.includes(au)),
    );
    if (prototypeShows) return true;
    const standIn = rule.required.filter((au) => alternatives.flat().includes(au));
    return standIn.length > 0 && !standIn.every((au) => aus.has(au));
  });
}

/** Atypical by hand: the above, or two required AUs missing, or a rare pair the class does not expect. */
function atypicalByHand(classId: number, aus: Set<number>): boolean {
  const rule = classRuleOf(RAFCE_RULE_SET, classId)!;
  const missing = rule.required.filter((au) => !aus.has(au)).length;
  const expected = new Set([...rule.required, ...rule.variants.map((v) => v.au)]);
  const rare = REFERENCE_RARELY.some(
    ([a, b]) => aus.has(a) && aus.has(b) && !(expected.has(a) && expected.has(b)),
  );
  return componentOrHalfMissing(classId, aus) || missing > 1 || rare;
}

function verdictByHand(classId: number, value: string): string {
  if (value === 'null') return 'not-coded';
  if (breaksFacsByHand(value)) return 'breaks-facs';
  return atypicalByHand(classId, ausOf(value)) ? 'atypical' : 'fits';
}

describeRealRafCe('buildOverview on the real RAF-CE files, against a count by hand', () => {
  const emotion = readPairs('RAFCE_emolabel.txt');
  const split = readPairs('RAFCE_partition.txt');
  const auText = readPairs('RAFCE_AUlabel.txt');
  const samples = [...emotion.keys()].map((name) => ({
    classId: Number(emotion.get(name)),
    split: Number(split.get(name)),
    au: auText.get(name) as string,
  }));

  const imported = importLabelFiles([
    realRafCeFile('RAFCE_emolabel.txt'),
    realRafCeFile('RAFCE_AUlabel.txt'),
    realRafCeFile('RAFCE_partition.txt'),
  ]);
  const { table } = imported;
  const check = checkTable(table, RAFCE_RULE_SET);
  const evidence = assessLabels({ columns: table, scheme: RAFCE_SCHEME, ruleSet: RAFCE_RULE_SET });
  const overview = buildOverview(
    table,
    RAFCE_SCHEME,
    imported.splitNames,
    RAFCE_RULE_SET,
    check,
    evidence,
  );
  const names = textColumnToArray(table.names);
  const flaggedNames = new Set(
    names.filter((_, i) => evidence.flagged[i] === LabelFlag['likely-mislabelled']),
  );

  it('has the reference figures (4,549 samples, 251 null)', () => {
    expect(samples).toHaveLength(4549);
    expect(overview.samples).toBe(4549);
    expect(overview.nullCount).toBe(251);
    expect(overview.coded).toBe(4549 - 251);
    expect(overview.nullBySplit.map((r) => [r.name, r.samples])).toEqual([
      ['train', 2709],
      ['test', 909],
      ['validation', 931],
    ]);
  });

  it.each(RAFCE_SCHEME.classes.map((c) => [c.name, c.id] as const))('nulls of %s', (_, classId) => {
    const mine = samples.filter((s) => s.classId === classId);
    const nulls = mine.filter((s) => s.au === 'null').length;
    expect(overview.nullByClass.find((r) => r.classId === classId)).toMatchObject({
      samples: mine.length,
      nullCount: nulls,
      nullShare: nulls / mine.length,
      coded: mine.length - nulls,
    });
  });

  it.each([0, 1, 2])('nulls of split %i', (splitId) => {
    const mine = samples.filter((s) => s.split === splitId);
    const nulls = mine.filter((s) => s.au === 'null').length;
    expect(overview.nullBySplit.find((r) => r.split === splitId)).toMatchObject({
      samples: mine.length,
      nullCount: nulls,
      nullShare: nulls / mine.length,
    });
  });

  it.each<[number, number]>([
    [0, 12],
    [0, 25],
    [0, 26],
    [5, 4],
    [5, 10],
    [7, 20],
    [10, 4],
    [10, 17],
    [13, 6],
    [12, 1],
    [3, 15],
    [10, 43],
  ])('observed rate of class %i, AU%i', (classId, au) => {
    const coded = samples.filter((s) => s.classId === classId && s.au !== 'null');
    const withAu = coded.filter((s) => ausOf(s.au).has(au)).length;
    const { auRates } = overview;
    const cell = auRates.classIds.indexOf(classId) * auRates.aus.length + auRates.aus.indexOf(au);
    expect(auRates.present[cell]).toBe(withAu);
    expect(auRates.observed[cell]).toBe(Math.fround(withAu / coded.length));
    expect(Array.from(samplesForCell(table, classId, au))).toHaveLength(withAu);
  });

  it('breaks FACS where the text does: the pairs, the duplicates, the unreadable tokens', () => {
    const byHand = samples.filter((s) => s.au !== 'null' && breaksFacsByHand(s.au));
    // 26+26, 43+43; 5 with 43 (twice); BL18, RB18, L12L.
    expect(byHand).toHaveLength(7);
    expect(overview.verdictCounts['breaks-facs']).toBe(7);
  });

  it.each(RAFCE_SCHEME.classes.map((c) => [c.name, c.id] as const))(
    'verdicts of %s',
    (_, classId) => {
      const coded = samples.filter((s) => s.classId === classId && s.au !== 'null');
      const count = (verdict: string) =>
        coded.filter((s) => verdictByHand(classId, s.au) === verdict).length;
      const row = overview.classQuality.find((r) => r.classId === classId)!;
      expect([row.checked, row.fits, row.atypical, row.breaksFacs]).toEqual([
        coded.length,
        count('fits'),
        count('atypical'),
        count('breaks-facs'),
      ]);
      expect(row.atypicalShare).toBeCloseTo(count('atypical') / coded.length, 12);
      expect(row.breaksFacsShare).toBeCloseTo(count('breaks-facs') / coded.length, 12);
    },
  );

  it.each(RAFCE_SCHEME.classes.map((c) => [c.name, c.id] as const))(
    'flagged share of %s, as the evidence says',
    (_, classId) => {
      const mine = samples.filter((s) => s.classId === classId);
      const flagged = names.filter(
        (name, i) => table.classIds[i] === classId && flaggedNames.has(name),
      ).length;
      const fromEvidence = evidence.classes.find((c) => c.classId === classId)!;
      const row = overview.classQuality.find((r) => r.classId === classId)!;
      expect(row.flagged).toBe(flagged);
      expect(row.flagged).toBe(fromEvidence.flagged);
      expect(row.scored).toBe(fromEvidence.scored);
      expect(row.scored).toBeLessThanOrEqual(mine.length);
      expect(row.flaggedShare).toBeCloseTo(flagged / fromEvidence.scored, 12);
      expect(row.insufficientData).toBe(fromEvidence.insufficient);
    },
  );

  it('ranks classes by flagged share and null rate as the hand counts do', () => {
    const byHand = RAFCE_SCHEME.classes.map((c) => {
      const mine = samples.filter((s) => s.classId === c.id);
      const coded = mine.filter((s) => s.au !== 'null');
      const scored = evidence.classes.find((e) => e.classId === c.id)!.scored;
      const flagged = names.filter(
        (name, i) => table.classIds[i] === c.id && flaggedNames.has(name),
      ).length;
      return {
        id: c.id,
        flagged: flagged / scored,
        nulls: (mine.length - coded.length) / mine.length,
      };
    });
    const order = (key: 'flagged' | 'nulls') =>
      [...byHand].sort((a, b) => b[key] - a[key] || a.id - b.id).map((r) => r.id);
    expect(overview.flagged).toBe(flaggedNames.size);
    expect(overview.flagged).toBe(evidence.likelyMislabelled);
    expect(overview.rankedByFlaggedShare).toEqual(order('flagged'));
    expect(overview.rankedByNullRate).toEqual(order('nulls'));
  });

  it.each([...REFERENCE_TOGETHER, ...REFERENCE_RARELY])(
    'co-occurrence of AU%i and AU%i',
    (a, b) => {
      const both = samples.filter((s) => {
        if (s.au === 'null') return false;
        const aus = ausOf(s.au);
        return aus.has(a) && aus.has(b);
      }).length;
      expect(overview.coOccurrence.marked.find((p) => p.a === a && p.b === b)?.count).toBe(both);
    },
  );
});

// ---------------------------------------------------------------------------
// Random tables against a plain recount: every figure the pass over the samples makes.

/** What buildOverview counts per sample, recounted the plain way: filters, Sets, indexOf. */
function recount(
  table: SampleTable,
  scheme: LabelScheme,
  ruleSet: RuleSet,
  check: CheckColumns,
  issues: FlagColumns | null,
) {
  const all = Array.from({ length: table.count }, (_, i) => i);
  const classIds = scheme.classes.map((c) => c.id);
  for (const id of table.classIds) if (!classIds.includes(id)) classIds.push(id);
  const splits = [...new Set(table.splits)].sort((a, b) => a - b);
  const isCoded = (i: number) => table.auStatus[i] === AuStatus.coded;
  const isNull = (i: number) => table.auStatus[i] === AuStatus.null;
  const isFlagged = (i: number) => issues?.flagged[i] === LabelFlag['likely-mislabelled'];
  const evidenceOf = (classId: number) => issues?.classes.find((c) => c.classId === classId);
  const ausOf = (i: number) => ausOfMask(table.auMask[2 * i]!, table.auMask[2 * i + 1]!);
  const count = (indices: number[], keep: (i: number) => boolean) => indices.filter(keep).length;
  const ofClass = (classId: number) => all.filter((i) => table.classIds[i] === classId);
  const verdictIs = (verdict: string) => (i: number) => VERDICTS[check.verdict[i]!] === verdict;
  const codedSamples = all.filter(isCoded);
  const seen = [...new Set(codedSamples.flatMap(ausOf))].sort((a, b) => a - b);
  const columns = [...new Set([...ruleAus(ruleSet), ...seen])].sort((a, b) => a - b);
  const withAus = (i: number, aus: number[]) => aus.every((au) => ausOf(i).includes(au));
  const flaggedShareOf = (classId: number) => {
    const scored = evidenceOf(classId)?.scored ?? 0;
    return scored > 0 ? count(ofClass(classId), isFlagged) / scored : NaN;
  };
  const scoredClasses = classIds.filter((id) => !Number.isNaN(flaggedShareOf(id)));

  return {
    samples: table.count,
    coded: codedSamples.length,
    nullCount: count(all, isNull),
    absentCount: count(all, (i) => !isNull(i) && !isCoded(i)),
    verdictCounts: Object.fromEntries(VERDICTS.map((v) => [v, count(all, verdictIs(v))])),
    flagged: count(all, isFlagged),
    // A stable sort: ties keep the class order; classes nothing was scored in go last.
    rankedByFlaggedShare: [
      ...scoredClasses.sort((a, b) => flaggedShareOf(b) - flaggedShareOf(a)),
      ...classIds.filter((id) => Number.isNaN(flaggedShareOf(id))),
    ],
    nullByClass: classIds.map((classId) => {
      const mine = ofClass(classId);
      return {
        classId,
        name: className(scheme, classId),
        samples: mine.length,
        nullCount: count(mine, isNull),
        nullShare: mine.length > 0 ? count(mine, isNull) / mine.length : 0,
        absentCount: count(mine, (i) => !isNull(i) && !isCoded(i)),
        coded: count(mine, isCoded),
      };
    }),
    nullBySplit: splits.map((split) => {
      const mine = all.filter((i) => table.splits[i] === split);
      return {
        split,
        name: splitName({ 0: 'train' }, split),
        samples: mine.length,
        nullCount: count(mine, isNull),
        nullShare: count(mine, isNull) / mine.length,
      };
    }),
    classQuality: classIds.map((classId) => {
      const mine = ofClass(classId);
      const scored = evidenceOf(classId)?.scored ?? 0;
      return {
        classId,
        fits: count(mine, verdictIs('fits')),
        atypical: count(mine, verdictIs('atypical')),
        breaksFacs: count(mine, verdictIs('breaks-facs')),
        scored,
        flagged: count(mine, isFlagged),
        flaggedShare: scored > 0 ? count(mine, isFlagged) / scored : NaN,
        insufficientData: evidenceOf(classId)?.insufficient ?? false,
      };
    }),
    auRates: {
      classIds,
      aus: columns,
      coded: classIds.map((classId) => count(ofClass(classId), isCoded)),
      present: classIds.flatMap((classId) =>
        columns.map((au) => count(ofClass(classId), (i) => isCoded(i) && withAus(i, [au]))),
      ),
    },
    coOccurrence: {
      aus: seen,
      auCount: seen.map((au) => count(codedSamples, (i) => withAus(i, [au]))),
      pairCount: seen.flatMap((a) =>
        seen.map((b) => count(codedSamples, (i) => withAus(i, [a, b]))),
      ),
      marked: [...ruleSet.together, ...ruleSet.rarely].map(([a, b]) =>
        count(codedSamples, (i) => withAus(i, [a, b])),
      ),
    },
  };
}

/** The same figures read off an Overview. */
function figures(overview: Overview) {
  const { auRates, coOccurrence: co } = overview;
  return {
    samples: overview.samples,
    coded: overview.coded,
    nullCount: overview.nullCount,
    absentCount: overview.absentCount,
    verdictCounts: overview.verdictCounts,
    flagged: overview.flagged,
    rankedByFlaggedShare: overview.rankedByFlaggedShare,
    nullByClass: overview.nullByClass,
    nullBySplit: overview.nullBySplit,
    classQuality: overview.classQuality.map(
      ({
        classId,
        fits,
        atypical,
        breaksFacs,
        scored,
        flagged,
        flaggedShare,
        insufficientData,
      }) => ({
        classId,
        fits,
        atypical,
        breaksFacs,
        scored,
        flagged,
        flaggedShare,
        insufficientData,
      }),
    ),
    auRates: {
      classIds: auRates.classIds,
      aus: auRates.aus,
      coded: Array.from(auRates.coded),
      present: Array.from(auRates.present),
    },
    coOccurrence: {
      aus: co.aus,
      auCount: Array.from(co.auCount),
      pairCount: Array.from(co.pairCount),
      marked: co.marked.map((p) => p.count),
    },
  };
}

describe('buildOverview on random tables, against a plain recount', () => {
  // Scheme ids, others (-1, the Int16 extremes) and both mask words' edge bits.
  // AUs 26+27 and 43+45 make FACS-exclusive pairs; duplicates and unreadable tokens too.
  const row = fc.record({
    classId: fc.constantFrom(-1, 0, 1, 4, 13, 14, 99, -32768, 32767),
    split: fc.constantFrom(-1, 0, 1, 2, 7, -128, 127),
    aus: fc.oneof(
      fc.constant(null),
      fc.constant(undefined),
      fc.uniqueArray(fc.constantFrom(1, 2, 4, 6, 12, 15, 25, 26, 27, 31, 32, 33, 43, 45, 63, 64), {
        maxLength: 8,
      }),
    ),
    unknownToken: fc.boolean(),
    duplicate: fc.boolean(),
    /** A LabelFlag code, as the evidence would give it. */
    flag: fc.integer({ min: 0, max: 3 }),
  });

  /** Evidence by hand: the codes drawn, each class's scored count, small classes insufficient. */
  function flagColumns(rows: { classId: number; flag: number }[]): FlagColumns {
    return {
      flagged: Uint8Array.from(rows, (r) => r.flag),
      classes: RAFCE_SCHEME.classes.map((c) => {
        const scored = rows.filter(
          (r) => r.classId === c.id && r.flag !== LabelFlag['not-scored'],
        ).length;
        return { classId: c.id, scored, insufficient: scored < 3 };
      }),
    };
  }

  it('every per-sample count matches', () => {
    fc.assert(
      fc.property(fc.array(row, { maxLength: 120 }), fc.boolean(), (rows, withIssues) => {
        const table = tableOf(rows);
        rows.forEach((r, i) => {
          if (r.duplicate) table.flags[i]! |= SampleFlag.duplicateAuToken;
        });
        const check = checkTable(table, RAFCE_RULE_SET);
        const issues = withIssues ? flagColumns(rows) : null;
        const overview = buildOverview(
          table,
          RAFCE_SCHEME,
          { 0: 'train' },
          RAFCE_RULE_SET,
          check,
          issues,
        );
        expect(figures(overview)).toEqual(
          recount(table, RAFCE_SCHEME, RAFCE_RULE_SET, check, issues),
        );
      }),
      { numRuns: 150 },
    );
  });
});
