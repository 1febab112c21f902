import { z } from 'zod';

/**
 * Where each Action Unit shows on an aligned, frontal face crop: a fixed template
 * of face regions in image coordinates 0-1 (x to the right, y down).
 *
 * The regions follow the landmark groups of the 68-point iBUG scheme named in the
 * AU reference (section 5): brows 17-26, eyes 36-47, glabella 21/22/27, cheeks
 * below the lower lids, nose 27-35, upper lip / nasolabial folds / mouth corners
 * 31-35 and 48-59, lips 48-67, chin 6-10 and 55-59, lower jaw 5-11. For aligned
 * crops (eyes level, about 45% down; mouth about 70% down) a fixed template is a
 * fair default; it is a hint where to look, not a detection.
 *
 * Pure: no DOM, no framework.
 */

/** Slack for floating-point sums such as x + w <= 1. */
const EPSILON = 1e-9;

export const RectShapeSchema = z
  .object({
    kind: z.literal('rect'),
    x: z.number().min(0).max(1),
    y: z.number().min(0).max(1),
    w: z.number().positive().max(1),
    h: z.number().positive().max(1),
  })
  .refine((r) => r.x + r.w <= 1 + EPSILON && r.y + r.h <= 1 + EPSILON, {
    message: 'A rect must lie inside the image (x + w <= 1, y + h <= 1).',
  });

export const EllipseShapeSchema = z
  .object({
    kind: z.literal('ellipse'),
    cx: z.number().min(0).max(1),
    cy: z.number().min(0).max(1),
    rx: z.number().positive().max(0.5),
    ry: z.number().positive().max(0.5),
  })
  .refine(
    (e) =>
      e.cx - e.rx >= -EPSILON &&
      e.cx + e.rx <= 1 + EPSILON &&
      e.cy - e.ry >= -EPSILON &&
      e.cy + e.ry <= 1 + EPSILON,
    { message: 'An ellipse must lie inside the image.' },
  );

export const RegionShapeSchema = z.union([RectShapeSchema, EllipseShapeSchema]);
export type RegionShape = z.infer<typeof RegionShapeSchema>;

export const RegionSchema = z.object({
  id: z.string().regex(/^[a-z][a-z0-9-]*$/),
  name: z.string().min(1),
  shapes: z.array(RegionShapeSchema).min(1),
});
export type Region = z.infer<typeof RegionSchema>;

/** A whole template: regions plus the regions of each AU (JSON keys are AU numbers). */
export const FaceRegionTemplateSchema = z
  .object({
    version: z.literal(1),
    regions: z.array(RegionSchema).min(1),
    auRegions: z.record(z.string().regex(/^[1-9]\d*$/), z.array(z.string()).min(1)),
  })
  .superRefine((t, ctx) => {
    const ids = new Set<string>();
    for (const r of t.regions) {
      if (ids.has(r.id)) ctx.addIssue({ code: 'custom', message: `Duplicate region "${r.id}".` });
      ids.add(r.id);
    }
    for (const [au, list] of Object.entries(t.auRegions)) {
      for (const id of list) {
        if (!ids.has(id)) {
          ctx.addIssue({ code: 'custom', message: `AU${au} names unknown region "${id}".` });
        }
      }
    }
  });
export type FaceRegionTemplate = z.infer<typeof FaceRegionTemplateSchema>;

const ellipse = (cx: number, cy: number, rx: number, ry: number): RegionShape => ({
  kind: 'ellipse',
  cx,
  cy,
  rx,
  ry,
});
const rect = (x: number, y: number, w: number, h: number): RegionShape => ({
  kind: 'rect',
  x,
  y,
  w,
  h,
});
/** The same ellipse on both sides of the midline x = 0.5. */
const pair = (cx: number, cy: number, rx: number, ry: number): RegionShape[] => [
  ellipse(cx, cy, rx, ry),
  ellipse(1 - cx, cy, rx, ry),
];

/** The default template, version 1. Regions are listed top to bottom. */
export const DEFAULT_FACE_REGION_TEMPLATE: FaceRegionTemplate = {
  version: 1,
  regions: [
    // 17-21 and 22-26; tall enough for brows raised (AU1, AU2) and lowered (AU4).
    { id: 'brows', name: 'Brows', shapes: pair(0.365, 0.365, 0.105, 0.06) },
    // 21, 22, 27: between the inner brow ends, down to the top of the nose bridge.
    { id: 'glabella', name: 'Glabella', shapes: [rect(0.45, 0.35, 0.1, 0.12)] },
    // 36-41 and 42-47.
    { id: 'eyes', name: 'Eyes', shapes: pair(0.367, 0.449, 0.08, 0.048) },
    // Below the lower lids, over the cheekbones.
    { id: 'cheeks', name: 'Cheeks', shapes: pair(0.33, 0.56, 0.09, 0.065) },
    // 27-35: bridge and the sides of the nose down to the nostrils.
    { id: 'nose', name: 'Nose', shapes: [rect(0.425, 0.44, 0.15, 0.185)] },
    // 31-35 down to 48-54, with the folds running from the nose wings past the mouth corners.
    {
      id: 'nasolabial',
      name: 'Upper lip, nasolabial folds and mouth corners',
      shapes: [rect(0.42, 0.615, 0.16, 0.075), ...pair(0.38, 0.665, 0.055, 0.085)],
    },
    // 48-67, with room for the mouth stretched (AU20) or opened (AU25-27).
    { id: 'lips', name: 'Lips', shapes: [ellipse(0.5, 0.72, 0.135, 0.06)] },
    // 6-10 and 55-59: lower lip to the chin boss.
    { id: 'chin', name: 'Chin', shapes: [ellipse(0.5, 0.82, 0.1, 0.075)] },
    // 5-11: the lower jaw around the mouth and chin.
    { id: 'jaw', name: 'Lower jaw', shapes: [ellipse(0.5, 0.8, 0.22, 0.11)] },
  ],
  auRegions: {
    1: ['brows', 'eyes'],
    2: ['brows', 'eyes'],
    4: ['brows', 'eyes', 'glabella'],
    5: ['brows', 'eyes'],
    6: ['cheeks'],
    7: ['brows', 'eyes'],
    9: ['nose'],
    10: ['nasolabial'],
    11: ['nasolabial'],
    12: ['nasolabial'],
    13: ['nasolabial'],
    14: ['nasolabial'],
    15: ['nasolabial'],
    16: ['lips', 'jaw'],
    17: ['chin'],
    18: ['lips'],
    20: ['lips', 'jaw'],
    22: ['lips'],
    23: ['lips'],
    24: ['lips'],
    25: ['lips', 'jaw'],
    26: ['lips', 'jaw'],
    27: ['lips', 'jaw'],
    28: ['lips'],
    41: ['eyes'],
    42: ['eyes'],
    43: ['eyes'],
    44: ['eyes'],
    45: ['eyes'],
    46: ['eyes'],
  },
};

/** The regions of the default template, by id. */
export const FACE_REGIONS: Readonly<Record<string, Region>> = Object.fromEntries(
  DEFAULT_FACE_REGION_TEMPLATE.regions.map((r) => [r.id, r]),
);

/** The region ids of each AU in the default template. AUs not listed (51-64, ...) have none. */
export const AU_REGION_IDS: Readonly<Record<number, readonly string[]>> =
  DEFAULT_FACE_REGION_TEMPLATE.auRegions;

/** Reads a template (e.g. from JSON), or throws a ZodError. */
export function parseFaceRegionTemplate(value: unknown): FaceRegionTemplate {
  return FaceRegionTemplateSchema.parse(value);
}

/** The regions where an AU shows, in template order; [] for an AU without a region. */
export function regionsForAu(
  au: number,
  template: FaceRegionTemplate = DEFAULT_FACE_REGION_TEMPLATE,
): Region[] {
  const ids = template.auRegions[au];
  if (!ids) return [];
  return template.regions.filter((r) => ids.includes(r.id));
}

/** One region to draw over a face. */
export interface OverlayRegion {
  region: Region;
  /** 'labelled' if any labelled AU shows here, else 'missing'. */
  style: 'labelled' | 'missing';
  /** Every AU (labelled or expected-missing) that shows here, ascending. */
  aus: number[];
  /** The expected-missing AUs among `aus` (all of them for a 'missing' region). */
  missingAus: number[];
}

/**
 * The regions to draw for a sample: where its labelled AUs show, and where the AUs
 * its class is expected to have but that are not labelled would show. A region
 * both labelled and missing is drawn as 'labelled'; each region appears once with
 * its AUs merged. Regions come in template order; AUs without a region are skipped.
 */
export function overlayFor(
  labelled: readonly number[],
  expectedMissing: readonly number[],
  template: FaceRegionTemplate = DEFAULT_FACE_REGION_TEMPLATE,
): OverlayRegion[] {
  const labelledSet = new Set(labelled);
  const byRegion = new Map<string, { labelled: Set<number>; missing: Set<number> }>();
  const note = (au: number, kind: 'labelled' | 'missing') => {
    for (const region of regionsForAu(au, template)) {
      let entry = byRegion.get(region.id);
      if (!entry) {
        entry = { labelled: new Set(), missing: new Set() };
        byRegion.set(region.id, entry);
      }
      entry[kind].add(au);
    }
  };
  for (const au of labelled) note(au, 'labelled');
  // An AU both labelled and listed as missing counts as labelled.
  for (const au of expectedMissing) if (!labelledSet.has(au)) note(au, 'missing');

  const ascending = (s: Set<number>) => [...s].sort((a, b) => a - b);
  return template.regions.flatMap((region): OverlayRegion[] => {
    const entry = byRegion.get(region.id);
    if (!entry) return [];
    return [
      {
        region,
        style: entry.labelled.size > 0 ? 'labelled' : 'missing',
        aus: ascending(new Set([...entry.labelled, ...entry.missing])),
        missingAus: ascending(entry.missing),
      },
    ];
  });
}
