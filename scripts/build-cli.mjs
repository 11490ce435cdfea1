// `npm run build:cli` (part of `npm run build`): the CLI that bin/headroom.js runs, bundled into
// dist/cli/headroom.cjs, with its usage-scan worker beside it. A long-running `headroom
// watch` keeps the source text and compiled metadata of every module it loaded: one file takes
// less memory than ~120 (and less than one chunk per command: ~2 MiB less idle RSS, measured; the
// commands a run does not use are in the file but never compiled or run). The Electron app keeps
// the per-file build of tsc.
//
// What an idle watcher loads at start is what it keeps, so the bundle is kept to what runs:
// - zod is imported as a namespace (`import * as z from 'zod'`, a lint rule in eslint.config.js),
//   whose `z.string()` and the like esbuild resolves to the functions used, leaving out the rest
//   of zod (JSON Schema conversion, its ~50 locales, schema kinds the app does not use): 210 KB of
//   zod in the bundle instead of 400 KB, 2.2 MiB less idle RSS. `import { z } from 'zod'` binds
//   the whole namespace as one value, and esbuild then keeps all of it.
// - Node built-ins: esbuild hoists every `import` of a built-in to the top of the file, so it is
//   loaded at start whatever the command, and an import evaluates all its lazy exports too.
//   node:http, node:crypto, node:net and node:module, which an idle watcher does not use, are
//   loaded on first use, and node:util taken without its lazy parts (core/builtins.ts).
// The other dependencies stay outside: undici is loaded on the first delivery, nodemailer on the
// first e-mail, systeminformation (macOS and Windows) at the first discovery; of jose, the part in
// use is bundled (below).
import { build } from 'esbuild';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dirname } from 'node:path';

/** Runs the bundle as bin/headroom.js does, and writes V8's cache of it as the process exits. */
const CACHE_WRITER = `
const { writeFileSync } = require('node:fs');
const { resolve } = require('node:path');
const [entry, cacheFile, ...args] = process.argv.slice(1).map((a, i) => (i < 2 ? resolve(a) : a));
process.argv = [process.argv[0], entry, ...args];
const script = require(resolve('bin/bundle-loader.js')).runBundle(entry);
process.on('exit', () => writeFileSync(cacheFile, script.createCachedData()));
`;

const { name, version, dependencies } = JSON.parse(readFileSync('package.json', 'utf8'));

const outdir = 'dist/cli';
const common = {
  outdir,
  bundle: true,
  platform: 'node',
  target: 'node20',
  // zod is bundled (below), and what the CLI uses of jose (core/delivery/jose-sign.ts): no package
  // to resolve at the first signature, so none that a full file table could make fail, and no
  // resolution at start either (it loads part of Node's ES module loader, 0.8 MiB).
  external: Object.keys(dependencies).filter((d) => d !== 'zod' && d !== 'jose'),
  legalComments: 'none',
  // The whole file's text stays in memory: without its indentation and comments it is 660 KB, not
  // 930 (0.25 MiB idle RSS). Syntax minification saved nothing more.
  minifyWhitespace: true,
  // core/bundled.ts: what differs in a bundle here from a module built alone.
  define: { HEADROOM_BUNDLE: 'true' },
  logLevel: 'warning',
  write: false,
};
// The CLI is CommonJS, run by bin/headroom.js (CommonJS too): an ES module entry sets up Node's
// ES module loader at start, ~1 MiB of idle RSS; undici is loaded by require on first use as
// before. The sources are ES modules, so import.meta is given its CommonJS equivalents.
const cli = await build({
  ...common,
  entryPoints: { headroom: 'cli/run.ts' },
  format: 'cjs',
  // Short local names: 480 KB of text instead of 660, and shorter names in every scope: 0.5 MiB
  // of idle RSS (45.0 -> 44.5 MiB). A stack trace then names minified functions: the source map
  // beside the bundle (positions and names, not the sources' text) gives each frame's source file
  // and line under --enable-source-maps (bin/headroom.js then loads the bundle with require, which
  // reads it). Node reads no map otherwise.
  minifyIdentifiers: true,
  sourcemap: 'linked',
  sourcesContent: false,
  outExtension: { '.js': '.cjs' },
  define: {
    ...common.define,
    'import.meta.url': '__headroom_url',
    'import.meta.dirname': '__dirname',
    'import.meta.resolve': '__headroom_resolve',
  },
  banner: {
    js: [
      'const __headroom_url = require("node:url").pathToFileURL(__filename).href;',
      'const __headroom_resolve = (id) => require("node:url").pathToFileURL(require.resolve(id)).href;',
    ].join(''),
  },
});
// The usage scanner stays an ES module: it starts only for a scan. Its helper is CommonJS:
// `headroom usage` waits for it to start, and an ES module entry (Node's ES module loader) starts
// ~12 ms later.
const worker = await build({
  ...common,
  entryPoints: { 'scan-worker': 'core/usage/scan-worker.ts' },
  format: 'esm',
});
const helper = await build({
  ...common,
  entryPoints: { 'scan-helper': 'core/usage/scan-helper.ts' },
  format: 'cjs',
  outExtension: { '.js': '.cjs' },
});
const outputFiles = [...cli.outputFiles, ...worker.outputFiles, ...helper.outputFiles];
// esbuild writes strings, regular expressions and names as ASCII, and minified it keeps no
// comment: a file with any other character would be held by V8 as UTF-16, twice its size.
for (const file of outputFiles) {
  const at = file.text.search(/[^\0-\x7f]/u);
  if (at >= 0) throw new Error(`${file.path}: a non-ASCII character at ${at}; keep the bundle ASCII`);
  mkdirSync(dirname(file.path), { recursive: true });
  writeFileSync(file.path, file.contents);
}
// The desktop packages run dist/cli outside app.asar (asarUnpack in build/electron-builder.yml),
// where the project's package.json, inside the archive, is out of reach: this one says what
// `headroom --version` prints (core/app-version.ts) and that the scan scripts are ES modules.
writeFileSync(
  `${outdir}/package.json`,
  `${JSON.stringify({ name, version, private: true, type: 'module' }, null, 2)}\n`,
);
// bin/headroom.js prints the overview (`headroom --help`) without loading the bundle: the text is
// the bundle's own answer, taken once here, so it cannot drift from the command table.
writeFileSync(
  `${outdir}/overview.txt`,
  execFileSync(process.execPath, [`${outdir}/headroom.cjs`, '--help'], { encoding: 'utf8' }),
);

// V8's code cache of the bundle, for bin/headroom.js on a Node without module.enableCompileCache
// (Node 20): taken after a `check` (in a data directory of its own), so that it holds the code a
// check runs as well as the bundle's top level; V8 refuses it on another Node. Compiling the
// bundle is a quarter of what `headroom check` costs beyond starting Node.
const cacheHome = mkdtempSync(join(tmpdir(), 'headroom-build-'));
const cacheFile = `${outdir}/headroom.cjs.cache`;
rmSync(cacheFile, { force: true });
try {
  spawnSync(process.execPath, ['-e', CACHE_WRITER, `${outdir}/headroom.cjs`, cacheFile, 'check'], {
    env: { ...process.env, HEADROOM_HOME: cacheHome },
    stdio: 'ignore',
    // A check stuck on a dead network mount leaves no cache rather than no build.
    timeout: 60_000,
  });
} finally {
  rmSync(cacheHome, { recursive: true, force: true });
}
