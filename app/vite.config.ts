// Vite build of the staff app. Kaiku serves app/dist at /app/ (any /app/<path> without
// a file gets index.html). The server's Content-Security-Policy
// (src/http/problem.hpp: script-src 'self'; style-src 'self'; img-src 'self' data:)
// forbids inline scripts and styles, so nothing is inlined: every script and
// stylesheet is a file under /app/assets/.
import { defineConfig } from 'vite';

export default defineConfig({
  base: '/app/',
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    assetsInlineLimit: 0,
    cssCodeSplit: false,
    sourcemap: false,
    target: 'es2022',
    modulePreload: { polyfill: false },
  },
});
