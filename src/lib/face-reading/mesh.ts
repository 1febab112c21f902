/**
 * The points of the MediaPipe face mesh (468 points, as @vladmandic/human returns it)
 * that the geometric AU measures read. Indices follow the mesh's own annotations
 * (human's `facemeshcoords.ts`: lipsUpperInner, rightEyeUpper0, rightEyebrowUpper ...),
 * checked against public code that uses them.
 *
 * Sides are the subject's: `right` is the subject's right, which appears on the image's
 * left in an unmirrored photo. In every sided list the k-th right point mirrors the k-th
 * left point, so a mirrored face can be built by swapping the lists.
 */

export interface SidedPoints {
  readonly right: readonly number[];
  readonly left: readonly number[];
}

/** Upper and lower point of one vertical gap (a lid or the lips), read top to bottom. */
export type GapPoints = readonly [top: number, bottom: number];

export interface SidedGaps {
  readonly right: readonly GapPoints[];
  readonly left: readonly GapPoints[];
}

/**
 * Eye corners: they stay put while the lids and brows move, so the eye centres, the
 * eye line (roll) and the inter-ocular distance (face size) are taken from them alone.
 */
export const EYE_OUTER_CORNER: SidedPoints = { right: [33], left: [263] };
export const EYE_INNER_CORNER: SidedPoints = { right: [133], left: [362] };

/**
 * Upper and lower lid, three pairs an eye (the pairs of the eye aspect ratio): near the
 * outer corner, the middle, near the inner corner. Three pairs steady a mesh that fits
 * one lid point loosely.
 */
export const LID_GAPS: SidedGaps = {
  right: [
    [160, 144],
    [159, 145],
    [158, 153],
  ],
  left: [
    [387, 373],
    [386, 374],
    [385, 380],
  ],
};

/** Inner end of each brow: top edge (107, 336) and bottom edge (55, 285). */
export const INNER_BROW: SidedPoints = { right: [107, 55], left: [336, 285] };

/** Outer half of each brow's top edge: the tail (70, 300) and the arch (105, 334). */
export const OUTER_BROW: SidedPoints = { right: [70, 105], left: [300, 334] };

/** Mouth corners, where the outer upper and lower lip contours meet. */
export const MOUTH_CORNER: SidedPoints = { right: [61], left: [291] };

/** The inner lip contour's middle: the lowest point of the upper lip, the highest of the lower. */
export const INNER_LIP_CENTRE: GapPoints = [13, 14];

/**
 * The inner lip contour across the middle of the mouth: 13/14 on the midline and one
 * pair either side of it (82/87, 312/317), so a lopsided opening still counts.
 */
export const INNER_LIP_GAPS: readonly GapPoints[] = [[82, 87], INNER_LIP_CENTRE, [312, 317]];

/** Top of the upper lip's outer contour on the midline (the Cupid's bow's dip). */
export const UPPER_LIP_TOP = 0;
/** The nose tip (pronasale). */
export const NOSE_TIP = 1;
/** Below the nose where the columella meets the upper lip (the mesh's noseBottom). */
export const SUBNASALE = 2;
/** Lowest point of the chin on the face outline (menton). */
export const CHIN = 152;
/** Top of the face outline on the midline. */
export const FOREHEAD = 10;

type PointPair = readonly [right: number, left: number];

function pairsOf(sided: SidedPoints): PointPair[] {
  return sided.right.map((right, k) => [right, sided.left[k]!] as const);
}

function pairsOfGaps(sided: SidedGaps): PointPair[] {
  return sided.right.flatMap((gap, k) => {
    const mirror = sided.left[k]!;
    return [
      [gap[0], mirror[0]],
      [gap[1], mirror[1]],
    ] as const;
  });
}

/** Each right point with the left point that mirrors it, over every point used here. */
export const MIRRORED_POINT_PAIRS: readonly PointPair[] = [
  ...pairsOf(EYE_OUTER_CORNER),
  ...pairsOf(EYE_INNER_CORNER),
  ...pairsOfGaps(LID_GAPS),
  ...pairsOf(INNER_BROW),
  ...pairsOf(OUTER_BROW),
  ...pairsOf(MOUTH_CORNER),
  // The inner lip's first pair mirrors its last; the middle one is on the midline.
  [82, 312],
  [87, 317],
];

/** The points used here that lie on the midline, which a mirror leaves in place. */
export const MIDLINE_POINTS: readonly number[] = [
  ...INNER_LIP_CENTRE,
  UPPER_LIP_TOP,
  NOSE_TIP,
  SUBNASALE,
  CHIN,
  FOREHEAD,
];
