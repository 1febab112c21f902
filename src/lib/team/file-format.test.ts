import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { z } from 'zod';
import { findJsonError, lineColumn, parseJsonText, readTeamFile, safeName } from './file-format';

describe('findJsonError and parseJsonText', () => {
  it.each<[string, string, number, string]>([
    ['trailing comma in an array', '[1, 2,]', 6, 'a comma before ] (trailing commas are not JSON)'],
    [
      'trailing comma in an object',
      '{"a": 1,}',
      8,
      'a comma before } (trailing commas are not JSON)',
    ],
    ['single quotes', "{'a': 1}", 1, 'expected a property name in double quotes'],
    ['stray word', 'hello', 0, 'unexpected character "h"'],
    ['two values', '{"a":1}}', 7, 'more text after the end of the JSON value'],
    [
      'raw line break in a string',
      '["a\nb"]',
      3,
      'a control character (a raw line break or tab?) inside a string',
    ],
    ['missing comma', '[1 2]', 3, "expected ',' or ']'"],
    ['cut off', '{"a": [1, ', 10, 'the file ends too early (was it cut off?)'],
    ['bad escape', '["\\x"]', 3, 'a bad escape \\x in a string'],
    ['bad number', '[-]', 1, 'a malformed number'],
  ])('%s', (_name, input, position, reason) => {
    expect(() => {
      JSON.parse(input);
    }).toThrow();
    expect(findJsonError(input)).toEqual({ position, reason });
  });

  it('finds nothing wrong in valid JSON', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (v) => {
        expect(findJsonError(JSON.stringify(v, null, 1))).toBeNull();
      }),
    );
  });

  it('reports line and column', () => {
    expect(parseJsonText('{\n  "a": tru\n}', 'f.json')).toEqual({
      ok: false,
      problems: ['f.json is not valid JSON at line 2, column 8: unexpected character "t"'],
    });
  });
});

describe('readTeamFile', () => {
  const schema = z.object({
    format: z.literal('au-review-session'),
    version: z.literal(1),
    n: z.number(),
  });
  it.each<[string, string, string[]]>([
    [
      'a wrong field type',
      '{"format":"au-review-session","version":1,"n":"x"}',
      ['s.json: n: Invalid input: expected number, received string'],
    ],
    ['a refused precheck', '{"format":"au-review-session","version":1,"n":1}', ['nope']],
  ])('reports %s', (_name, text, problems) => {
    const precheck = (json: unknown): string[] =>
      (json as { n: unknown }).n === 1 ? ['nope'] : [];
    expect(readTeamFile(text, 's.json', 'au-review-session', 1, schema, { precheck })).toEqual({
      ok: false,
      problems,
    });
  });

  it('refuses text over the size limit before parsing it', () => {
    const text = '{"format":"au-review-session","version":1,"n":1}';
    expect(readTeamFile(text, 's.json', 'au-review-session', 1, schema, { maxChars: 10 })).toEqual({
      ok: false,
      problems: [
        `s.json is too large for a team session file: ${text.length} characters, at most 10`,
      ],
    });
  });

  it('says why an older version cannot be read', () => {
    const text = '{"format":"au-review-session","version":1,"n":1}';
    expect(
      readTeamFile(text, 's.json', 'au-review-session', 2, schema, {
        olderVersion: 'it is unsigned',
      }),
    ).toEqual({
      ok: false,
      problems: [
        's.json is a team session file version 1; this app reads version 2: it is unsigned',
      ],
    });
  });
});

describe('small helpers', () => {
  it.each<[string, number, { line: number; column: number }]>([
    ['ab\ncd', 0, { line: 1, column: 1 }],
    ['ab\ncd', 3, { line: 2, column: 1 }],
    ['ab\ncd', 99, { line: 2, column: 3 }],
  ])('lineColumn(%j, %i)', (text, position, expected) => {
    expect(lineColumn(text, position)).toEqual(expected);
  });

  it.each<[string, string]>([
    ['alice', 'alice'],
    ['Zoë Müller', 'Zo_M_ller'],
    ['../../etc', '.._.._etc'],
    ['', '_'],
  ])('safeName(%j) = %j', (text, expected) => {
    expect(safeName(text)).toBe(expected);
  });
});
