#!/usr/bin/env node
// The CLI runs the compiled core, bundled into one file (`npm run build`, done by `npm ci` through
// `prepare`; scripts/build-cli.mjs says why one file).
import { existsSync } from 'node:fs';

const entry = new URL('../dist/cli/headroom.js', import.meta.url);
if (!existsSync(entry)) {
  process.stderr.write('headroom: not built yet. Run `npm run build` (or `npm ci`) in the project folder.\n');
  process.exit(3);
}
await import(entry.href);
