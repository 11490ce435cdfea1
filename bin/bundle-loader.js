// Runs the CLI bundle (dist/cli/headroom.cjs) as require would, but through vm.Script, so that
// V8's code cache of it can be given (bin/headroom.js, on a Node without
// module.enableCompileCache) or taken (scripts/build-cli.mjs, which writes that cache).
const { readFileSync } = require('node:fs');
const Module = require('node:module');
const { dirname } = require('node:path');
const vm = require('node:vm');

// The bundle's import() calls (a fallback of shared/jws.ts) resolve as they would in a module;
// without this loader (Node before 20.12) a vm script cannot import at all: require it instead.
const mainLoader = vm.constants?.USE_MAIN_CONTEXT_DEFAULT_LOADER;

/** Runs the bundle at `entry` with `cachedData` (a cache V8 refuses only costs the compile). */
function runBundle(entry, cachedData) {
  const script = new vm.Script(Module.wrap(readFileSync(entry).toString('latin1')), {
    filename: entry,
    cachedData,
    importModuleDynamically: mainLoader,
  });
  const bundle = new Module(entry, module);
  bundle.filename = entry;
  const run = script.runInThisContext();
  run.call(bundle.exports, bundle.exports, Module.createRequire(entry), bundle, entry, dirname(entry));
  return script;
}

module.exports = { runBundle, canRunBundle: mainLoader !== undefined };
