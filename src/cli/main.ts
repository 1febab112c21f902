import '../lib/zod-setup';
import { Command, CommanderError } from 'commander';
import { checkLoaderCommand } from './commands/check-loader';
import { exportCommand } from './commands/export';
import { issuesCommand } from './commands/issues';
import { reportCommand } from './commands/report';
import { statsCommand } from './commands/stats';
import { EXIT, UsageError } from './errors';

/**
 * `au-review`: the app's audit and export for training pipelines, from the same core,
 * without a browser. Resolves with the exit code (see errors.ts); never exits itself,
 * so that tests can run it in process too.
 */
export async function main(
  argv: readonly string[],
  io: { out: NodeJS.WriteStream; err: NodeJS.WriteStream } = {
    out: process.stdout,
    err: process.stderr,
  },
): Promise<number> {
  let code: number = EXIT.ok;
  const program = new Command('au-review')
    .description(
      'Audit facial-expression label files (emotion and FACS AU labels) and export the cleaned set, as the AU Review app does.',
    )
    .exitOverride()
    .configureOutput({
      writeOut: (text) => io.out.write(text),
      writeErr: (text) => io.err.write(text),
    })
    .showHelpAfterError('(run with --help for the options)');
  for (const make of [
    reportCommand,
    issuesCommand,
    checkLoaderCommand,
    statsCommand,
    exportCommand,
  ]) {
    program.addCommand(
      make(io, (result) => {
        code = result;
      }).exitOverride(),
    );
  }
  try {
    await program.parseAsync(argv, { from: 'user' });
    return code;
  } catch (error) {
    if (error instanceof CommanderError) {
      // --help and --version are not errors.
      return error.exitCode === 0 ? EXIT.ok : EXIT.usage;
    }
    if (error instanceof UsageError) {
      io.err.write(`au-review: ${error.message}\n`);
      return EXIT.usage;
    }
    throw error;
  }
}
