import assert from 'node:assert/strict';
import { before, describe, it } from '../helpers/node-test.js';
import type { MountState, Reading } from '../../shared/disk.js';
import type { MountRecord } from '../../shared/hysteresis.js';
import { DEFAULT_SETTINGS, type Settings } from '../../shared/settings.js';
import { closeAfterEach } from '../helpers/cleanup.js';
import { deliveryRig, transitionOf } from '../helpers/delivery.js';
import { Receiver } from '../helpers/receiver.js';
import { makePki, type TestPki } from '../helpers/tls.js';

const MOUNT = '/data';
const SETTLE_MS = DEFAULT_SETTINGS.flappingSettleMinutes * 60_000;
const START = Date.parse('2026-11-23T12:00:00Z');

/** Quiet from the start (12:00 UTC) for an hour, in the machine's local time; critical held too. */
const QUIET_NOON = (() => {
  const local = new Date(START);
  const hhmm = (h: number) =>
    `${String(h % 24).padStart(2, '0')}:${String(local.getMinutes()).padStart(2, '0')}`;
  return { quietHours: { start: hhmm(local.getHours()), end: hhmm(local.getHours() + 1), critical: 'hold' } };
})();

/**
 * What a person hears when flapping control, quiet hours or a snooze holds changes: a sawtooth of
 * transitions, as the watcher hands them over, on a clock the test moves, to a real HTTPS receiver
 * through the real dispatcher, holds and stores. The default flapping rule (more than 4 changes
 * in an hour; settled after 5 minutes) with a 3-second confirmation.
 */
describe('the last word a channel hears after held changes', () => {
  let pki: TestPki;
  before(async () => {
    pki = await makePki();
  });
  const opened = closeAfterEach();

  async function disk(integration: Record<string, unknown> = {}) {
    const start = START;
    let clock = start;
    const settings: Settings = { ...DEFAULT_SETTINGS, confirmSeconds: 3 };
    const receiver = await Receiver.start(pki);
    const rig = await deliveryRig({ extraCa: pki.ca, now: () => clock, settings: () => settings });
    opened(
      () => rig.close(),
      () => receiver.close(),
    );
    rig.addWebhook({ url: receiver.url, ca: pki.ca }, integration);
    let state: MountState = 'ok';
    const states: Record<string, MountRecord> = { [MOUNT]: { state, since: clock } };
    const reading = (): Reading => transitionOf(state, state, MOUNT, clock)[0].reading;
    /** The watcher's part after each sample: the disks as they are, when something is held. */
    const sample = async () => {
      if (rig.holds.holding()) rig.dispatcher.reconcile({ readings: [reading()], states, settings });
      await rig.dispatcher.idle();
    };
    const posted = () => receiver.requests.filter((r) => r.method === 'POST').map((r) => JSON.parse(r.body));
    return {
      rig,
      posted,
      severities: () => posted().map((b) => b.severity as string),
      /** Seconds since the start. */
      elapsed: () => (clock - start) / 1000,
      /** The clock moves to `seconds` after the start; a sample is taken there. */
      async at(seconds: number) {
        clock = start + seconds * 1000;
        await sample();
      },
      /** The disk's state changes at `seconds` after the start, as the watcher reports it. */
      async change(to: MountState, seconds: number) {
        clock = start + seconds * 1000;
        rig.transition(...transitionOf(to, state, MOUNT, clock));
        state = to;
        states[MOUNT] = { state, since: clock };
        await sample();
      },
    };
  }

  it(
    'a sawtooth into critical: one message says it is cycling, and the last word is right within the settle time',
    {
      timeout: 30_000,
    },
    async () => {
      const d = await disk();
      // Critical for 20 s of every minute, 15 times: 30 changes.
      for (let i = 0; i < 15; i++) {
        await d.change('critical', i * 60);
        await d.at(i * 60 + 10);
        await d.change('ok', i * 60 + 20);
        await d.at(i * 60 + 30);
      }
      const cycling = d.posted().filter((b) => b.headroom.held?.cycling);
      assert.equal(cycling.length, 1, 'one message says it is cycling, not one per cycle');
      assert.deepEqual(d.severities(), ['critical', 'clear', 'critical', 'clear', 'critical']);
      const [message] = cycling;
      assert.match(
        message.message,
        /^Disk cycling between ok and critical: \/data on test-host has 5(\.0)?% free now/,
      );
      assert.match(
        message.info,
        /Cycling between ok and critical, \d+ changes in \d+ min; held until it settles\./,
      );

      // Settled in ok since 860 s: held until the settle time is up, then the all-clear, once.
      const settledAt = 14 * 60 + 20;
      await d.at(settledAt + SETTLE_MS / 1000 - 10);
      assert.equal(d.severities().length, 5, 'still settling');
      await d.at(settledAt + SETTLE_MS / 1000);
      assert.deepEqual(d.severities().slice(5), ['clear'], 'the last word matches the disk');
      assert.match(
        d.posted().at(-1).info,
        /Held \(flapping\) since 12:02 UTC: \d+ changes, summed up here\./,
      );
      await d.at(settledAt + 3600);
      assert.equal(d.severities().length, 6, 'and nothing more');
    },
  );

  it(
    'a sawtooth that settles in critical: after the cycling message, the last word says critical again',
    {
      timeout: 30_000,
    },
    async () => {
      const d = await disk();
      for (let i = 0; i < 3; i++) {
        await d.change('critical', i * 60);
        await d.at(i * 60 + 10);
        await d.change('ok', i * 60 + 20);
        await d.at(i * 60 + 30);
      }
      await d.change('critical', 180); // and it stays there
      await d.at(190);
      assert.match(d.posted().at(-1).message, /^Disk cycling between ok and critical:/);
      await d.at(180 + SETTLE_MS / 1000 + 1);
      assert.equal(d.posted().length, 6);
      assert.match(d.posted().at(-1).message, /^Disk critical: \/data on test-host has 5(\.0)?% free$/);
      assert.match(
        d.posted().at(-1).info,
        /Held \(flapping\) since 12:02 UTC: \d+ changes, summed up here\./,
      );
    },
  );

  it(
    'a slow sawtooth that settles between dips is told once, and a real fill after it within the settle time',
    {
      timeout: 30_000,
    },
    async () => {
      const d = await disk();
      // Critical for 20 s every 10 minutes: each dip is over well within the settle time.
      for (let i = 0; i < 6; i++) {
        await d.change('critical', i * 600);
        await d.at(i * 600 + 10);
        await d.change('ok', i * 600 + 20);
        await d.at(i * 600 + 30);
        await d.at(i * 600 + 20 + SETTLE_MS / 1000 + 1);
      }
      assert.deepEqual(d.severities(), ['critical', 'clear', 'critical', 'clear', 'critical', 'clear']);
      assert.equal(d.posted().filter((b) => b.headroom.held?.cycling).length, 1, 'one cycling message');
      // Then it fills for real and stays critical: held as one more dip, told once it has settled.
      await d.change('critical', 3600);
      await d.at(3610);
      assert.equal(d.severities().length, 6);
      await d.at(3600 + SETTLE_MS / 1000 + 1);
      assert.deepEqual(d.severities().slice(6), ['critical'], 'the last word matches the disk');
    },
  );

  it('a summary never names a state the disk only passed through', { timeout: 30_000 }, async () => {
    const d = await disk(QUIET_NOON);
    // Quiet hours: a warning — then, just as they end, a dip into critical that lasts half a second.
    await d.change('warning', 60);
    await d.change('critical', 3599.8);
    await d.at(3600);
    await d.at(3600.2);
    assert.deepEqual(d.severities(), [], 'quiet hours are over, but the state of now is unconfirmed');
    await d.change('warning', 3600.3);
    for (const s of [3601, 3604, 3700]) await d.at(s);
    assert.deepEqual(d.severities(), ['warning'], 'the state it kept, once');
    assert.match(d.posted()[0].info, /Held \(quiet hours\) since 12:01 UTC: 2 changes, summed up here\./);

    // Flapping between warning and ok, with a half-second unreachable: the cycling message
    // names only the states it kept.
    for (const [i, to] of (['ok', 'warning', 'ok', 'warning'] as const).entries())
      await d.change(to, 7200 + i * 60);
    await d.change('unreachable', 7500);
    await d.change('warning', 7500.5);
    await d.change('ok', 7560);
    await d.at(7570);
    const cycling = d.posted().filter((b) => b.headroom.held?.cycling);
    assert.equal(cycling.length, 1, 'one cycling message');
    assert.deepEqual(cycling[0].headroom.held.cycling.states, ['ok', 'warning']);
  });

  it(
    'when quiet hours end, the net change goes out as one message, or nothing when there is none',
    {
      timeout: 30_000,
    },
    async () => {
      const d = await disk(QUIET_NOON);
      await d.change('warning', 60);
      await d.change('critical', 600);
      await d.change('warning', 1200);
      await d.at(3599);
      assert.deepEqual(d.severities(), [], 'nothing during quiet hours');
      await d.at(3600);
      await d.at(3660);
      assert.deepEqual(d.severities(), ['warning'], 'one message: from what it last heard to now');
      assert.equal(d.posted()[0].headroom.from, 'ok');
      assert.match(d.posted()[0].info, /Held \(quiet hours\) since 12:01 UTC: 3 changes, summed up here\./);

      // The next night's (here: the same hour a day on) steps that end where they began: nothing.
      await d.change('critical', 86_400 + 60);
      await d.change('warning', 86_400 + 600);
      await d.at(86_400 + 3600);
      await d.at(86_400 + 3700);
      assert.deepEqual(d.severities(), ['warning']);
    },
  );

  it('when a snooze ends, the net change goes out as one message', { timeout: 30_000 }, async () => {
    const d = await disk();
    d.rig.holds.snoozes.snooze(MOUNT, 60);
    await d.change('warning', 60);
    await d.change('critical', 120);
    await d.change('warning', 600);
    await d.change('ok', 1200);
    await d.change('warning', 1800);
    await d.at(3599);
    assert.deepEqual(d.severities(), []);
    await d.at(3601);
    assert.deepEqual(d.severities(), ['warning'], 'not warning, critical, warning, clear, warning');
    assert.equal(d.posted()[0].headroom.from, 'ok', 'from what it last heard');
    // Counted since the disk was last back where the integration knew it (the all-clear at 12:20).
    assert.match(d.posted()[0].info, /Held \(snoozed\) since 12:30 UTC: 1 change, summed up here\./);
  });
});
