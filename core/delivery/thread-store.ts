import * as z from 'zod';
import type { Thread } from '../../shared/channels/channel.js';
import { JsonStore, type StoreWarning } from '../json-store.js';

const schema = z.object({
  integrations: z.record(z.string(), z.record(z.string(), z.record(z.string(), z.string()))).default({}),
});

/**
 * Where each alert's follow-ups go at the vendor, per integration and alert (`subjectKey`): the
 * Slack channel ID and `ts` of its first message, the Discord forum post it opened. Kept until its
 * all-clear is delivered, so the next time that disk fills up starts a new thread.
 */
export class ThreadStore {
  private readonly store: JsonStore<typeof schema>;

  constructor(dir: string, onWarning?: (w: StoreWarning) => void) {
    this.store = new JsonStore(dir, 'threads', schema, onWarning, 'background', 'keep in memory');
  }

  get(integrationId: string, key: string): Thread | undefined {
    return this.store.get().integrations[integrationId]?.[key];
  }

  /** Remembers a thread, or forgets it (null). */
  set(integrationId: string, key: string, thread: Thread | null): void {
    const all = structuredClone(this.store.get().integrations);
    const mine = (all[integrationId] ??= {});
    if (thread) mine[key] = { ...thread };
    else if (key in mine) delete mine[key];
    else return;
    if (Object.keys(mine).length === 0) delete all[integrationId];
    this.store.set({ integrations: all });
  }
}
