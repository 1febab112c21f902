import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

/**
 * The layer rules of eslint.config.js, proven: virtual files in each layer import what
 * the layer may not (each must give exactly one error) and what it may (none).
 */
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const eslint = new ESLint({
  cwd: root,
  overrideConfigFile: path.join(root, 'eslint.config.js'),
  // The virtual files below are in no tsconfig, so the type-aware parsing of Svelte
  // files cannot find them; the layer rule reads only the import text.
  overrideConfig: {
    files: ['**/*.svelte', '**/*.svelte.ts'],
    languageOptions: { parserOptions: { projectService: false } },
  },
});

/** The layer rule's messages for `code` linted as the file at `file` (from the repository root). */
async function layerErrors(file: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: path.join(root, file) });
  if (!result) throw new Error(`nothing linted for ${file}`);
  // A file that does not parse gives no rule errors at all: that must fail, not pass.
  const fatal = result.messages.filter((m) => m.fatal);
  expect(fatal.map((m) => m.message)).toEqual([]);
  return result.messages.filter((m) => m.ruleId === 'layers/imports').map((m) => m.message);
}

/** [importing file, import specifier] */
type Case = [string, string];

const forbidden: Case[] = [
  // Components go through state: never the store, workers, Dexie or fabric.
  ['src/lib/components/X.svelte', '../store'],
  ['src/lib/components/X.svelte', '../store/index'],
  ['src/lib/components/X.svelte', '../store/index.ts'],
  ['src/lib/components/X.svelte', '../store/datasets'],
  ['src/lib/components/X.svelte', '$lib/store'],
  ['src/lib/components/X.svelte', '$lib/store/db'],
  ['src/lib/components/X.svelte', '/src/lib/store/db'],
  ['src/lib/components/X.svelte', '../../lib/store'],
  ['src/lib/components/X.svelte', '../workers/import-client'],
  ['src/lib/components/X.svelte', '../workers/export.worker?worker'],
  ['src/lib/components/X.svelte', '$lib/workers'],
  ['src/lib/components/X.svelte', 'dexie'],
  ['src/lib/components/X.svelte', 'fabric'],
  ['src/lib/components/X.ts', '../workers'],
  ['src/lib/components/team/X.svelte', '../../store/team'],
  ['src/lib/components/team/X.svelte', '../../workers/export-client'],
  ['src/App.svelte', './lib/store'],
  ['src/App.svelte', './lib/workers/import-client'],
  // Pure domain folders: no frameworks, no outer layers.
  ['src/lib/review/x.ts', 'svelte'],
  ['src/lib/review/x.ts', 'svelte/store'],
  ['src/lib/review/x.ts', 'svelte/reactivity'],
  ['src/lib/review/x.ts', 'dexie'],
  ['src/lib/review/x.ts', 'fabric'],
  ['src/lib/review/x.ts', '../state/y'],
  ['src/lib/review/x.ts', '../state/review.svelte'],
  ['src/lib/review/x.ts', '../store'],
  ['src/lib/review/x.ts', '../components/A.svelte'],
  ['src/lib/review/x.ts', '../canvas/FaceCanvas.svelte'],
  ['src/lib/review/x.ts', '../workers/w'],
  ['src/lib/review/x.ts', '$lib/state'],
  ['src/lib/formats/raf-ce/x.ts', '../../store'],
  ['src/lib/formats/raf-ce/x.ts', '../../state/library.svelte'],
  ['src/lib/team/x.ts', '../store/team'],
  ['src/lib/label-evidence/x.ts', '../workers/analysis-client'],
  ['src/lib/export/x.ts', 'svelte'],
  ['src/lib/random/x.ts', '../state'],
  ['src/demo/x.ts', '../lib/store'],
  ['src/demo/x.ts', 'svelte'],
  // labels/ is innermost: not even the formats or the export.
  ['src/lib/labels/x.ts', '../formats/registry'],
  ['src/lib/labels/x.ts', '../formats'],
  ['src/lib/labels/x.ts', '../export'],
  ['src/lib/labels/x.ts', '../export/index'],
  ['src/lib/labels/x.ts', '$lib/export/zip'],
  ['src/lib/labels/x.ts', '../store'],
  ['src/lib/labels/x.ts', 'svelte'],
  // The store: the domain and Dexie only.
  ['src/lib/store/x.ts', '../workers/w'],
  ['src/lib/store/x.ts', '../workers'],
  ['src/lib/store/x.ts', '../state/y'],
  ['src/lib/store/x.ts', '../state'],
  ['src/lib/store/x.ts', '../components/A.svelte'],
  ['src/lib/store/x.ts', '../canvas/c'],
  ['src/lib/store/x.ts', 'svelte'],
  ['src/lib/store/x.ts', 'fabric'],
  // State: never the screens, Dexie or fabric.
  ['src/lib/state/x.svelte.ts', '../components/A.svelte'],
  ['src/lib/state/x.svelte.ts', '../canvas/c'],
  ['src/lib/state/x.svelte.ts', 'dexie'],
  ['src/lib/state/x.svelte.ts', 'fabric'],
  // Workers: the core off the main thread, no runes or screens.
  ['src/lib/workers/x.ts', '../state/y'],
  ['src/lib/workers/x.ts', '../components/A.svelte'],
  ['src/lib/workers/x.ts', 'svelte'],
  ['src/lib/workers/x.ts', 'dexie'],
  // The canvas draws what it is given.
  ['src/lib/canvas/x.ts', '../store'],
  ['src/lib/canvas/x.ts', '../state/y'],
  ['src/lib/canvas/x.ts', '../workers/w'],
  ['src/lib/canvas/x.ts', 'dexie'],
  // The command line runs the pure core only.
  ['src/cli/x.ts', '../lib/state/library.svelte'],
  ['src/cli/commands/x.ts', '../../lib/store/datasets'],
  ['src/cli/x.ts', '../lib/workers/import-client'],
  // Only the controller draws with fabric; the rest of canvas/ is pure.
  ['src/lib/canvas/viewport.ts', 'fabric'],
  ['src/lib/canvas/FaceCanvas.svelte', 'fabric'],
  // Dexie and fabric each have one home, tests and scripts included.
  ['tests/e2e/x.ts', 'dexie'],
  ['tests/support/x.ts', 'fabric/node'],
  ['src/lib/x.ts', 'dexie'],
  // The face model runs in its worker only: never on the page's thread.
  ['src/lib/state/x.svelte.ts', '@vladmandic/human'],
  ['src/lib/workers/faces-client.ts', '@vladmandic/human'],
  ['src/lib/face-reading/x.ts', '../store/face-readings'],
];

const allowed: Case[] = [
  ['src/cli/x.ts', '../lib/formats/import'],
  ['src/cli/commands/x.ts', '../../lib/export/bundle'],
  ['src/lib/components/X.svelte', '../state/library.svelte'],
  ['src/lib/components/X.svelte', '../review/keymap'],
  ['src/lib/components/X.svelte', './Other.svelte'],
  ['src/lib/components/X.svelte', '../canvas/FaceCanvas.svelte'],
  ['src/lib/components/X.svelte', 'svelte'],
  ['src/lib/components/X.svelte', 'svelte/store'],
  ['src/lib/components/team/X.svelte', '../../team/merge'],
  ['src/App.svelte', './lib/state/library.svelte'],
  ['src/lib/review/x.ts', '../labels/au'],
  ['src/lib/review/x.ts', './state'],
  ['src/lib/review/x.ts', './store/x'],
  ['src/lib/review/x.ts', 'zod'],
  ['src/lib/formats/raf-ce/x.ts', '../../labels/records'],
  ['src/lib/formats/raf-ce/x.ts', '../frames'],
  ['src/lib/label-evidence/x.ts', '../random/seeded-random'],
  ['src/lib/labels/x.ts', './records'],
  ['src/lib/labels/x.ts', 'zod'],
  ['src/lib/store/x.ts', 'dexie'],
  ['src/lib/store/x.ts', '../labels/table'],
  ['src/lib/store/x.ts', './review'],
  ['src/lib/store/x.test.ts', 'dexie'],
  ['src/lib/state/x.svelte.ts', '../store/datasets'],
  ['src/lib/state/x.svelte.ts', '../workers/import-client'],
  ['src/lib/state/x.svelte.ts', 'svelte'],
  ['src/lib/workers/x.ts', '../store/columns'],
  ['src/lib/workers/x.ts', '../export/zip'],
  ['src/lib/canvas/controller.ts', 'fabric'],
  ['src/lib/workers/faces.worker.ts', '@vladmandic/human'],
  ['src/lib/label-evidence/x.ts', '../face-reading/reading'],
  ['src/lib/canvas/x.ts', '../review/evidence'],
  ['src/demo/x.ts', './random'],
  ['tests/e2e/x.ts', '@playwright/test'],
];

/** The same import as a module of the importing file's kind. */
function importing(file: string, line: string): string {
  return file.endsWith('.svelte') ? `<script lang="ts">\n  ${line}\n</script>\n` : `${line}\n`;
}

describe('layer rules', { timeout: 60_000 }, () => {
  it.each(forbidden)('%s may not import %s', async (file, source) => {
    const errors = await layerErrors(file, importing(file, `import '${source}';`));
    expect(errors).toHaveLength(1);
  });

  it.each(allowed)('%s may import %s', async (file, source) => {
    expect(await layerErrors(file, importing(file, `import '${source}';`))).toEqual([]);
  });

  // Every way of naming a module is judged, not only `import ... from`.
  it.each([
    "import type { DatasetMeta } from '../store/records';",
    "import { getDb } from '../store/db';\nexport const db = getDb;",
    "export * from '../store';",
    "export { getDb } from '../store/db';",
    "export const load = () => import('../store/db');",
    "export type Db = typeof import('../store/db');",
    "export const url = new URL('../store/db.ts', import.meta.url);",
  ])('a component may not reach the store by: %s', async (code) => {
    expect(await layerErrors('src/lib/components/X.ts', code)).toHaveLength(1);
  });

  it('a component may not start a worker itself, and state may', async () => {
    const start = "new Worker(new URL('../workers/import.worker.ts', import.meta.url));";
    expect(await layerErrors('src/lib/components/X.ts', start)).toHaveLength(1);
    expect(await layerErrors('src/lib/state/x.ts', start)).toEqual([]);
  });

  it('says which layer was reached and why', async () => {
    const [message] = await layerErrors('src/lib/components/X.ts', "import '../store';");
    expect(message).toContain('src/lib/store/');
    expect(message).toContain('Components render state');
  });
});
