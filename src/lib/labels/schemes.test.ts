import { describe, expect, it } from 'vitest';
import {
  BUILTIN_SCHEMES,
  RAFCE_SCHEME,
  RAFDB_BASIC_SCHEME,
  RAFDB_COMPOUND_SCHEME,
  RAFDB_COMPOUND_TO_RAFCE,
  className,
  componentsFromName,
  defaultSplitNames,
  hasClass,
  schemeById,
  schemeFromClassNames,
  splitName,
} from './schemes';
import { LabelSchemeSchema, type BasicEmotion } from './types';

describe('built-in schemes', () => {
  it.each(BUILTIN_SCHEMES.map((s) => [s.id, s] as const))('%s is valid', (_id, scheme) => {
    expect(LabelSchemeSchema.parse(scheme)).toEqual(scheme);
    expect(schemeById(scheme.id)).toBe(scheme);
    expect(new Set(scheme.classes.map((c) => c.id)).size).toBe(scheme.classes.length);
  });

  it.each<[string, number[]]>([
    ['raf-ce', Array.from({ length: 14 }, (_, i) => i)],
    ['raf-db-basic', [1, 2, 3, 4, 5, 6, 7]],
    ['raf-db-compound', Array.from({ length: 11 }, (_, i) => i + 1)],
  ])('%s ids', (id, ids) => {
    expect(schemeById(id)?.classes.map((c) => c.id)).toEqual(ids);
  });

  it('does not know other ids', () => {
    expect(schemeById('affectnet')).toBeUndefined();
  });

  it.each<[number, string, BasicEmotion[]]>([
    [0, 'Happily surprised', ['happy', 'surprise']],
    [5, 'Sadly disgusted', ['sad', 'disgust']],
    [8, 'Fearfully disgusted', ['fear', 'disgust']],
    [12, 'Happily fearful', ['happy', 'fear']],
    [13, 'Happily sad', ['happy', 'sad']],
  ])('RAF-CE %i is %s', (id, name, components) => {
    expect(RAFCE_SCHEME.classes[id]).toEqual({ id, name, components });
  });

  it.each<[number, string]>([
    [1, 'Surprise'],
    [4, 'Happiness'],
    [7, 'Neutral'],
  ])('RAF-DB basic %i is %s', (id, name) => {
    expect(className(RAFDB_BASIC_SCHEME, id)).toBe(name);
  });

  it('maps every RAF-DB compound class to the RAF-CE class of the same name', () => {
    for (const c of RAFDB_COMPOUND_SCHEME.classes) {
      const rafce = RAFDB_COMPOUND_TO_RAFCE[c.id];
      expect(rafce).toBeDefined();
      expect(className(RAFCE_SCHEME, rafce as number)).toBe(c.name);
    }
    expect(RAFDB_COMPOUND_TO_RAFCE[9]).toBe(9);
  });
});

describe('className / hasClass / splitName', () => {
  it.each<[number, string, boolean]>([
    [10, 'Angrily disgusted', true],
    [14, 'class 14 (not in RAF-CE (14 compound classes, 0-based))', false],
    [-1, '(no emotion label)', false],
  ])('RAF-CE %i', (id, name, known) => {
    expect(className(RAFCE_SCHEME, id)).toBe(name);
    expect(hasClass(RAFCE_SCHEME, id)).toBe(known);
  });

  it.each<[number, string]>([
    [0, 'train'],
    [2, 'validation'],
    [3, 'split 3'],
    [-1, '(no split)'],
  ])('RAF-CE split %i', (split, name) => {
    expect(splitName(defaultSplitNames('raf-ce'), split)).toBe(name);
  });

  it.each([
    ['raf-ce', { 0: 'train', 1: 'test', 2: 'validation' }],
    ['raf-db-basic', { 0: 'train', 1: 'test' }],
    ['raf-db-compound', { 0: 'train', 1: 'test' }],
    ['generic-csv', {}],
  ] as const)('default split names of %s', (format, names) => {
    expect(defaultSplitNames(format)).toEqual(names);
  });

  it('returns a copy so editing the split names leaves the defaults alone', () => {
    const names = defaultSplitNames('raf-ce');
    names['2'] = 'val';
    expect(defaultSplitNames('raf-ce')['2']).toBe('validation');
  });
});

describe('componentsFromName', () => {
  it.each<[string, BasicEmotion[]]>([
    ['Happily surprised', ['happy', 'surprise']],
    ['happy', ['happy']],
    ['SADNESS', ['sad']],
    ['fearfully_angry', ['fear', 'anger']],
    ['disgustedly-surprised', ['disgust', 'surprise']],
    ['Neutral', ['neutral']],
    ['contempt', ['contempt']],
    ['happy happy', ['happy']],
    ['other', []],
  ])('%s', (name, components) => {
    expect(componentsFromName(name)).toEqual(components);
  });

  it('builds a scheme from names in the order given', () => {
    expect(schemeFromClassNames('csv', 'CSV', ['sad', 'Happily surprised']).classes).toEqual([
      { id: 0, name: 'sad', components: ['sad'] },
      { id: 1, name: 'Happily surprised', components: ['happy', 'surprise'] },
    ]);
  });
});
