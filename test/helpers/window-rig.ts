// The seeded watcher the window tests look at (issue 20): a week of free space with a warning
// spell, a disk filling towards a forecast, and deliveries of every outcome in History.
import assert from 'node:assert/strict';
import { appendFileSync } from 'node:fs';
import { statfs, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import type { DeliveryRecord } from '../../shared/history.js';
import { addSample, emptyHistory, type MountHistory } from '../../shared/sample-history.js';
import { addWebhook, runCli } from './cli.js';
import { deliveryRecord } from './events.js';
import { webUiRig, type WebUiRig } from './web-ui-rig.js';

const HOUR = 3600_000;
export const LONG_MOUNT = '/mnt/scratch/projects/2026-render-farm/cache/photos';
export const LONG_NAME = 'Platform operations on-call escalation (EU region, weekdays)';

/** A week of free space on `usable` bytes, falling from 70% to 35%, with a warning spell a day ago. */
function aWeek(now: number, usable: number): MountHistory {
  let h = emptyHistory();
  for (let at = now - 7 * 24 * HOUR; at < now - 60_000; at += 5 * 60_000) {
    const ago = (now - at) / HOUR;
    const spell = ago > 24 && ago < 30;
    const free = spell ? 15 : 40 + (30 * ago) / (7 * 24);
    h = addSample(h, {
      at,
      available: (free / 100) * usable,
      usable,
      state: spell ? 'warning' : 'ok',
    });
  }
  return h;
}

/** Deliveries of every outcome and reason, some with names and mounts too long for their column. */
function records(now: number): DeliveryRecord[] {
  const attempt = (status: number | undefined, reason?: 'networkError' | 'clientError') => ({
    at: now - HOUR,
    ...(status ? { status } : {}),
    result: status && status < 300 ? ('delivered' as const) : ('failed' as const),
    ...(reason ? { reason } : {}),
    latencyMs: 87,
  });
  const event = (mount: string, to: 'warning' | 'critical') => ({
    host: 'ws-17',
    mount,
    from: to === 'critical' ? ('warning' as const) : ('ok' as const),
    to,
    freePercent: to === 'critical' ? 8 : 15,
    at: now - HOUR,
  });
  // Names and mounts that differ only in their middle or near their end, as a user's test setups
  // do ("PagerDuty EU at localhost:19600 2", "… US …"; two tmpfs under /tmp, each mounted at …/mnt),
  // and the widest change: each row must still be told from the others at 360 px.
  const alike = [1, 2, 3].map((n) =>
    deliveryRecord(`alike-${n}`, now - HOUR - n * 60_000, {
      integrationName: `PagerDuty ${['EU', 'US', 'EU'][n - 1]} at localhost:19600 ${n === 3 ? 3 : 2}`,
      integrationId: `pagerduty-${n}`,
      event: {
        host: 'ws-17',
        mount: `/tmp/headroom-e2e-${['a7Qx', 'k2Zp', 'r9Lm'][n - 1]}/mnt`,
        from: 'critical',
        to: n === 1 ? 'unreachable' : 'critical',
        freePercent: n === 1 ? null : 8,
        at: now - HOUR,
      },
      outcome: 'delivered',
      attempts: [attempt(202)],
    }),
  );
  return [
    ...alike,
    ...Array.from({ length: 40 }, (_, i) =>
      deliveryRecord(`seed-${String(i).padStart(3, '0')}`, now - (i + 2) * HOUR, {
        integrationName: i % 3 === 0 ? LONG_NAME : 'Ops',
        integrationId: i % 3 === 0 ? 'webhook-long' : 'webhook-1',
        event: event(i % 2 ? LONG_MOUNT : '/', i % 4 === 1 ? 'critical' : 'warning'),
        ...[
          { outcome: 'delivered' as const, attempts: [attempt(200)] },
          {
            outcome: 'failed' as const,
            attempts: [attempt(undefined, 'networkError')],
            reasonCode: 'networkError' as const,
            reason: 'connection refused: nothing listens at that address',
          },
          {
            outcome: 'held' as const,
            reason: 'held: quiet hours until 07:00; sent then if still relevant',
          },
          {
            outcome: 'failed' as const,
            attempts: [attempt(400, 'clientError')],
            reasonCode: 'clientError' as const,
            reason: 'the receiver rejected the request (HTTP 400)',
          },
        ][i % 4]!,
      }),
    ),
  ];
}

/**
 * The web UI (the same renderer as the window) against the real watcher on a tmpfs 40% free,
 * with that week, the last 19 minutes filling fast and the deliveries in its data directory.
 */
export function windowRig(): WebUiRig {
  return webUiRig({
    freePercent: 40,
    async prepare({ home, disk, receiver, pki }) {
      // Integrations whose names fill a phone's line, beside their type and switch: one on, one off
      // (a PagerDuty integration switched on would page PagerDuty itself on the tests' alerts).
      const hook = await addWebhook(home, {
        name: 'Storage team escalation for weekends',
        url: `${receiver.url}/hooks/fit`,
        ca: pki.files.ca,
      });
      assert.equal(hook.code, 0, hook.stderr);
      const pager = await runCli(
        [
          'integration',
          'add',
          '--type',
          'pagerduty',
          '--name',
          'PagerDuty at localhost:19600 2',
          '--routing-key',
          'R'.repeat(32),
          '--disabled',
        ],
        home,
      );
      assert.equal(pager.code, 0, pager.stderr);
      const now = Date.now();
      await writeFile(
        join(home, 'sample-history.json'),
        JSON.stringify({ mounts: { [disk.dir]: aWeek(now, 20 * 1024 ** 2) } }),
        { mode: 0o600 },
      );
      // The last 19 minutes filling fast, so that the watcher forecasts "full" from its first sample:
      // ending at what the disk holds now, so its first reading continues the line, however late.
      const fs = await statfs(disk.dir);
      const usable = (fs.blocks - fs.bfree + fs.bavail) * fs.bsize;
      const availableNow = fs.bavail * fs.bsize;
      const perMinute = (0.49 / 19) * usable;
      const filling = Array.from({ length: 20 }, (_, i) => ({
        at: now - (19 - i) * 60_000,
        available: availableNow + (19 - i) * perMinute,
        usable,
      }));
      await writeFile(join(home, 'samples.json'), JSON.stringify({ mounts: { [disk.dir]: filling } }), {
        mode: 0o600,
      });
      await writeFile(
        join(home, 'history.jsonl'),
        `${records(now)
          .reverse()
          .map((r) => JSON.stringify(r))
          .join('\n')}\n`,
        { mode: 0o600 },
      );
      // …and still filling at that rate (~9 KB/s) while the tests look: a fill that stopped is
      // recognised within seconds, and then no forecast is drawn, rightly.
      const log = join(disk.dir, 'filling.log');
      const writer = setInterval(() => appendFileSync(log, Buffer.alloc(4096)), 450);
      return () => clearInterval(writer);
    },
  });
}

/** Presses Tab until the focused element's name matches, as a keyboard user would get there. */
export async function tabTo(page: Page, name: RegExp, max = 80): Promise<void> {
  const seen: string[] = [];
  for (let i = 0; i < max; i++) {
    await page.keyboard.press('Tab');
    const label = (await page.evaluate(`(() => {
      const e = document.activeElement;
      if (!e) return '';
      const text = e.getAttribute('aria-label') || (e.labels && e.labels[0] && e.labels[0].textContent) || e.textContent || '';
      return text.trim().replace(/\\s+/g, ' ');
    })()`)) as string;
    seen.push(label);
    if (name.test(label)) return;
  }
  assert.fail(`${name} not reached with ${max} Tab presses; went through: ${seen.join(' | ')}`);
}

/** Goes to the page `hash` names and waits for it to be drawn. */
export async function go(page: Page, hash: string) {
  await page.evaluate(`location.hash = ${JSON.stringify(hash)}`);
  await page.locator('footer', { hasText: 'Headroom' }).waitFor();
}
