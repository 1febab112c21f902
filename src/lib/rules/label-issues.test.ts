import { describe, expect, it } from 'vitest';
import { REFERENCE_HALLMARKS } from './builtin';
import {
  BASE_AU_RATE,
  expectedAuRate,
  IssueFlag,
  REQUIRED_AU_RATE,
  scoreLabelIssues,
  ANY_OF_AU_RATE,
} from './label-issues';
import { RuleSetSchema, type ClassRule, type RuleSet } from './schema';
import { tableOf } from './test-support';

function rule(classId: number, required: number[], extra: Partial<ClassRule> = {}): ClassRule {
  return {
    classId,
    required,
    anyOf: [],
    variants: [],
    discouragedPairs: [],
    components: [],
    ...extra,
  };
}

function ruleSet(
  classes: ClassRule[],
  settings: { minClassSamples: number; priorBlend: number },
): RuleSet {
  return RuleSetSchema.parse({
    version: 1,
    id: 't',
    name: 't',
    source: '',
    schemeId: 't',
    classes,
    hallmarks: REFERENCE_HALLMARKS,
    together: [],
    rarely: [],
    settings,
  });
}

describe('expectedAuRate', () => {
  const r = rule(0, [12], { variants: [{ au: 6, rate: 0.51 }], anyOf: [[1, 2]] });
  it.each([
    ['required', 12, REQUIRED_AU_RATE],
    ['variant', 6, 0.51],
    ['any-of member', 2, ANY_OF_AU_RATE],
    ['not named', 17, BASE_AU_RATE],
  ])('%s', (_, au, rate) => {
    expect(expectedAuRate(r, au)).toBe(rate);
  });
});

describe('scoreLabelIssues', () => {
  it('computes the naive-Bayes posterior from the expected table (priorBlend 0)', () => {
    // Class 0 expects AU1, class 1 expects AU2. The third sample of class 0 shows AU2 only.
    const rules = ruleSet([rule(0, [1]), rule(1, [2])], { minClassSamples: 1, priorBlend: 0 });
    const table = tableOf([
      { classId: 0, aus: [1] },
      { classId: 0, aus: [1] },
      { classId: 0, aus: [2] },
      { classId: 1, aus: [2] },
      { classId: 1, aus: [2] },
      { classId: 1, aus: [2] },
    ]);
    const result = scoreLabelIssues(table, rules);
    const fit = 0.9 * 0.95; // the expected AU present, the other absent
    const misfit = 0.05 * 0.1; // the other class's AU present, its own absent
    // Prior (leave-one-out): 3 for the given class (3 + 1 - 1), 4 for the other (3 + 1).
    const typical = (3 * fit) / (3 * fit + 4 * misfit);
    const odd = (3 * misfit) / (3 * misfit + 4 * fit);
    expect(Array.from(result.posterior)).toEqual(
      [typical, typical, odd, typical, typical, typical].map(Math.fround),
    );
    expect(Array.from(result.likeliest)).toEqual([0, 0, 1, 1, 1, 1]);
    expect(Array.from(result.suggested)).toEqual([-1, -1, 1, -1, -1, -1]);
    expect(result.likeliestPosterior[2]).toBeCloseTo(1 - odd, 6);
    expect(result.classes).toEqual([
      {
        classId: 0,
        scored: 3,
        threshold: expect.closeTo((2 * typical + odd) / 3, 6) as number,
        insufficient: false,
        flagged: 1,
      },
      {
        classId: 1,
        scored: 3,
        threshold: expect.closeTo(typical, 6) as number,
        insufficient: false,
        flagged: 0,
      },
    ]);
    expect(Array.from(result.flagged)).toEqual([0, 0, 1, 0, 0, 0]);
    expect(result.vocabulary).toEqual([1, 2]);
  });

  it('leaves the sample itself out of its own class rates (priorBlend 1: data only)', () => {
    const rules = ruleSet([rule(0, [1]), rule(1, [3])], { minClassSamples: 1, priorBlend: 1 });
    const table = tableOf([
      { classId: 0, aus: [1] },
      { classId: 0, aus: [1] },
      { classId: 0, aus: [3] },
      { classId: 1, aus: [3] },
      { classId: 1, aus: [3] },
      { classId: 1, aus: [3] },
    ]);
    const result = scoreLabelIssues(table, rules);
    // Sample 2 without itself: class 0 shows AU1 2/2 (-> 0.99) and AU3 0/2 (-> 0.01), so its
    // own label explains it badly; with itself counted AU3 would be 1/3.
    const own2 = (1 - 0.99) * 0.01;
    const other2 = 0.99 * 0.99; // class 1, all its samples: AU1 0/3, AU3 3/3
    expect(result.posterior[2]).toBeCloseTo((3 * own2) / (3 * own2 + 4 * other2), 6);
    // Sample 3: class 1 without it still 0/2 and 2/2; class 0 with all three: 2/3 and 1/3.
    const own3 = 0.99 * 0.99;
    const other3 = (1 - 2 / 3) * (1 / 3);
    expect(result.posterior[3]).toBeCloseTo((3 * own3) / (3 * own3 + 4 * other3), 6);
  });

  it.each<[string, number, number]>([
    ['blend 0: the expected table alone', 0, 0.9 * 0.95],
    ['blend 0.5: halfway to the data', 0.5, (0.5 * 0.9 + 0.5 * 1) * (1 - (0.5 * 0.05 + 0.5 * 0))],
  ])('%s', (_, priorBlend, likelihood) => {
    const rules = ruleSet([rule(0, [1]), rule(1, [2])], { minClassSamples: 1, priorBlend });
    const table = tableOf([
      { classId: 0, aus: [1] },
      { classId: 0, aus: [1] },
      { classId: 1, aus: [2] },
    ]);
    const result = scoreLabelIssues(table, rules);
    // Sample 0 vs class 1 (AU2 rate from sample 2: 1/1, AU1: 0/1).
    const clamp = (p: number) => Math.min(0.99, Math.max(0.01, p));
    const otherClamped =
      clamp(priorBlend * 0 + (1 - priorBlend) * 0.05) *
      (1 - clamp(priorBlend * 1 + (1 - priorBlend) * 0.9));
    const prior0 = 2; // 2 + 1 - 1
    const prior1 = 2; // 1 + 1
    expect(result.posterior[0]).toBeCloseTo(
      (prior0 * likelihood) / (prior0 * likelihood + prior1 * otherClamped),
      5,
    );
  });

  it('skips uncoded samples and classes without a rule; too-small classes get "insufficient data"', () => {
    const rules = ruleSet([rule(0, [1]), rule(1, [2])], { minClassSamples: 3, priorBlend: 0.3 });
    const table = tableOf([
      { classId: 0, aus: [1] },
      { classId: 0, aus: [1] },
      { classId: 0, aus: [2] },
      { classId: 0, aus: null },
      { classId: 0 },
      { classId: 1, aus: [2] },
      { classId: 7, aus: [2] },
      { classId: -1, aus: [2] },
    ]);
    const result = scoreLabelIssues(table, rules);
    expect(Array.from(result.flagged)).toEqual([
      IssueFlag.none,
      IssueFlag.none,
      IssueFlag.flagged,
      IssueFlag['not-scored'],
      IssueFlag['not-scored'],
      IssueFlag['insufficient-data'],
      IssueFlag['not-scored'],
      IssueFlag['not-scored'],
    ]);
    for (const i of [3, 4, 6, 7]) {
      expect(result.posterior[i]).toBeNaN();
      expect(result.likeliest[i]).toBe(-1);
      expect(result.suggested[i]).toBe(-1);
    }
    expect(result.classes.map((c) => [c.classId, c.scored, c.insufficient])).toEqual([
      [0, 3, false],
      [1, 1, true],
    ]);
  });

  it('gives NaN thresholds to classes with no scored sample', () => {
    const rules = ruleSet([rule(0, [1]), rule(1, [2])], { minClassSamples: 1, priorBlend: 0.3 });
    const result = scoreLabelIssues(tableOf([{ classId: 0, aus: [1] }]), rules);
    expect(result.classes[1]?.threshold).toBeNaN();
    expect(result.classes[1]?.scored).toBe(0);
  });

  it('looks at rule AUs and every AU seen in the data, including AU 33-64', () => {
    const rules = ruleSet([rule(0, [1], { variants: [{ au: 6, rate: 0.5 }] }), rule(1, [43])], {
      minClassSamples: 1,
      priorBlend: 0.3,
    });
    const table = tableOf([
      { classId: 0, aus: [1, 25] },
      { classId: 1, aus: [43] },
      { classId: 1, aus: [1] },
      { classId: 0, aus: null },
    ]);
    const result = scoreLabelIssues(table, rules);
    expect(result.vocabulary).toEqual([1, 6, 25, 43]);
    expect(result.likeliest[1]).toBe(1);
    expect(result.suggested[2]).toBe(0);
  });
});
