import { Command } from 'commander';
import { EXIT } from '../errors';
import { trainingStatsFile } from '../analyse';
import { readDataset, datasetName, withLabelOptions, type Io, type SetCode } from './shared';

export function statsCommand(io: Io, setCode: SetCode): Command {
  return withLabelOptions(new Command('stats'))
    .description(
      "Class weights and AU pos_weight of the labels, as the export's training_stats.json (all samples and per split).",
    )
    .option('--json', "the export's training_stats.json itself on stdout")
    .action(
      async (
        files: string[],
        options: { format?: string; name?: string; quiet?: boolean; json?: boolean },
      ) => {
        const imported = await readDataset(files, options, io);
        if (typeof imported === 'number') return setCode(imported);
        const file = trainingStatsFile(imported, datasetName(files, options.name));
        const text = new TextDecoder().decode(file.bytes);
        if (options.json) {
          io.out.write(text.endsWith('\n') ? text : `${text}\n`);
          return setCode(EXIT.ok);
        }
        const stats = JSON.parse(text) as {
          samples: number;
          beta: number;
          classes: { name: string; count: number; weight: number | null }[];
          au: {
            coded: number;
            aus: {
              au: number;
              name: string | null;
              positives: number;
              negatives: number;
              posWeight: number | null;
            }[];
          };
        };
        const out = (line = '') => io.out.write(`${line}\n`);
        out(
          `${stats.samples.toLocaleString('en')} samples; class weights (effective number, beta ${stats.beta}):`,
        );
        for (const c of stats.classes)
          out(
            `  ${c.name.padEnd(24)} ${String(c.count).padStart(8)}  ${c.weight === null ? '-' : c.weight.toFixed(4)}`,
          );
        out();
        out(
          `AU pos_weight over ${stats.au.coded.toLocaleString('en')} coded samples (negatives / positives):`,
        );
        for (const a of stats.au.aus)
          out(
            `  AU${String(a.au).padEnd(3)} ${(a.name ?? '').padEnd(22)} ${String(a.positives).padStart(8)} + ${String(a.negatives).padEnd(8)} ${a.posWeight === null ? '-' : a.posWeight.toFixed(4)}`,
          );
        setCode(EXIT.ok);
      },
    );
}
