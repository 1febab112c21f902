import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The global setup of both test runners (vitest and Playwright): says loudly when the tests that need the real RAF-CE label files
 * will be skipped, and fails the run where they are required (CI sets
 * RAFCE_FIXTURES_REQUIRED=1: there, their absence is a broken checkout, not a choice).
 */
const repoRoot = fileURLToPath(new URL('../', import.meta.url));
const names = ['RAFCE_emolabel.txt', 'RAFCE_AUlabel.txt', 'RAFCE_partition.txt'];

export default function checkRealFixtures(): void {
  const dir = resolve(process.env.RAFCE_FIXTURES ?? join(repoRoot, '../shared/fixtures/raf-ce'));
  const missing = names.filter((name) => !existsSync(join(dir, name)));
  if (missing.length === 0) return;
  const message = [
    `The real RAF-CE label files are missing: ${missing.join(', ')} not found in ${dir}.`,
    'Put them in ../shared/fixtures/raf-ce beside the repository, or set RAFCE_FIXTURES to',
    'their folder (RAF-DB terms allow research use, not redistribution, so they do not ship).',
  ];
  if (process.env.RAFCE_FIXTURES_REQUIRED === '1')
    throw new Error(`${message.join(' ')} RAFCE_FIXTURES_REQUIRED=1: failing the run.`);
  const bar = '!'.repeat(78);
  console.warn(`\n${bar}\n${message.join('\n')}\nEVERY TEST THAT NEEDS THEM IS SKIPPED.\n${bar}\n`);
}
