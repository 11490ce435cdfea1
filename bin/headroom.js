#!/usr/bin/env node
// The CLI runs the compiled core, bundled into one CommonJS file (`npm run build`, done by
// `npm ci` through `prepare`; scripts/build-cli.mjs says why one file, and why CommonJS — which
// is also why bin/package.json makes this file CommonJS).
const { existsSync } = require('node:fs');
const { join } = require('node:path');

const entry = join(__dirname, '..', 'dist', 'cli', 'headroom.cjs');
if (!existsSync(entry)) {
  process.stderr.write('headroom: not built yet. Run `npm run build` (or `npm ci`) in the project folder.\n');
  process.exit(3);
}
require(entry);
