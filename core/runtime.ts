import { hostname } from './builtins.js';
import type { DeliveryRecord } from '../shared/history.js';
import type { Integration } from '../shared/integration.js';
import { DEFAULT_RETRY } from '../shared/retry.js';
import { Dispatcher } from './delivery/dispatcher.js';
import { HistoryLog } from './delivery/history-log.js';
import { Holds } from './delivery/holds.js';
import { IntegrationService } from './delivery/integration-service.js';
import { IntegrationStore } from './delivery/integration-store.js';
import { NotifiedStore } from './delivery/notified-store.js';
import { Outbox } from './delivery/outbox.js';
import { ThreadStore } from './delivery/thread-store.js';
import { plainSealer, type Sealer } from './delivery/secrets.js';
import { createTransport, type HttpClient } from './delivery/transport.js';
import { SnoozeStore } from './snooze-store.js';
import { openStores, type StoresOptions } from './stores.js';

export interface RuntimeOptions extends StoresOptions {
  sealer?: Sealer;
  onRecord?: (r: DeliveryRecord) => void;
  onRefreshFailed?: (integration: Integration, message: string) => void;
  /** The delivery side's clock (reminders, retries); tests move it. */
  now?: () => number;
  /** The HTTP side; tests pass one that trusts their own CA. */
  transport?: HttpClient;
}

/**
 * Everything the main process and the CLI share, opened on one data directory: the stores
 * (stores.ts), and the delivery side, made on first use.
 */
export function openRuntime(dir: string, options: RuntimeOptions = {}) {
  const stores = openStores(dir, options);
  const { warn, policy, settings } = stores;
  let delivery: ReturnType<typeof openDelivery> | undefined;

  function openDelivery() {
    const integrations = new IntegrationStore(dir, options.sealer ?? plainSealer, warn, policy);
    const transport = options.transport ?? createTransport();
    const now = options.now ?? Date.now;
    // Before the dispatcher: it and the watcher's desktop notifications ask the same policy.
    const holds = new Holds(new SnoozeStore(dir, now, warn), () => settings.get(), now);
    // Read from the settings each time: a change applies without a restart.
    const history = new HistoryLog(dir, () => {
      const s = settings.get();
      return { maxRecords: s.historyMaxRecords, maxAgeDays: s.historyMaxAgeDays };
    });
    const dispatcher = new Dispatcher({
      integrations,
      history,
      transport,
      outbox: new Outbox(dir, warn),
      notified: new NotifiedStore(dir, warn),
      threads: new ThreadStore(dir, warn),
      host: hostname(),
      policy: () => ({ ...DEFAULT_RETRY, deadlineMs: settings.get().deliveryDeadlineHours * 3600_000 }),
      onRecord: options.onRecord,
      onRefreshFailed: options.onRefreshFailed,
      now,
      holds,
    });
    const service = new IntegrationService(integrations, transport, () => dispatcher);
    return { integrations, transport, history, dispatcher, service, holds };
  }

  return {
    ...stores,
    get delivery() {
      return (delivery ??= openDelivery());
    },
    async close() {
      if (!delivery) return;
      await delivery.dispatcher.stop();
      await delivery.transport.close();
    },
  };
}

export type Runtime = ReturnType<typeof openRuntime>;
