import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// Built into dist/renderer, loaded by Electron from file:// and served by `headroom watch --ui`:
// relative asset paths work for both.
export default defineConfig({
  root: import.meta.dirname,
  base: './',
  plugins: [react()],
  build: {
    outDir: '../dist/renderer',
    emptyOutDir: true,
    sourcemap: false,
    // No inline scripts or styles: the CSP allows only 'self'.
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
  },
});
