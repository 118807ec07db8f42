import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

/** Where `npm run dev -w @telenexus/console` sends API calls: a running ingress. */
const API_TARGET = process.env.TELENEXUS_API_URL ?? 'http://127.0.0.1:8080';

export default defineConfig({
  // Ingress serves the build at /console; every asset URL starts there.
  base: '/console/',
  resolve: {
    // The browser needs only the API's vocabularies from the domain package, not its Node.js code.
    // The API's wire types come from the contract package; imported as types, they add nothing to
    // the bundle.
    alias: {
      '@telenexus/core': fileURLToPath(new URL('../core/src/api-vocabulary.ts', import.meta.url)),
      '@telenexus/api-contract': fileURLToPath(new URL('../api-contract/src/index.ts', import.meta.url)),
    },
  },
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    // The dist folder is served publicly: no source maps of our code to hand out.
    sourcemap: false,
  },
  server: {
    proxy: { '/api': API_TARGET },
  },
});
