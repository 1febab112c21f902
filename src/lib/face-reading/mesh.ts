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

// ---------------------------------------------------------------------------
// Contours for the AU region overlay (landmark-regions.ts). Each group is the set of
// points whose bounding box, padded, covers the skin where an AU shows; the sided ones
// mirror point for point like the lists above.

/** The face outline (the mesh's silhouette), forehead top round to the chin: the face's size. */
export const FACE_OVAL: readonly number[] = [
  10, 338, 297, 332, 284, 251, 389, 356, 454, 323, 361, 288, 397, 365, 379, 378, 400, 377, 152, 148,
  176, 149, 150, 136, 172, 58, 132, 93, 234, 127, 162, 21, 54, 103, 67, 109,
];

/**
 * Each brow, top edge (tail to inner end) then bottom edge. The points next to the eye's
 * outer corner (156, 383) and the nose (193, 417) are left out: they are not brow.
 */
export const BROW: SidedPoints = {
  right: [70, 63, 105, 66, 107, 46, 53, 52, 65, 55],
  left: [300, 293, 334, 296, 336, 276, 283, 282, 295, 285],
};

/** Each eye's lid margins: the upper lid then the lower one, corner to corner. */
export const EYE_RING: SidedPoints = {
  right: [246, 161, 160, 159, 158, 157, 173, 33, 7, 163, 144, 145, 153, 154, 155, 133],
  left: [466, 388, 387, 386, 385, 384, 398, 263, 249, 390, 373, 374, 380, 381, 382, 362],
};

/** Between the inner brow ends, down to the top of the nose bridge (168). */
export const GLABELLA: readonly number[] = [107, 336, 55, 285, 9, 8, 168];

/** Each cheek below the lower lid, over the cheekbone, down to about the nostrils. */
export const CHEEK: SidedPoints = {
  right: [117, 118, 101, 50, 205, 123],
  left: [346, 347, 330, 280, 425, 352],
};

/** The bridge (168 down to the tip) and the sides of the nose to the nostrils and wings. */
export const NOSE: readonly number[] = [
  168, 6, 197, 195, 5, 4, 1, 2, 98, 327, 64, 294, 129, 358, 48, 278,
];

/** The upper lip's skin: subnasale down to the top of the lip, as wide as the nostrils. */
export const UPPER_LIP_SKIN: readonly number[] = [2, 164, 0, 37, 267, 98, 327];

/** Each nasolabial fold, from the nose wing past the mouth corner (61, 291) to below it. */
export const NASOLABIAL_FOLD: SidedPoints = {
  right: [129, 203, 206, 216, 92, 57, 43, 61],
  left: [358, 423, 426, 436, 322, 287, 273, 291],
};

/** The lips' outer contour: the upper lip corner to corner, then the lower. */
export const OUTER_LIPS: readonly number[] = [
  61, 185, 40, 39, 37, 0, 267, 269, 270, 409, 291, 146, 91, 181, 84, 17, 314, 405, 321, 375,
];

/** Below the lower lip (17) to the chin's lowest point (152), the chin boss's width. */
export const CHIN_AREA: readonly number[] = [
  17, 18, 200, 199, 175, 152, 32, 262, 208, 428, 171, 396,
];

/** The lower jaw's outline, from beside one mouth corner round the chin to the other. */
export const LOWER_JAW: readonly number[] = [
  58, 172, 136, 150, 149, 176, 148, 152, 377, 400, 378, 379, 365, 397, 288,
];
