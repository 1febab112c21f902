import { expect, it } from 'vitest';
import { importLabelFiles } from '../formats/import';
import { RAFCE_SCHEME } from '../labels/schemes';
import { describeRealRafCe, realRafCeFile } from '../labels/test-fixtures';
import { RAFCE_RULE_SET } from '../rules/builtin';
import { assessLabels, DEFAULT_EVIDENCE_OPTIONS, fitPlan, LabelFlag, planEvidence } from './assess';
import { evidenceColumns } from './au-design';
import { CROWD_EMOTIONS, type CrowdDistribution } from './crowd-file';
import { crowdAgreement, crowdOpinions } from './crowd-source';
import { injectSwaps, rankingQuality } from './swaps';

/**
 * The detector judged as the reference prescribes (section 6): swap 5% of the real
 * RAF-CE emotion labels at random and see how the evidence ranks the swaps. Bounds are
 * loose on purpose (the benchmark records the exact figures): they catch a detector that
 * stops working, not a point of AUROC.
 */
const { table: imported } = importLabelFiles([
  realRafCeFile('RAFCE_emolabel.txt'),
  realRafCeFile('RAFCE_AUlabel.txt'),
  realRafCeFile('RAFCE_partition.txt'),
]);
// What the app's analysis reads: the columns and the one-sided AUs.
const table = { ...imported, ...evidenceColumns(imported) };
const coded: number[] = [];
for (let i = 0; i < table.count; i++) if (table.auStatus[i] === 2) coded.push(i);
const labels = Int16Array.from(table.classIds, (c, i) => (table.auStatus[i] === 2 ? c : -1));

function swapped(seed: number) {
  const injected = injectSwaps(labels, 14, 0.05, seed);
  const classIds = Int16Array.from(table.classIds, (c, i) =>
    injected.isSwapped[i] ? (injected.labels[i] as number) : c,
  );
  return { injected, classIds };
}

describeRealRafCe('label evidence on the real RAF-CE files', () => {
  it('on the labels as published: a small likely-mislabelled set, and the raw estimate beside the model quality', () => {
    const evidence = assessLabels({
      columns: table,
      scheme: RAFCE_SCHEME,
      ruleSet: RAFCE_RULE_SET,
    });
    expect(evidence.scored).toBe(4298);
    expect(evidence.auModel?.accuracy).toBeGreaterThan(0.4);
    expect(evidence.auModel?.accuracy).toBeLessThan(0.6);
    expect(evidence.likelyMislabelled / evidence.scored).toBeLessThanOrEqual(0.15);
    expect(evidence.likelyMislabelled).toBeGreaterThan(50);
    // Confident learning's raw estimate is far larger with a model this weak: shown, not used as the set.
    expect(evidence.cl.estimatedIssues).toBeGreaterThan(evidence.likelyMislabelled);
    // No sample stays ranked in file order: the worst-first ranks are a permutation.
    const ranks = Array.from(evidence.rank).filter((r) => !Number.isNaN(r));
    expect(new Set(ranks).size).toBe(evidence.scored);
    expect(evidence.calibration?.recallOnCopy).toBeGreaterThan(0.6);
  });

  it.each([1, 2])(
    'ranks 5%% random swaps (seed %i) well, and the default set holds most of them',
    (seed) => {
      const { injected, classIds } = swapped(seed);
      const evidence = assessLabels({
        columns: { ...table, classIds },
        scheme: RAFCE_SCHEME,
        ruleSet: RAFCE_RULE_SET,
      });
      const quality = rankingQuality(evidence.suspicion, injected.isSwapped, coded, 20);
      expect(quality.auroc).toBeGreaterThan(0.85);
      expect(quality.topPrecision).toBeGreaterThanOrEqual(0.6);
      let flagged = 0;
      let caught = 0;
      for (const i of coded) {
        if (evidence.flagged[i] !== LabelFlag['likely-mislabelled']) continue;
        flagged++;
        if (injected.isSwapped[i]) caught++;
      }
      expect(flagged / coded.length).toBeLessThanOrEqual(0.15);
      expect(caught / injected.swapped.length).toBeGreaterThan(0.6);
    },
  );

  it('is deterministic', () => {
    const a = assessLabels({ columns: table, scheme: RAFCE_SCHEME, ruleSet: RAFCE_RULE_SET });
    const b = assessLabels({ columns: table, scheme: RAFCE_SCHEME, ruleSet: RAFCE_RULE_SET });
    expect(Array.from(a.suspicion)).toEqual(Array.from(b.suspicion));
    expect(Array.from(a.flagged)).toEqual(Array.from(b.flagged));
  });

  it('puts the swapped samples whose crowd disagrees first (synthetic crowd votes from the original classes)', () => {
    const { injected, classIds } = swapped(3);
    const n = table.count;
    const shares = new Float32Array(n * 6);
    const has = new Uint8Array(n);
    const components = new Map(RAFCE_SCHEME.classes.map((c) => [c.id, c.components]));
    for (let i = 0; i < n; i++) {
      const [a, b] = components.get(table.classIds[i] as number) ?? [];
      const row = CROWD_EMOTIONS.map((e) => (e === a ? 0.45 : e === b ? 0.35 : 0.05));
      shares.set(row, i * 6);
      has[i] = 1;
    }
    const crowd: CrowdDistribution = {
      version: 1,
      fileName: 'synthetic.txt',
      emotions: CROWD_EMOTIONS,
      shares,
      has,
      matched: n,
    };
    const evidence = assessLabels({
      columns: { ...table, classIds },
      scheme: RAFCE_SCHEME,
      ruleSet: RAFCE_RULE_SET,
      extraSources: [crowdOpinions(crowd, RAFCE_SCHEME, classIds)],
    });
    const crowdSource = evidence.sources.find((s) => s.kind === 'crowd');
    expect(crowdSource?.weight).toBeGreaterThan(0);
    // The swaps the crowd contradicts (its leading emotions are not the new class's components).
    const disagreeing = Array.from(injected.swapped).filter(
      (i) =>
        crowdAgreement(
          shares.subarray(i * 6, i * 6 + 6),
          components.get(classIds[i] as number) ?? [],
        ).leads === 'no',
    );
    expect(disagreeing.length).toBeGreaterThan(150);
    const isDisagreeing = new Set(disagreeing);
    const top = Array.from({ length: n }, (_, i) => i)
      .filter((i) => !Number.isNaN(evidence.rank[i] as number))
      .sort((x, y) => (evidence.rank[x] as number) - (evidence.rank[y] as number))
      .slice(0, disagreeing.length);
    const inTop = top.filter((i) => isDisagreeing.has(i)).length;
    expect(inTop / disagreeing.length).toBeGreaterThan(0.95);
  });
});

describeRealRafCe('the evidence fitted in parts, and calibrated on a drawn copy', () => {
  const input = { columns: table, scheme: RAFCE_SCHEME, ruleSet: RAFCE_RULE_SET };

  it('is the same evidence whether the AU models are fitted inside or handed in', () => {
    const inside = assessLabels(input);
    const plan = planEvidence(input, DEFAULT_EVIDENCE_OPTIONS);
    const fits = fitPlan(plan, DEFAULT_EVIDENCE_OPTIONS);
    const handed = assessLabels(input, DEFAULT_EVIDENCE_OPTIONS, { plan, fits });
    expect(handed.suspicion).toEqual(inside.suspicion);
    expect(handed.flagged).toEqual(inside.flagged);
    expect(handed.calibration).toEqual(inside.calibration);
    // Below the copy's cap the copy is the whole dataset.
    expect(plan.copy.sample).toBeNull();
  });

  it('draws the copy when the dataset holds more labelled samples than the cap, the same draw every time', () => {
    const options = {
      ...DEFAULT_EVIDENCE_OPTIONS,
      calibration: { ...DEFAULT_EVIDENCE_OPTIONS.calibration, maxSamples: 2000 },
    };
    const plan = planEvidence(input, options);
    const sample = plan.copy.sample;
    expect(sample).not.toBeNull();
    // About the cap, ascending, only labelled samples, and their own columns.
    expect(sample?.length).toBeGreaterThan(1800);
    expect(sample?.length).toBeLessThan(2200);
    expect(
      Array.from(sample ?? []).every((i, j, all) => j === 0 || i > (all[j - 1] as number)),
    ).toBe(true);
    const j = 7;
    const i = sample?.[j] as number;
    expect(plan.copy.columns.count).toBe(sample?.length);
    expect(plan.copy.columns.classIds[j]).toBe(table.classIds[i]);
    expect(plan.copy.columns.auMask[2 * j]).toBe(table.auMask[2 * i]);
    expect(plan.copy.columns.auStatus[j]).toBe(table.auStatus[i]);
    expect(planEvidence(input, options).copy.sample).toEqual(sample);

    const evidence = assessLabels(input, options);
    expect(evidence.calibration?.injected).toBeGreaterThan(50);
    expect(evidence.calibration?.injected).toBeLessThan(120);
    // The cut found on the copy still makes a set of the same kind on the whole dataset.
    expect(evidence.likelyMislabelled / evidence.scored).toBeLessThanOrEqual(0.15);
    expect(evidence.likelyMislabelled).toBeGreaterThan(50);
  });
});
