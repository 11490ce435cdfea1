// Compiles the test files, and every module of this repository they reach, into dist-tests/
// (dist-tests/test/core/x.test.js beside dist-tests/core/…), so that `npm run test:unit` runs plain
// JavaScript: under `--import tsx` each of the ~170 test processes spent 0.8 s of CPU on average
// loading tsx and compiling its imports (806 CPU-seconds for the suite, 690 without). The app's
// modules are compiled as `npm run build:main` compiles them for the Electron app (same esbuild
// options), all of them: some are loaded by name (the usage scan's workers). A folder of its own,
// not dist/: electron-builder and the npm package take dist/ whole. Plain JavaScript modules (.mjs)
// are copied beside them. `node --import tsx --test test/x.test.ts` still runs a file from source.
import { build } from 'esbuild';
import { copyFileSync, mkdirSync, readdirSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { performance } from 'node:perf_hooks';

const OUT = 'dist-tests';
/** The app's own modules: what `npm run build:main` compiles into dist/. */
const APP = ['shared', 'core', 'cli', 'electron/main'];

/** The files under `dir` whose names end with `ending`, as paths from the repository's root. */
function filesUnder(dir, ending) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory()
      ? filesUnder(join(dir, e.name), ending)
      : e.name.endsWith(ending)
        ? [join(dir, e.name)]
        : [],
  );
}

/** Every test file, as paths from the repository's root. */
export const testFiles = () => filesUnder('test', '.test.ts');

/** Where the compiled `test/…/x.test.ts` is run from. */
export const builtPath = (file) => join(OUT, file.replace(/\.ts$/, '.js'));

/**
 * Compiles the test files, their helpers (some are loaded by name, not imported: the fake
 * Electron) and what they import but packages; returns how many modules it compiled.
 */
export async function buildTests() {
  const entries = filesUnder('test', '.ts').filter((f) => !f.endsWith('.d.ts'));
  // A bundling pass that writes nothing: esbuild follows the imports, and its metafile lists every
  // file of the repository they reach.
  const { metafile } = await build({
    entryPoints: entries,
    bundle: true,
    write: false,
    metafile: true,
    packages: 'external',
    platform: 'node',
    format: 'esm',
    splitting: true,
    outdir: OUT,
    logLevel: 'error',
  });
  const reached = Object.keys(metafile.inputs).filter((f) => !f.startsWith('node_modules/'));
  const modules = [
    ...new Set([
      ...reached.filter((f) => /\.tsx?$/.test(f) && !f.endsWith('.d.ts')),
      ...APP.flatMap((dir) => filesUnder(dir, '.ts').filter((f) => !f.endsWith('.d.ts'))),
    ]),
  ];
  // The same options as `npm run build:main`.
  await build({
    entryPoints: modules,
    outdir: OUT,
    outbase: '.',
    format: 'esm',
    platform: 'node',
    target: 'node20',
    sourcemap: true,
    logLevel: 'warning',
  });
  const plain = reached.filter((f) => /\.(mjs|js|cjs|json)$/.test(f));
  for (const file of new Set([...plain, ...filesUnder('test/helpers', '.mjs')])) {
    mkdirSync(dirname(join(OUT, file)), { recursive: true });
    copyFileSync(file, join(OUT, file));
  }
  return modules.length;
}

if (relative(process.cwd(), process.argv[1] ?? '') === 'scripts/build-tests.mjs') {
  const started = performance.now();
  const n = await buildTests();
  console.log(`built ${n} modules for the tests in ${Math.round(performance.now() - started)} ms`);
}
