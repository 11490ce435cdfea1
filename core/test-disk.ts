import { usableOf, type Reading } from '../shared/disk.js';
import type { TestDisk } from '../shared/event.js';
import type { Settings } from '../shared/settings.js';
import { thresholdsFor } from '../shared/thresholds.js';
import { lookupMount } from './mount-table.js';
import { Sampler } from './sampler.js';

/** A reading's figures as "Send test" quotes them (the disk's own thresholds applied). */
export function testDiskOf(r: Reading, settings: Settings): TestDisk | undefined {
  if (!r.ok) return undefined;
  const s = r.sample;
  return {
    mount: s.mount,
    fs: s.fs,
    type: s.type,
    freePercent: s.freePercent,
    available: s.available,
    usable: usableOf(s),
    size: s.size,
    thresholds: thresholdsFor(settings, s.mount),
  };
}

/**
 * The figures of now of a disk an integration hears of (its first, else `/`, else any), for a
 * test message that quotes real numbers.
 */
export function testDiskAmong(
  readings: readonly Reading[],
  mounts: readonly string[],
  settings: Settings,
): TestDisk | undefined {
  const ok = readings.filter((r) => r.ok);
  const pick =
    ok.find((r) => mounts.includes(r.sample.mount)) ??
    (mounts.length ? undefined : (ok.find((r) => r.sample.mount === '/') ?? ok[0]));
  return pick && testDiskOf(pick, settings);
}

/**
 * For `headroom integration test`, which runs without a watcher: reads now the first disk the
 * integration hears of (else /), so that the test quotes real figures there too.
 */
export async function sampleTestDisk(
  mounts: readonly string[],
  settings: Settings,
): Promise<TestDisk | undefined> {
  const info = await lookupMount(mounts[0] ?? '/');
  if (!info) return undefined;
  return testDiskOf(await new Sampler(settings.sampleTimeoutSeconds * 1000).read(info), settings);
}
