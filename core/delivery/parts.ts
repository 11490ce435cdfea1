import type { Integration } from '../../shared/integration.js';
import type { ToldOf } from '../../shared/notices.js';
import type { AttemptContext } from './attempt.js';
import type { HistoryLog } from './history-log.js';
import type { Holds } from './holds.js';
import type { IntegrationStore } from './integration-store.js';
import type { Lanes } from './lanes.js';
import type { NotifiedStore } from './notified-store.js';
import type { Outbox } from './outbox.js';
import type { DeliveryRecords } from './records.js';

/**
 * The delivery side's parts, built once by the dispatcher in order (the stores it is given, then
 * the records, the attempt and the lanes). Each step (tell, refresh, requeue) takes the ones it
 * uses from this one object, instead of a bag of its own to keep in mind.
 */
export interface DeliveryParts {
  host: string;
  integrations: IntegrationStore;
  /** The integrations as configured now (read each time: an edit applies at once). */
  current: () => Integration[];
  /** What each integration was last told of each alert (see NotifiedStore). */
  told: ToldOf;
  /** Whether a change must be held now, and what is held (see Holds). */
  holds: Holds;
  outbox: Outbox;
  history: HistoryLog;
  notified: NotifiedStore;
  records: DeliveryRecords;
  lanes: Lanes;
  attempt: AttemptContext;
  now: () => number;
  /** A re-sent active alert (see refreshActive) that did not go through. */
  onRefreshFailed?: (integration: Integration, message: string) => void;
}
