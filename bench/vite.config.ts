import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import { svelte } from '@sveltejs/vite-plugin-svelte';

/**
 * The benchmark harness page (bench/index.html), built apart from the app: the app's
 * own build is untouched, and this page lands in bench-results/site/bench, beside
 * the app built into bench-results/site, so that one preview server serves both
 * from one origin (the harness then writes into the app's IndexedDB).
 */
const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));

export default defineConfig({
  root: here('.'),
  base: '/bench/',
  plugins: [svelte({ configFile: here('../svelte.config.js') })],
  worker: { format: 'es' },
  logLevel: 'warn',
  build: {
    outDir: here('../bench-results/site/bench'),
    emptyOutDir: true,
    chunkSizeWarningLimit: 4096,
  },
});
