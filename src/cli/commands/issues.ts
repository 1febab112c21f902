import { Command } from 'commander';
import { LabelFlag } from '../../lib/label-evidence/assess';
import { className } from '../../lib/labels/schemes';
import { textAt } from '../../lib/labels/text-column';
import { analyse } from '../analyse';
import {
  readExtraEvidence,
  withExtraEvidenceOptions,
  type ExtraEvidenceOptions,
} from '../extra-evidence';
import { EXIT, UsageError } from '../errors';
import {
  readDataset,
  datasetName,
  secondThreadFor,
  withLabelOptions,
  type Io,
  type SetCode,
} from './shared';

/** One likely-mislabelled sample, as the Samples grid's "most suspicious first" lists it. */
export interface IssueRow {
  rank: number;
  image: string;
  given: string;
  likeliest: string;
  suggested: string | null;
  /** The pooled probability of the given class. */
  posterior: number;
  suspicion: number;
  likelyMislabelled: boolean;
  au: string;
}

/** A CSV field: quoted when it holds a comma, a quote or a line end; a leading =+-@ defused for spreadsheets. */
function csvField(value: string | number | boolean | null): string {
  if (value === null) return '';
  const text = String(value);
  const safe = /^[=+\-@\t\r]/.test(text) && typeof value === 'string' ? `'${text}` : text;
  return /[",\r\n]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}

export function issuesCommand(io: Io, setCode: SetCode): Command {
  return withExtraEvidenceOptions(withLabelOptions(new Command('issues')))
    .description(
      'The samples whose emotion label the evidence doubts most, worst first, with that evidence, as CSV or JSON.',
    )
    .option('--top <n>', 'how many (default: the "likely mislabelled" set)')
    .option('--json', 'JSON instead of CSV')
    .action(
      async (
        files: string[],
        options: {
          format?: string;
          name?: string;
          quiet?: boolean;
          top?: string;
          json?: boolean;
        } & ExtraEvidenceOptions,
      ) => {
        const top = options.top === undefined ? null : Number(options.top);
        if (top !== null && !(Number.isInteger(top) && top > 0))
          throw new UsageError(`--top '${options.top}': a whole number above 0`);
        const thread = secondThreadFor(files);
        const imported = await readDataset(files, options, io);
        if (typeof imported === 'number') return setCode(imported);
        const extra = readExtraEvidence(imported, options, io);
        if (typeof extra === 'number') return setCode(extra);
        const { table, scheme } = imported;
        const name = datasetName(files, options.name);
        const { evidence } = await analyse(imported, name, undefined, thread, extra);
        await thread?.close();
        const order: number[] = [];
        for (let i = 0; i < table.count; i++) if (!Number.isNaN(evidence.rank[i])) order.push(i);
        order.sort((a, b) => (evidence.rank[a] as number) - (evidence.rank[b] as number));
        const chosen =
          top === null
            ? order.filter((i) => evidence.flagged[i] === LabelFlag['likely-mislabelled'])
            : order.slice(0, top);
        const rows: IssueRow[] = chosen.map((i) => {
          const suggested = evidence.suggested[i] as number;
          return {
            rank: (evidence.rank[i] as number) + 1,
            image: textAt(table.names, i),
            given: className(scheme, table.classIds[i] as number),
            likeliest: className(scheme, evidence.likeliest[i] as number),
            suggested: suggested >= 0 ? className(scheme, suggested) : null,
            posterior: Number((evidence.posterior[i] as number).toFixed(4)),
            suspicion: Number((evidence.suspicion[i] as number).toFixed(4)),
            likelyMislabelled: evidence.flagged[i] === LabelFlag['likely-mislabelled'],
            au: table.auRaw[i] ?? '',
          };
        });
        if (options.json) {
          io.out.write(
            `${JSON.stringify({ scored: evidence.scored, likelyMislabelled: evidence.likelyMislabelled, samples: rows }, null, 2)}\n`,
          );
        } else {
          const columns: (keyof IssueRow)[] = [
            'rank',
            'image',
            'given',
            'likeliest',
            'suggested',
            'posterior',
            'suspicion',
            'likelyMislabelled',
            'au',
          ];
          io.out.write(`${columns.join(',')}\n`);
          for (const row of rows)
            io.out.write(`${columns.map((c) => csvField(row[c])).join(',')}\n`);
        }
        setCode(EXIT.ok);
      },
    );
}
