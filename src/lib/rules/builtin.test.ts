import { describe, expect, it } from 'vitest';
import {
  RAFCE_SCHEME,
  RAFDB_BASIC_SCHEME,
  RAFDB_COMPOUND_SCHEME,
  RAFDB_COMPOUND_TO_RAFCE,
} from '../labels/schemes';
import {
  BUILTIN_RULE_SETS,
  builtinRuleSetFor,
  RAFCE_RULE_SET,
  RAFDB_BASIC_RULE_SET,
  RAFDB_COMPOUND_RULE_SET,
  REFERENCE_RARELY,
} from './builtin';
import { checkSample } from './check';
import { classRuleOf, FACS_EXCLUSIVE_PAIRS, RuleSetSchema } from './schema';

describe('built-in rule sets', () => {
  it.each([
    [RAFCE_RULE_SET, RAFCE_SCHEME],
    [RAFDB_COMPOUND_RULE_SET, RAFDB_COMPOUND_SCHEME],
  ])('$id covers every class of its scheme with the same components', (ruleSet, scheme) => {
    expect(RuleSetSchema.parse(ruleSet)).toEqual(ruleSet);
    expect(ruleSet.schemeId).toBe(scheme.id);
    expect(ruleSet.classes.map((r) => [r.classId, r.components])).toEqual(
      scheme.classes.map((c) => [c.id, c.components]),
    );
  });

  it('covers every basic class, leaving the hallmark check to compound classes', () => {
    expect(RuleSetSchema.parse(RAFDB_BASIC_RULE_SET)).toEqual(RAFDB_BASIC_RULE_SET);
    expect(RAFDB_BASIC_RULE_SET.schemeId).toBe(RAFDB_BASIC_SCHEME.id);
    expect(RAFDB_BASIC_RULE_SET.classes.map((r) => [r.classId, r.components])).toEqual(
      RAFDB_BASIC_SCHEME.classes.map((c) => [c.id, []]),
    );
  });

  it('cites its sources', () => {
    expect(RAFCE_RULE_SET.source).toMatch(/Du.*Tao.*Martinez.*2014.*PNAS/);
    expect(RAFCE_RULE_SET.source).toMatch(/EmotioNet/);
    expect(RAFDB_COMPOUND_RULE_SET.source).toMatch(/PNAS/);
    expect(RAFDB_BASIC_RULE_SET.source).toMatch(/EMFACS/);
  });

  // Du et al. 2014 as the reference transcribes it, spot-checked row by row.
  it.each<[number, number[], [number, number][]]>([
    [
      0,
      [1, 2, 12, 25],
      [
        [5, 0.64],
        [26, 0.67],
      ],
    ],
    [
      3,
      [4, 15],
      [
        [6, 0.26],
        [7, 0.48],
        [11, 0.2],
        [17, 0.5],
      ],
    ],
    [
      5,
      [4, 10],
      [
        [1, 0.49],
        [6, 0.61],
        [9, 0.2],
        [11, 0.35],
        [15, 0.54],
        [17, 0.47],
        [25, 0.43],
      ],
    ],
    [
      8,
      [1, 4, 10, 20, 25],
      [
        [2, 0.64],
        [5, 0.5],
        [6, 0.26],
        [9, 0.28],
        [15, 0.33],
      ],
    ],
    [
      11,
      [1, 2, 5, 10],
      [
        [4, 0.45],
        [9, 0.37],
        [17, 0.66],
        [24, 0.33],
      ],
    ],
    [12, [1, 2, 12, 25, 26], []],
    [13, [4, 6, 12, 25], []],
  ])('RAF-CE class %i: required %j, variants %j', (classId, required, variants) => {
    const rule = classRuleOf(RAFCE_RULE_SET, classId);
    expect(rule?.required).toEqual(required);
    expect(rule?.variants.map((v) => [v.au, v.rate])).toEqual(variants);
  });

  it('gives RAF-DB compound classes the facts of the RAF-CE class they map to', () => {
    for (const [rafDbId, rafCeId] of Object.entries(RAFDB_COMPOUND_TO_RAFCE)) {
      const { classId: _a, ...compound } = classRuleOf(RAFDB_COMPOUND_RULE_SET, Number(rafDbId))!;
      const { classId: _b, ...rafCe } = classRuleOf(RAFCE_RULE_SET, rafCeId)!;
      expect(compound).toEqual(rafCe);
    }
  });

  it('applies the reference pairs that rarely occur to every class', () => {
    for (const ruleSet of BUILTIN_RULE_SETS) expect(ruleSet.rarely).toEqual(REFERENCE_RARELY);
  });

  it.each(BUILTIN_RULE_SETS.map((r) => [r.id, r] as const))(
    '%s holds the FACS exclusive pairs',
    (_, ruleSet) => {
      expect(ruleSet.exclusive).toEqual(FACS_EXCLUSIVE_PAIRS);
    },
  );

  // No source's face contradicts FACS: not the prototype, nor the prototype with any one
  // variant (variants are alternatives: EMFACS surprise lists both 26 and 27).
  it.each(
    BUILTIN_RULE_SETS.flatMap((ruleSet) =>
      ruleSet.classes.map((r) => [ruleSet.id, r.classId, ruleSet] as const),
    ),
  )(
    '%s class %i: the prototype with any one variant breaks FACS in no way',
    (_, classId, ruleSet) => {
      const rule = classRuleOf(ruleSet, classId)!;
      for (const extra of [[], ...rule.variants.map((v) => [v.au])]) {
        const aus = [...rule.required, ...extra];
        const result = checkSample({ aus, status: 'coded', unknownTokens: 0, classId }, ruleSet);
        expect(result.verdict, `${aus.join('+')}`).not.toBe('breaks-facs');
      }
    },
  );

  // Every prototype a source gives must itself pass its class's rule.
  it.each<[string, number, number[]]>([
    ...RAFCE_RULE_SET.classes.map(
      (r) => [`RAF-CE ${r.classId}`, r.classId, r.required] as [string, number, number[]],
    ),
    ['EMFACS happiness 6+12', 4, [6, 12]],
    ['EMFACS happiness 12 alone', 4, [12]],
    ['EMFACS sadness 1+4+15', 5, [1, 4, 15]],
    ['EMFACS sadness 6+15', 5, [6, 15]],
    ['EMFACS sadness 11+17', 5, [11, 17]],
    ['EMFACS surprise 1+2+5+26', 1, [1, 2, 5, 26]],
    ['EMFACS surprise 1+2+27', 1, [1, 2, 27]],
    ['EMFACS surprise 5+26', 1, [5, 26]],
    ['EMFACS fear 1+2+4+5+7+20+26', 2, [1, 2, 4, 5, 7, 20, 26]],
    ['EMFACS fear 1+2+4', 2, [1, 2, 4]],
    ['EMFACS fear 5+20', 2, [5, 20]],
    ['EMFACS anger 4+5+7+23', 6, [4, 5, 7, 23]],
    ['EMFACS anger 17+24', 6, [17, 24]],
    ['EMFACS disgust 9+15+16', 3, [9, 15, 16]],
    ['EMFACS disgust 10+17', 3, [10, 17]],
    ['neutral, no AU', 7, []],
  ])('%s fits its own rule', (_, classId, aus) => {
    const ruleSet = classId <= 7 && !_.startsWith('RAF-CE') ? RAFDB_BASIC_RULE_SET : RAFCE_RULE_SET;
    const result = checkSample({ aus, status: 'coded', unknownTokens: 0, classId }, ruleSet);
    expect(result.verdict, JSON.stringify(result.reasons)).toBe('fits');
  });
});

describe('built-in rule sets and FACS contradictions', () => {
  // A source's face with one exclusive AU added: it breaks FACS, whatever else fits.
  it.each<[string, number, number[], 'RAF-CE' | 'basic']>([
    ['EMFACS surprise 1+2+5+26 with 27 as well', 1, [1, 2, 5, 26, 27], 'basic'],
    ['EMFACS fear with 43 beside 5', 2, [1, 2, 4, 5, 7, 20, 26, 43], 'basic'],
    ['neutral with eyes closed and a blink', 7, [43, 45], 'basic'],
    ['happily surprised with 26 and 27', 0, [1, 2, 12, 25, 26, 27], 'RAF-CE'],
    ['happily fearful with 26 and 27', 12, [1, 2, 12, 25, 26, 27], 'RAF-CE'],
    ['sadly surprised with 41 and 42', 4, [1, 4, 25, 26, 41, 42], 'RAF-CE'],
  ])('%s breaks FACS', (_, classId, aus, set) => {
    const ruleSet = set === 'basic' ? RAFDB_BASIC_RULE_SET : RAFCE_RULE_SET;
    const result = checkSample({ aus, status: 'coded', unknownTokens: 0, classId }, ruleSet);
    expect(result.verdict).toBe('breaks-facs');
    expect(result.reasons.map((r) => r.kind)).toEqual(['exclusive-pair']);
  });
});

describe('builtinRuleSetFor', () => {
  it.each([
    ['raf-ce', RAFCE_RULE_SET],
    ['raf-db-compound', RAFDB_COMPOUND_RULE_SET],
    ['raf-db-basic', RAFDB_BASIC_RULE_SET],
    ['generic', undefined],
  ])('%s', (schemeId, expected) => {
    expect(builtinRuleSetFor(schemeId)).toEqual(expected);
  });

  it('returns a copy: editing it leaves the built-in alone', () => {
    const copy = builtinRuleSetFor('raf-ce')!;
    copy.classes[0]!.required.push(26);
    expect(RAFCE_RULE_SET.classes[0]!.required).toEqual([1, 2, 12, 25]);
  });
});
