// Run by bare Node with --expose-gc (no tsx: its own modules would count): loads the steps named on
// the command line one after the other and prints, as one JSON line each, the process's resident
// memory after a full collection. `cjs:NAME` is loaded with require, `node:NAME` is a built-in,
// anything else is an import specifier (a package or a file URL).
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { setTimeout as sleep } from 'node:timers/promises';

const require = createRequire(new URL('../../package.json', import.meta.url));
const rss = () => Number(/VmRSS:\s+(\d+)/.exec(readFileSync('/proc/self/status', 'utf8'))[1]) * 1024;

async function settled() {
  for (let i = 0; i < 3; i++) {
    globalThis.gc();
    await sleep(100);
  }
  return rss();
}

console.log(JSON.stringify({ step: '', rss: await settled() }));
for (const arg of process.argv.slice(2)) {
  const [label, specs] = JSON.parse(arg);
  for (const spec of specs) {
    if (spec.startsWith('cjs:')) require(spec.slice(4));
    else if (spec.startsWith('node:')) process.getBuiltinModule(spec);
    else await import(spec);
  }
  console.log(JSON.stringify({ step: label, rss: await settled() }));
}
