import { defineConfig } from 'vite';

/** Renderer build: static files for the `app://` protocol (Electron) and the browser shell. */
export default defineConfig({
  root: 'renderer',
  base: './',
  publicDir: 'public',
  // Hosts replace this with a per-response nonce, also named in their CSP header.
  html: { cspNonce: '__CSP_NONCE__' },
  build: {
    outDir: '../dist/renderer',
    emptyOutDir: true,
    target: 'chrome120',
    sourcemap: false,
    reportCompressedSize: false,
    rollupOptions: {
      onwarn(warning, warn) {
        // Fluent UI ships React Server Components directives; they mean nothing in a client-only bundle.
        if (warning.code === 'MODULE_LEVEL_DIRECTIVE') {
          return;
        }
        warn(warning);
      },
    },
  },
});
