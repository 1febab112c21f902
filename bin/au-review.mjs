#!/usr/bin/env node
// The command line runs the app's own TypeScript core. esbuild (already installed, tsx
// runs on it) bundles that core once into node_modules/.cache, under a key made from the
// sources' paths, sizes and modification times, so a command starts in about a quarter
// of a second and never runs code older than the sources: there is no build to keep in
// step by hand. Should bundling fail, tsx compiles the core as it loads (slower start).
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = path.resolve(fileURLToPath(new URL('..', import.meta.url)));

/** A key for the state of everything the bundle is made from. */
function sourceKey() {
  const hash = createHash('sha1');
  const visit = (dir) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const file = path.join(dir, entry.name);
      if (entry.isDirectory()) visit(file);
      else {
        const stat = fs.statSync(file);
        hash.update(`${path.relative(root, file)}:${stat.size}:${stat.mtimeMs}\n`);
      }
    }
  };
  visit(path.join(root, 'src'));
  for (const file of ['package-lock.json', 'bin/au-review.mjs']) {
    const stat = fs.statSync(path.join(root, file), { throwIfNoEntry: false });
    if (stat) hash.update(`${file}:${stat.size}:${stat.mtimeMs}\n`);
  }
  return hash.digest('hex').slice(0, 16);
}

/** The bundled command line for these sources, made now when it is not there yet. */
async function bundled() {
  const cache = path.join(root, 'node_modules', '.cache', 'au-review-cli');
  const dir = path.join(cache, sourceKey());
  const entry = path.join(dir, 'au-review.mjs');
  if (fs.existsSync(entry)) return entry;
  const { build } = await import('esbuild');
  // Built beside, then renamed: two commands started at once never read half a bundle.
  fs.mkdirSync(cache, { recursive: true });
  const scratch = fs.mkdtempSync(path.join(cache, 'building-'));
  await build({
    absWorkingDir: root,
    // The second thread's entry sits beside the main one, under the name the main one
    // starts it by (src/cli/second-thread.ts); bundled, it needs no tsx.
    entryPoints: {
      'au-review': 'src/cli/main.ts',
      'second-thread-entry': 'src/cli/second-thread-job.ts',
    },
    outdir: scratch,
    outExtension: { '.js': '.mjs' },
    bundle: true,
    splitting: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    banner: {
      js: "import { createRequire as __auReviewRequire } from 'node:module'; const require = __auReviewRequire(import.meta.url);",
    },
    logLevel: 'silent',
  });
  try {
    fs.renameSync(scratch, dir);
  } catch {
    // Another command made it first: theirs is the same bundle.
    fs.rmSync(scratch, { recursive: true, force: true });
  }
  // Bundles of older states of the sources are of no more use; those of the last hour
  // are kept, as a command started from one may still be starting its second thread.
  const hourAgo = Date.now() - 3_600_000;
  for (const other of fs.readdirSync(cache)) {
    const old = path.join(cache, other);
    if (old !== dir && fs.statSync(old).mtimeMs < hourAgo)
      fs.rmSync(old, { recursive: true, force: true });
  }
  return entry;
}

async function loadMain() {
  try {
    return (await import(pathToFileURL(await bundled()).href)).main;
  } catch (error) {
    // The tests set this, so that a bundle that stopped working cannot hide behind tsx.
    if (process.env.AU_REVIEW_NO_FALLBACK) throw error;
    const { register } = await import('tsx/esm/api');
    register();
    return (await import('../src/cli/main.ts')).main;
  }
}

// A reader that stops early (`| head`) is not an error: stop quietly, as Unix tools do.
process.stdout.on('error', (error) => {
  if (error.code === 'EPIPE') process.exit(0);
  throw error;
});
const main = await loadMain();
process.exitCode = await main(process.argv.slice(2));
