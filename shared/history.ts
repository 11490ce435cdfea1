import type { AlertKind, MountState } from './disk.js';
import type { ReasonCode } from './delivery.js';

/** One try at sending a delivery. */
export interface Attempt {
  at: number;
  /** The HTTP status, when the receiver answered. */
  status?: number;
  result: 'delivered' | 'retry' | 'failed';
  reason?: ReasonCode;
  /** Plain words, secrets removed. */
  message?: string;
  /** What else the user should know, even of a delivered attempt (a template that failed). */
  note?: string;
  latencyMs: number;
}

/** One notification to one integration, from the moment it is queued to its end. */
export interface DeliveryRecord {
  id: string;
  integrationId: string;
  integrationName: string;
  channel: string;
  test?: boolean;
  event: {
    host: string;
    mount: string;
    /** Absent in records written before inode alerts existed: space. */
    kind?: AlertKind;
    /** A reminder that the state still holds. */
    reminder?: boolean;
    from: MountState;
    to: MountState;
    freePercent: number | null;
    at: number;
  };
  /** `held`: not sent, for the reason given (quiet hours, snooze, flapping); final. */
  outcome: 'pending' | 'retrying' | 'delivered' | 'failed' | 'held';
  attempts: Attempt[];
  /** Why it failed, or when it will be tried next, in plain words. */
  reason?: string;
  reasonCode?: ReasonCode;
  nextAttemptAt?: number;
  createdAt: number;
  updatedAt: number;
}
