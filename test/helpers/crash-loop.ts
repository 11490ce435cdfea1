import { readdirSync } from 'node:fs';
import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { CliProcess, runCli, tempHome } from './cli.js';
import { damagedDataFiles } from './data-files.js';
import { compareChanges, heardByPagerDuty, heardByWebhook, undelivered, unsentNoNetChange } from './heard.js';
import { Receiver, type Reply } from './receiver.js';
import { Tmpfs } from './tmpfs.js';
import type { TestPki } from './tls.js';
import { pagerdutyMock } from './vendors.js';

/**
 * kill -9 of `headroom watch` at random points, run after run, with two integrations (a webhook
 * and PagerDuty) on a slow receiver that sometimes answers 503. Shared by
 * test/core/crash-loop.test.ts and `npm run soak`.
 */

/** One run moves the disk through these levels, from ok and back. */
const LEVELS = [
  { state: 'warning', free: 15 },
  { state: 'critical', free: 5 },
  { state: 'ok', free: 50 },
] as const;

/** Where in a run the watcher is killed (after one of its level changes). */
export const PHASES = [
  'soon after the change',
  'just after the transition',
  'while a delivery hangs',
  'while a delivery is retrying',
  'just after a delivery',
] as const;

export interface CrashLoopReport {
  seed: number;
  runs: number;
  kills: number;
  /** Changes owed to the receivers: three per run for each of the two integrations. */
  alerts: number;
  delivered: number;
  lost: number;
  /** A change an idempotent receiver heard twice, under two keys. */
  duplicates: number;
  /** The same delivery accepted again (same key): at-least-once, harmless. */
  resends: number;
  /** Changes a restart left unsent because they came back to what the receiver last heard. */
  silent: number;
  corrupt: number;
  /** Everything that went wrong, in words; empty on success. */
  problems: string[];
  home: string;
}

/** mulberry32: a seeded generator, so that a failing loop can be replayed from its seed. */
export function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A guard against a wait that never ends: the wait itself is on an event. */
async function within<T>(ms: number, what: string, work: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms / 1000} s waiting for ${what}`)), ms);
  });
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

export async function crashLoop(options: {
  runs: number;
  seed: number;
  pki: TestPki;
  log?: (line: string) => void;
}): Promise<CrashLoopReport> {
  const { runs, seed, pki } = options;
  const log = options.log ?? (() => {});
  const random = seeded(seed);
  const receiverRandom = seeded(seed + 1);
  const disk = await Tmpfs.mount(20);
  const home = await tempHome();
  const receiver = await Receiver.start(pki);
  const processes: CliProcess[] = [];
  const problems: string[] = [];
  let corrupt = 0;
  let kills = 0;

  // Slow, sometimes down; the loop forces a hang or a 503 where a phase needs one.
  const pagerduty = pagerdutyMock();
  let forced: 'hang' | 503 | undefined;
  receiver.always((r): Reply => {
    const force = forced;
    forced = undefined;
    if (force === 'hang') return 'hang';
    const dice = receiverRandom();
    if (force === 503 || dice < 0.1) return { status: 503, body: 'busy' };
    const reply = r.url === '/v2/enqueue' ? pagerduty.handle(r) : { status: 200, body: 'ok' };
    const delayMs = dice < 0.3 ? 250 + receiverRandom() * 750 : receiverRandom() * 150;
    return typeof reply === 'string' ? reply : { ...reply, delayMs };
  });

  const env = { NODE_EXTRA_CA_CERTS: pki.files.ca };
  const add = async (...args: string[]) => {
    const added = await runCli(['integration', 'add', ...args], home, env);
    if (added.code !== 0) throw new Error(`integration add ${args[1]}: ${added.stderr}`);
  };
  const start = async () => {
    const w = new CliProcess(['watch', '--json', '--interval', '1', '--mount', disk.dir], home, env);
    processes.push(w);
    await within(10_000, 'the watcher to start', w.waitForStderr(/watching/));
    return w;
  };
  const transitionTo = (w: CliProcess, after: number, state: string) =>
    within(
      10_000,
      `a transition to ${state}`,
      w.waitUntil(
        () =>
          w
            .transitions()
            .slice(after)
            .find((t) => t.to === state),
        `a transition to ${state}`,
      ),
    );
  const persistedState = async () => {
    const text = await readFile(join(home, 'state.json'), 'utf8').catch(() => '{}');
    return (
      (JSON.parse(text) as { mounts?: Record<string, { state: string }> }).mounts?.[disk.dir]?.state ?? 'ok'
    );
  };
  const checkFiles = async (when: string, staleTemp = false) => {
    for (const problem of await damagedDataFiles(home, { staleTemp })) {
      corrupt++;
      problems.push(`${when}: ${problem}`);
    }
  };

  try {
    await add('--type', 'webhook', '--name', 'hook', '--url', `${receiver.url}/disk`, '--ca', pki.files.ca);
    await add(
      '--type',
      'pagerduty',
      '--name',
      'pd',
      '--routing-key',
      'R'.repeat(32),
      '--api-url',
      receiver.url,
    );
    // A change still waits for its confirmation (the 'soon after the change' kills land inside
    // it), but for 1 s rather than 3: a run of three changes takes seconds, not ten.
    const confirm = await runCli(['settings', 'set', 'confirmSeconds=1'], home, env);
    if (confirm.code !== 0) throw new Error(`settings set: ${confirm.stderr}`);
    await disk.setFreePercent(50);
    let w = await start();
    // Level changes the live watcher may have noted: a 5th within an hour would be held as flapping.
    let noted = 0;
    let level = 'ok';

    const killAndRestart = async (why: string) => {
      w.child.kill('SIGKILL');
      await w.exited;
      kills++;
      await checkFiles(`after kill ${kills} (${why})`);
      receiver.release(random() < 0.5 ? 200 : 503); // what a hanging receiver did meanwhile
      const persisted = await persistedState();
      w = await start();
      noted = 0;
      // Killed before it saved the level: the new watcher sees the change (again) and says so.
      if (persisted !== level) {
        await transitionTo(w, 0, level);
        noted = 1;
      }
    };

    for (let run = 1; run <= runs; run++) {
      const killAt = Math.floor(random() * LEVELS.length);
      // Each kill point in turn, so that any run of PHASES.length runs covers them all; the
      // level it lands on and the moment within the point are the seed's.
      const phase = PHASES[(run - 1) % PHASES.length]!;
      for (const [i, next] of LEVELS.entries()) {
        if (noted >= 4) await killAndRestart('before a 5th change in one process');
        const transitions = w.transitions().length;
        const deliveries = w.jsonLines('delivery').length;
        const requests = receiver.requests.length;
        const kill = i === killAt;
        if (kill && phase === 'while a delivery hangs') forced = 'hang';
        if (kill && phase === 'while a delivery is retrying') forced = 503;
        level = next.state;
        await disk.setFreePercent(next.free);
        noted++;
        if (!kill) {
          await transitionTo(w, transitions, level);
          continue;
        }
        const deliveryLine = (outcome: string) =>
          within(
            20_000,
            `a ${outcome} delivery`,
            w.waitUntil(
              () =>
                w
                  .jsonLines('delivery')
                  .slice(deliveries)
                  .find((d) => d.outcome === outcome),
              `a ${outcome} delivery`,
            ),
          );
        if (phase === 'soon after the change') await sleep(random() * 1200);
        else await transitionTo(w, transitions, level);
        if (phase === 'just after the transition') await sleep(random() * 30);
        if (phase === 'while a delivery hangs') {
          await within(20_000, 'a request', receiver.request(requests + 1));
          await sleep(random() * 100);
        }
        if (phase === 'while a delivery is retrying') {
          await deliveryLine('retrying');
          await sleep(random() * 300);
        }
        if (phase === 'just after a delivery') {
          await deliveryLine('delivered');
          await sleep(random() * 20);
        }
        forced = undefined;
        log(`run ${run}/${runs}: kill -9 ${phase} (disk now ${level})`);
        await killAndRestart(`${phase}, disk now ${level}`);
      }
    }

    // Every change owed: both receivers heard the last all-clear and the outbox is empty. The
    // outbox file goes after the line that says delivered, so it is looked at until it is gone.
    const expected = Array.from({ length: runs }, () => [
      'ok→warning',
      'warning→critical',
      'critical→ok',
    ]).flat();
    const outboxEmpty = () => readdirSync(join(home, 'outbox')).every((f) => !f.endsWith('.json'));
    const heard = () => [
      heardByWebhook(receiver.requests, '/disk'),
      heardByPagerDuty(receiver.requests, '/v2/enqueue'),
    ];
    // Changes a killed watcher left unsent come as one summary at the next start, or as nothing
    // where they came back to what the receiver last heard (see heard.ts).
    const noNet = async () => {
      const counts = await unsentNoNetChange(home);
      return [counts.get('hook') ?? 0, counts.get('pd') ?? 0];
    };
    const compared = async () => {
      const silent = await noNet();
      return heard().map((h, i) => ({ h, c: compareChanges(expected, h, silent[i]) }));
    };
    const done = async () =>
      (await compared()).every(({ h, c }) => c.lost === 0 && h.changes.at(-1)?.endsWith('→ok'));
    try {
      // A long loop leaves a backlog behind (deliveries go out one at a time per integration):
      // wait as long as it moves, and give up only when nothing happened for 30 s.
      const answered = () => receiver.requests.filter((r) => r.answered !== undefined).length;
      for (;;) {
        // Counted before looking, so that an answer arriving while done() reads the history
        // ends the wait at once.
        const before = answered();
        if (await done()) break;
        await within(
          30_000,
          'the next delivery',
          receiver.until(() => answered() > before),
        );
      }
      for (const deadline = Date.now() + 30_000; !outboxEmpty() && Date.now() < deadline;) await sleep(50);
    } catch (error) {
      problems.push((error as Error).message);
    }
    if (!outboxEmpty()) problems.push(`outbox not empty: ${readdirSync(join(home, 'outbox')).join(', ')}`);
    const code = await w.stop('SIGTERM');
    if (code !== 0) problems.push(`the last watcher exited with ${code}`);
    await checkFiles('at the end', true);
    const open = await undelivered(home);
    problems.push(...open.slice(0, 5), ...(open.length > 5 ? [`… and ${open.length - 5} more`] : []));
    for (const p of processes)
      for (const line of p.stderrLines.filter((l) => /moved|could not be read|corrupt/i.test(l)))
        problems.push(`watcher said: ${line}`);

    let delivered = 0;
    let lost = 0;
    let duplicates = 0;
    let resends = 0;
    for (const [i, { h, c }] of (await compared()).entries()) {
      const name = ['webhook', 'pagerduty'][i]!;
      delivered += c.delivered;
      lost += c.lost;
      duplicates += c.extra;
      resends += h.resends;
      if (c.lost || c.extra)
        problems.push(
          `${name} heard ${c.lost} change(s) too few, ${c.extra} too many: ${h.changes.map((x, i) => (h.covers[i] === 1 ? x : `${x} (summing up ${h.covers[i] ?? '?'})`)).join(', ')}`,
        );
    }
    return {
      seed,
      runs,
      kills,
      alerts: expected.length * 2,
      delivered,
      lost,
      duplicates,
      resends,
      silent: (await noNet()).reduce((a, b) => a + b, 0),
      corrupt,
      problems,
      home,
    };
  } finally {
    for (const p of processes) await p.stop('SIGKILL');
    await receiver.close();
    await disk.dispose();
    if (problems.length === 0) await rm(home, { recursive: true, force: true });
  }
}
