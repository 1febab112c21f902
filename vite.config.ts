/// <reference types="vitest/config" />
import { defineConfig } from 'vite';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { viteStaticCopy } from 'vite-plugin-static-copy';

/**
 * The built app's Content-Security-Policy. Everything comes from the app's own origin:
 * no inline or remote script, no remote styles, fonts, images or connections. `blob:`
 * and `data:` are for images the user opened (object URLs) and the charts the app draws.
 * `ws:` and `wss:` are for live team review only: the app opens a WebSocket to the sync
 * server the lead or reviewer types in, and to nothing else, and only once they start
 * or join a live session (a page's CSP cannot name a server chosen at run time).
 * A test drives the built app under it and fails on any violation or outside request.
 */
const contentSecurityPolicy = [
  "default-src 'self'",
  "script-src 'self' 'wasm-unsafe-eval'",
  "style-src 'self'",
  "img-src 'self' blob: data:",
  "font-src 'self'",
  "connect-src 'self' blob: data: ws: wss:",
  "worker-src 'self'",
  "media-src 'self' blob:",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
].join('; ');

/**
 * The face model's files, served by the app itself (dev server and build alike): the
 * three graphs the face reader runs and TensorFlow.js's WebAssembly binaries. Nothing is
 * fetched from elsewhere at run time.
 */
const faceModelFiles = [
  {
    src: 'node_modules/@vladmandic/human/models/{blazeface,facemesh,emotion}.{json,bin}',
    dest: 'face-model/human',
    rename: { stripBase: true as const },
  },
  {
    src: 'node_modules/@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm{,-simd,-threaded-simd}.wasm',
    dest: 'face-model/wasm',
    rename: { stripBase: true as const },
  },
];

export default defineConfig({
  plugins: [
    svelte(),
    viteStaticCopy({ targets: faceModelFiles }),
    {
      // The built app carries its policy in the page itself, so it holds on any static host.
      // Not in dev: the dev server's hot reload needs a websocket and inline styles.
      name: 'content-security-policy',
      apply: 'build',
      transformIndexHtml: () => [
        {
          tag: 'meta',
          attrs: { 'http-equiv': 'Content-Security-Policy', content: contentSecurityPolicy },
          injectTo: 'head-prepend',
        },
      ],
    },
  ],
  server: { port: 5173, strictPort: true },
  // The preview server also sends the policy as a header, which covers the workers too.
  preview: {
    port: 4173,
    strictPort: true,
    headers: { 'Content-Security-Policy': contentSecurityPolicy },
  },
  worker: { format: 'es' },
  test: {
    include: ['src/**/*.test.ts', 'tests/lint/**/*.test.ts', 'tests/cli/**/*.test.ts'],
    environment: 'node',
    setupFiles: ['fake-indexeddb/auto'],
    globalSetup: ['tests/real-fixtures.ts'],
    reporters: ['default', 'json'],
    outputFile: { json: 'reports/unit.json' },
  },
  resolve: process.env.VITEST ? { conditions: ['browser'] } : undefined,
});
