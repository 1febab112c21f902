import { AuStatus, type AuToken } from './types';

/**
 * The FACS Action Unit string grammar, in one place:
 *
 *   value  = "null" | token ("+" token)*
 *   token  = [side] number [intensity] | "AD" number
 *   side   = "L" | "R" | "B" | "T"        (left, right, bottom, top only)
 *   intensity = "A" .. "E"                (trace .. maximum)
 *
 * Every reader and the report go through parseAuString, so a token is never read
 * two different ways (a public loader once looked tokens up as `AU1`, matched
 * nothing, and trained on all-zero AU vectors).
 */

export type AuSide = NonNullable<AuToken['side']>;
export type AuIntensity = NonNullable<AuToken['intensity']>;

export interface AuNote {
  raw: string;
  message: string;
}

export interface AuParse {
  /** 'null' = not coded: never the same as "no AU active". */
  status: 'null' | 'coded';
  tokens: AuToken[];
  /** Tokens outside the grammar, exactly as written (trimmed); kept so export and report can show them. */
  unknown: string[];
  /** Tokens that parsed but were written unusually (lower-case letters), for the report. */
  notes: AuNote[];
}

export const FACS_AU_NAMES: Readonly<Record<number, string>> = {
  // FACS codes a neutral face 0: the AU text of a sample coded with no AU active (an
  // all-zero frame of ABAW or BP4D). It sets no bit of the AU mask.
  0: 'Neutral face',
  1: 'Inner Brow Raiser',
  2: 'Outer Brow Raiser',
  4: 'Brow Lowerer',
  5: 'Upper Lid Raiser',
  6: 'Cheek Raiser',
  7: 'Lid Tightener',
  9: 'Nose Wrinkler',
  10: 'Upper Lip Raiser',
  11: 'Nasolabial Deepener',
  12: 'Lip Corner Puller',
  13: 'Sharp Lip Puller',
  14: 'Dimpler',
  15: 'Lip Corner Depressor',
  16: 'Lower Lip Depressor',
  17: 'Chin Raiser',
  18: 'Lip Pucker',
  19: 'Tongue Show',
  20: 'Lip Stretcher',
  21: 'Neck Tightener',
  22: 'Lip Funneler',
  23: 'Lip Tightener',
  24: 'Lip Pressor',
  25: 'Lips Part',
  26: 'Jaw Drop',
  27: 'Mouth Stretch',
  28: 'Lip Suck',
  29: 'Jaw Thrust',
  30: 'Jaw Sideways',
  31: 'Jaw Clencher',
  32: 'Lip Bite',
  33: 'Cheek Blow',
  34: 'Cheek Puff',
  35: 'Cheek Suck',
  36: 'Tongue Bulge',
  37: 'Lip Wipe',
  38: 'Nostril Dilator',
  39: 'Nostril Compressor',
  41: 'Lid Droop',
  42: 'Slit',
  43: 'Eyes Closed',
  44: 'Squint',
  45: 'Blink',
  46: 'Wink',
  51: 'Head Turn Left',
  52: 'Head Turn Right',
  53: 'Head Up',
  54: 'Head Down',
  55: 'Head Tilt Left',
  56: 'Head Tilt Right',
  57: 'Head Forward',
  58: 'Head Back',
  59: 'Head Shake Up and Down',
  60: 'Head Shake Side to Side',
  61: 'Eyes Turn Left',
  62: 'Eyes Turn Right',
  63: 'Eyes Up',
  64: 'Eyes Down',
};

export const SIDE_NAMES: Readonly<Record<AuSide, string>> = {
  L: 'left',
  R: 'right',
  B: 'bottom',
  T: 'top',
};

export const INTENSITY_NAMES: Readonly<Record<AuIntensity, string>> = {
  A: 'trace',
  B: 'slight',
  C: 'marked/pronounced',
  D: 'severe/extreme',
  E: 'maximum',
};

/** The highest AU the two-word mask can hold. */
export const MAX_MASK_AU = 64;

// Letters are matched case-insensitively so `t23` is read as T23, but reported.
const AU_TOKEN = /^(?:(?<side>[LRBT])?(?<au>\d{1,3})(?<intensity>[A-E])?|AD(?<ad>\d{1,3}))$/i;

export function isFacsAu(au: number): boolean {
  return Object.hasOwn(FACS_AU_NAMES, au);
}

export function auName(au: number): string | null {
  return isFacsAu(au) ? (FACS_AU_NAMES[au] ?? null) : null;
}

/** Parse one token (already split off and trimmed); null when outside the grammar. */
export function parseAuToken(raw: string): AuToken | null {
  const groups = AU_TOKEN.exec(raw)?.groups;
  if (!groups) return null;
  if (groups.ad !== undefined) {
    return { raw, au: Number(groups.ad), kind: 'AD', side: null, intensity: null };
  }
  return {
    raw,
    au: Number(groups.au),
    kind: 'AU',
    side: (groups.side?.toUpperCase() as AuSide | undefined) ?? null,
    intensity: (groups.intensity?.toUpperCase() as AuIntensity | undefined) ?? null,
  };
}

/**
 * Tokens parsed so far, with the note a lower-case spelling gets: a dataset spells a
 * few dozen tokens over up to a million AU values. Shared results: treat them as
 * read-only. Bounded, so odd input cannot grow it without end.
 */
const tokenCache = new Map<string, { token: AuToken | null; note: AuNote | null }>();
const TOKEN_CACHE_SIZE = 4096;

function cachedToken(text: string): { token: AuToken | null; note: AuNote | null } {
  let known = tokenCache.get(text);
  if (known === undefined) {
    if (tokenCache.size >= TOKEN_CACHE_SIZE) tokenCache.clear();
    const token = parseAuToken(text);
    const note =
      token && text !== text.toUpperCase()
        ? { raw: text, message: `lower-case token '${text}' read as ${canonicalToken(token)}` }
        : null;
    known = { token, note };
    tokenCache.set(text, known);
  }
  return known;
}

export function isNullAuValue(raw: string): boolean {
  return raw.trim().toLowerCase() === 'null';
}

export function parseAuString(raw: string): AuParse {
  if (isNullAuValue(raw)) return { status: 'null', tokens: [], unknown: [], notes: [] };
  const tokens: AuToken[] = [];
  const unknown: string[] = [];
  const notes: AuNote[] = [];
  // An empty value splits into one empty token: reported as unknown rather than
  // silently read as "no AU active".
  for (const part of raw.split('+')) {
    const text = part.trim();
    const { token, note } = cachedToken(text);
    if (!token) {
      unknown.push(text);
      continue;
    }
    tokens.push(token);
    if (note) notes.push(note);
  }
  return { status: 'coded', tokens, unknown, notes };
}

/** The token as the grammar spells it (upper-case letters), e.g. `t23` -> `T23`. */
export function canonicalToken(token: AuToken): string {
  if (token.kind === 'AD') return `AD${token.au}`;
  return `${token.side ?? ''}${token.au}${token.intensity ?? ''}`;
}

/** Whether a parsed token names a real FACS code (AD numbers share the AU numbering). */
export function isKnownToken(token: AuToken): boolean {
  return isFacsAu(token.au);
}

/**
 * Every reason a parsed AU value deserves a report line: tokens outside the grammar,
 * numbers that are not FACS codes, and unusual spellings.
 */
export function auValueIssues(
  parsed: AuParse,
): { raw: string; message: string; unknown: boolean }[] {
  const issues: { raw: string; message: string; unknown: boolean }[] = [];
  for (const raw of parsed.unknown) {
    issues.push({
      raw,
      message:
        raw === ''
          ? 'empty AU token (nothing between separators); kept raw'
          : `AU token '${raw}' is outside the grammar [L|R|B|T]<number>[A-E] or AD<number>; kept raw`,
      unknown: true,
    });
  }
  for (const token of parsed.tokens) {
    if (!isKnownToken(token)) {
      issues.push({
        raw: token.raw,
        message: `AU token '${token.raw}': ${token.kind}${token.au} is not a FACS code; kept raw`,
        unknown: true,
      });
    }
  }
  for (const note of parsed.notes) issues.push({ ...note, unknown: false });
  return issues;
}

/** e.g. "AU12 Lip Corner Puller, left side, intensity B (slight)". */
export function describeToken(token: AuToken): string {
  const name = auName(token.au);
  const head =
    token.kind === 'AD'
      ? `AD${token.au} ${name ?? '(unknown code)'} (action descriptor)`
      : `AU${token.au} ${name ?? '(not a FACS code)'}`;
  const parts = [head];
  if (token.side) {
    parts.push(
      token.side === 'L' || token.side === 'R'
        ? `${SIDE_NAMES[token.side]} side`
        : `${SIDE_NAMES[token.side]} only`,
    );
  }
  if (token.intensity) {
    parts.push(`intensity ${token.intensity} (${INTENSITY_NAMES[token.intensity]})`);
  }
  return parts.join(', ');
}

/**
 * The AUs present as two unsigned 32-bit words: bit (au-1) of lo for AU 1-32,
 * bit (au-33) of hi for AU 33-64. Action descriptors and numbers outside 1-64 set
 * no bit (they stay visible through auRaw and the unknown-token flag).
 */
export function auMaskWords(tokens: readonly AuToken[]): [number, number] {
  let lo = 0;
  let hi = 0;
  for (const token of tokens) {
    if (token.kind !== 'AU' || token.au < 1 || token.au > MAX_MASK_AU) continue;
    if (token.au <= 32) lo |= 1 << (token.au - 1);
    else hi |= 1 << (token.au - 33);
  }
  // `|` yields signed int32; the mask is stored in a Uint32Array.
  return [lo >>> 0, hi >>> 0];
}

/**
 * The AUs coded on one side of the face only (`L12`, `R2`), as two mask words like
 * auMaskWords: FACS scores a unilateral action as its AU, so the AU mask cannot tell
 * `L12` from `12`; this says which AUs were one-sided. An AU also coded without a side,
 * as `B` or `T`, or on both sides (`L2+R2`) is not one-sided.
 */
export function oneSidedMaskWords(tokens: readonly AuToken[]): [number, number] {
  const left = [0, 0];
  const right = [0, 0];
  const other = [0, 0];
  for (const token of tokens) {
    if (token.kind !== 'AU' || token.au < 1 || token.au > MAX_MASK_AU) continue;
    const words = token.side === 'L' ? left : token.side === 'R' ? right : other;
    const word = token.au <= 32 ? 0 : 1;
    words[word] = (words[word] as number) | (1 << ((token.au - 1) % 32));
  }
  const oneSided = (w: number) =>
    ((((left[w] as number) ^ (right[w] as number)) & ~(other[w] as number)) >>> 0) as number;
  return [oneSided(0), oneSided(1)];
}

/**
 * Per sample, its one-sided AUs (oneSidedMaskWords of its AU text), two words a sample;
 * 0 for samples not coded. Each distinct text that names a side is parsed once.
 */
export function oneSidedMasks(auRaw: readonly string[], auStatus: Uint8Array): Uint32Array {
  const masks = new Uint32Array(2 * auRaw.length);
  fillOneSidedMasks(auRaw, auStatus, masks, 0, auRaw.length, new Map());
  return masks;
}

/**
 * oneSidedMasks for samples [from, to) into masks, with the texts already parsed in
 * `known`: a caller on the page's thread fills a million samples a slice at a time.
 */
export function fillOneSidedMasks(
  auRaw: readonly string[],
  auStatus: Uint8Array,
  masks: Uint32Array,
  from: number,
  to: number,
  known: Map<string, [number, number]>,
): void {
  for (let i = from; i < to; i++) {
    if (auStatus[i] !== AuStatus.coded) continue;
    const raw = auRaw[i] as string;
    // Most texts name no side: a look for an L or an R is cheaper than a lookup.
    if (!namesASide(raw)) continue;
    let words = known.get(raw);
    if (!words) {
      words = oneSidedMaskWords(parseAuString(raw).tokens);
      known.set(raw, words);
    }
    masks[2 * i] = words[0];
    masks[2 * i + 1] = words[1];
  }
}

/** Whether a text holds an `L` or an `R` (either case), which every one-sided token does. */
function namesASide(raw: string): boolean {
  for (let k = 0; k < raw.length; k++) {
    const c = raw.charCodeAt(k) | 0x20;
    if (c === 0x6c || c === 0x72) return true;
  }
  return false;
}

/**
 * The Action Units an AU value sets, as numbers, ascending, each once; null when the
 * value is `null` (not coded). It is the sample table's AU mask read back, so the
 * AUs of a text and of the mask made from it never differ:
 *
 * - side and intensity qualify one AU: `L12`, `12B` and `12` all set AU 12. FACS
 *   scores a one-sided or weak action as that AU, and the Ekman-Friesen agreement
 *   (reference section 6) compares AU numbers, so two corrections `L12` and `12`
 *   are the same AU set;
 * - an action descriptor (`AD19`) is not an Action Unit and sets none;
 * - `0` is FACS's neutral face: coded, with no AU active (`[]`), as is an empty text;
 * - numbers above 64 set none (`70`-`74` are FACS's visibility codes, `80` up its
 *   gross behaviours); numbers 1-64 count as written, even those FACS leaves unused
 *   (`3`, which the parse report flags);
 * - tokens outside the grammar (`L12L`, `BL18`, `x`) set none: the parse report and
 *   auValueIssues name them, and the team checks refuse them in a correction.
 */
export function activeAus(raw: string): number[] | null {
  const parsed = parseAuString(raw);
  if (parsed.status === 'null') return null;
  return maskToAus(Uint32Array.from(auMaskWords(parsed.tokens)), 0);
}

/** Whether sample i of a two-words-per-sample mask has the AU. */
export function maskHas(mask: Uint32Array, i: number, au: number): boolean {
  if (!Number.isInteger(au) || au < 1 || au > MAX_MASK_AU) return false;
  const word = au <= 32 ? mask[2 * i] : mask[2 * i + 1];
  if (word === undefined) throw new RangeError(`sample ${i} is outside the mask`);
  const bit = au <= 32 ? au - 1 : au - 33;
  return ((word >>> bit) & 1) === 1;
}

/** The AUs set for sample i, ascending. */
export function maskToAus(mask: Uint32Array, i: number): number[] {
  const lo = mask[2 * i];
  const hi = mask[2 * i + 1];
  if (lo === undefined || hi === undefined) throw new RangeError(`sample ${i} is outside the mask`);
  const aus: number[] = [];
  for (let bit = 0; bit < 32; bit++) if ((lo >>> bit) & 1) aus.push(bit + 1);
  for (let bit = 0; bit < 32; bit++) if ((hi >>> bit) & 1) aus.push(bit + 33);
  return aus;
}
