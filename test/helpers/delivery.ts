import type { DeliveryRecord } from '../../shared/history.js';
import type { Transition } from '../../shared/hysteresis.js';
import type { Integration } from '../../shared/integration.js';
import { validateIntegration } from '../../shared/integration-validate.js';
import { DEFAULT_SETTINGS, type Settings } from '../../shared/settings.js';
import type { RetryPolicy } from '../../shared/retry.js';
import { Dispatcher } from '../../core/delivery/dispatcher.js';
import { HistoryLog } from '../../core/delivery/history-log.js';
import { Holds } from '../../core/delivery/holds.js';
import { IntegrationStore } from '../../core/delivery/integration-store.js';
import { NotifiedStore } from '../../core/delivery/notified-store.js';
import { Outbox } from '../../core/delivery/outbox.js';
import { ThreadStore } from '../../core/delivery/thread-store.js';
import { createTransport } from '../../core/delivery/transport.js';
import type { TransitionContext } from '../../core/monitor.js';
import { SnoozeStore } from '../../core/snooze-store.js';
import { tempHome } from './cli.js';

/** Retries in milliseconds instead of seconds: the same code path, faster. */
export const FAST_RETRY: RetryPolicy = { firstDelayMs: 20, maxDelayMs: 100, deadlineMs: 60_000 };

/** A dispatcher on a fresh data directory, with the real stores and the real transport. */
export async function deliveryRig(
  options: {
    policy?: RetryPolicy;
    timeoutMs?: number;
    /** The clock the holds (quiet hours, snooze, flapping) and the dispatcher go by. */
    now?: () => number;
    settings?: () => Settings;
  } & Parameters<typeof createTransport>[0] = {},
) {
  const dir = await tempHome();
  const integrations = new IntegrationStore(dir);
  const history = new HistoryLog(dir);
  const outbox = new Outbox(dir);
  const threads = new ThreadStore(dir);
  const transport = createTransport({ extraCa: options.extraCa, lookup: options.lookup });
  const now = options.now ?? Date.now;
  // The real policy: nothing is snoozed unless a test snoozes, and no watcher notes transitions
  // for flapping unless a test does (see `transition` below).
  const newHolds = () =>
    new Holds(new SnoozeStore(dir, now), options.settings ?? (() => DEFAULT_SETTINGS), now);
  const holds = newHolds();
  const make = (own = newHolds()) =>
    new Dispatcher({
      integrations,
      history,
      outbox,
      notified: new NotifiedStore(dir),
      threads,
      transport,
      holds: own,
      now,
      host: 'test-host',
      policy: options.policy ?? FAST_RETRY,
      timeoutMs: options.timeoutMs ?? 5_000,
    });
  const dispatcher = make(holds);
  return {
    dir,
    integrations,
    history,
    outbox,
    threads,
    holds,
    dispatcher,
    make,
    /** A transition as the watcher hands it over (see DeliveryLink.transition): noted, then queued. */
    transition(t: Transition, context: TransitionContext): void {
      holds.noteTransition(t);
      dispatcher.enqueue(t, context);
    },
    /** Saves a valid integration (validation errors fail the test loudly). */
    add(type: string, config: Record<string, unknown>, extra: Partial<Integration> = {}): Integration {
      const parsed = validateIntegration({
        id: `${type}-${Math.random().toString(16).slice(2, 8)}`,
        name: `Test ${type}`,
        type,
        createdAt: 0,
        updatedAt: 0,
        config,
        ...extra,
      });
      if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
      integrations.save(parsed.value);
      return parsed.value;
    },
    addWebhook(config: Record<string, unknown>, extra: Partial<Integration> = {}): Integration {
      return this.add('webhook', config, extra);
    },
    async close() {
      await dispatcher.stop();
      await transport.close();
    },
  };
}

/**
 * The history oldest first, in the order the transitions happened (`transitionOf` gives each a
 * later time). The history's own order is by creation time, and two deliveries created within
 * the same millisecond follow their random ids: a busy machine's order, not the test's.
 */
export const historyInOrder = (history: HistoryLog): DeliveryRecord[] =>
  history
    .list()
    .reverse()
    .sort((a, b) => a.event.at - b.event.at);

let clock = 0;

/** A transition of /data, with figures, as the monitor hands it to sinks. */
export function transitionOf(
  to: Transition['to'],
  from: Transition['from'] = 'ok',
  mount = '/data',
  /** A test's own clock; by default real time, strictly increasing (Alertmanager judges endsAt by its own). */
  when?: number,
): [Transition, TransitionContext] {
  const at = when ?? (clock = Math.max(clock + 1, Date.now()));
  const usable = 1000;
  const free = to === 'critical' ? 5 : to === 'warning' ? 15 : 50;
  const reading =
    to === 'unreachable'
      ? { ok: false as const, mount: { mount, fs: '/dev/sdb1', type: 'ext4' }, reason: 'not mounted', at }
      : {
          ok: true as const,
          sample: {
            mount,
            fs: '/dev/sdb1',
            type: 'ext4',
            size: usable,
            used: usable - free * 10,
            available: free * 10,
            freePercent: free,
            at,
          },
        };
  return [
    { mount, kind: 'space', from, to, reading, at },
    {
      previous: { state: from, since: at - 60_000 },
      states: { [mount]: { state: to, since: at } },
      settings: DEFAULT_SETTINGS,
    },
  ];
}
