// Doyensec's Electronegativity over what the desktop app ships: electron/, core/, shared/, the renderer's
// page and sources, and package.json (for the Electron version). Part of `npm test`: it fails on any
// finding above LOW, on a file it cannot parse, and on any finding or inline exception
// (`eng-disable`) that docs/security.md does not explain.
//
// It runs offline. Electronegativity fetches translations and Electron's release list with `got`:
// here `got` answers 404 without touching the network, the release check (which cannot work
// without it) is left out, and any name lookup at all fails the scan.
import dns from 'node:dns';
import { cp, mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const require = createRequire(import.meta.url);
const tool = require.resolve('@doyensec/electronegativity');
const got = require.resolve('got', { paths: [tool] });
const notFound = async () => ({ statusCode: 404, headers: {}, body: '' });
require.cache[got] = {
  id: got,
  filename: got,
  loaded: true,
  exports: Object.assign(notFound, { head: notFound }),
};
dns.lookup = (host) => {
  throw new Error(`the Electron scan must stay offline, yet something looked up ${host}`);
};
const run = require(tool);
const { version } = require('@doyensec/electronegativity/package.json');

// A copy of the shipped sources: scanning the project folder would walk node_modules and dist/.
const stage = await mkdtemp(join(tmpdir(), 'headroom-scan-'));
for (const path of ['electron', 'core', 'shared', 'renderer/index.html', 'renderer/src', 'package.json'])
  await cp(join(root, path), join(stage, path), { recursive: true });
let result;
const exceptions = [];
try {
  result = await run(
    { input: stage, isRelative: true, excludeFromScan: ['AvailableSecurityFixesGlobalCheck'] },
    false,
  );
  for (const file of await readdir(stage, { recursive: true })) {
    if (!/\.(ts|tsx|html)$/.test(file)) continue;
    const text = await readFile(join(stage, file), 'utf8');
    for (const [, id] of text.matchAll(/eng-disable\s+([A-Z_]+)/g)) exceptions.push({ id, file });
  }
} finally {
  await rm(stage, { recursive: true, force: true });
}

const security = await readFile(join(root, 'docs', 'security.md'), 'utf8');

const problems = [];
for (const e of result.errors) if (!e.tolerable) problems.push(`could not parse ${e.file}: ${e.message}`);
console.log(`Electronegativity ${version}: ${result.globalChecks + result.atomicChecks} checks`);
for (const i of result.issues) {
  console.log(`  ${i.severity.name} (${i.confidence.name}) ${i.id} at ${i.file}:${i.location.line}`);
  if (i.severity.value > 1)
    problems.push(`${i.id} is ${i.severity.name}: fix it (above LOW fails the build)`);
}
for (const e of exceptions) console.log(`  reviewed, disabled inline: ${e.id} in ${e.file}`);
for (const { id } of [...result.issues, ...exceptions])
  if (!security.includes(id)) problems.push(`${id}: explain it in docs/security.md`);
for (const p of new Set(problems)) console.error(`scan:electron: ${p}`);
process.exitCode = problems.length ? 1 : 0;
