#!/usr/bin/env node
// The CLI runs the compiled core, bundled into one CommonJS file (`npm run build`, done by
// `npm ci` through `prepare`; scripts/build-cli.mjs says why one file, and why CommonJS — which
// is also why bin/package.json makes this file CommonJS).
const { existsSync, readFileSync, writeSync } = require('node:fs');
const { join } = require('node:path');
const { Buffer } = require('node:buffer');

const dist = join(__dirname, '..', 'dist', 'cli');
const entry = join(dist, 'headroom.cjs');
if (!existsSync(entry)) {
  process.stderr.write('headroom: not built yet. Run `npm run build` (or `npm ci`) in the project folder.\n');
  process.exit(3);
}

/**
 * `--version` and the overview are answered here, without the bundle: compiling its 480 KB is most
 * of what a call costs beyond starting Node. The version is the one the bundle prints
 * (core/app-version.ts reads the same dist/cli/package.json), and the overview is the bundle's own
 * output, written at build time (scripts/build-cli.mjs). A failed write, or a file missing, leaves
 * the answer to the bundle, which says what went wrong as it always does.
 */
function answered(args) {
  const [word] = args;
  try {
    if (word === '--version' || word === '-V') {
      const { version } = JSON.parse(readFileSync(join(dist, 'package.json'), 'utf8'));
      if (typeof version !== 'string' || !/^[\w.+-]+$/.test(version)) return false;
      return print(1, `headroom ${version}\n`, 0);
    }
    // `headroom`, `headroom --help`: the overview (without a command, on stderr: a usage error).
    if (args.length === 0 || (args.length === 1 && ['--help', '-h', 'help'].includes(word)))
      return print(
        args.length ? 1 : 2,
        readFileSync(join(dist, 'overview.txt'), 'utf8'),
        args.length ? 0 : 2,
      );
  } catch {
    // Not built with these files (an older build): the bundle answers.
    return false;
  }
  return false;
}

/** Writes as cli/output.ts does: write(2), a non-blocking descriptor's rest queued, EPIPE ignored. */
function print(fd, text, code) {
  process.exitCode = code;
  let rest = Buffer.from(text);
  try {
    while (rest.length > 0) rest = rest.subarray(writeSync(fd, rest));
  } catch (error) {
    if (error.code === 'EAGAIN')
      (fd === 1 ? process.stdout : process.stderr).on('error', () => {}).write(rest);
    else if (error.code !== 'EPIPE' && fd === 1) {
      process.exitCode = 1;
      try {
        writeSync(2, `headroom: could not write to standard output (${error.code}); the rest is not shown\n`);
      } catch {
        // Nowhere left to say it; the exit code does.
      }
    }
  }
  return true;
}

/**
 * Runs the bundle. Node ≥ 22.1 keeps its compiled code on disk for the next call
 * (module.enableCompileCache). Node 20 has no such cache, so the build leaves V8's code cache of
 * the bundle beside it (scripts/build-cli.mjs), taken after a `check`: compiling the bundle is
 * then mostly reading that cache. Without the cache, or on an older Node, the bundle is required.
 */
function run() {
  const Module = require('node:module');
  // Asked for stack traces in the sources' files and lines (NODE_OPTIONS=--enable-source-maps):
  // Node applies the bundle's source map to what require loads, not to a vm.Script.
  if (process.sourceMapsEnabled) return require(entry);
  if (Module.enableCompileCache) {
    Module.enableCompileCache();
    return require(entry);
  }
  const { canRunBundle, runBundle } = require('./bundle-loader.js');
  let cachedData;
  try {
    cachedData = canRunBundle && readFileSync(`${entry}.cache`);
  } catch {
    // Not built with it.
  }
  if (!cachedData) return require(entry);
  runBundle(entry, cachedData);
}

if (!answered(process.argv.slice(2))) run();
