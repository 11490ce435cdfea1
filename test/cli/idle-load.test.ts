// What an idle watcher holds: the alert path (undici, ~9 MB resident) is loaded ahead of a
// crossing on a disk near its threshold, and not at all on a workstation's disk far from it; nor
// are the heavy built-ins core/builtins.ts keeps for first use (node:crypto was, by the first
// state file written: ~2.7 MB of idle RSS).
import assert from 'node:assert/strict';
import { watch } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, describe, it } from '../helpers/node-test.js';
import { BIN, CliProcess, tempHome } from '../helpers/cli.js';
import { cannotMount, Tmpfs } from '../helpers/tmpfs.js';

/** Preloaded into the watcher: says on stderr when a package is first loaded. */
const PROBE = `
const Module = require('node:module');
const load = Module._load;
const told = new Set();
Module._load = function (request, parent, ...rest) {
  const loaded = load.call(this, request, parent, ...rest);
  const name = /node_modules\\/(undici|nodemailer)\\//.exec(parent?.filename ?? '')?.[1];
  if (name && !told.has(name)) told.add(name), process.stderr.write('probe: loaded ' + name + '\\n');
  return loaded;
};
process.on('exit', () => {
  for (const m of ['crypto', 'fs/promises', 'http', 'https', 'net', 'os', 'tls'])
    if (process.moduleLoadList.includes('NativeModule ' + m)) process.stderr.write('probe: loaded node:' + m + '\\n');
});
`;

describe('an idle watcher loads the alert path only near a threshold', { skip: await cannotMount }, () => {
  const disks: Tmpfs[] = [];
  after(() => Promise.all(disks.map((d) => d.dispose())));

  /** `headroom watch` of `disk` alone, with the probe; resolves once a full sample is saved. */
  async function watching(disk: Tmpfs): Promise<CliProcess> {
    const home = await tempHome();
    const probe = join(home, 'probe.cjs');
    await writeFile(probe, PROBE);
    const saved = new Promise<void>((resolve) => {
      const seen = watch(home, async () => {
        const text = await readFile(join(home, 'samples.json'), 'utf8').catch(() => '');
        if (text.includes(JSON.stringify(disk.dir))) resolve(seen.close());
      });
    });
    const watcher = new CliProcess(['watch', '--mount', disk.dir], home, {}, ['--require', probe, BIN]);
    // A watcher that exits before its first sample fails the test with what it said.
    let sampled = false;
    const quit = watcher.exited.then((code) => {
      if (!sampled) throw new Error(`watch exited (${code}): ${watcher.stderrLines.join('\n')}`);
    });
    await Promise.race([saved, quit]);
    sampled = true;
    return watcher;
  }

  it('a workstation disk 50 GiB from warning: no undici nor heavy built-in after its first sample', async () => {
    // A tmpfs's size costs nothing until written: 64 GiB, empty.
    const disk = await Tmpfs.mount(64 * 1024);
    disks.push(disk);
    const watcher = await watching(disk);
    // Sampled once (the next full sample is 5 min away), with a re-read planned ~50 s away.
    await watcher.stop();
    assert.deepEqual(
      watcher.stderrLines.filter((l) => l.startsWith('probe:')),
      [],
      'nothing of the alert path nor a heavy built-in was loaded',
    );
  });

  it('a disk a moment from warning: undici loaded before any crossing', async () => {
    const disk = await Tmpfs.mount(16);
    disks.push(disk);
    await disk.setFreePercent(25);
    const watcher = await watching(disk);
    await watcher.waitForStderr(/^probe: loaded undici$/);
    await watcher.stop();
  });
});
