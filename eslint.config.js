import path from 'node:path';
import { fileURLToPath } from 'node:url';
import js from '@eslint/js';
import ts from 'typescript-eslint';
import svelte from 'eslint-plugin-svelte';
import globals from 'globals';
import svelteConfig from './svelte.config.js';

const root = path.dirname(fileURLToPath(import.meta.url));

/**
 * Layer rules: imports point inward. An import is judged by the folder it lands in,
 * resolved from the importing file, so '../store', '../../lib/store/index' and
 * '$lib/store' are one and the same; a name match alone would let some of them through.
 */
const outerLayers = ['store', 'state', 'components', 'canvas', 'workers'];
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
  'random',
  'face-reading',
  'team-live',
];

/**
 * Each layer (a folder or file, from the repository root) with the folders of src/lib
 * and the packages it may not import. A file follows the longest path that holds it.
 * @type {{ path: string, folders: string[], packages: string[], message: string }[]}
 */
const layers = [
  ...pureDomain.map((folder) => ({
    path: `src/lib/${folder}`,
    folders: outerLayers,
    packages: ['svelte'],
    message: 'Domain code is pure: no svelte or outer layers.',
  })),
  {
    // The sample model and the AU grammar are the innermost layer: the formats read
    // into them and the export writes from them, never the other way round.
    path: 'src/lib/labels',
    folders: [...outerLayers, 'formats', 'export'],
    packages: ['svelte'],
    message: 'labels/ is the innermost layer: no formats, export, svelte or outer layers.',
  },
  {
    path: 'src/demo',
    folders: outerLayers,
    packages: ['svelte'],
    message: 'The demo generator is pure: it draws faces as SVG text.',
  },
  {
    path: 'src/lib/store',
    folders: ['state', 'components', 'canvas', 'workers'],
    packages: ['svelte'],
    message: 'The store depends only on the domain and Dexie; workers and state call it.',
  },
  {
    path: 'src/lib/state',
    folders: ['components', 'canvas'],
    packages: [],
    message: 'State holds what the screens show; it never reaches into them.',
  },
  {
    path: 'src/lib/workers',
    folders: ['state', 'components', 'canvas'],
    packages: ['svelte'],
    message: 'Workers run the pure core off the main thread: no svelte, state or screens.',
  },
  ...['src/lib/components', 'src/App.svelte'].map((layer) => ({
    path: layer,
    folders: ['store', 'workers'],
    packages: [],
    message: 'Components render state and dispatch to it; state talks to the store and workers.',
  })),
  {
    // The command line runs the pure core in Node: no browser state, screens or workers.
    path: 'src/cli',
    folders: outerLayers,
    packages: ['svelte'],
    message: 'The command line runs the pure core: no svelte, store, state, screens or workers.',
  },
  {
    // The team sync server runs the pure core's checks in Node: nothing of the app.
    path: 'src/team-server',
    folders: outerLayers,
    packages: ['svelte'],
    message: 'The team server runs the pure core: no svelte, store, state, screens or workers.',
  },
  {
    path: 'src/lib/canvas',
    folders: ['store', 'state', 'workers'],
    packages: [],
    message: 'The canvas draws what it is given.',
  },
];

/**
 * Packages only one folder or file may import, wherever the importer is (tests and
 * scripts too). fabric stays inside the canvas controller: the rest of canvas/ is pure
 * geometry and keys, and the component only bridges. The face model runs in its worker only.
 */
const packageOwners = {
  dexie: 'src/lib/store',
  fabric: 'src/lib/canvas/controller.ts',
  '@vladmandic/human': 'src/lib/workers/faces.worker.ts',
  '@hocuspocus/server': 'src/team-server',
  '@hocuspocus/provider': 'src/lib/state/live-sync.ts',
};

/** @param {string} file @param {string} folder */
function isInside(file, folder) {
  return file === folder || file.startsWith(`${folder}/`);
}

/** @param {string} file a path from the repository root */
function layerOf(file) {
  let best;
  for (const layer of layers) {
    if (isInside(file, layer.path) && (!best || layer.path.length > best.path.length)) best = layer;
  }
  return best;
}

/**
 * Where an import lands: a path from the repository root, or a package name.
 * @param {string} source @param {string} importer a path from the repository root
 * @returns {{ path: string } | { package: string }}
 */
function resolveImport(source, importer) {
  const specifier = source.split('?')[0] ?? source;
  if (specifier.startsWith('.')) {
    return { path: path.posix.normalize(path.posix.join(path.posix.dirname(importer), specifier)) };
  }
  if (specifier.startsWith('$lib/') || specifier === '$lib') {
    return { path: path.posix.join('src/lib', specifier.slice('$lib'.length)) };
  }
  if (specifier.startsWith('/')) return { path: path.posix.normalize(specifier.slice(1)) };
  const parts = specifier.split('/');
  return { package: (specifier.startsWith('@') ? parts.slice(0, 2) : parts.slice(0, 1)).join('/') };
}

/** @type {import('eslint').Rule.RuleModule} */
const layerImports = {
  meta: {
    type: 'problem',
    docs: { description: 'Imports point inward: each layer imports only the layers it may.' },
    schema: [],
    messages: {
      folder: "'{{source}}' reaches src/lib/{{folder}}/. {{message}}",
      package: "'{{source}}' imports {{package}}. {{message}}",
      owned: "'{{source}}': only {{owner}} imports {{package}}.",
    },
  },
  create(context) {
    const importer = path.relative(root, context.physicalFilename).split(path.sep).join('/');
    const layer = layerOf(importer);

    /** @param {any} node a module's name as written, or anything else (ignored) */
    function check(node) {
      const source = literalOf(node);
      if (source === null) return;
      const target = resolveImport(source, importer);
      if ('package' in target) {
        const owner = packageOwners[/** @type {keyof typeof packageOwners} */ (target.package)];
        if (owner && !isInside(importer, owner)) {
          context.report({
            node,
            messageId: 'owned',
            data: { source, owner, package: target.package },
          });
        } else if (layer?.packages.includes(target.package)) {
          context.report({
            node,
            messageId: 'package',
            data: { source, package: target.package, message: layer.message },
          });
        }
        return;
      }
      const folder = layer?.folders.find((f) => isInside(target.path, `src/lib/${f}`));
      if (layer && folder) {
        context.report({
          node,
          messageId: 'folder',
          data: { source, folder, message: layer.message },
        });
      }
    }

    return {
      ImportDeclaration: (node) => check(node.source),
      ExportAllDeclaration: (node) => check(node.source),
      ExportNamedDeclaration: (node) => check(node.source),
      ImportExpression: (node) => check(node.source),
      // `new URL('../workers/x.worker.ts', import.meta.url)`: how Vite finds a worker or asset.
      NewExpression: (node) => {
        const [url, base] = node.arguments;
        if (
          node.callee.type === 'Identifier' &&
          node.callee.name === 'URL' &&
          isImportMetaUrl(base)
        ) {
          check(url);
        }
      },
      // `import x = require('...')` and `typeof import('...')` in types
      TSExternalModuleReference: (/** @type {any} */ node) => check(node.expression),
      TSImportType: (/** @type {any} */ node) => check(node.argument),
    };
  },
};

/** @param {any} node */
function isImportMetaUrl(node) {
  return (
    node?.type === 'MemberExpression' &&
    node.object.type === 'MetaProperty' &&
    node.object.meta.name === 'import' &&
    node.property.type === 'Identifier' &&
    node.property.name === 'url'
  );
}

/**
 * The text of a string literal (also wrapped as a TypeScript literal type), else null.
 * @param {any} node
 * @returns {string | null}
 */
function literalOf(node) {
  if (node?.type === 'TSLiteralType') return literalOf(node.literal);
  if (node?.type === 'Literal' && typeof node.value === 'string') return node.value;
  if (node?.type === 'TemplateLiteral' && node.expressions.length === 0) {
    return node.quasis[0]?.value.cooked ?? null;
  }
  return null;
}

export default ts.config(
  { ignores: ['dist', 'node_modules', 'test-results', 'playwright-report', 'bench-results'] },
  js.configs.recommended,
  ...ts.configs.recommended,
  ...svelte.configs.recommended,
  {
    languageOptions: { globals: { ...globals.browser, ...globals.node } },
    plugins: { layers: { rules: { imports: layerImports } } },
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
      'layers/imports': 'error',
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
);
