// `npm run build:cli` (part of `npm run build`): the CLI that bin/headroom.js runs, bundled into
// dist/cli/headroom.js, with its usage-scan worker beside it. A long-running `headroom
// watch` keeps the source text and compiled metadata of every module it loaded: one file takes
// less memory than ~120 (and less than one chunk per command: ~2 MiB less idle RSS, measured; the
// commands a run does not use are in the file but never compiled or run). The Electron app keeps
// the per-file build of tsc.
//
// zod is bundled with its English messages only. Its entry points load all ~50 of its locales
// (1.6 MB of mostly non-Latin source, kept for the life of the process as UTF-16), while the app
// never leaves the English default that zod itself sets. The other dependencies stay outside:
// undici and jose are loaded on the first delivery, systeminformation by require.
// Measured by `npm run bench` (idle footprint and its module shares).
import { build } from 'esbuild';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

const { dependencies } = JSON.parse(readFileSync('package.json', 'utf8'));

/** zod's locales/index.js (the whole list) replaced with a module that has only `en`. */
const zodEnglishOnly = {
  name: 'zod-english-only',
  setup(b) {
    b.onResolve({ filter: /\/locales\/index\.js$/ }, (args) =>
      /[\\/]node_modules[\\/]zod[\\/]/.test(args.importer)
        ? { path: 'zod-locales-en', namespace: 'zod-english-only', pluginData: args.resolveDir }
        : undefined,
    );
    b.onLoad({ filter: /.*/, namespace: 'zod-english-only' }, (args) => ({
      contents: `export { default as en } from './en.js';`,
      resolveDir: `${args.pluginData}/../locales`,
    }));
  },
};

const outdir = 'dist/cli';
const { outputFiles } = await build({
  entryPoints: {
    headroom: 'cli/run.ts',
    'scan-worker': 'core/usage/scan-worker.ts',
    'scan-helper': 'core/usage/scan-helper.ts',
  },
  outdir,
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  external: Object.keys(dependencies).filter((d) => d !== 'zod'),
  plugins: [zodEnglishOnly],
  legalComments: 'none',
  logLevel: 'warning',
  write: false,
});
// esbuild writes strings, regular expressions and names as ASCII, but keeps some comments, whose
// "→" or "—" would make V8 hold the whole file as UTF-16, twice its size. Comments only, so they
// can be escaped in place.
for (const file of outputFiles) {
  mkdirSync(dirname(file.path), { recursive: true });
  writeFileSync(
    file.path,
    file.text.replace(/[^\0-\x7f]/gu, (c) => `\\u{${c.codePointAt(0).toString(16)}}`),
  );
}
