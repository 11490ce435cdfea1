import type { AlertEvent } from '../../shared/event.js';
import type { DeliveryRecord } from '../../shared/history.js';

/** A realistic event: /data on host-1 going critical. */
export function sampleEvent(overrides: Partial<AlertEvent> = {}): AlertEvent {
  const usable = 50 * 1024 ** 3;
  return {
    id: '8c1f2a4e-1111-4222-8333-944455556666',
    host: 'host-1',
    mount: '/data',
    kind: 'space',
    fs: '/dev/sdb1',
    type: 'ext4',
    from: 'warning',
    to: 'critical',
    freePercent: 8.2,
    available: usable * 0.082,
    usable,
    thresholds: { warningPercent: 20, criticalPercent: 10, warningGiB: null, criticalGiB: null },
    at: Date.parse('2026-11-23T10:00:00Z'),
    durationSeconds: 1800,
    otherCritical: 1,
    otherWarning: 2,
    intervalSeconds: 300,
    ...overrides,
  };
}

/** A finished delivery of a warning on /data, created at `createdAt`; `overrides` change any field. */
export function deliveryRecord(
  id: string,
  createdAt: number,
  overrides: Partial<DeliveryRecord> = {},
): DeliveryRecord {
  return {
    id,
    integrationId: 'webhook-1',
    integrationName: 'Ops',
    channel: 'webhook',
    event: { host: 'h', mount: '/data', from: 'ok', to: 'warning', freePercent: 15, at: createdAt },
    outcome: 'delivered',
    attempts: [],
    createdAt,
    updatedAt: createdAt,
    ...overrides,
  };
}
