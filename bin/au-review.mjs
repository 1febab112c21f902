#!/usr/bin/env node
// The command line runs the app's own TypeScript core: tsx compiles it as it loads,
// so there is no second build to keep in step with the app's.
import { register } from 'tsx/esm/api';

register();
// A reader that stops early (`| head`) is not an error: stop quietly, as Unix tools do.
process.stdout.on('error', (error) => {
  if (error.code === 'EPIPE') process.exit(0);
  throw error;
});
const { main } = await import('../src/cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
