import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { readdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, before, beforeEach, describe, it } from '../helpers/node-test.js';
import { openRuntime, type Runtime } from '../../core/runtime.js';
import { Watcher } from '../../core/watcher.js';
import { FLAPPING } from '../../shared/quiet.js';
import { runCli, tempHome } from '../helpers/cli.js';
import { Receiver } from '../helpers/receiver.js';
import { assertReported } from '../helpers/report.js';
import { cannotMount, Tmpfs } from '../helpers/tmpfs.js';
import { makePki, type TestPki } from '../helpers/tls.js';

describe('inodes, absolute thresholds, snooze, reminders, flapping', { skip: await cannotMount }, () => {
  let pki: TestPki;
  let disk: Tmpfs;
  let home: Tmpfs | undefined;
  let receiver: Receiver;
  let runtime: Runtime;
  let watcher: Watcher;
  let clock: number;
  before(async () => {
    pki = await makePki();
  });
  beforeEach(async () => {
    receiver = await Receiver.start(pki);
    clock = Date.parse('2026-11-23T12:00:00Z');
  });
  afterEach(async () => {
    await runtime?.close();
    await receiver.close();
    await disk?.dispose();
    await home?.dispose();
    home = undefined;
  });

  /**
   * An in-process watcher on `disk` whose clock the test moves, with one webhook integration. It
   * takes one full sample per step, so confirmation (which needs readings over a few seconds; see
   * test/core/replay.test.ts) is off unless a test sets it. Its data directory is on a tmpfs of
   * its own: a day of samples on the machine's disk would spend its time in fsync.
   */
  async function open(integration: Record<string, unknown> = {}, settings: Record<string, unknown> = {}) {
    home = await Tmpfs.mount(16);
    runtime = openRuntime(home.dir, { now: () => clock });
    runtime.settings.update({ ...runtime.settings.get(), confirmSeconds: 0, ...settings });
    watcher = new Watcher(runtime, {
      only: [{ mount: disk.dir, fs: 'tmpfs', type: 'tmpfs' }],
      now: () => clock,
    });
    const saved = await runtime.delivery.service.create({
      type: 'webhook',
      config: { url: receiver.url, ca: readFileSync(pki.files.ca, 'utf8') },
      ...integration,
    });
    assert.ok(saved.ok, JSON.stringify(saved));
  }
  const posted = () => receiver.requests.filter((r) => r.method === 'POST').map((r) => JSON.parse(r.body));
  const idle = () => runtime.delivery.dispatcher.idle();
  const minutes = (n: number) => (clock += n * 60_000);

  it('alerts on inodes running out with gigabytes free, with its own key and all-clear', async () => {
    disk = await Tmpfs.mount(20, 'nr_inodes=100');
    const files = (n: number) =>
      Promise.all(Array.from({ length: n }, (_, i) => writeFile(join(disk.dir, `f${i}`), '')));
    await files(85); // 15 % of the inodes free, nearly all the space
    const check = await runCli(['check', '--json', '--mount', disk.dir], await tempHome());
    assert.equal(check.code, 1, 'warning: Nagios exit 1');
    const [row] = JSON.parse(check.stdout);
    assert.equal(row.state, 'ok', 'space is fine');
    assert.equal(row.inodes.state, 'warning');
    assert.ok(row.inodes.freePercent < 20 && row.inodes.freePercent >= 10);

    await open();
    await watcher.checkNow();
    await idle();
    const [warning] = posted();
    assert.match(warning.message, /^Inodes warning: .* of its inodes free$/);
    await files(95);
    await watcher.checkNow();
    await idle();
    assert.match(posted()[1].message, /^Inodes critical/);
    for (const name of await readdir(disk.dir)) await rm(join(disk.dir, name));
    await watcher.checkNow();
    await idle();
    assert.equal(posted().length, 3);
    assert.match(posted()[2].message, /^All clear: .* of inodes free$/);
    assert.deepEqual(
      posted().map((b) => b.headroom.to),
      ['warning', 'critical', 'ok'],
    );
  });

  it('"or N GiB, whichever is smaller", and a per-mount override, on a real disk', async () => {
    disk = await Tmpfs.mount(20);
    await disk.setFreePercent(15);
    const home = await tempHome();
    const state = async () =>
      JSON.parse((await runCli(['check', '--json', '--mount', disk.dir], home)).stdout)[0].state;
    assert.equal(await state(), 'warning', 'the documented 20 % by default');
    // 3 MiB free: above 0.002 GiB (2.1 MiB), so an absolute threshold that small says ok.
    assert.equal((await runCli(['settings', 'set', 'warningGiB=0.002', 'criticalGiB=0.001'], home)).code, 0);
    assert.equal(await state(), 'ok');
    const set = await runCli(['settings', 'set', `mountOverrides.${disk.dir}.warningGiB=off`], home);
    assert.equal(set.code, 0, set.stderr);
    assert.equal(await state(), 'warning', 'the override switches it off for this disk only');
    const bad = await runCli(['settings', 'set', `mountOverrides.${disk.dir}.criticalPercent=30`], home);
    assert.equal(bad.code, 2);
    assert.match(
      bad.stderr,
      new RegExp(`mountOverrides\\.${disk.dir}\\.criticalPercent: criticalPercent \\(30\\) must be below`),
    );
  });

  it('holds a snoozed disk’s changes in the history, sends the net change after, and never an all-clear for nothing', async () => {
    disk = await Tmpfs.mount(20);
    await disk.setFreePercent(50);
    await open();
    await watcher.checkNow();
    watcher.pauses.snooze(disk.dir, '1h');
    await disk.setFreePercent(15);
    await watcher.checkNow();
    await disk.setFreePercent(5);
    await watcher.checkNow();
    const held = runtime.delivery.history.list().filter((r) => r.outcome === 'held');
    assert.equal(held.length, 2);
    assert.match(held[0]!.reason!, /^held: snoozed until/);
    await idle(); // a send wrongly made would still be on its way
    assert.equal(posted().length, 0, 'nothing sent while snoozed');

    minutes(61);
    await watcher.checkNow();
    await idle();
    assert.equal(posted().length, 1, 'one net change');
    assert.equal(posted()[0].severity, 'critical');
    assert.match(posted()[0].info, /Held \(snoozed\) since .*: 2 changes, summed up here/);

    // Snoozed again: a warning that is over before the snooze ends is never sent, nor its all-clear.
    await disk.setFreePercent(50);
    await watcher.checkNow(); // the all-clear of the critical that was sent goes out
    await idle();
    watcher.pauses.snooze(null, '1h');
    await disk.setFreePercent(15);
    await watcher.checkNow();
    await disk.setFreePercent(50);
    await watcher.checkNow();
    minutes(61);
    await watcher.checkNow();
    await idle();
    assert.deepEqual(
      posted().map((b) => b.severity),
      ['critical', 'clear'],
    );
  });

  it('holds non-critical changes in quiet hours, lets critical through, and sums up at the end', async () => {
    disk = await Tmpfs.mount(20);
    await disk.setFreePercent(50);
    const hhmm = (ms: number) => {
      const d = new Date(ms);
      return `${String(d.getHours()).padStart(2, '0')}:${String(d.getMinutes()).padStart(2, '0')}`;
    };
    // Quiet from an hour ago to two hours from now, in the machine's local time.
    await open({ quietHours: { start: hhmm(clock - 3_600_000), end: hhmm(clock + 7_200_000) } });
    await watcher.checkNow();
    await disk.setFreePercent(15);
    await watcher.checkNow();
    await idle();
    assert.equal(posted().length, 0, 'a warning waits');
    await disk.setFreePercent(5);
    await watcher.checkNow();
    await idle();
    assert.deepEqual(
      posted().map((b) => b.severity),
      ['critical'],
      'critical breaks through',
    );
    await disk.setFreePercent(15);
    await watcher.checkNow();
    minutes(121);
    await watcher.checkNow();
    await idle();
    assert.deepEqual(
      posted().map((b) => b.severity),
      ['critical', 'warning'],
    );
    assert.match(posted()[1].info, /Held \(quiet hours\)/);
    const held = runtime.delivery.history.list().filter((r) => r.outcome === 'held');
    assert.equal(held.length, 2);
    assert.ok(held.every((r) => /^held: quiet hours until \d{4}-\d\d-\d\d \d\d:\d\d \S+; /.test(r.reason!)));
  });

  it('reminds every N hours while a disk stays critical, saying for how long', async () => {
    disk = await Tmpfs.mount(20);
    await disk.setFreePercent(5);
    await open({ reminders: { warningHours: null, criticalHours: 2 } });
    await watcher.checkNow();
    await idle();
    minutes(60);
    await watcher.checkNow();
    assert.equal(posted().length, 1, 'not yet');
    minutes(61);
    await watcher.checkNow();
    await idle();
    assert.equal(posted().length, 2);
    assert.match(posted()[1].message, /^Reminder, 2 h on: Disk critical/);
    assert.match(posted()[1].info, /Critical for 2 h\./);
  });

  it('a disk flapping at the threshold all day is reported a bounded number of times', async () => {
    disk = await Tmpfs.mount(20);
    await disk.setFreePercent(50);
    // Flipping between 19 % and 21 %: with the all-clear margin (22 %) it would stay in warning.
    // No usage scan: its note arrives while the test's clock has already moved on.
    await open({}, { historyMaxRecords: 10, clearMarginPercent: 0, usageScanMinutes: null });
    const samples = 288; // a day of 5-minute samples
    for (let i = 0; i < samples; i++) {
      await disk.setFreePercent(i % 2 === 0 ? 19 : 21, { inProcess: true }); // sampled after, in-process
      await watcher.checkNow();
      minutes(5);
    }
    // The README promises exactly this many: one per change allowed in the first window, then one
    // saying it is cycling, then every change held until the disk settles.
    const flapped = posted().length;
    assert.equal(flapped, FLAPPING.changes + 1, `${flapped} notifications for ${samples} flips`);
    assert.match(posted().at(-1).message, /^Disk cycling between ok and warning: /);
    // Flapping holds warnings and all-clears, never a disk that really fills up.
    await disk.setFreePercent(5);
    await watcher.checkNow();
    await idle();
    assert.equal(posted().at(-1).severity, 'critical');
    await disk.setFreePercent(50);
    await watcher.checkNow();
    minutes(FLAPPING.stableMs / 60_000);
    await watcher.checkNow();
    await idle();
    const sent = posted().length;
    assert.equal(sent, flapped + 2, 'then its all-clear once it settled');
    assert.equal(posted().at(-1).severity, 'clear', 'it ends told the truth');
    const held = runtime.delivery.history.list().filter((r) => r.outcome === 'held');
    assert.ok(held.length > 0 && held.every((r) => /flapping/.test(r.reason!)));
    const lines = readFileSync(join(runtime.dir, 'history.jsonl'), 'utf8').trim().split('\n').length;
    assert.ok(lines <= 2 * 10 + 100, `history.jsonl has ${lines} lines: compacted within retention`);
    console.log(`flapping day: ${samples} flips, ${sent} notifications, ${held.length} held records kept`);
    assertReported('Disk flapping at the threshold for a simulated day', samples, { notifications: flapped });
  });
});
