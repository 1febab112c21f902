import { describe, expect, it } from 'vitest';
import { BUILTIN_RULE_SETS, RAFCE_RULE_SET } from './builtin';
import {
  classRuleOf,
  FACS_EXCLUSIVE_PAIRS,
  parseRuleSetJson,
  ruleSetToJson,
  RuleSetSchema,
  type RuleSet,
} from './schema';

function withChange(change: (data: Record<string, unknown>) => void): string {
  const data = JSON.parse(ruleSetToJson(RAFCE_RULE_SET)) as Record<string, unknown>;
  change(data);
  return JSON.stringify(data);
}

type Data = Record<string, unknown> & {
  classes: Record<string, unknown>[];
  hallmarks: Record<string, unknown>;
  settings?: Record<string, unknown>;
};

describe('parseRuleSetJson', () => {
  it.each(BUILTIN_RULE_SETS.map((r) => [r.id, r] as const))(
    'reads back what ruleSetToJson wrote: %s',
    (_, ruleSet) => {
      const result = parseRuleSetJson(ruleSetToJson(ruleSet), 'rules.json');
      expect(result).toEqual({ ruleSet });
    },
  );

  it.each<[string, string, string, RegExp]>([
    ['not JSON', '{ "version": 1,', '', /not valid JSON/],
    ['an empty file', '', '', /not valid JSON/],
    ['JSON that is not an object', '[1, 2]', '', /object/],
    ['a future version', withChange((d) => (d.version = 2)), 'version', /1/],
    [
      'AU 0',
      withChange((d) => ((d as Data).classes[0]!.required = [0, 1])),
      'classes[0].required[0]',
      /.+/,
    ],
    [
      'AU 65',
      withChange((d) => ((d as Data).classes[1]!.required = [65])),
      'classes[1].required[0]',
      /1-64/,
    ],
    [
      'a fractional AU',
      withChange((d) => ((d as Data).classes[0]!.required = [1.5])),
      'classes[0].required[0]',
      /int/i,
    ],
    [
      'a rate above 1',
      withChange((d) => ((d as Data).classes[0]!.variants = [{ au: 5, rate: 64 }])),
      'classes[0].variants[0].rate',
      /.+/,
    ],
    [
      'an AU both required and a variant',
      withChange((d) => ((d as Data).classes[0]!.variants = [{ au: 12, rate: 0.5 }])),
      'classes[0].variants[0].au',
      /already required/,
    ],
    [
      'a required AU twice',
      withChange((d) => ((d as Data).classes[0]!.required = [1, 1])),
      'classes[0].required[1]',
      /twice/,
    ],
    [
      'two rules for one class',
      withChange((d) => ((d as Data).classes[1]!.classId = 0)),
      'classes[1].classId',
      /two rules/,
    ],
    ['a pair of one AU', withChange((d) => (d.rarely = [[12, 12]])), 'rarely[0]', /two different/],
    [
      'an exclusive pair of one AU',
      withChange(
        (d) =>
          (d.exclusive = [
            [26, 27],
            [43, 43],
          ]),
      ),
      'exclusive[1]',
      /two different/,
    ],
    [
      'an exclusive pair beyond the mask',
      withChange((d) => (d.exclusive = [[26, 65]])),
      'exclusive[0][1]',
      /1-64/,
    ],
    [
      'an exclusive pair of three AUs',
      withChange((d) => (d.exclusive = [[41, 42, 43]])),
      'exclusive[0]',
      /.+/,
    ],
    [
      'an unknown component',
      withChange((d) => ((d as Data).classes[0]!.components = ['joy'])),
      'classes[0].components[0]',
      /.+/,
    ],
    [
      'a missing hallmark entry',
      withChange((d) => delete (d as Data).hallmarks.sad),
      'hallmarks.sad',
      /.+/,
    ],
    [
      'an empty any-of group',
      withChange((d) => ((d as Data).classes[0]!.anyOf = [[]])),
      'classes[0].anyOf[0]',
      /.+/,
    ],
    [
      'a blend weight above 1',
      withChange((d) => ((d as Data).settings = { priorBlend: 2 })),
      'settings.priorBlend',
      /.+/,
    ],
  ])('reports %s with its path, never throws', (_, text, path, message) => {
    const result = parseRuleSetJson(text, 'my-rules.json');
    expect('problems' in result).toBe(true);
    if (!('problems' in result)) return;
    expect(result.problems).toContainEqual({
      file: 'my-rules.json',
      path,
      message: expect.stringMatching(message) as unknown as string,
    });
  });

  it('fills default settings when the file has none', () => {
    const text = withChange((d) => delete d.settings);
    const result = parseRuleSetJson(text, 'r.json');
    expect('ruleSet' in result && result.ruleSet.settings).toEqual({
      minClassSamples: 10,
      priorBlend: 0.3,
    });
  });

  it('fills the FACS exclusive pairs when a file (written before them) has none', () => {
    const text = withChange((d) => delete d.exclusive);
    const result = parseRuleSetJson(text, 'r.json');
    expect('ruleSet' in result && result.ruleSet.exclusive).toEqual(FACS_EXCLUSIVE_PAIRS);
    expect(result).toEqual({ ruleSet: RAFCE_RULE_SET });
  });

  it('gives each rule set its own copy of the default pairs', () => {
    const first = RuleSetSchema.parse(JSON.parse(withChange((d) => delete d.exclusive)));
    first.exclusive[0]![0] = 1;
    first.exclusive.push([1, 2]);
    const second = RuleSetSchema.parse(JSON.parse(withChange((d) => delete d.exclusive)));
    expect(second.exclusive).toEqual(FACS_EXCLUSIVE_PAIRS);
    expect(FACS_EXCLUSIVE_PAIRS[0]).toEqual([26, 27]);
    expect(FACS_EXCLUSIVE_PAIRS).toHaveLength(8);
  });

  it.each<[string, [number, number][]]>([
    ['an empty list (the check turned off)', []],
    ['a list of its own', [[1, 2]]],
    ['the FACS pairs plus one', [...FACS_EXCLUSIVE_PAIRS, [10, 17]]],
  ])('keeps %s through a round trip', (_, exclusive) => {
    const ruleSet = RuleSetSchema.parse({ ...RAFCE_RULE_SET, exclusive });
    const result = parseRuleSetJson(ruleSetToJson(ruleSet), 'r.json');
    expect('ruleSet' in result && result.ruleSet.exclusive).toEqual(exclusive);
    expect(result).toEqual({ ruleSet });
  });

  it('ignores a byte-order mark', () => {
    expect(parseRuleSetJson(`\uFEFF${ruleSetToJson(RAFCE_RULE_SET)}`, 'r.json')).toEqual({
      ruleSet: RAFCE_RULE_SET,
    });
  });
});

describe('ruleSetToJson', () => {
  it('is stable: the same rule set with keys in another order gives the same bytes', () => {
    const shuffled = JSON.parse(ruleSetToJson(RAFCE_RULE_SET)) as RuleSet;
    const reordered = Object.fromEntries(Object.entries(shuffled).reverse()) as RuleSet;
    reordered.hallmarks = Object.fromEntries(
      Object.entries(shuffled.hallmarks).reverse(),
    ) as RuleSet['hallmarks'];
    expect(ruleSetToJson(reordered)).toBe(ruleSetToJson(RAFCE_RULE_SET));
  });

  it('writes number arrays on one line, keeps text untouched, ends with a newline', () => {
    const ruleSet = RuleSetSchema.parse({ ...RAFCE_RULE_SET, source: 'pairs like [1,2] [3, 4]' });
    const json = ruleSetToJson(ruleSet);
    expect(json).toContain('"required": [1, 2, 12, 25]');
    expect(json).toContain('"exclusive": [\n    [26, 27],\n    [41, 42],');
    expect(json).toContain('"source": "pairs like [1,2] [3, 4]"');
    expect(json.endsWith('}\n')).toBe(true);
    expect(JSON.parse(json)).toEqual(ruleSet);
  });

  it('writes the exclusive pairs after the rarely pairs, before the settings', () => {
    const keys = Object.keys(JSON.parse(ruleSetToJson(RAFCE_RULE_SET)) as object);
    expect(keys.slice(-4)).toEqual(['together', 'rarely', 'exclusive', 'settings']);
  });
});

describe('classRuleOf', () => {
  it.each([
    [0, [1, 2, 12, 25]],
    [13, [4, 6, 12, 25]],
    [14, undefined],
  ])('class %i', (classId, required) => {
    expect(classRuleOf(RAFCE_RULE_SET, classId)?.required).toEqual(required);
  });
});
