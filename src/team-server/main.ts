import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { startTeamServer } from './team-server';

/**
 * `npm run team-server -- [--port 4455] [--host 127.0.0.1] [--data team-data]
 * [--secret-file path]`: the sync server for live team review. The shared secret is
 * read from AU_REVIEW_TEAM_SECRET or the first line of --secret-file (never from the
 * command line, where other users of the machine could read it).
 */

const USAGE = `Usage: npm run team-server -- [options]

The sync server for live team review (a Hocuspocus / Yjs server). The lead types the
same shared secret into the app's Live review panel.

Options:
  --port <n>          port to listen on (default 4455)
  --host <address>    address to listen on (default 127.0.0.1; 0.0.0.0 for a lab network)
  --data <folder>     where the documents are kept (default team-data)
  --secret-file <f>   a file whose first line is the shared secret
                      (or set AU_REVIEW_TEAM_SECRET); at least 22 characters
  --help              this text`;

async function main(): Promise<number> {
  let values;
  try {
    values = parseArgs({
      options: {
        port: { type: 'string', default: '4455' },
        host: { type: 'string', default: '127.0.0.1' },
        data: { type: 'string', default: 'team-data' },
        'secret-file': { type: 'string' },
        help: { type: 'boolean', default: false },
      },
    }).values;
  } catch (error) {
    console.error(`${error instanceof Error ? error.message : String(error)}\n\n${USAGE}`);
    return 2;
  }
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    console.error(`--port ${values.port}: not a port number`);
    return 2;
  }
  let secret = process.env.AU_REVIEW_TEAM_SECRET ?? '';
  if (values['secret-file']) {
    try {
      secret = (readFileSync(values['secret-file'], 'utf8').split(/\r?\n/)[0] ?? '').trim();
    } catch (error) {
      console.error(`--secret-file ${values['secret-file']}: cannot be read (${String(error)})`);
      return 2;
    }
  }
  if (!secret) {
    console.error(`No shared secret: set AU_REVIEW_TEAM_SECRET or give --secret-file.\n\n${USAGE}`);
    return 2;
  }
  try {
    const server = await startTeamServer({
      port,
      host: values.host,
      secret,
      dataDir: values.data,
      log: (line) => console.error(`${new Date().toISOString()} ${line}`),
    });
    console.log(
      `AU Review team server on ws://${values.host}:${server.port} (documents in ${values.data})`,
    );
    const stop = () => {
      void server.close().then(() => process.exit(0));
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
    return -1;
  } catch (error) {
    console.error(
      `The team server did not start: ${error instanceof Error ? error.message : String(error)}`,
    );
    return 1;
  }
}

void main().then((code) => {
  if (code >= 0) process.exit(code);
});
