import { defineConfig } from 'vite';

/** Where `npm run dev -w @telenexus/console` sends API calls: a running ingress. */
const API_TARGET = process.env.TELENEXUS_API_URL ?? 'http://127.0.0.1:8080';

export default defineConfig({
  // Ingress serves the build at /console; every asset URL starts there.
  base: '/console/',
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
