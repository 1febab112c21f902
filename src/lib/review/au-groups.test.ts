import { describe, expect, it } from 'vitest';
import { ClassRuleSchema, type ClassRule } from '../rules/schema';
import { auGroups } from './au-groups';

const happilySurprised = ClassRuleSchema.parse({
  classId: 0,
  required: [12],
  anyOf: [],
  variants: [
    { au: 1, rate: 0.5 },
    { au: 2, rate: 0.5 },
  ],
  discouragedPairs: [],
  components: [],
});

describe('auGroups', () => {
  it.each<[string, number[], ClassRule | undefined, boolean, number[][]]>([
    ['all expected', [1, 2, 12], happilySurprised, true, [[1, 2, 12], [], []]],
    ['one unexpected, the required missing', [1, 4], happilySurprised, true, [[1], [4], [12]]],
    ['not coded: nothing is missing', [], happilySurprised, false, [[], [], []]],
    ['coded with no AU: the required is missing', [], happilySurprised, true, [[], [], [12]]],
    ['no rule: every AU is unexpected', [6, 12], undefined, true, [[], [6, 12], []]],
  ])('%s', (_, aus, rule, coded, expected) => {
    expect(auGroups(aus, rule, coded).map((g) => g.aus)).toEqual(expected);
  });
});
