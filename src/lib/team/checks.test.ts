import { describe, expect, it } from 'vitest';
import { auTextProblem, textProblem } from './checks';

describe('textProblem', () => {
  it.each<[string, number, boolean, string | null]>([
    ['Ada', 10, false, null],
    ['', 10, false, null],
    ['x'.repeat(11), 10, false, 'is 11 characters long; at most 10 are allowed'],
    ['a\nb', 10, false, 'contains a line break'],
    ['a\nb\tc', 10, true, null],
    ['a\rb', 10, true, 'contains a carriage return'],
    ['a\u0000', 10, true, 'contains a control character (U+0000)'],
    ['a\u2028b', 10, false, 'contains a control character (U+2028)'],
    ['a\u0085b', 10, false, 'contains a control character (U+0085)'],
    ['Émile 😀', 10, false, null],
  ])('%j (max %i, multiline %s)', (value, max, multiline, problem) => {
    expect(textProblem(value, max, { multiline })).toBe(problem);
  });
});

describe('auTextProblem', () => {
  it.each<[string, string, string | null]>([
    ['1+2+5B+26', '', null],
    ['L12+AD19+t23', '', null],
    ['', '', null],
    [
      '12+x',
      '',
      'AU text "12+x": token "x" is outside the AU grammar [L|R|B|T]<number>[A-E] or AD<number>',
    ],
    ['12+x', '4+x', null],
    ['12+', '', 'AU text "12+" has an empty token (nothing between two \'+\')'],
    ['12+', '4+', 'AU text "12+" has an empty token (nothing between two \'+\')'],
    ['NULL', '', 'AU text "null" must be written as "not coded", not as AU text'],
    ['12\n13', '', 'AU text "12\\n13" contains a line break'],
    [
      '1+'.repeat(300),
      '',
      'AU text "1+1+1+1+1+1+1+1+1+1+1+1+1+1+1+1+1+1+1+1+…" is 600 characters long; at most 500 are allowed',
    ],
  ])('%j (original %j)', (raw, original, problem) => {
    expect(auTextProblem(raw, original)).toBe(problem);
  });
});
