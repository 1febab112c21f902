import { describe, expect, it } from 'vitest';
import type { BasicEmotion, LabelClass } from '../labels/types';
import { classAgainstExpression, componentsLead, expressionIndex } from './expression';

// angry, disgust, fear, happy, sad, surprise, neutral
const happySurprised = [0.02, 0.01, 0.02, 0.5, 0.0, 0.4, 0.05];
const happyOnly = [0.02, 0.01, 0.02, 0.8, 0.0, 0.05, 0.1];
const tiedSecond = [0.0, 0.0, 0.0, 0.5, 0.0, 0.25, 0.25];

describe('componentsLead', () => {
  it.each<[string, number[], BasicEmotion[], 'yes' | 'tie' | 'no']>([
    ['both components lead', happySurprised, ['happy', 'surprise'], 'yes'],
    ['order does not matter', happySurprised, ['surprise', 'happy'], 'yes'],
    ['one component behind neutral', happyOnly, ['happy', 'surprise'], 'no'],
    ['a component tied for second place', tiedSecond, ['happy', 'surprise'], 'tie'],
    ['a basic class that leads', happyOnly, ['happy'], 'yes'],
    ['neutral is rated', [0, 0, 0, 0.1, 0, 0, 0.9], ['neutral'], 'yes'],
    ['contempt is not rated', happyOnly, ['contempt'], 'no'],
    ['no components', happyOnly, [], 'no'],
  ])('%s', (_name, probabilities, components, expected) => {
    expect(componentsLead(probabilities, components)).toBe(expected);
  });

  it('maps every basic emotion but contempt', () => {
    expect(expressionIndex('happy')).toBe(3);
    expect(expressionIndex('anger')).toBe(0);
    expect(expressionIndex('contempt')).toBe(-1);
  });
});

describe('classAgainstExpression', () => {
  const classes: LabelClass[] = [
    { id: 0, name: 'Happily surprised', components: ['happy', 'surprise'] },
    { id: 1, name: 'Contempt', components: ['contempt'] },
  ] as LabelClass[];

  it('counts leading expressions and component leads per class, unread samples left out', () => {
    const expressions = [happySurprised, happyOnly, tiedSecond, null, happyOnly];
    const rows = classAgainstExpression(classes, [0, 0, 0, 0, 1], (i) => expressions[i] ?? null);
    expect(rows[0]).toMatchObject({ read: 3, leading: [0, 0, 0, 3, 0, 0, 0], componentsLead: 1.5 });
    expect(rows[1]).toMatchObject({ read: 1, componentsLead: null });
  });
});
