import assert from 'node:assert/strict';
import { watch } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from '../helpers/node-test.js';
import { CliProcess, runCli, tempHome } from '../helpers/cli.js';
import { cannotMount, Tmpfs } from '../helpers/tmpfs.js';

/** What `check --json` said of one mount, with its exit code. */
async function checked(home: string, mount: string, format = '--json') {
  const r = await runCli(['check', format, '--mount', mount], home);
  assert.ok(r.code !== null && r.code <= 3, r.stderr);
  return { code: r.code, stdout: r.stdout, row: format === '--json' ? JSON.parse(r.stdout)[0] : undefined };
}

/**
 * Resolves once the watcher has saved `state` for `mount` and a point of it for the forecast (what
 * `check` reads), waking at each file the data directory replaces.
 */
async function untilSaved(home: string, mount: string, state: string): Promise<void> {
  const read = (file: string) =>
    readFile(join(home, file), 'utf8').then(
      (t) => JSON.parse(t) as { mounts: Record<string, unknown> },
      () => ({ mounts: {} as Record<string, unknown> }),
    );
  const saved = async () =>
    ((await read('state.json')).mounts[mount] as { state?: string } | undefined)?.state === state &&
    (await read('samples.json')).mounts[mount] !== undefined;
  const changes = watch(home);
  try {
    while (!(await saved())) await new Promise((wake) => changes.once('change', wake));
  } finally {
    changes.close();
  }
}

describe('headroom check agrees with the watcher on a real tmpfs', { skip: await cannotMount }, () => {
  let disk: Tmpfs;
  let watcher: CliProcess | undefined;
  before(async () => (disk = await Tmpfs.mount(20)));
  after(async () => {
    await watcher?.stop('SIGKILL');
    await disk?.dispose();
  });

  /** A watcher on a new data directory that has announced `to` for the disk at `free` % (and saved it). */
  const watchUntil = async (free: number, to: string) => {
    const home = await tempHome();
    await disk.setFreePercent(free);
    watcher = new CliProcess(['watch', '--json', '--mount', disk.dir], home);
    assert.equal((await watcher.transition(1)).to, to);
    await untilSaved(home, disk.dir, to);
    return { home, running: watcher };
  };

  /** The data directory of a watcher that announced `to` at `free` % and stopped. */
  const savedBy = async (free: number, to: string) => {
    const { home, running } = await watchUntil(free, to);
    await running.stop();
    return home;
  };

  it(
    'with a watcher running, reports its warning at 21 % free, as table, JSON and Nagios',
    { timeout: 60_000 },
    async () => {
      const { home, running } = await watchUntil(15, 'warning');
      try {
        await disk.setFreePercent(21);
        const json = await checked(home, disk.dir);
        assert.equal(json.row.state, 'warning', json.stdout);
        assert.equal(json.row.stateFrom, 'watcher');
        assert.equal(json.row.stateNote, null, 'the reading agrees: a warning clears above 22 %');
        assert.equal(json.code, 1);
        const nagios = await checked(home, disk.dir, '--format=nagios');
        assert.match(nagios.stdout, /^DISK WARNING - /);
        assert.equal(nagios.code, 1);
        const table = await checked(home, disk.dir, '--format=table');
        assert.match(table.stdout.trim().split('\n')[1]!, /\s21\.0%\s+warning\s/);
        assert.equal(table.code, 1);
        assert.deepEqual(running.transitions().length, 1, 'the watcher still holds its warning');
      } finally {
        await running.stop();
      }
    },
  );

  it(
    'alone, says ok at 21 % free and that the saved warning clears above 22 %',
    { timeout: 60_000 },
    async () => {
      const home = await savedBy(15, 'warning');
      await disk.setFreePercent(21);
      const json = await checked(home, disk.dir);
      assert.equal(json.row.state, 'ok', json.stdout);
      assert.equal(json.row.stateFrom, 'reading');
      assert.equal(json.row.stateNote, 'a warning clears above 22%');
      assert.equal(json.code, 0, 'the exit code follows the state reported');
      const table = await checked(home, disk.dir, '--format=table');
      assert.match(table.stdout.trim().split('\n')[1]!, /\s21\.0%\s+ok — a warning clears above 22%\s/);
      assert.equal((await checked(home, disk.dir, '--format=nagios')).code, 0);

      await disk.setFreePercent(30);
      const clear = await checked(home, disk.dir);
      assert.deepEqual(
        [clear.row.state, clear.row.stateNote, clear.code],
        ['ok', null, 0],
        'above 22 %: nothing differs',
      );
    },
  );

  it(
    'alone, says warning at 11 % free and that the saved critical eases above 12 %',
    { timeout: 60_000 },
    async () => {
      const home = await savedBy(5, 'critical');
      await disk.setFreePercent(11);
      const json = await checked(home, disk.dir);
      assert.deepEqual(
        [json.row.state, json.row.stateFrom, json.row.stateNote, json.code],
        ['warning', 'reading', 'a critical eases to warning above 12%', 1],
      );
    },
  );

  it(
    'with no watcher ever run, judges the reading on the plain thresholds',
    { timeout: 30_000 },
    async () => {
      await disk.setFreePercent(21);
      const json = await checked(await tempHome(), disk.dir);
      assert.deepEqual(
        [json.row.state, json.row.stateFrom, json.row.stateNote, json.code],
        ['ok', 'reading', null, 0],
      );
    },
  );
});
