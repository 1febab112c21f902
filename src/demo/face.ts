/**
 * A parametric, frontal, aligned cartoon face drawn from FACS Action Unit
 * intensities, as SVG text. One geometry: every AU moves points or fades cue
 * lines of the same face, so a reviewer can SEE which AUs are active.
 *
 * Coordinates: viewBox 0 0 256 256, the face centred on x = 128. "Side" s = -1 is
 * the image's left (the subject's right), s = +1 the image's right (the subject's
 * left), so a token `L12` (subject's left) moves the image-right mouth corner.
 *
 * Pure: no DOM, no framework; the same inputs always give the same bytes.
 */

import { hashSeed } from '../lib/random/seeded-random';
import { Rng } from './random';

export type AuIntensities = Partial<Record<number, number>>;
/** A unilateral AU: `L` (subject's left) or `R` (subject's right). */
export type AuSides = Partial<Record<number, 'L' | 'R'>>;

/** The sibling groups of a face SVG, in drawing order (`<g data-region="...">`). */
export const FACE_REGIONS = [
  'head',
  'cheeks',
  'forehead',
  'nose',
  'folds',
  'eyes',
  'brows',
  'mouth',
  'chin',
  'hair',
  'accessories',
] as const;
export type FaceRegion = (typeof FACE_REGIONS)[number];

export const HAIR_STYLES = ['short', 'long', 'bob', 'curly', 'bun', 'buzz', 'bald'] as const;
export type HairStyle = (typeof HAIR_STYLES)[number];

export interface FaceIdentity {
  /** Seeds the small details (freckle and mole positions, hairline shape). */
  seed: number;
  skin: string;
  /** Face width factor, about 0.9-1.08. */
  faceWidth: number;
  /** Jaw width factor, about 0.84-1. */
  jaw: number;
  hairColor: string;
  hairStyle: HairStyle;
  /** Side parting: -1 left, 0 none, 1 right. */
  hairPart: -1 | 0 | 1;
  eyeColor: string;
  browColor: string;
  /** Brow stroke width in px (viewBox units), about 3.5-7. */
  browThickness: number;
  lipColor: string;
  /** Lip thickness factor, about 0.85-1.15. */
  lipFullness: number;
  background: string;
  shirt: string;
  glasses: 'none' | 'round' | 'square';
  glassesColor: string;
  earrings: 'none' | 'stud' | 'hoop';
  freckles: boolean;
  mole: boolean;
  headband: string | null;
  /** Short stubble on the jaw and upper lip (light, so the mouth AUs stay visible). */
  stubble: boolean;
  /** Drawn eyelashes at the outer corners. */
  lashes: boolean;
}

const SKINS = [
  '#f6d7c3',
  '#f1c6a5',
  '#e5b48f',
  '#d29e76',
  '#bb8660',
  '#a0694a',
  '#7f5137',
  '#5e3a28',
];
const HAIR_COLORS = [
  '#1d1715',
  '#2f2019',
  '#4a3020',
  '#6b4428',
  '#8c5a2e',
  '#a8512b',
  '#c9a063',
  '#e0c285',
  '#9c9a96',
  '#d8d5cf',
];
const EYE_COLORS = ['#4a2e1c', '#2e1d12', '#6b4a26', '#6a7a3a', '#3f6e8c', '#5d7a8a', '#7a6a3a'];
const BACKGROUNDS = ['#e6ecf2', '#eef0e6', '#f2ebe6', '#e8e6f0', '#e4efec', '#efe8ee', '#ecece8'];
const SHIRTS = ['#3d5a80', '#6d597a', '#2a9d8f', '#8d6a4f', '#4f5d75', '#b56576', '#52796f'];
const FRAMES = ['#2b2b2b', '#5a3b24', '#8a6d3b', '#3c4a5c'];
const BANDS = ['#e76f51', '#2a9d8f', '#e9c46a', '#6d597a'];

/** A varied but plausible identity from a seed. */
export function makeIdentity(seed: number): FaceIdentity {
  const rng = new Rng(hashSeed(`identity:${seed}`));
  const skinIndex = rng.int(0, SKINS.length - 1);
  const skin = SKINS[skinIndex] as string;
  // Greys and blondes are rarer; dark skins rarely get very light hair.
  let hairIndex = rng.weighted(HAIR_COLORS.map((c, i) => [i, i >= 6 ? 0.5 : 1.5] as const));
  if (skinIndex >= 5 && (hairIndex === 6 || hairIndex === 7)) hairIndex = rng.int(0, 3);
  const hairColor = HAIR_COLORS[hairIndex] as string;
  const hairStyle = rng.weighted<HairStyle>([
    ['short', 4],
    ['long', 3],
    ['bob', 2],
    ['curly', 2],
    ['bun', 1.5],
    ['buzz', 1],
    ['bald', 0.6],
  ]);
  const lightHair = hairIndex >= 6;
  const stubble = ['short', 'buzz', 'bald', 'curly'].includes(hairStyle) && rng.chance(0.35);
  const browColor = lightHair ? mix(hairColor, '#3a2a20', 0.45) : darken(hairColor, 0.1);
  const lipBase = skinIndex >= 6 ? '#5a2228' : skinIndex >= 4 ? '#8a3a40' : '#c0656a';
  return {
    seed,
    skin,
    faceWidth: round2(rng.float(0.9, 1.07)),
    jaw: round2(rng.float(0.84, 1)),
    hairColor,
    hairStyle,
    hairPart: rng.pick([-1, 0, 1] as const),
    eyeColor: rng.pick(EYE_COLORS),
    browColor,
    browThickness: round2(rng.float(3.6, 6.8)),
    lipColor: mix(skin, lipBase, rng.float(0.45, 0.7)),
    lipFullness: round2(rng.float(0.85, 1.15)),
    background: rng.pick(BACKGROUNDS),
    shirt: rng.pick(SHIRTS),
    glasses: rng.weighted([
      ['none', 7],
      ['round', 1.2],
      ['square', 1.2],
    ] as const),
    glassesColor: rng.pick(FRAMES),
    earrings: rng.weighted([
      ['none', 6],
      ['stud', 1.2],
      ['hoop', 1],
    ] as const),
    freckles: skinIndex <= 2 && rng.chance(0.3),
    mole: rng.chance(0.15),
    headband:
      hairStyle !== 'bald' && hairStyle !== 'buzz' && rng.chance(0.1) ? rng.pick(BANDS) : null,
    stubble: stubble,
    lashes: !stubble && rng.chance(0.6),
  };
}

// ---------------------------------------------------------------------------
// Small geometry and colour helpers.

type Pt = readonly [number, number];

const CX = 128;
const EYE_Y = 115;
const MOUTH_Y = 183;

function round2(v: number): number {
  return Math.round(v * 100) / 100;
}

/** A number written with at most one decimal. */
function n(v: number): string {
  const r = Math.round(v * 10) / 10;
  return Object.is(r, -0) ? '0' : String(r);
}

function clamp01(v: number): number {
  return v < 0 ? 0 : v > 1 ? 1 : v;
}

function lerp(a: number, b: number, t: number): number {
  return a + (b - a) * t;
}

/** A smooth path through points (Catmull-Rom converted to cubic Beziers). */
function smooth(points: readonly Pt[], closed = false): string {
  const p = points;
  const count = p.length;
  if (count < 2) return '';
  const at = (i: number): Pt =>
    closed ? (p[(i + count) % count] as Pt) : (p[Math.max(0, Math.min(count - 1, i))] as Pt);
  const first = p[0] as Pt;
  let d = `M${n(first[0])} ${n(first[1])}`;
  const segments = closed ? count : count - 1;
  for (let i = 0; i < segments; i++) {
    const p0 = at(i - 1);
    const p1 = at(i);
    const p2 = at(i + 1);
    const p3 = at(i + 2);
    const c1: Pt = [p1[0] + (p2[0] - p0[0]) / 6, p1[1] + (p2[1] - p0[1]) / 6];
    const c2: Pt = [p2[0] - (p3[0] - p1[0]) / 6, p2[1] - (p3[1] - p1[1]) / 6];
    d += `C${n(c1[0])} ${n(c1[1])} ${n(c2[0])} ${n(c2[1])} ${n(p2[0])} ${n(p2[1])}`;
  }
  return closed ? `${d}Z` : d;
}

/** A quadratic curve from a to b passing through `via` at its middle. */
function quadThrough(a: Pt, via: Pt, b: Pt): string {
  const c: Pt = [2 * via[0] - (a[0] + b[0]) / 2, 2 * via[1] - (a[1] + b[1]) / 2];
  return `M${n(a[0])} ${n(a[1])}Q${n(c[0])} ${n(c[1])} ${n(b[0])} ${n(b[1])}`;
}

/** The quadratic's control point only (to chain curves in one path). */
function quadCtrl(a: Pt, via: Pt, b: Pt): string {
  const c: Pt = [2 * via[0] - (a[0] + b[0]) / 2, 2 * via[1] - (a[1] + b[1]) / 2];
  return `Q${n(c[0])} ${n(c[1])} ${n(b[0])} ${n(b[1])}`;
}

function parseHex(hex: string): [number, number, number] {
  const h = hex.replace('#', '');
  return [0, 2, 4].map((i) => parseInt(h.slice(i, i + 2), 16)) as [number, number, number];
}

function toHex(rgb: readonly number[]): string {
  return `#${rgb
    .map((v) =>
      Math.round(Math.max(0, Math.min(255, v)))
        .toString(16)
        .padStart(2, '0'),
    )
    .join('')}`;
}

function mix(a: string, b: string, t: number): string {
  const x = parseHex(a);
  const y = parseHex(b);
  return toHex(x.map((v, i) => lerp(v, y[i] as number, t)));
}

function darken(c: string, t: number): string {
  return mix(c, '#000000', t);
}

function lighten(c: string, t: number): string {
  return mix(c, '#ffffff', t);
}

function luminance(c: string): number {
  const [r, g, b] = parseHex(c);
  return (0.299 * r + 0.587 * g + 0.114 * b) / 255;
}

// ---------------------------------------------------------------------------
// The face.

interface Style {
  stroke?: string;
  width?: number;
  opacity?: number;
  fill?: string;
  cap?: boolean;
}

function path(d: string, s: Style): string {
  const fill = s.fill ?? 'none';
  let attrs = `d="${d}" fill="${fill}"`;
  if (s.stroke) {
    attrs += ` stroke="${s.stroke}" stroke-width="${n(s.width ?? 1)}"`;
    if (s.cap !== false) attrs += ' stroke-linecap="round" stroke-linejoin="round"';
  }
  if (s.opacity !== undefined && s.opacity < 1) attrs += ` opacity="${round2(s.opacity)}"`;
  return `<path ${attrs}/>`;
}

/** Cue lines fade in with the AU; below this opacity they are left out. */
const MIN_OPACITY = 0.04;

function cue(d: string, stroke: string, width: number, opacity: number): string {
  return opacity < MIN_OPACITY ? '' : path(d, { stroke, width, opacity: Math.min(1, opacity) });
}

/**
 * Draw a face. `aus` maps AU numbers to intensities 0..1 (missing = 0); `sides`
 * makes an AU unilateral (`L` = the subject's left = the image's right).
 */
export function drawFace(aus: AuIntensities, identity: FaceIdentity, sides: AuSides = {}): string {
  // Clip-path ids are unique per drawn face (many faces may share one HTML page) and
  // depend only on what is drawn, so equal faces give equal bytes.
  const drawn = Object.keys(aus)
    .map(Number)
    .sort((a, b) => a - b)
    .flatMap((au) => {
      const v = clamp01(aus[au] ?? 0);
      return v > 0 ? [[au, v, sides[au] ?? '']] : [];
    });
  const id = `f${hashSeed(JSON.stringify([drawn, identity])).toString(36)}`;
  /** Intensity of an AU on one side of the image (s = -1 image left, +1 image right). */
  const on = (au: number, s: -1 | 1): number => {
    const v = clamp01(aus[au] ?? 0);
    const side = sides[au];
    if (side === 'L' && s === -1) return 0;
    if (side === 'R' && s === 1) return 0;
    return v;
  };
  /** Mean over both sides, for features on the midline. */
  const mid = (au: number): number => (on(au, -1) + on(au, 1)) / 2;

  const rng = new Rng(hashSeed(`details:${identity.seed}`));
  const skin = identity.skin;
  const dark = luminance(skin) < 0.45;
  const line = darken(skin, dark ? 0.6 : 0.4);
  const W = 74 * identity.faceWidth;

  // Mouth opening drives the jaw: lips part (25), jaw drop (26), mouth stretch (27), funnel (22).
  const gap = 5 * mid(25) + 11 * mid(26) + 20 * mid(27) + 5 * mid(22);
  const chinY = 229 + 0.8 * gap - 2 * mid(17);

  const out: string[] = [];
  out.push(
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 256 256" width="256" height="256" role="img" aria-label="Synthetic face">`,
  );
  const defs: string[] = [];
  // Regions are sibling groups, so tests (and curious readers) can see what each AU moves.
  let inRegion = false;
  const region = (name: FaceRegion): void => {
    out.push(`${inRegion ? '</g>' : ''}<g data-region="${name}">`);
    inRegion = true;
  };

  // --- background, hair behind the head, neck, shirt, ears, face outline ---
  region('head');
  out.push(`<rect width="256" height="256" fill="${identity.background}"/>`);
  out.push(hairBack(identity, W));
  out.push(
    path(`M${n(CX - 31)} 190L${n(CX - 35)} 256L${n(CX + 35)} 256L${n(CX + 31)} 190Z`, {
      fill: darken(skin, 0.16),
    }),
  );
  out.push(
    path(
      `M0 256L0 250Q${n(CX - 60)} 232 ${n(CX - 34)} 238Q${n(CX)} 252 ${n(CX + 34)} 238Q${n(CX + 60)} 232 256 250L256 256Z`,
      { fill: identity.shirt },
    ),
  );
  for (const s of [-1, 1] as const) {
    const ex = CX + s * (W + 1);
    out.push(
      `<ellipse cx="${n(ex)}" cy="128" rx="9" ry="17" fill="${skin}" stroke="${line}" stroke-width="1.2" stroke-opacity="0.4"/>`,
    );
    out.push(
      path(quadThrough([ex - s * 1, 118], [ex + s * 4, 126], [ex, 138]), {
        stroke: line,
        width: 1.2,
        opacity: 0.35,
      }),
    );
    if (identity.earrings === 'stud') {
      out.push(`<circle cx="${n(ex + s * 1)}" cy="146" r="3" fill="#d9b44a"/>`);
    } else if (identity.earrings === 'hoop') {
      out.push(
        `<circle cx="${n(ex + s * 1)}" cy="152" r="6" fill="none" stroke="#c9a13b" stroke-width="2"/>`,
      );
    }
  }

  // The face outline: the chin follows the jaw.
  const jd = chinY - 229;
  const jawW = W * identity.jaw;
  const outline: Pt[] = [
    [CX, 38],
    [CX + W * 0.74, 54],
    [CX + W, 104],
    [CX + W * 0.97, 146],
    [CX + jawW * 0.84, 188 + 0.45 * jd],
    [CX + jawW * 0.42, chinY - 9],
    [CX, chinY],
    [CX - jawW * 0.42, chinY - 9],
    [CX - jawW * 0.84, 188 + 0.45 * jd],
    [CX - W * 0.97, 146],
    [CX - W, 104],
    [CX - W * 0.74, 54],
  ];
  out.push(path(smooth(outline, true), { fill: skin }));

  // --- cheeks (AU6 raises them) ---
  region('cheeks');
  for (const s of [-1, 1] as const) {
    const a6 = on(6, s);
    out.push(
      `<ellipse cx="${n(CX + s * 45)}" cy="${n(154 - 11 * a6)}" rx="${n(16 + 2 * a6)}" ry="${n(10 + 2 * a6)}" fill="${mix(skin, identity.lipColor, 0.6)}" opacity="${round2(0.14 + 0.3 * a6)}"/>`,
    );
  }

  if (identity.stubble) {
    const jawLine: Pt[] = outline.slice(3, 10);
    const upper: Pt[] = [
      [CX - W * 0.7, 150],
      [CX - 34, 172],
      [CX - 18, 162],
      [CX, 161],
      [CX + 18, 162],
      [CX + 34, 172],
      [CX + W * 0.7, 150],
    ];
    out.push(
      path(smooth([...jawLine, ...upper], true), {
        fill: darken(identity.hairColor, 0.25),
        opacity: 0.2,
      }),
    );
  }

  // --- forehead lines: AU1 in the middle, AU2 at the sides ---
  region('forehead');
  for (let i = 0; i < 3; i++) {
    const y = 64 + i * 8;
    const a1 = mid(1) * (1 - i * 0.15);
    out.push(
      cue(
        quadThrough([CX - 20, y + 2], [CX, y - 1 - 2 * mid(1)], [CX + 20, y + 2]),
        line,
        2,
        0.75 * a1,
      ),
    );
    for (const s of [-1, 1] as const) {
      const a2 = on(2, s) * (1 - i * 0.15);
      out.push(
        cue(
          quadThrough([CX + s * 18, y + 2], [CX + s * 33, y - 1], [CX + s * 48, y + 4]),
          line,
          2,
          0.75 * a2,
        ),
      );
    }
  }

  // --- glabella: AU4 vertical lines between the brows ---
  const a4m = mid(4);
  for (const s of [-1, 1] as const) {
    out.push(
      cue(quadThrough([CX + s * 5, 95], [CX + s * 3, 104], [CX + s * 5, 113]), line, 2.4, a4m),
    );
  }

  // --- nose: bridge, AU9 wrinkles, nostrils (AU9/AU10 lift them) ---
  region('nose');
  const lift = 3.5 * mid(9) + 2 * mid(10);
  const widen = 2.5 * mid(9) + 1 * mid(10);
  out.push(
    path(quadThrough([CX - 9, 120], [CX - 10, 133], [CX - 11, 144]), {
      stroke: line,
      width: 1.4,
      opacity: 0.22,
    }),
  );
  const a9 = mid(9);
  for (let i = 0; i < 3; i++) {
    const y = 117 + i * 5;
    const half = 7 - i;
    out.push(
      cue(
        quadThrough([CX - half, y + 0.8], [CX, y - 0.6], [CX + half, y + 0.8]),
        line,
        1.8,
        0.9 * a9,
      ),
    );
  }
  for (const s of [-1, 1] as const) {
    out.push(
      cue(
        quadThrough([CX + s * 10, 124], [CX + s * 15, 128], [CX + s * 17, 134]),
        line,
        1.8,
        0.8 * on(9, s),
      ),
    );
    // nostril wing
    const wx = CX + s * (14 + widen);
    out.push(
      path(
        `M${n(CX + s * 8)} ${n(143 - lift)}Q${n(wx + s * 2)} ${n(144 - lift)} ${n(wx)} ${n(152 - lift)}Q${n(wx - s * 2)} ${n(157 - lift)} ${n(CX + s * 6)} ${n(156 - lift)}`,
        { stroke: line, width: 1.8, opacity: 0.55 },
      ),
    );
    out.push(
      `<ellipse cx="${n(CX + s * 6)}" cy="${n(154.5 - lift)}" rx="3" ry="1.5" fill="${darken(skin, 0.55)}" opacity="0.55"/>`,
    );
  }
  out.push(
    path(quadThrough([CX - 6, 156 - lift], [CX, 158 - lift], [CX + 6, 156 - lift]), {
      stroke: line,
      width: 1.4,
      opacity: 0.35,
    }),
  );

  // --- mouth geometry (computed first: nasolabial folds end at the corners) ---
  const mouth = mouthGeometry(on, mid, identity.lipFullness, gap);

  // --- nasolabial folds: AU11 deepens; AU10, AU12, AU9, AU6 pull them ---
  region('folds');
  for (const s of [-1, 1] as const) {
    const corner = s === -1 ? mouth.cornerL : mouth.cornerR;
    const depth = Math.max(
      on(11, s),
      0.85 * on(10, s),
      0.8 * on(12, s),
      0.6 * on(9, s),
      0.4 * on(6, s),
    );
    const start: Pt = [CX + s * (16 + widen), 148 - lift];
    const mid1: Pt = [
      CX + s * (25 + 4 * on(12, s) + 2 * on(11, s)),
      163 - 3 * on(10, s) - 2 * on(12, s),
    ];
    const end: Pt = [corner[0] + s * 5, corner[1] + 2];
    out.push(cue(smooth([start, mid1, end]), line, 1.6 + on(11, s), 0.18 + 0.65 * depth));
  }

  // --- eyes, lids, crow's feet; brows ---
  region('eyes');
  for (const s of [-1, 1] as const) {
    out.push(eye(s, on, identity, line, `${id}e${s < 0 ? 'l' : 'r'}`, defs));
  }
  region('brows');
  for (const s of [-1, 1] as const) out.push(brow(s, on, identity));

  // --- mouth, chin ---
  const lower = drawMouth(mouth, identity, line, `${id}m`, defs, on, mid);
  region('mouth');
  out.push(lower.mouth);
  region('chin');
  out.push(lower.chin);

  // --- hair in front, accessories ---
  region('hair');
  out.push(hairFront(identity, W, rng));
  region('accessories');
  if (identity.freckles) {
    const f = darken(skin, 0.3);
    for (let i = 0; i < 14; i++) {
      const s = i % 2 === 0 ? -1 : 1;
      const x = CX + s * rng.float(12, 40);
      const y = rng.float(128, 146);
      out.push(`<circle cx="${n(x)}" cy="${n(y)}" r="1.1" fill="${f}" opacity="0.55"/>`);
    }
  }
  if (identity.mole) {
    const s = rng.chance(0.5) ? -1 : 1;
    out.push(
      `<circle cx="${n(CX + s * rng.float(30, 48))}" cy="${n(rng.float(160, 178))}" r="1.6" fill="${darken(skin, 0.5)}"/>`,
    );
  }
  if (identity.glasses !== 'none') out.push(glasses(identity, W));

  if (defs.length > 0) out.splice(1, 0, `<defs>${defs.join('')}</defs>`);
  out.push('</g></svg>');
  return out.filter((s) => s !== '').join('');
}

type On = (au: number, s: -1 | 1) => number;
type Mid = (au: number) => number;

function eye(
  s: -1 | 1,
  on: On,
  identity: FaceIdentity,
  line: string,
  clipId: string,
  defs: string[],
): string {
  const a5 = on(5, s);
  const a6 = on(6, s);
  const a7 = on(7, s);
  const a4 = on(4, s);
  const a9 = on(9, s);
  const closure = Math.max(on(43, s), 0.8 * on(45, s));
  const ecx = CX + s * 34;
  const inner: Pt = [CX + s * 18, EYE_Y + 1];
  const outer: Pt = [CX + s * 50, EYE_Y - 1 - 1.5 * a6];
  // Upper lid: AU5 raises it (white above the iris), AU7/AU6/AU4 lower it a little.
  const hU = Math.max(1, 7.5 + 7 * a5 - 3 * a7 - 1.2 * a6 - 1.2 * a4 - 0.8 * a9);
  // Lower lid: AU7 and AU6 push it up (narrowing), AU5 frees it slightly.
  const hL = Math.max(0.6, 5.5 - 4 * a7 - 2.6 * a6 - 1 * a9 + 0.6 * a5);
  const lowerY = EYE_Y + hL;
  const upperY = lerp(EYE_Y - hU, lowerY - 0.6, closure);
  const upperApex: Pt = [ecx - s * 1.5, upperY];
  const lowerApex: Pt = [ecx + s * 1, lowerY];
  const parts: string[] = [];
  const upperCurve = quadThrough(inner, upperApex, outer);
  const opening = `${upperCurve}${quadCtrl(outer, lowerApex, inner)}Z`;

  // Eyelid skin above the eye (a slight shadow) and the crease (hidden by AU5 and closure).
  const creaseY = Math.min(EYE_Y - hU - 5, EYE_Y - 9) - 2 * a5;
  parts.push(
    cue(
      quadThrough(
        [inner[0] + s * 2, inner[1] - 4],
        [ecx, creaseY],
        [outer[0] + s * 1, outer[1] - 3],
      ),
      line,
      1.4,
      0.4 * (1 - 0.6 * a5),
    ),
  );
  if (closure < 0.97) {
    defs.push(`<clipPath id="${clipId}"><path d="${opening}"/></clipPath>`);
    parts.push(path(opening, { fill: '#f8f5f0' }));
    parts.push(
      `<g clip-path="url(#${clipId})"><circle cx="${n(ecx)}" cy="${n(EYE_Y + 0.5)}" r="8" fill="${identity.eyeColor}"/><circle cx="${n(ecx)}" cy="${n(EYE_Y + 0.5)}" r="3.4" fill="#141012"/><circle cx="${n(ecx + 2.2)}" cy="${n(EYE_Y - 1.8)}" r="1.4" fill="#ffffff" opacity="0.9"/></g>`,
    );
  }
  // Lash line along the upper lid, thin lower lid line.
  parts.push(path(upperCurve, { stroke: '#261b18', width: 2.4 }));
  parts.push(
    path(quadThrough(inner, lowerApex, outer), { stroke: line, width: 1.1, opacity: 0.6 }),
  );
  // A short lash flick at the outer corner.
  if (identity.lashes)
    parts.push(
      path(`M${n(outer[0] - s * 1)} ${n(outer[1])}L${n(outer[0] + s * 3)} ${n(outer[1] - 2.5)}`, {
        stroke: '#261b18',
        width: 1.6,
      }),
    );
  // AU6: crow's feet at the outer corner and the furrow under the lower lid.
  for (let i = -1; i <= 1; i++) {
    const ang = (i * 28 * Math.PI) / 180;
    const x0 = outer[0] + s * 4;
    const y0 = outer[1] + 1;
    const len = 5 + 4 * a6;
    parts.push(
      cue(
        `M${n(x0)} ${n(y0 + i * 2)}L${n(x0 + s * Math.cos(ang) * len)} ${n(y0 + i * 2 + Math.sin(ang) * len)}`,
        line,
        1.7,
        0.9 * a6,
      ),
    );
  }
  parts.push(
    cue(
      quadThrough(
        [ecx - s * 11, lowerY + 5],
        [ecx + s * 1, lowerY + 8],
        [ecx + s * 13, lowerY + 4],
      ),
      line,
      1.6,
      0.75 * a6 + 0.35 * a7,
    ),
  );
  return parts.join('');
}

function brow(s: -1 | 1, on: On, identity: FaceIdentity): string {
  const a1 = on(1, s);
  const a2 = on(2, s);
  const a4 = on(4, s);
  const a9 = on(9, s);
  // AU1 raises the inner end, AU2 the outer end, AU4 lowers and draws the brows together.
  const inner: Pt = [CX + s * (16 - 5 * a4), 97 - 12 * a1 + 11 * a4 + 3 * a9];
  const peak: Pt = [CX + s * 33, 91 - 5 * a1 - 9 * a2 + 6 * a4 + 1.5 * a9];
  const outer: Pt = [CX + s * 52, 96 - 1 * a1 - 11 * a2 + 2 * a4];
  const t = identity.browThickness;
  // A tapered brow: a thick stroke for the inner two thirds, a thinner one to the tail.
  return (
    path(smooth([inner, peak, outer]), { stroke: identity.browColor, width: t * 0.7 }) +
    path(smooth([inner, [lerp(inner[0], peak[0], 0.5), lerp(inner[1], peak[1], 0.55)], peak]), {
      stroke: identity.browColor,
      width: t,
    })
  );
}

interface MouthGeometry {
  cornerL: Pt;
  cornerR: Pt;
  upperOut: Pt[];
  upperIn: Pt[];
  lowerIn: Pt[];
  lowerOut: Pt[];
  open: boolean;
  gap: number;
  /** Lowest point of the lower lip, for the chin cues. */
  lipBottom: number;
}

const MOUTH_T = [1, 0.85, 0.7, 0.5, 0.3, 0.14, 0] as const;

function mouthGeometry(on: On, mid: Mid, fullness: number, gap: number): MouthGeometry {
  const a10 = mid(10);
  const a16 = mid(16);
  const a17 = mid(17);
  const a18 = mid(18);
  const a22 = mid(22);
  const a23 = mid(23);
  const a24 = mid(24);
  const a20m = mid(20);
  const a12m = mid(12);
  const thin =
    fullness *
    (1 - 0.55 * a23) *
    (1 - 0.6 * a24) *
    (1 + 0.4 * a18 + 0.35 * a22) *
    (1 - 0.3 * a20m) *
    (1 - 0.2 * a12m);
  const tU = 7 * thin;
  const tL = 9 * thin * (1 + 0.15 * a17);
  const roundness = 0.65 - 0.2 * a22 - 0.1 * mid(27);
  const parted = clamp01(gap / 2.5);

  const side = (s: -1 | 1) => {
    const a12 = on(12, s);
    const a14 = on(14, s);
    const a15 = on(15, s);
    const a20 = on(20, s);
    const w = Math.max(
      9,
      25 +
        8 * a12 +
        10 * a20 +
        1.5 * a14 -
        10 * a18 -
        8 * a22 -
        3 * a23 -
        1 * a24 -
        2 * mid(27) +
        0.5 * a16,
    );
    const cornerY =
      MOUTH_Y - 11 * a12 - 1.5 * a14 + 8 * a15 + 1.5 * a20 + 2.5 * a17 + 0.3 * gap + 1.5 * a16;
    return { w, cornerY };
  };
  const L = side(-1);
  const R = side(1);

  const pts = (fn: (t: number, w: number, cornerY: number) => number): Pt[] => {
    const left = MOUTH_T.map((t): Pt => [CX - t * L.w, fn(t, L.w, L.cornerY)]);
    const right = MOUTH_T.slice(0, -1)
      .reverse()
      .map((t): Pt => [CX + t * R.w, fn(t, R.w, R.cornerY)]);
    return [...left, ...right];
  };
  const lineY = (t: number, cornerY: number) => MOUTH_Y + (cornerY - MOUTH_Y) * Math.pow(t, 1.8);
  const o = (t: number) => Math.pow(Math.max(0, 1 - t * t), roundness);
  const bell = (t: number) => Math.max(0, 1 - t * t);
  const upperShift = (t: number) => -5 * a10 * bell(t);
  const lowerShift = (t: number) => 8 * a16 * Math.pow(bell(t), 0.8) - 3 * a17 * bell(t);
  const upperIn = (t: number, _w: number, cy: number) =>
    lineY(t, cy) + upperShift(t) + (1 - parted) * 0.5 * lowerShift(t) - 0.3 * gap * o(t);
  const lowerIn = (t: number, _w: number, cy: number) =>
    lineY(t, cy) +
    parted * lowerShift(t) +
    (1 - parted) * (upperShift(t) + 0.5 * lowerShift(t)) +
    0.7 * gap * o(t);
  const cupid = (t: number, w: number) => 2 * Math.exp(-Math.pow((t * w) / 4.5, 2));
  const upperOut = (t: number, w: number, cy: number) =>
    upperIn(t, w, cy) - tU * (1 - 0.75 * Math.pow(t, 1.6)) + cupid(t, w);
  const lowerOut = (t: number, w: number, cy: number) =>
    lowerIn(t, w, cy) + tL * (1 - 0.8 * Math.pow(t, 1.8)) - 1.5 * a17 * bell(t);

  const cornerL: Pt = [CX - L.w - 1, L.cornerY];
  const cornerR: Pt = [CX + R.w + 1, R.cornerY];
  const lower = pts(lowerOut);
  return {
    cornerL,
    cornerR,
    upperOut: pts(upperOut),
    upperIn: pts(upperIn),
    lowerIn: pts(lowerIn),
    lowerOut: lower,
    open: gap > 0.5 || a10 * parted > 0.3,
    gap,
    lipBottom: Math.max(...lower.map((p) => p[1])),
  };
}

function drawMouth(
  m: MouthGeometry,
  identity: FaceIdentity,
  line: string,
  clipId: string,
  defs: string[],
  on: On,
  mid: Mid,
): { mouth: string; chin: string } {
  const parts: string[] = [];
  const lip = identity.lipColor;
  const closedLoop = (a: Pt[], b: Pt[]) =>
    `${smooth([m.cornerL, ...a, m.cornerR])}L${smooth([m.cornerR, ...b.slice().reverse(), m.cornerL]).slice(1)}Z`;
  const opening = closedLoop(m.upperIn, m.lowerIn);

  // AU24 / AU23: the skin around pressed lips bulges.
  const press = Math.max(mid(24), 0.7 * mid(23));
  parts.push(
    cue(smooth(m.lowerOut.map(([x, y]): Pt => [x, y + 4]).slice(3, -3)), line, 1.5, 0.5 * press),
  );
  if (m.open) {
    defs.push(`<clipPath id="${clipId}"><path d="${opening}"/></clipPath>`);
    parts.push(path(opening, { fill: '#3a1418' }));
    const teeth: string[] = [];
    // Upper teeth under the upper lip.
    const up = m.upperIn.map(([x, y]): Pt => [x, y - 3]);
    const upLow = m.upperIn.map(([x, y]): Pt => [x, y + 6]);
    teeth.push(
      path(`${smooth(up)}L${smooth(upLow.slice().reverse()).slice(1)}Z`, { fill: '#f6f3ec' }),
    );
    // Lower teeth show when the jaw drops or the lower lip is pulled down.
    if (m.gap > 8 || mid(16) > 0.2) {
      const lo = m.lowerIn.map(([x, y]): Pt => [x * 0.96 + CX * 0.04, y + 3]);
      const loTop = m.lowerIn.map(([x, y]): Pt => [x * 0.96 + CX * 0.04, y - 4.5]);
      teeth.push(
        path(`${smooth(loTop)}L${smooth(lo.slice().reverse()).slice(1)}Z`, { fill: '#ebe6dc' }),
      );
    }
    // Tongue when the mouth is wide open.
    if (m.gap > 13) {
      const bottom = Math.max(...m.lowerIn.map((p) => p[1]));
      teeth.push(
        `<ellipse cx="${CX}" cy="${n(bottom - 2)}" rx="${n(Math.abs(m.cornerR[0] - m.cornerL[0]) * 0.28)}" ry="${n(4 + m.gap * 0.12)}" fill="#c0646c"/>`,
      );
    }
    parts.push(`<g clip-path="url(#${clipId})">${teeth.join('')}</g>`);
  }
  // Lips.
  const rim = { stroke: darken(lip, 0.22), width: 1 };
  parts.push(path(closedLoop(m.upperOut, m.upperIn), { fill: darken(lip, 0.06), ...rim }));
  parts.push(path(closedLoop(m.lowerIn, m.lowerOut), { fill: lip, ...rim }));
  // Highlight on the lower lip.
  const lowMid = m.lowerIn.length >> 1;
  const li = m.lowerIn[lowMid] as Pt;
  const lo = m.lowerOut[lowMid] as Pt;
  parts.push(
    `<ellipse cx="${CX}" cy="${n((li[1] + lo[1]) / 2)}" rx="${n(Math.max(2, (m.cornerR[0] - m.cornerL[0]) * 0.14))}" ry="${n(Math.max(0.6, (lo[1] - li[1]) * 0.18))}" fill="#ffffff" opacity="0.18"/>`,
  );
  // Lip line (closed) or opening rim.
  const dark = darken(lip, 0.45);
  if (m.open) {
    parts.push(path(opening, { stroke: dark, width: 1.2, opacity: 0.8 }));
  } else {
    parts.push(path(smooth([m.cornerL, ...m.upperIn, m.cornerR]), { stroke: dark, width: 1.8 }));
  }
  // AU18 / AU22: fine vertical wrinkles on the lips.
  const pucker = Math.max(mid(18), 0.8 * mid(22));
  for (const i of [1, 2, 4, 5]) {
    const u = m.upperOut[i + 2];
    const l = m.lowerOut[i + 2];
    if (!u || !l) continue;
    parts.push(cue(`M${n(u[0])} ${n(u[1] + 1)}l0 3`, dark, 1.2, 0.7 * pucker));
    parts.push(cue(`M${n(l[0])} ${n(l[1] - 1)}l0 -3`, dark, 1.2, 0.7 * pucker));
  }
  for (const s of [-1, 1] as const) {
    const c = s === -1 ? m.cornerL : m.cornerR;
    // AU14: dimples beside the corners.
    parts.push(
      cue(
        quadThrough([c[0] + s * 3, c[1] - 5], [c[0] + s * 6, c[1]], [c[0] + s * 3, c[1] + 5]),
        line,
        1.8,
        0.9 * on(14, s),
      ),
    );
    // AU15: a fold running down from the depressed corner.
    parts.push(
      cue(
        quadThrough([c[0] + s * 2, c[1] + 4], [c[0] + s * 5, c[1] + 10], [c[0] + s * 6, c[1] + 16]),
        line,
        1.6,
        0.7 * on(15, s),
      ),
    );
    // AU20: skin stretched down and out from the corner.
    parts.push(
      cue(
        quadThrough([c[0] + s * 3, c[1] + 3], [c[0] + s * 9, c[1] + 8], [c[0] + s * 13, c[1] + 15]),
        line,
        1.5,
        0.6 * on(20, s),
      ),
    );
  }
  const mouth = parts.join('');
  parts.length = 0;
  // Chin: the mentolabial furrow, AU17 chin boss bulge and dimpling.
  const a17 = mid(17);
  const sulcus = m.lipBottom + 7 - 1.5 * a17;
  parts.push(
    cue(
      quadThrough([CX - 11, sulcus], [CX, sulcus + 2.5], [CX + 11, sulcus]),
      line,
      1.6,
      0.25 + 0.55 * a17,
    ),
  );
  parts.push(
    cue(
      quadThrough([CX - 15, sulcus + 14], [CX, sulcus + 5], [CX + 15, sulcus + 14]),
      line,
      1.6,
      0.8 * a17,
    ),
  );
  for (const [dx, dy] of [
    [-6, 10],
    [0, 12],
    [6, 10],
    [-3, 15],
    [3, 15],
  ] as const) {
    parts.push(
      a17 < 0.2
        ? ''
        : `<circle cx="${n(CX + dx)}" cy="${n(sulcus + dy)}" r="1" fill="${line}" opacity="${round2(0.5 * a17)}"/>`,
    );
  }
  return { mouth, chin: parts.join('') };
}

function hairBack(identity: FaceIdentity, W: number): string {
  const c = darken(identity.hairColor, 0.08);
  switch (identity.hairStyle) {
    case 'long':
      return path(
        `M${n(CX - W - 10)} 90Q${n(CX - W - 22)} 190 ${n(CX - W - 6)} 256L${n(CX + W + 6)} 256Q${n(CX + W + 22)} 190 ${n(CX + W + 10)} 90Z`,
        { fill: c },
      );
    case 'bob':
      return path(
        `M${n(CX - W - 10)} 90Q${n(CX - W - 18)} 180 ${n(CX - W + 6)} 206Q${n(CX - W + 30)} 212 ${n(CX - W + 36)} 196L${n(CX + W - 36)} 196Q${n(CX + W - 30)} 212 ${n(CX + W - 6)} 206Q${n(CX + W + 18)} 180 ${n(CX + W + 10)} 90Z`,
        { fill: c },
      );
    case 'curly': {
      const bumps: string[] = [];
      for (let i = 0; i <= 10; i++) {
        const a = Math.PI * (0.95 + (i / 10) * 1.1);
        const x = CX + Math.cos(a) * (W + 14);
        const y = 110 + Math.sin(a) * 86;
        bumps.push(`<circle cx="${n(x)}" cy="${n(y)}" r="20" fill="${c}"/>`);
      }
      for (const s of [-1, 1]) {
        bumps.push(`<circle cx="${n(CX + s * (W + 10))}" cy="150" r="17" fill="${c}"/>`);
      }
      return bumps.join('');
    }
    case 'bun':
      return `<circle cx="${CX}" cy="22" r="20" fill="${c}"/>`;
    default:
      return '';
  }
}

function hairFront(identity: FaceIdentity, W: number, rng: Rng): string {
  const c = identity.hairColor;
  const style = identity.hairStyle;
  if (style === 'bald') {
    // Some hair left at the sides, above the ears.
    return [-1, 1]
      .map((s) =>
        path(
          `M${n(CX + s * (W - 2))} 84Q${n(CX + s * (W + 6))} 100 ${n(CX + s * (W + 1))} 118L${n(CX + s * (W - 5))} 116Q${n(CX + s * (W - 3))} 98 ${n(CX + s * (W - 6))} 88Z`,
          { fill: c, opacity: 0.85 },
        ),
      )
      .join('');
  }
  // The hairline stays above y = 60 in the middle so forehead lines (AU1, AU2) remain visible.
  const part = identity.hairPart;
  const hl = 55 + rng.float(-3, 1);
  const sideY = style === 'buzz' ? 96 : 108;
  const d =
    `M${n(CX - W - 5)} ${sideY}` +
    `Q${n(CX - W - 8)} 30 ${n(CX)} 24` +
    `Q${n(CX + W + 8)} 30 ${n(CX + W + 5)} ${sideY}` +
    `Q${n(CX + W + 2)} ${sideY + 6} ${n(CX + W - 3)} ${sideY + 4}` +
    `Q${n(CX + W - 4)} ${n(hl + 8 + (part === 1 ? 6 : 0))} ${n(CX + 20 * part)} ${n(hl - (part === 0 ? 0 : 4))}` +
    `Q${n(CX - W + 4)} ${n(hl + 8 + (part === -1 ? 6 : 0))} ${n(CX - W + 3)} ${sideY + 4}` +
    `Q${n(CX - W - 2)} ${sideY + 6} ${n(CX - W - 5)} ${sideY}Z`;
  const parts = [path(d, { fill: c, opacity: style === 'buzz' ? 0.75 : 1 })];
  if (style === 'curly') {
    for (let i = 0; i < 7; i++) {
      const x = CX - W * 0.75 + (i * W * 1.5) / 6;
      parts.push(
        `<circle cx="${n(x)}" cy="${n(hl - 2 - Math.abs(x - CX) * 0.06)}" r="9" fill="${c}"/>`,
      );
    }
  }
  if (part !== 0 && style !== 'buzz') {
    parts.push(
      path(quadThrough([CX + 20 * part, hl - 4], [CX + 26 * part, 38], [CX + 22 * part, 27]), {
        stroke: lighten(c, 0.25),
        width: 1.5,
        opacity: 0.6,
      }),
    );
  }
  if (identity.headband) {
    parts.push(
      path(quadThrough([CX - W - 2, 62], [CX, 30], [CX + W + 2, 62]), {
        stroke: identity.headband,
        width: 7,
      }),
    );
  }
  return parts.join('');
}

function glasses(identity: FaceIdentity, W: number): string {
  const c = identity.glassesColor;
  const r = identity.glasses === 'round' ? 12 : 5;
  const parts: string[] = [];
  for (const s of [-1, 1] as const) {
    const ecx = CX + s * 33;
    parts.push(
      `<rect x="${n(ecx - 17)}" y="${n(EYE_Y - 13)}" width="34" height="25" rx="${r}" fill="#ffffff" fill-opacity="0.08" stroke="${c}" stroke-width="2.2"/>`,
    );
    parts.push(
      path(`M${n(ecx + s * 17)} ${n(EYE_Y - 6)}L${n(CX + s * (W - 2))} ${n(EYE_Y - 9)}`, {
        stroke: c,
        width: 2.2,
      }),
    );
  }
  parts.push(
    path(quadThrough([CX - 16, EYE_Y - 4], [CX, EYE_Y - 8], [CX + 16, EYE_Y - 4]), {
      stroke: c,
      width: 2.2,
    }),
  );
  return parts.join('');
}
