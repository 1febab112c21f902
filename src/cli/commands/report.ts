import { Command } from 'commander';
import { LabelFlag } from '../../lib/label-evidence/assess';
import { analyse } from '../analyse';
import {
  readExtraEvidence,
  withExtraEvidenceOptions,
  type ExtraEvidenceOptions,
} from '../extra-evidence';
import { EXIT, UsageError } from '../errors';
import { loadRuleSet } from '../rule-file';
import {
  readDataset,
  datasetName,
  secondThreadFor,
  problemLine,
  withLabelOptions,
  type Io,
  type SetCode,
} from './shared';

/** A --fail-on condition: what it checks, in words, and whether the labels meet it. */
export interface FailOn {
  text: string;
  met: (facts: ReportFacts) => boolean;
}

/** The figures the --fail-on conditions read. */
export interface ReportFacts {
  unknownTokens: number;
  errors: number;
  nullRate: number;
  likelyMislabelled: number;
}

/**
 * `unknown-tokens`, `errors`, `null-rate>0.2`, `issues>500`: a pipeline stops (exit 1)
 * when one is met. Anything else is a usage error.
 */
export function parseFailOn(text: string): FailOn {
  const trimmed = text.trim();
  if (trimmed === 'unknown-tokens')
    return { text: 'unknown AU tokens', met: (f) => f.unknownTokens > 0 };
  if (trimmed === 'errors') return { text: 'rejected rows or files', met: (f) => f.errors > 0 };
  const match = /^(null-rate|issues)>(\d+(?:\.\d+)?)$/.exec(trimmed);
  if (!match) {
    throw new UsageError(
      `--fail-on '${text}': expected unknown-tokens, errors, null-rate>RATE (0-1) or issues>COUNT`,
    );
  }
  const limit = Number(match[2]);
  if (match[1] === 'null-rate') {
    if (limit > 1) throw new UsageError(`--fail-on '${text}': a null rate is between 0 and 1`);
    return { text: `a null rate above ${limit}`, met: (f) => f.nullRate > limit };
  }
  return {
    text: `more than ${limit} likely mislabelled samples`,
    met: (f) => f.likelyMislabelled > limit,
  };
}

export function reportCommand(io: Io, setCode: SetCode): Command {
  return withExtraEvidenceOptions(withLabelOptions(new Command('report')))
    .description(
      'The parse report and the diagnosis (null rates, hallmark consistency, how well the AUs predict the emotion, likely label issues), as text or JSON.',
    )
    .option('--rules <file>', 'a rule set exported from the app (JSON) instead of the built-in one')
    .option('--json', 'JSON on stdout instead of text')
    .option(
      '--fail-on <condition>',
      'exit 1 when met (repeat for more): unknown-tokens, errors, null-rate>RATE, issues>COUNT',
      (value: string, previous: string[]) => [...previous, value],
      [] as string[],
    )
    .action(
      async (
        files: string[],
        options: {
          format?: string;
          name?: string;
          quiet?: boolean;
          rules?: string;
          json?: boolean;
          failOn: string[];
        } & ExtraEvidenceOptions,
      ) => {
        const conditions = options.failOn.map(parseFailOn);
        const ruleSet = options.rules ? loadRuleSet(options.rules) : undefined;
        const thread = secondThreadFor(files);
        const imported = await readDataset(files, options, io);
        if (typeof imported === 'number') return setCode(imported);
        const extra = readExtraEvidence(imported, options, io);
        if (typeof extra === 'number') return setCode(extra);
        const name = datasetName(files, options.name);
        const { evidence, diagnosis } = await analyse(imported, name, ruleSet, thread, extra);
        await thread?.close();
        const { report } = imported;
        let likelyMislabelled = 0;
        for (const flag of evidence.flagged)
          if (flag === LabelFlag['likely-mislabelled']) likelyMislabelled++;
        const facts: ReportFacts = {
          unknownTokens: report.auTokens.filter((t) => !t.known).reduce((n, t) => n + t.count, 0),
          errors: imported.problems.filter((p) => p.severity === 'error').length,
          nullRate: report.samples > 0 ? report.nullCount / report.samples : 0,
          likelyMislabelled,
        };
        const met = conditions.filter((c) => c.met(facts));
        if (options.json) {
          io.out.write(
            `${JSON.stringify(
              {
                dataset: name,
                format: imported.format,
                report,
                facts,
                estimatedIssues: evidence.cl.estimatedIssues,
                auModelAccuracy: evidence.auModel?.accuracy ?? null,
                diagnosis: {
                  summary: diagnosis.summary,
                  findings: diagnosis.findings.map(({ id, heading, sentences, table }) => ({
                    id,
                    heading,
                    sentences,
                    table,
                  })),
                },
                failOn: met.map((c) => c.text),
              },
              null,
              2,
            )}\n`,
          );
        } else {
          const out = (line = '') => io.out.write(`${line}\n`);
          out(
            `${name}: ${imported.format}, ${report.samples.toLocaleString('en')} samples from ${report.files.length} file(s)`,
          );
          for (const file of report.files)
            out(
              `  ${file.name}: ${file.lines} lines, ${file.accepted} accepted, ${file.rejected} rejected`,
            );
          out(
            `  AU labels: ${report.codedCount} coded, ${report.nullCount} null (${(100 * facts.nullRate).toFixed(1)}%), ${report.absentCount} absent`,
          );
          const shown = imported.problems.slice(0, 20);
          if (shown.length > 0) {
            out();
            out(
              `Problems (${imported.problems.length}${imported.problems.length > shown.length ? `, the first ${shown.length}` : ''}):`,
            );
            for (const problem of shown) out(`  ${problemLine(problem)}`);
          }
          out();
          out(diagnosis.title);
          for (const sentence of diagnosis.summary) out(`  ${sentence}`);
          for (const finding of diagnosis.findings) {
            out();
            out(finding.heading);
            for (const sentence of finding.sentences) out(`  ${sentence}`);
          }
        }
        for (const condition of met) io.err.write(`au-review: --fail-on: ${condition.text}\n`);
        setCode(met.length > 0 ? EXIT.failOn : EXIT.ok);
      },
    );
}
