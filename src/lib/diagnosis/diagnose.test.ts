import { expect, it } from 'vitest';
import { assessLabels, type LabelEvidence } from '../label-evidence/assess';
import { CROWD_EMOTIONS, type CrowdDistribution } from '../label-evidence/crowd-file';
import { importLabelFiles } from '../formats/import';
import { RAFCE_SCHEME } from '../labels/schemes';
import { describeRealRafCe, realRafCeFile } from '../labels/test-fixtures';
import { RAFCE_RULE_SET } from '../rules/builtin';
import { checkTable } from '../rules/check';
import { buildOverview } from '../rules/overview';
import { diagnose, diagnosisSections, type DiagnosisInput } from './diagnose';
import { markdownDocument } from './markdown';
import { checkLoaderTargets } from '../loader-check/check';
import { readTargetDump } from '../loader-check/target-file';
import { targetDumpCsv } from '../../../tests/support/prediction-fixtures';

const imported = importLabelFiles([
  realRafCeFile('RAFCE_emolabel.txt'),
  realRafCeFile('RAFCE_AUlabel.txt'),
  realRafCeFile('RAFCE_partition.txt'),
]);
const { table } = imported;
const check = checkTable(table, RAFCE_RULE_SET);
const evidence = assessLabels({ columns: table, scheme: RAFCE_SCHEME, ruleSet: RAFCE_RULE_SET });

function inputWith(overrides: Partial<DiagnosisInput>): DiagnosisInput {
  const ev = overrides.evidence === undefined ? evidence : overrides.evidence;
  return {
    datasetName: 'RAF-CE',
    table,
    scheme: RAFCE_SCHEME,
    splitNames: imported.splitNames,
    ruleSet: RAFCE_RULE_SET,
    overview: buildOverview(table, RAFCE_SCHEME, imported.splitNames, RAFCE_RULE_SET, check, ev),
    evidence: ev,
    crowd: null,
    ...overrides,
  };
}

/** Crowd votes whose leading emotions are each class's components, except two class ids read as each other. */
function crowdSwapping(a: number, b: number): CrowdDistribution {
  const n = table.count;
  const shares = new Float32Array(n * 6);
  const components = new Map(RAFCE_SCHEME.classes.map((c) => [c.id, c.components]));
  for (let i = 0; i < n; i++) {
    const id = table.classIds[i] as number;
    const read = id === a ? b : id === b ? a : id;
    const [x, y] = components.get(read) ?? [];
    shares.set(
      CROWD_EMOTIONS.map((e) => (e === x ? 0.45 : e === y ? 0.35 : 0.05)),
      i * 6,
    );
  }
  return {
    version: 1,
    fileName: 'distribution.txt',
    emotions: CROWD_EMOTIONS,
    shares,
    has: new Uint8Array(n).fill(1),
    matched: n,
  };
}

const text = (input: DiagnosisInput, id: string) =>
  diagnose(input)
    .findings.find((f) => f.id === id)
    ?.sentences.join(' ') ?? '';

describeRealRafCe('diagnose on the real RAF-CE files', () => {
  const diagnosis = diagnose(inputWith({}));

  it.each([
    [
      'null',
      /251 of 4,549 samples have a `null` AU label: 5\.5% \(95% CI 4\.9%-6\.2%, n = 4,549\)/,
    ],
    ['null', /The class most affected is Sadly surprised: 12\.5%/],
    [
      'predictability',
      /predict the emotion class for \d\d\.\d% .* of the coded samples, out of fold/,
    ],
    [
      'hallmarks',
      /of the 4,298 coded compound samples show a hallmark AU of both of their components/,
    ],
    ['issues', /Confident learning's raw estimate is [\d,]+ wrong labels of 4,298 scored samples/],
    ['issues', /a weak model spreads doubt/],
    ['training', /Mask the 251 `null` AU labels out of the AU loss/],
    ['training', /Classes range from 11 to 977 samples/],
  ])('the %s finding says %s', (id, pattern) => {
    expect(text(inputWith({}), id)).toMatch(pattern);
  });

  it('has a chart for every finding but the advice, each a standalone SVG', () => {
    for (const finding of diagnosis.findings) {
      if (finding.id === 'training') expect(finding.chart).toBeNull();
      else expect(finding.chart?.svg).toMatch(/^<svg[^>]+xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
    }
  });

  it('leaves out what needs evidence or crowd votes when there are none', () => {
    const ids = diagnose(inputWith({ evidence: null })).findings.map((f) => f.id);
    expect(ids).toEqual(['null', 'hallmarks', 'training']);
  });

  it('calls out a class-name map the crowd contradicts, naming both classes', () => {
    const crowd = text(inputWith({ crowd: crowdSwapping(0, 7) }), 'crowd');
    expect(crowd).toMatch(
      /Class id 0 is named Happily surprised, but the crowd leads with its components in only 0%/,
    );
    expect(crowd).toMatch(/which is how Fearfully surprised reads/);
    expect(text(inputWith({ crowd: crowdSwapping(-1, -1) }), 'crowd')).toMatch(
      /the class-name map agrees with the crowd/,
    );
  });

  it('does not call a good model weak', () => {
    const strong: LabelEvidence = {
      ...evidence,
      auModel: { ...(evidence.auModel as NonNullable<LabelEvidence['auModel']>), accuracy: 0.9 },
    };
    expect(text(inputWith({ evidence: strong }), 'issues')).not.toMatch(/weak model/);
    expect(text(inputWith({ evidence: strong }), 'predictability')).toMatch(
      /largely agree with the emotion labels/,
    );
    expect(text(inputWith({}), 'predictability')).toMatch(/explains only \d\d% of the labels/);
  });

  it('writes one Markdown document with every heading and chart file', () => {
    const markdown = markdownDocument(diagnosisSections(diagnosis), diagnosis.title);
    expect(markdown.startsWith('# Diagnosis: RAF-CE')).toBe(true);
    for (const finding of diagnosis.findings) {
      expect(markdown).toContain(`## ${finding.heading}`);
      if (finding.chart) expect(markdown).toContain(`(${finding.chart.file})`);
    }
  });

  it.each(['all-zero-coded', 'correct'] as const)(
    'the loader check (%s dump) leads the diagnosis when it finds something, and closes it when clean',
    (kind) => {
      const read = readTargetDump(targetDumpCsv(kind));
      if (!read.dump) throw new Error('the generated dump was not read');
      const report = checkLoaderTargets(table, read.dump);
      const diagnosis = diagnose(
        inputWith({ loaderCheck: { fileNames: ['targets.csv'], report } }),
      );
      const ids = diagnosis.findings.map((f) => f.id);
      if (kind === 'correct') {
        expect(ids.at(-1)).toBe('loader-clean');
        expect(diagnosis.summary[0]).toMatch(/^4,549 samples/);
      } else {
        expect(ids[0]).toBe('loader');
        expect(diagnosis.summary[0]).toBe(
          'The AU targets your training code used are all zero for the 4,298 coded samples: the loader never read the AU labels.',
        );
        const sentences = diagnosis.findings[0]?.sentences ?? [];
        expect(new Set(sentences).size).toBe(sentences.length);
        expect(diagnosis.findings[0]?.table?.rows[0]?.[0]).toBe(
          'All-zero targets for coded samples',
        );
      }
    },
  );
});
