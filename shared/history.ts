import { ALERT_KINDS, DEFAULT_KIND } from './alert-kinds.js';
import type { AlertKind, MountState } from './disk.js';
import type { ReasonCode } from './http-outcome.js';
import { formatPercent } from './format.js';
import { statusLabel } from './channels/protocols.js';

export { statusLabel };

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
    /** The percentages that figure may not be rounded across (absent in records from before). */
    limits?: number[];
    at: number;
  };
  /**
   * `held`: not sent, for the reason given (quiet hours, snooze, flapping); final. `unknown`: sent,
   * but Headroom was stopped before the answer, twice, to a receiver that cannot drop repeats:
   * possibly delivered, not sent a third time; final.
   */
  outcome: 'pending' | 'retrying' | 'delivered' | 'failed' | 'held' | 'unknown';
  attempts: Attempt[];
  /** Why it failed, or when it will be tried next, in plain words. */
  reason?: string;
  reasonCode?: ReasonCode;
  nextAttemptAt?: number;
  /**
   * Set while the receiver asked for a long wait (Retry-After, see LONG_RETRY_AFTER_MS): the
   * alert is late until then, which the tray and `watch` say at once.
   */
  delayedUntil?: number;
  createdAt: number;
  updatedAt: number;
}

/**
 * A place in the listing's order: creation time, then id (one change told to several
 * integrations shares a millisecond, so time alone would cut such a group at a page break).
 */
export type HistoryCursor = Pick<DeliveryRecord, 'createdAt' | 'id'>;

/**
 * Which deliveries a History view asks for. A disk's deliveries leave out tests (a test's event
 * names a disk only to look like an alert); `test` asks for tests alone, or for no tests.
 */
export interface HistoryFilters {
  integrationId?: string;
  outcome?: DeliveryRecord['outcome'];
  mount?: string;
  test?: boolean;
}

/** The one test of a record against the filters: where the history is read, and in the window. */
export const matchesFilters = (r: DeliveryRecord, f: HistoryFilters): boolean =>
  (!f.integrationId || r.integrationId === f.integrationId) &&
  (!f.outcome || r.outcome === f.outcome) &&
  (f.test === undefined || !!r.test === f.test) &&
  (!f.mount || (!r.test && r.event.mount === f.mount));

/** The history's order, newest first: a comparator for `sort`. */
export const newestFirst = (a: HistoryCursor, b: HistoryCursor) =>
  b.createdAt - a.createdAt || (a.id === b.id ? 0 : b.id < a.id ? -1 : 1);

/** Whether `r` is listed after `c` (is older), so belongs to the pages after the one ending at `c`. */
export const comesAfter = (r: HistoryCursor, c: HistoryCursor) => newestFirst(c, r) < 0;

/**
 * A record's free figure as the History page and `headroom history` show it: "19.99%", "12.0% of
 * inodes". A record from before limits were kept is never rounded onto a whole number either.
 */
export function recordFree(e: DeliveryRecord['event']): string | null {
  if (e.freePercent === null) return null;
  const limits = e.limits ?? [Math.floor(e.freePercent), Math.ceil(e.freePercent)];
  return `${formatPercent(e.freePercent, limits)}${ALERT_KINDS[e.kind ?? DEFAULT_KIND].words.of}`;
}

/**
 * The change a record tells, as History and `headroom history` show it, with its free figure when
 * given: a test's event is made up to look like an alert, so it is named a test, never "ok → warning".
 */
export function changeWords(r: DeliveryRecord, figure?: string | null): string {
  const free = figure ? ` (${figure})` : '';
  if (r.test) return 'test notification';
  return r.event.reminder
    ? `still ${r.event.to}${free} (reminder)`
    : `${r.event.from} → ${r.event.to}${free}`;
}

/** A record's kind where lists name it beside the mount ("inodes"), with its heading; null: the mount alone. */
export function recordKind(e: DeliveryRecord['event']): { tag: string; heading: string } | null {
  const { tag, heading } = ALERT_KINDS[e.kind ?? DEFAULT_KIND].words;
  return tag === null ? null : { tag, heading };
}

/** Outcomes in words, for the History page and its filter. */
export const OUTCOME_WORDS: Record<DeliveryRecord['outcome'], string> = {
  pending: 'Pending',
  retrying: 'Retrying',
  delivered: 'Delivered',
  failed: 'Failed',
  held: 'Held',
  unknown: 'Possibly delivered',
};

/** The failure vocabulary (`ReasonCode`) as people say it. */
export const REASON_WORDS: Record<ReasonCode, string> = {
  authError: 'Credentials refused',
  rateLimited: 'Rate limited',
  clientError: 'Request refused',
  serverError: 'Receiver error',
  vendorError: 'Refused by the service',
  timeout: 'Timed out',
  networkError: 'Network error',
  tlsError: 'TLS error',
  challengeFailed: 'Challenge failed',
  configError: 'Configuration error',
  internalError: 'Internal error',
  localResources: 'Out of resources here',
  interrupted: 'Interrupted by a stop',
};

/** A delivery's status in a word or two: the receiver's HTTP status (SMTP reply), or what went wrong before one. */
export function statusWords(r: DeliveryRecord): string {
  const last = r.attempts.at(-1);
  if (last?.status !== undefined) return statusLabel(r.channel, last.status);
  const code = last?.reason ?? r.reasonCode;
  if (code) return REASON_WORDS[code] ?? code;
  if (r.outcome === 'held') return /quiet hours|snoozed|paused|flapping/.exec(r.reason ?? '')?.[0] ?? 'held';
  return r.outcome === 'pending' ? 'Queued' : '–';
}
