import { ALERT_KINDS, ALERT_KIND_NAMES } from '../shared/alert-kinds.js';
import { subjectKey, type Sample } from '../shared/disk.js';
import type { MountRecord } from '../shared/hysteresis.js';
import type { Judged } from './alert-judge.js';

/**
 * A read-only disk (one the user named: discovery skips them) cannot fill, so it has no level:
 * its alerts are ok, and one that was not — a disk in alert remounted read-only, a named one back
 * from unreachable — is cleared, so every integration's last word matches. Not a threshold
 * crossing, so not the alert judge's business.
 */
export function judgeReadOnly(sample: Sample, records: Record<string, MountRecord>): Judged {
  const judged: Judged = { records: {}, transitions: [] };
  const { mount, at } = sample;
  for (const kind of ALERT_KIND_NAMES) {
    const key = subjectKey(mount, kind);
    const from = records[key]?.state;
    // An alert not every disk has gets no record here: the disk may lack its figure.
    if (from === 'ok' || (from === undefined && !ALERT_KINDS[kind].everyDisk)) continue;
    judged.records[key] = { state: 'ok', since: at };
    const reading = { ok: true, sample } as const;
    if (from) judged.transitions.push({ mount, kind, from, to: 'ok', reading, at });
  }
  return judged;
}
