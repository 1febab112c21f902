// The second thread runs the app's TypeScript core as the command line does (see bin/).
import { register } from 'tsx/esm/api';

register();
// A path in a variable: the type checker reads this file and would refuse a .ts import.
const job = new URL('./second-thread-job.ts', import.meta.url).href;
await import(job);
