import { describe, expect, it } from 'vitest';
import {
  classRuleFromText,
  classRuleToText,
  parseAuList,
  parseGroups,
  parsePairs,
  parseVariants,
} from './rule-text';
import type { ClassRule } from './schema';

describe('parseAuList', () => {
  it.each<[string, number[] | string]>([
    ['1+2+12+25', [1, 2, 12, 25]],
    [' 1 + 2 ', [1, 2]],
    ['AU6, au12', [6, 12]],
    ['', []],
    ['1+x', "AUs: 'x' is not an AU number (1-64)"],
    ['1+65', "AUs: '65' is not an AU number (1-64)"],
    ['12+12', 'AUs: AU12 is listed twice'],
  ])('%s', (text, expected) => {
    const parsed = parseAuList(text);
    expect('value' in parsed ? parsed.value : parsed.error).toEqual(expected);
  });
});

describe('parseGroups', () => {
  it.each<[string, number[][] | string]>([
    [
      '6/12; 1/2/5',
      [
        [6, 12],
        [1, 2, 5],
      ],
    ],
    ['15', [[15]]],
    ['', []],
    ['6/zz', "Any-of groups: 'zz' is not an AU number (1-64)"],
  ])('%s', (text, expected) => {
    const parsed = parseGroups(text);
    expect('value' in parsed ? parsed.value : parsed.error).toEqual(expected);
  });
});

describe('parseVariants', () => {
  it.each<[string, { au: number; rate: number }[] | string]>([
    [
      '5 64%, 26 67%',
      [
        { au: 5, rate: 0.64 },
        { au: 26, rate: 0.67 },
      ],
    ],
    ['5 (64%)', [{ au: 5, rate: 0.64 }]],
    ['9', [{ au: 9, rate: 0.5 }]],
    ['5 164%', "Variants: a rate is between 0% and 100% (got '5 164%')"],
    ['5 40%, 5 20%', 'Variants: AU5 is listed twice'],
  ])('%s', (text, expected) => {
    const parsed = parseVariants(text);
    if ('value' in parsed) expect(parsed.value).toEqual(expected);
    else expect(parsed.error).toBe(expected);
  });
});

describe('parsePairs', () => {
  it.each<[string, [number, number][] | string]>([
    [
      '12-15, 10-17',
      [
        [12, 15],
        [10, 17],
      ],
    ],
    ['', []],
    ['12', 'Pairs: write each pair as "12-15" (got \'12\')'],
    ['12-12', "Pairs: a pair needs two different AUs (got '12-12')"],
  ])('%s', (text, expected) => {
    const parsed = parsePairs(text);
    expect('value' in parsed ? parsed.value : parsed.error).toEqual(expected);
  });
});

describe('class rules as text', () => {
  const rule: ClassRule = {
    classId: 0,
    required: [1, 2, 12, 25],
    anyOf: [[6, 12]],
    variants: [
      { au: 5, rate: 0.64 },
      { au: 26, rate: 0.67 },
    ],
    discouragedPairs: [[12, 15]],
    components: ['happy', 'surprise'],
  };

  it('round-trips through the text form', () => {
    expect(classRuleFromText(rule, classRuleToText(rule))).toEqual({ rule });
  });

  it('collects every error', () => {
    const result = classRuleFromText(rule, {
      required: '1+x',
      anyOf: '',
      variants: '5 64%',
      discouragedPairs: '3',
    });
    expect(result).toEqual({
      errors: [
        "Required AUs: 'x' is not an AU number (1-64)",
        'Discouraged pairs: write each pair as "12-15" (got \'3\')',
      ],
    });
  });

  it('refuses a variant that is also required', () => {
    expect(classRuleFromText(rule, { ...classRuleToText(rule), variants: '12 50%' })).toEqual({
      errors: ['Variants: AU12 is already required'],
    });
  });
});
