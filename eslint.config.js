import js from '@eslint/js';
import ts from 'typescript-eslint';
import svelte from 'eslint-plugin-svelte';
import globals from 'globals';
import svelteConfig from './svelte.config.js';

/**
 * Layer rules: imports point inward. Pure domain folders know nothing of the
 * browser frameworks; only the store touches Dexie; only the canvas touches fabric.
 */
const pureDomain = [
  'formats',
  'input',
  'query',
  'rules',
  'review',
  'export',
  'team',
  'diagnosis',
  'label-evidence',
  'backup',
  'predictions',
  'loader-check',
].map((d) => `src/lib/${d}/**`);
const outerLayers = [
  '**/store/**',
  '**/state/**',
  '**/components/**',
  '**/canvas/**',
  '**/workers/**',
];
const frameworks = ['svelte', 'svelte/*', 'dexie', 'dexie/*', 'fabric', 'fabric/*'];

/**
 * @param {string[]} patterns
 * @param {string} message
 * @returns {import('eslint').Linter.RulesRecord}
 */
function restrict(patterns, message) {
  return { 'no-restricted-imports': ['error', { patterns: [{ group: patterns, message }] }] };
}

export default ts.config(
  { ignores: ['dist', 'node_modules', 'test-results', 'playwright-report', 'bench-results'] },
  js.configs.recommended,
  ...ts.configs.recommended,
  ...svelte.configs.recommended,
  {
    languageOptions: { globals: { ...globals.browser, ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
    },
  },
  {
    files: ['**/*.svelte', '**/*.svelte.ts'],
    languageOptions: {
      parserOptions: {
        projectService: true,
        extraFileExtensions: ['.svelte'],
        parser: ts.parser,
        svelteConfig,
      },
    },
  },
  {
    files: pureDomain,
    rules: restrict(
      [...frameworks, ...outerLayers],
      'Domain code is pure: no svelte, dexie, fabric or outer layers.',
    ),
  },
  {
    // The sample model and the AU grammar are the innermost layer: the formats read
    // into them and the export writes from them, never the other way round.
    files: ['src/lib/labels/**'],
    rules: restrict(
      [...frameworks, ...outerLayers, '**/formats/**', '**/export/**'],
      'labels/ is the innermost layer: no formats, export, frameworks or outer layers.',
    ),
  },
  {
    files: ['src/demo/**'],
    rules: restrict(
      [...frameworks, ...outerLayers],
      'The demo generator is pure: it draws faces as SVG text.',
    ),
  },
  {
    files: ['src/lib/store/**'],
    rules: restrict(
      [
        'svelte',
        'svelte/*',
        'fabric',
        'fabric/*',
        '**/state/**',
        '**/components/**',
        '**/canvas/**',
      ],
      'The store depends only on the domain and Dexie.',
    ),
  },
  {
    files: ['src/lib/state/**', 'src/lib/workers/**'],
    rules: restrict(
      ['dexie', 'dexie/*', 'fabric', 'fabric/*', '**/components/**', '**/canvas/**'],
      'State talks to the store module, never to Dexie or fabric directly.',
    ),
  },
  {
    files: ['src/lib/components/**', 'src/App.svelte'],
    rules: restrict(
      ['dexie', 'dexie/*', 'fabric', 'fabric/*', '**/store/**'],
      'Components render state; only the canvas component imports fabric.',
    ),
  },
  {
    files: ['src/lib/canvas/**'],
    rules: restrict(
      ['dexie', 'dexie/*', '**/store/**', '**/state/**'],
      'The canvas draws what it is given.',
    ),
  },
);
