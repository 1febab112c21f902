import { className } from '../labels/schemes';
import { AuStatus, type LabelScheme, type SampleTable, type SplitNames } from '../labels/types';
import type { LabelEvidence } from '../label-evidence/assess';
import { crowdSharesOf, type CrowdDistribution } from '../label-evidence/crowd-file';
import { crowdAgreement, crowdClassMapCheck, crowdRates } from '../label-evidence/crowd-source';
import { componentEvidence } from '../rules/check';
import { expectedAuRate } from '../rules/expected-rates';
import { maskOf, type AuMask } from '../rules/mask';
import type { Overview } from '../rules/overview';
import { classRuleOf, type RuleSet } from '../rules/schema';
import { wilsonInterval } from './intervals';
import type { MarkdownSection } from './markdown';
import { barChartSvg, groupedBarChartSvg, heatmapSvg, type BarRow } from './svg-charts';

/**
 * The post-mortem a researcher asks for after a multi-task run went wrong, computed from
 * the dataset and the evidence: were the AU labels to blame? Each finding is sentences
 * with their numbers, a chart (standalone SVG) and a table, so that the page, the
 * Markdown export and the PNGs say the same thing.
 */

export interface Finding {
  id: string;
  heading: string;
  sentences: string[];
  chart: { file: string; svg: string } | null;
  table: MarkdownSection['table'] | null;
}

export interface Diagnosis {
  title: string;
  /** The short answer, first on the page. */
  summary: string[];
  findings: Finding[];
}

export interface DiagnosisInput {
  datasetName: string;
  table: Pick<SampleTable, 'count' | 'classIds' | 'splits' | 'auStatus' | 'auMask'>;
  scheme: LabelScheme;
  splitNames: SplitNames;
  ruleSet: RuleSet;
  overview: Overview;
  evidence: LabelEvidence | null;
  crowd: CrowdDistribution | null;
  /** The AU targets a training script used, checked against the labels (the Models page). */
  loaderCheck?: { fileNames: string[]; report: LoaderVerdict } | null;
}

/**
 * What the diagnosis reads of a loader check (loader-check/check.ts's LoaderCheck has
 * this shape): structural, so that the diagnosis, which the predictions build on, does
 * not depend on the loader check's module.
 */
export interface LoaderVerdict {
  verdict: string;
  clean: boolean;
  findings: readonly {
    title: string;
    count: number;
    of: number;
    severity: 'error' | 'warning' | 'info';
    sentence: string;
  }[];
}

/** Below this out-of-fold accuracy, confident learning's raw count is mostly the model's doubt. */
const WEAK_MODEL_ACCURACY = 0.7;

const percent = (x: number, digits = 0) =>
  Number.isFinite(x) ? `${(x * 100).toFixed(digits)}%` : 'n/a';
const count = (x: number) => x.toLocaleString('en');
const interval = (successes: number, trials: number) => {
  const ci = wilsonInterval(successes, trials);
  return `${percent(ci.share, 1)} (95% CI ${percent(ci.low, 1)}-${percent(ci.high, 1)}, n = ${count(trials)})`;
};

function nullFindings(input: DiagnosisInput): Finding[] {
  const { overview } = input;
  const byClass = overview.nullByClass.filter((row) => row.samples > 0);
  const worst = [...byClass].sort((a, b) => b.nullShare - a.nullShare)[0];
  const sentences = [
    `${count(overview.nullCount)} of ${count(overview.samples)} samples have a \`null\` AU label: ${interval(overview.nullCount, overview.samples)}. \`null\` means not coded, never "no AU active": a loader that reads it as all zeros teaches the AU head that no AU is ever on.`,
  ];
  if (worst && worst.nullCount > 0) {
    sentences.push(
      `The class most affected is ${worst.name}: ${interval(worst.nullCount, worst.samples)}.`,
    );
  }
  const splits = overview.nullBySplit.map(
    (row) => `${row.name} ${interval(row.nullCount, row.samples)}`,
  );
  if (splits.length > 0) sentences.push(`By split: ${splits.join('; ')}.`);
  const rows = byClass.map((row) => shareBar(row.name, row.nullShare, row.samples));
  return [
    {
      id: 'null',
      heading: 'Null AU labels by class and split',
      sentences,
      chart: {
        file: 'null-by-class.png',
        svg: barChartSvg({
          title: 'Share of null AU labels by class (95% CI)',
          rows,
          unit: 'share',
        }),
      },
      table: {
        headers: ['class / split', 'samples', 'null', 'share', '95% CI'],
        align: ['left', 'right', 'right', 'right', 'left'],
        rows: [
          ...byClass.map((row) => [
            row.name,
            row.samples,
            row.nullCount,
            percent(row.nullShare, 1),
            ciText(row.nullCount, row.samples),
          ]),
          ...overview.nullBySplit.map((row) => [
            `split: ${row.name}`,
            row.samples,
            row.nullCount,
            percent(row.nullShare, 1),
            ciText(row.nullCount, row.samples),
          ]),
        ],
      },
    },
  ];
}

function ciText(successes: number, trials: number): string {
  const ci = wilsonInterval(successes, trials);
  return `${percent(ci.low, 1)}-${percent(ci.high, 1)}`;
}

/** A bar for a share of `trials`, with its 95% Wilson interval and sample size. */
function shareBar(label: string, share: number, trials: number): BarRow {
  const ci = wilsonInterval(Math.round(share * trials), trials);
  return { label, value: share, low: ci.low, high: ci.high, note: `n = ${count(trials)}` };
}

/** What the model reads beside AU presence, when it reads the sides. */
function oneSidedNote(oneSided: boolean): string {
  return oneSided ? ' and on whether an AU is coded on one side of the face only (L/R)' : '';
}

function predictabilityFinding(input: DiagnosisInput): Finding | null {
  const { evidence, scheme } = input;
  if (!evidence?.auModel) return null;
  const { accuracy, used } = evidence.auModel;
  const names = evidence.classIds.map((id) => className(scheme, id));
  const largest = Math.max(...evidence.classes.map((c) => c.auCoded));
  const chance = used > 0 ? largest / used : NaN;
  const confusion = evidence.auConfusion;
  // The pairs the AUs confuse most, by share of the given class.
  const pairs: { from: number; to: number; share: number; n: number }[] = [];
  confusion.forEach((row, y) => {
    const total = row.reduce((a, b) => a + b, 0);
    row.forEach((value, j) => {
      if (j !== y && total >= 10) pairs.push({ from: y, to: j, share: value / total, n: total });
    });
  });
  pairs.sort((a, b) => b.share - a.share);
  const codedClasses = evidence.classes.filter((c) => c.auCoded > 0);
  const worstRecall = [...evidence.classes]
    .filter((c) => c.auCoded >= 10)
    .sort((a, b) => a.auRecall - b.auRecall)
    .slice(0, 3);
  const sentences = [
    `The AU labels alone predict the emotion class for ${interval(Math.round(accuracy * used), used)} of the coded samples, out of fold (a multinomial logistic regression on AU presence${oneSidedNote(evidence.auModel.oneSided)}, ${evidence.auModel.folds} folds; always guessing the largest class would score ${percent(chance, 1)}).`,
    accuracy < WEAK_MODEL_ACCURACY
      ? `So the AU labels carry information about the emotion, but far from all of it: an AU head trained on them can help the emotion head at most as far as this figure, and a high AU-loss weight makes the network spend capacity on a task that explains only ${percent(accuracy)} of the labels.`
      : `So the AU labels largely agree with the emotion labels: an AU head has something real to teach the emotion head.`,
  ];
  if (pairs.length > 0) {
    const top = pairs
      .slice(0, 3)
      .map((p) => `${names[p.from]} read as ${names[p.to]} (${percent(p.share)})`);
    sentences.push(`The classes AUs tell apart least: ${top.join('; ')}.`);
  }
  if (worstRecall.length > 0) {
    sentences.push(
      `Lowest per-class recall: ${worstRecall.map((c) => `${className(scheme, c.classId)} ${percent(c.auRecall)} (n = ${count(c.auCoded)})`).join(', ')}.`,
    );
  }
  const shares = confusion.map((row) => {
    const total = row.reduce((a, b) => a + b, 0);
    return row.map((value) => (total > 0 ? value / total : NaN));
  });
  return {
    id: 'predictability',
    heading: 'How well the AU labels predict the emotion',
    sentences,
    chart: {
      file: 'au-confusion.png',
      svg: heatmapSvg({
        title:
          'Given class (rows) against the class the AUs predict (out of fold), share of the row',
        rowLabels: names,
        columnLabels: names,
        values: shares,
        unit: 'share',
        rowAxis: 'given class',
        columnAxis: 'predicted from AUs',
        highlightDiagonal: true,
      }),
    },
    table: {
      headers: ['class', 'coded samples', 'recall from AUs', '95% CI'],
      align: ['left', 'right', 'right', 'left'],
      rows: codedClasses.map((c) => [
        className(scheme, c.classId),
        c.auCoded,
        percent(c.auRecall, 1),
        ciText(Math.round(c.auRecall * c.auCoded), c.auCoded),
      ]),
    },
  };
}

function showsAny(lo: number, hi: number, alternatives: AuMask[]): boolean {
  return alternatives.some((m) => (lo & m.lo) >>> 0 === m.lo && (hi & m.hi) >>> 0 === m.hi);
}

function hallmarkFinding(input: DiagnosisInput): Finding | null {
  const { table, scheme, ruleSet, overview } = input;
  const classes = scheme.classes.filter(
    (c) => c.components.length >= 2 && classRuleOf(ruleSet, c.id),
  );
  if (classes.length === 0) return null;
  const compiled = new Map(
    classes.map((c) => {
      const rule = classRuleOf(ruleSet, c.id)!;
      return [
        c.id,
        c.components.map((component) =>
          componentEvidence(rule, ruleSet.hallmarks, component).map(maskOf),
        ),
      ];
    }),
  );
  const both = new Map<number, number>();
  const neither = new Map<number, number>();
  const coded = new Map<number, number>();
  let allBoth = 0;
  let allNeither = 0;
  let allCoded = 0;
  for (let i = 0; i < table.count; i++) {
    if (table.auStatus[i] !== AuStatus.coded) continue;
    const id = table.classIds[i] as number;
    const components = compiled.get(id);
    if (!components) continue;
    const lo = table.auMask[2 * i] as number;
    const hi = table.auMask[2 * i + 1] as number;
    const shown = components.filter(
      (alternatives) => alternatives.length === 0 || showsAny(lo, hi, alternatives),
    ).length;
    coded.set(id, (coded.get(id) ?? 0) + 1);
    allCoded++;
    if (shown === components.length) {
      both.set(id, (both.get(id) ?? 0) + 1);
      allBoth++;
    } else if (shown === 0) {
      neither.set(id, (neither.get(id) ?? 0) + 1);
      allNeither++;
    }
  }
  // The literature's side: the mean expected rate of the AUs its rule names, beside the
  // rate this dataset shows them at.
  const rates = overview.auRates;
  const rows = classes.map((c) => {
    const rule = classRuleOf(ruleSet, c.id)!;
    const r = rates.classIds.indexOf(c.id);
    const named = [...rule.required, ...rule.variants.map((v) => v.au)];
    let expected = 0;
    let observed = 0;
    for (const au of named) {
      expected += expectedAuRate(rule, au);
      const col = rates.aus.indexOf(au);
      observed +=
        r >= 0 && col >= 0 ? (rates.observed[r * rates.aus.length + col] as number) || 0 : 0;
    }
    const n = coded.get(c.id) ?? 0;
    return {
      id: c.id,
      name: className(scheme, c.id),
      expected: named.length > 0 ? expected / named.length : NaN,
      observed: named.length > 0 ? observed / named.length : NaN,
      both: n > 0 ? (both.get(c.id) ?? 0) / n : NaN,
      neither: n > 0 ? (neither.get(c.id) ?? 0) / n : NaN,
      n,
    };
  });
  return {
    id: 'hallmarks',
    heading: 'Hallmark consistency: the literature beside this dataset',
    sentences: [
      `${percent(allCoded > 0 ? allBoth / allCoded : NaN)} of the ${count(allCoded)} coded compound samples show a hallmark AU of both of their components, and ${percent(allCoded > 0 ? allNeither / allCoded : NaN)} of neither.`,
      `The posed faces the literature describes (Du et al. 2014) show their prototypical AUs in more than 70% of subjects; in-the-wild faces use them far less. This is a property of the dataset, not a count of wrong labels: the app reports it here and does not mark such samples as failing.`,
    ],
    chart: {
      file: 'hallmarks.png',
      svg: groupedBarChartSvg({
        title: 'Mean rate of the AUs the literature names for each class',
        rows: rows.map((row) => ({
          label: row.name,
          values: [row.expected || 0, row.observed || 0],
        })),
        series: ['literature (expected)', 'this dataset (observed)'],
        unit: 'share',
        max: 1,
      }),
    },
    table: {
      headers: [
        'class',
        'coded',
        'both components shown',
        'neither',
        'literature rate',
        'observed rate',
      ],
      align: ['left', 'right', 'right', 'right', 'right', 'right'],
      rows: rows.map((row) => [
        row.name,
        row.n,
        percent(row.both),
        percent(row.neither),
        percent(row.expected),
        percent(row.observed),
      ]),
    },
  };
}

function crowdFinding(input: DiagnosisInput): Finding | null {
  const { crowd, scheme, table } = input;
  if (!crowd) return null;
  const checks = crowdClassMapCheck(crowd, table.classIds, scheme).filter(
    (c) => c.rated && c.samples > 0,
  );
  let agree = 0;
  let tie = 0;
  let rated = 0;
  const componentsOf = new Map(scheme.classes.map((c) => [c.id, c.components]));
  for (let i = 0; i < table.count; i++) {
    if (!crowd.has[i]) continue;
    const components = componentsOf.get(table.classIds[i] as number);
    if (!components || !crowdRates(components)) continue;
    rated++;
    const verdict = crowdAgreement(crowdSharesOf(crowd, i), components).leads;
    if (verdict === 'yes') agree++;
    else if (verdict === 'tie') tie++;
  }
  const sentences = [
    `The crowd's votes (${crowd.fileName}) cover ${count(rated)} labelled samples. For ${interval(agree + tie, rated)} of them the given class's components are the crowd's leading emotions (${count(tie)} of these by a tie).`,
  ];
  const suspects = checks.filter((c) => c.suspect);
  if (suspects.length > 0) {
    for (const c of suspects) {
      const suggested =
        c.suggestedClassId === null
          ? ''
          : `, which is how ${className(scheme, c.suggestedClassId)} reads`;
      sentences.push(
        `Class id ${c.classId} is named ${c.name}, but the crowd leads with its components in only ${percent(c.leadShare)} of its ${count(c.samples)} samples, and with ${c.mostCommonLeading.join(' + ')} in ${percent(c.mostCommonShare)}${suggested}. Check the class-name map of the training code before blaming the labels.`,
      );
    }
  } else {
    sentences.push(
      `Every class id's samples mostly lead with that class's components: the class-name map agrees with the crowd.`,
    );
  }
  return {
    id: 'crowd',
    heading: 'Agreement with the crowd',
    sentences,
    chart: {
      file: 'crowd-agreement.png',
      svg: barChartSvg({
        title: "Share of each class's samples whose crowd leads with its components (95% CI)",
        rows: checks.map((c) => ({
          ...shareBar(c.name, c.leadShare, c.samples),
          danger: c.suspect,
        })),
        unit: 'share',
        max: 1,
      }),
    },
    table: {
      headers: [
        'class id',
        'class',
        'samples',
        'crowd leads with its components',
        'most common leading pair',
        'share',
      ],
      align: ['right', 'left', 'right', 'right', 'left', 'right'],
      rows: checks.map((c) => [
        c.classId,
        c.name,
        c.samples,
        percent(c.leadShare),
        c.mostCommonLeading.join(' + '),
        percent(c.mostCommonShare),
      ]),
    },
  };
}

function issuesFinding(input: DiagnosisInput): Finding | null {
  const { evidence, scheme } = input;
  if (!evidence) return null;
  const model = evidence.auModel;
  const sources = evidence.sources
    .filter((s) => s.weight > 0)
    .map(
      (s) =>
        `${s.name} (${s.quality.measure}: ${s.quality.value === null ? 'n/a' : percent(s.quality.value, 1)})`,
    );
  const sentences = [
    `Evidence weighed: ${sources.join('; ')}.`,
    `Confident learning's raw estimate is ${count(evidence.cl.estimatedIssues)} wrong labels of ${count(evidence.scored)} scored samples (${percent(evidence.scored > 0 ? evidence.cl.estimatedIssues / evidence.scored : NaN)})${model ? `, with a model that is right ${percent(model.accuracy)} of the time out of fold` : ''}${model && model.accuracy < WEAK_MODEL_ACCURACY ? ': a weak model spreads doubt over every uncertain sample, so read this as an upper bound, not a count' : ''}.`,
    `The "likely mislabelled" set holds the ${count(evidence.likelyMislabelled)} samples (${percent(evidence.scored > 0 ? evidence.likelyMislabelled / evidence.scored : NaN, 1)}) whose evidence is strong enough to matter.`,
  ];
  const doubted = evidence.classes.filter((row) => row.doubtedWhole);
  if (doubted.length > 0) {
    sentences.push(
      `The evidence doubts most of ${doubted.map((row) => `${className(scheme, row.classId)} (${count(row.aboveCut)} of ${count(row.scored)})`).join(', ')}: that points at the class itself (too few samples for the AU model to learn it, or a class-name map that is wrong), not at its samples one by one, so only its worst two thirds are flagged.`,
    );
  }
  const c = evidence.calibration;
  if (c) {
    sentences.push(
      `How that cut was chosen, on this dataset: ${count(c.injected)} labels (${percent(c.injectedShare)}) of a copy${c.drawn ? ` (${count(c.copySamples)} samples drawn at random: the AU model learns as well from them as from all)` : ''} were swapped to another class at random; the evidence ranked them with AUROC ${c.aurocOnCopy.toFixed(2)} (top 20: ${percent(c.top20PrecisionOnCopy)} swaps), and the cut catches ${percent(c.recallOnCopy)} of them while flagging ${percent(c.flaggedShareOnCopy, 1)} of the copy${c.capped ? `; on the real labels it was raised to keep the set within ${percent(0.15)} of the samples` : ''}.`,
    );
  }
  const rows = evidence.classes.filter((row) => row.scored > 0);
  return {
    id: 'issues',
    heading: 'Estimated label issues per class',
    sentences,
    chart: {
      file: 'label-issues.png',
      svg: groupedBarChartSvg({
        title: 'Label issues per class (counts)',
        rows: rows.map((row) => ({
          label: className(scheme, row.classId),
          values: [row.flagged, row.estimatedIssues],
        })),
        series: ['likely mislabelled', 'confident learning (raw)'],
        unit: 'count',
      }),
    },
    table: {
      headers: [
        'class',
        'scored',
        'likely mislabelled',
        'share',
        'confident learning (raw)',
        'note',
      ],
      align: ['left', 'right', 'right', 'right', 'right', 'left'],
      rows: rows.map((row) => [
        className(scheme, row.classId),
        row.scored,
        row.flagged,
        percent(row.scored > 0 ? row.flagged / row.scored : NaN, 1),
        row.estimatedIssues,
        row.insufficient ? 'too few samples to flag' : '',
      ]),
    },
  };
}

function trainingFinding(input: DiagnosisInput): Finding {
  const { overview, evidence } = input;
  const sentences: string[] = [];
  if (overview.nullCount > 0) {
    sentences.push(
      `Mask the ${count(overview.nullCount)} \`null\` AU labels out of the AU loss (the export writes them as -1 in au_matrix.csv); never train them as zeros.`,
    );
  }
  if (evidence?.auModel) {
    const acc = evidence.auModel.accuracy;
    sentences.push(
      `AU labels explain the emotion for about ${percent(acc)} of the coded samples: keep the AU loss an auxiliary (a small weight, e.g. tuned from 0.1 upwards on the validation split) rather than an equal partner, and compare with the single-task baseline at each weight.`,
    );
  }
  const sizes = overview.nullByClass.filter((r) => r.samples > 0).map((r) => r.samples);
  if (sizes.length > 1) {
    const ratio = Math.max(...sizes) / Math.min(...sizes);
    sentences.push(
      `Classes range from ${count(Math.min(...sizes))} to ${count(Math.max(...sizes))} samples (${ratio.toFixed(0)}:1): use the class weights of training_stats.json (effective number of samples) or balanced sampling.`,
    );
  }
  if (evidence && evidence.likelyMislabelled > 0) {
    sentences.push(
      `Review the ${count(evidence.likelyMislabelled)} likely mislabelled samples worst first (Review, "the N most likely mislabelled") before dropping any; the export can drop or keep them.`,
    );
  }
  const breaks = overview.verdictCounts['breaks-facs'];
  if (breaks > 0) {
    sentences.push(
      `${count(breaks)} AU labels break a FACS coding rule (mutually exclusive codes, duplicates or unreadable tokens): fix or drop them.`,
    );
  }
  return {
    id: 'training',
    heading: 'What follows for training',
    sentences,
    chart: null,
    table: null,
  };
}

/**
 * What the training code did with the AU labels, when its targets were checked: first on
 * the page when something is wrong, because no label can be blamed for targets the loader
 * never read. A clean check is said last, among the training notes.
 */
function loaderFinding(input: DiagnosisInput): Finding | null {
  const check = input.loaderCheck;
  if (!check) return null;
  const { report, fileNames } = check;
  const files = fileNames.map((f) => `\`${f}\``).join(', ');
  // The verdict often is the leading finding's own sentence: said once.
  const sentences = new Set([
    report.clean
      ? `The AU targets the training code used (${files}) match the labels.`
      : report.verdict,
    ...report.findings.filter((f) => f.severity !== 'info' || report.clean).map((f) => f.sentence),
  ]);
  return {
    id: report.clean ? 'loader-clean' : 'loader',
    heading: 'What the training code read',
    sentences: [...sentences],
    chart: null,
    table:
      report.findings.length > 0
        ? {
            headers: ['finding', 'rows', 'of', 'severity'],
            align: ['left', 'right', 'right', 'left'],
            rows: report.findings.map((f) => [f.title, count(f.count), count(f.of), f.severity]),
          }
        : null,
  };
}

export function diagnose(input: DiagnosisInput): Diagnosis {
  const loader = loaderFinding(input);
  const loaderFirst = loader !== null && !input.loaderCheck?.report.clean;
  const findings = [
    ...(loaderFirst ? [loader] : []),
    ...nullFindings(input),
    predictabilityFinding(input),
    hallmarkFinding(input),
    crowdFinding(input),
    issuesFinding(input),
    trainingFinding(input),
    ...(loader && !loaderFirst ? [loader] : []),
  ].filter((f): f is Finding => f !== null);
  const summary: string[] = [];
  if (loaderFirst && input.loaderCheck) summary.push(input.loaderCheck.report.verdict);
  const { overview, evidence } = input;
  summary.push(
    `${count(overview.samples)} samples; ${percent(overview.nullShare, 1)} have \`null\` AU labels.`,
  );
  if (evidence?.auModel) {
    summary.push(
      `AU labels predict the class ${percent(evidence.auModel.accuracy)} of the time out of fold.`,
    );
  }
  if (evidence) {
    summary.push(
      `${count(evidence.likelyMislabelled)} labels are likely wrong (${percent(evidence.scored > 0 ? evidence.likelyMislabelled / evidence.scored : NaN, 1)} of those scored).`,
    );
  }
  return { title: `Diagnosis: ${input.datasetName}`, summary, findings };
}

/** The diagnosis as one Markdown document; charts are referenced by their PNG file names. */
export function diagnosisSections(diagnosis: Diagnosis): MarkdownSection[] {
  return [
    { heading: 'Summary', paragraphs: diagnosis.summary },
    ...diagnosis.findings.map((f) => ({
      heading: f.heading,
      paragraphs: f.sentences,
      ...(f.table ? { table: f.table } : {}),
      ...(f.chart ? { chartFile: f.chart.file } : {}),
    })),
  ];
}
