import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  oneSidedMasks,
  oneSidedMaskWords,
  FACS_AU_NAMES,
  activeAus,
  auMaskWords,
  auName,
  auValueIssues,
  describeToken,
  maskHas,
  maskToAus,
  isKnownToken,
  parseAuString,
  parseAuToken,
} from './au';
import { AuStatus, AuTokenSchema, type AuToken } from './types';

const au = (
  raw: string,
  n: number,
  side: AuToken['side'] = null,
  intensity: AuToken['intensity'] = null,
): AuToken => ({ raw, au: n, kind: 'AU', side, intensity });
const ad = (raw: string, n: number): AuToken => ({
  raw,
  au: n,
  kind: 'AD',
  side: null,
  intensity: null,
});

describe('parseAuString', () => {
  it.each<[string, string, AuToken[], string[]]>([
    ['plain AUs', '1+4+25', [au('1', 1), au('4', 4), au('25', 25)], []],
    ['left side prefix', 'L12+24', [au('L12', 12, 'L'), au('24', 24)], []],
    ['right side prefix', 'R1', [au('R1', 1, 'R')], []],
    ['bottom prefix', 'B22', [au('B22', 22, 'B')], []],
    ['top prefix', 'T24', [au('T24', 24, 'T')], []],
    ['intensity suffix', '5B', [au('5B', 5, null, 'B')], []],
    ['side and intensity', 'L12E', [au('L12E', 12, 'L', 'E')], []],
    ['action descriptor', '9+AD19+24', [au('9', 9), ad('AD19', 19), au('24', 24)], []],
    ['duplicates kept', '1+2+5+26+26', [1, 2, 5, 26, 26].map((n) => au(String(n), n)), []],
    ['lower-case side', 't23', [au('t23', 23, 'T')], []],
    ['two prefixes', '4+RB18', [au('4', 4)], ['RB18']],
    ['two prefixes, other order', 'BL18+25', [au('25', 25)], ['BL18']],
    ['side letter as suffix', 'L12L+25', [au('25', 25)], ['L12L']],
    ['AU prefix', 'AU12', [], ['AU12']],
    ['junk token', 'x+12', [au('12', 12)], ['x']],
    ['empty token between ++', '1++2', [au('1', 1), au('2', 2)], ['']],
    ['trailing spaces', '1+2   ', [au('1', 1), au('2', 2)], []],
    ['spaces around tokens', ' 1 + L2 ', [au('1', 1), au('L2', 2, 'L')], []],
    ['empty string is not "no AU"', '', [], ['']],
    ['blank string', '   ', [], ['']],
    ['trailing +', '12+', [au('12', 12)], ['']],
  ])('%s: %j', (_label, raw, tokens, unknown) => {
    const parsed = parseAuString(raw);
    expect(parsed.status).toBe('coded');
    expect(parsed.tokens).toEqual(tokens);
    expect(parsed.unknown).toEqual(unknown);
    for (const token of parsed.tokens) expect(AuTokenSchema.parse(token)).toEqual(token);
  });

  it.each(['null', 'NULL', 'NULL ', ' Null\t', 'nUlL'])('%j means not coded', (raw) => {
    expect(parseAuString(raw)).toEqual({ status: 'null', tokens: [], unknown: [], notes: [] });
  });

  it.each<[string, string[]]>([
    ['t23', ["lower-case token 't23' read as T23"]],
    ['ad19+l12b', ["lower-case token 'ad19' read as AD19", "lower-case token 'l12b' read as L12B"]],
    ['T23+L12B', []],
  ])('notes lower-case letters in %j', (raw, messages) => {
    expect(parseAuString(raw).notes.map((n) => n.message)).toEqual(messages);
  });
});

describe('auValueIssues', () => {
  it.each<[string, { raw: string; unknown: boolean; message: string }[]]>([
    ['1+4+25', []],
    [
      'RB18+3',
      [
        {
          raw: 'RB18',
          unknown: true,
          message:
            "AU token 'RB18' is outside the grammar [L|R|B|T]<number>[A-E] or AD<number>; kept raw",
        },
        { raw: '3', unknown: true, message: "AU token '3': AU3 is not a FACS code; kept raw" },
      ],
    ],
    [
      '1++2',
      [
        {
          raw: '',
          unknown: true,
          message: 'empty AU token (nothing between separators); kept raw',
        },
      ],
    ],
    ['t23', [{ raw: 't23', unknown: false, message: "lower-case token 't23' read as T23" }]],
    ['null', []],
  ])('%j', (raw, issues) => {
    expect(auValueIssues(parseAuString(raw))).toEqual(issues);
  });
});

describe('parseAuString round trip (property)', () => {
  const side = fc.constantFrom('', 'L', 'R', 'B', 'T');
  const intensity = fc.constantFrom('', 'A', 'B', 'C', 'D', 'E');
  const auNumber = fc.integer({ min: 0, max: 999 });
  const auToken = fc
    .tuple(side, auNumber, intensity)
    .map(([s, n, i]) => ({ raw: `${s}${n}${i}`, au: n, side: s || null, intensity: i || null }));
  const adToken = auNumber.map((n) => ({ raw: `AD${n}`, au: n, side: null, intensity: null }));
  const token = fc.oneof(
    auToken.map((t) => ({ ...t, kind: 'AU' as const })),
    adToken.map((t) => ({ ...t, kind: 'AD' as const })),
  );

  it('parse(join(tokens)) gives the tokens back, raw included', () => {
    fc.assert(
      fc.property(fc.array(token, { minLength: 1, maxLength: 12 }), (tokens) => {
        const parsed = parseAuString(tokens.map((t) => t.raw).join('+'));
        expect(parsed.status).toBe('coded');
        expect(parsed.unknown).toEqual([]);
        expect(parsed.tokens).toEqual(tokens);
        expect(parsed.tokens.map((t) => t.raw).join('+')).toBe(tokens.map((t) => t.raw).join('+'));
      }),
    );
  });

  it('never drops a token: tokens + unknown account for every + part', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 40 }), (raw) => {
        const parsed = parseAuString(raw);
        if (parsed.status === 'null') return;
        expect(parsed.tokens.length + parsed.unknown.length).toBe(raw.split('+').length);
      }),
    );
  });
});

describe('FACS names', () => {
  it.each<[number, string | null]>([
    [1, 'Inner Brow Raiser'],
    [12, 'Lip Corner Puller'],
    [19, 'Tongue Show'],
    [21, 'Neck Tightener'],
    [29, 'Jaw Thrust'],
    [30, 'Jaw Sideways'],
    [31, 'Jaw Clencher'],
    [32, 'Lip Bite'],
    [33, 'Cheek Blow'],
    [34, 'Cheek Puff'],
    [35, 'Cheek Suck'],
    [36, 'Tongue Bulge'],
    [37, 'Lip Wipe'],
    [38, 'Nostril Dilator'],
    [39, 'Nostril Compressor'],
    [43, 'Eyes Closed'],
    [46, 'Wink'],
    [64, 'Eyes Down'],
    [3, null],
    [8, null],
    [40, null],
    [47, null],
    [65, null],
  ])('AU%i is %j', (n, name) => {
    expect(auName(n)).toBe(name);
  });

  it('covers 0 (neutral), 1, 2, 4-7, 9-39, 41-46 and 51-64', () => {
    const expected = [0, 1, 2, 4, 5, 6, 7];
    for (let n = 9; n <= 39; n++) expected.push(n);
    for (let n = 41; n <= 46; n++) expected.push(n);
    for (let n = 51; n <= 64; n++) expected.push(n);
    expect(Object.keys(FACS_AU_NAMES).map(Number)).toEqual(expected);
  });
});

describe('a face coded with no AU active', () => {
  it('is the FACS code 0: known, coded, and no bit of the mask', () => {
    const parsed = parseAuString('0');
    expect(parsed).toMatchObject({ status: 'coded', unknown: [] });
    expect(parsed.tokens.map(isKnownToken)).toEqual([true]);
    expect(auMaskWords(parsed.tokens)).toEqual([0, 0]);
  });
});

describe('describeToken', () => {
  it.each<[string, string]>([
    ['L12B', 'AU12 Lip Corner Puller, left side, intensity B (slight)'],
    ['R2', 'AU2 Outer Brow Raiser, right side'],
    ['B22', 'AU22 Lip Funneler, bottom only'],
    ['T24', 'AU24 Lip Pressor, top only'],
    ['5A', 'AU5 Upper Lid Raiser, intensity A (trace)'],
    ['4C', 'AU4 Brow Lowerer, intensity C (marked/pronounced)'],
    ['4D', 'AU4 Brow Lowerer, intensity D (severe/extreme)'],
    ['4E', 'AU4 Brow Lowerer, intensity E (maximum)'],
    ['AD19', 'AD19 Tongue Show (action descriptor)'],
    ['3', 'AU3 (not a FACS code)'],
  ])('%s', (raw, text) => {
    const token = parseAuToken(raw);
    expect(token).not.toBeNull();
    expect(describeToken(token as AuToken)).toBe(text);
  });
});

describe('AU mask', () => {
  it.each<[string, number, number, number[]]>([
    ['1', 1, 0, [1]],
    ['1+2+32', 0x80000003, 0, [1, 2, 32]],
    ['33+64', 0, 0x80000001, [33, 64]],
    ['26+26', 1 << 25, 0, [26]],
    ['L12+R12+12C', 1 << 11, 0, [12]],
    ['AD19+65+0', 0, 0, []],
    ['43+45', 0, (1 << 10) | (1 << 12), [43, 45]],
  ])('%j', (raw, lo, hi, aus) => {
    const words = auMaskWords(parseAuString(raw).tokens);
    expect(words).toEqual([lo, hi]);
    const mask = new Uint32Array([0, 0, ...words]);
    expect(maskToAus(mask, 1)).toEqual(aus);
    expect(maskToAus(mask, 0)).toEqual([]);
    for (let n = 1; n <= 64; n++) expect(maskHas(mask, 1, n)).toBe(aus.includes(n));
    expect(maskHas(mask, 1, 0)).toBe(false);
    expect(maskHas(mask, 1, 65)).toBe(false);
  });

  it('throws for a sample outside the mask (a programming bug)', () => {
    expect(() => maskToAus(new Uint32Array(2), 1)).toThrow(RangeError);
    expect(() => maskHas(new Uint32Array(2), 1, 1)).toThrow(RangeError);
  });
});

describe('activeAus: the AUs a value sets', () => {
  it.each<[string, string, number[] | null]>([
    ['plain AUs, ordered and once', '25+4+1+4', [1, 4, 25]],
    ['action descriptor is no AU', 'AD19', []],
    ['action descriptor beside AUs', '9+AD19+24', [9, 24]],
    ['side prefix is the same AU', 'L12', [12]],
    ['intensity suffix is the same AU', '12B', [12]],
    ['side and intensity', 'L12E+R12', [12]],
    ['visibility code 70 is no AU', '70', []],
    ['above the mask beside an AU', '4+70', [4]],
    ['the highest head or eye code', '64', [64]],
    ['a number FACS leaves unused counts as written', '3', [3]],
    ['0 is the neutral face: coded, no AU', '0', []],
    ['an empty text is coded, no AU', '', []],
    ['null is not coded', 'null', null],
    ['null in any case and spacing', ' NULL ', null],
    ['side letter as suffix: unknown', 'L12L', []],
    ['two prefixes: unknown', 'BL18', []],
    ['junk: unknown', 'x', []],
    ['unknown tokens beside known ones', 'x+L12L+25', [25]],
    ['lower case is read', 'l12b+ad19', [12]],
  ])('%s: %j', (_label, raw, aus) => {
    expect(activeAus(raw)).toEqual(aus);
  });

  it.each<[string, string, boolean]>([
    ['L12', '12', true],
    ['12B', 'R12A', true],
    ['1+2', '2+1+2', true],
    ['4+AD19', '4', true],
    ['0', '', true],
    ['0', 'null', false],
    ['12', '12+25', false],
    ['L12L', '12', false],
  ])('%j and %j are the same AU set: %s', (a, b, same) => {
    expect(activeAus(a)?.join('+') === activeAus(b)?.join('+')).toBe(same);
  });

  it('agrees with the AU mask made from the same text (property)', () => {
    const token = fc.oneof(
      fc
        .tuple(
          fc.constantFrom('', 'L', 'R', 'B', 'T'),
          fc.integer({ min: 0, max: 99 }),
          fc.constantFrom('', 'A', 'E'),
        )
        .map(([s, n, i]) => `${s}${n}${i}`),
      fc.integer({ min: 0, max: 99 }).map((n) => `AD${n}`),
      fc.constantFrom('x', 'L12L', 'BL18', ''),
    );
    fc.assert(
      fc.property(fc.array(token, { minLength: 1, maxLength: 8 }), (tokens) => {
        const raw = tokens.join('+');
        const mask = new Uint32Array(auMaskWords(parseAuString(raw).tokens));
        expect(activeAus(raw)).toEqual(maskToAus(mask, 0));
      }),
    );
  });
});

describe('oneSidedMaskWords', () => {
  it.each([
    ['L12', [12]],
    ['R2+25', [2]],
    ['L12+12', []],
    ['L12+B12', []],
    ['L2+R2', []],
    ['L1+R2', [1, 2]],
    ['T24+B22', []],
    ['L43+R33', [33, 43]],
    ['AD19+L70', []],
    ['12', []],
    ['0', []],
    ['null', []],
  ])('%s: one-sided %j', (raw, aus) => {
    const [lo, hi] = oneSidedMaskWords(parseAuString(raw).tokens);
    expect(maskToAus(Uint32Array.of(lo, hi), 0)).toEqual(aus);
  });
});

describe('oneSidedMasks', () => {
  it("gives each coded sample its AU text's one-sided AUs, and 0 to samples not coded", () => {
    const auRaw = ['L12+25', 'null', '', 'L12+25', 'R2+L2+R9'];
    const auStatus = Uint8Array.of(
      AuStatus.coded,
      AuStatus.null,
      AuStatus.absent,
      AuStatus.coded,
      AuStatus.coded,
    );
    const masks = oneSidedMasks(auRaw, auStatus);
    expect([0, 1, 2, 3, 4].map((i) => maskToAus(masks, i))).toEqual([[12], [], [], [12], [9]]);
  });
});
