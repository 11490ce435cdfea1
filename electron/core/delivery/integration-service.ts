import { randomBytes } from 'node:crypto';
import { secretValues } from '../../../shared/channels/channel.js';
import { channelFor } from '../../../shared/channels/registry.js';
import type { Outcome } from '../../../shared/delivery.js';
import type { DeliveryRecord } from '../../../shared/history.js';
import type { Integration } from '../../../shared/integration.js';
import { validateIntegration } from '../../../shared/integration-validate.js';
import type { FieldError } from '../../../shared/validation.js';
import { sendScrubbed } from './attempt.js';
import type { Dispatcher } from './dispatcher.js';
import { newIntegrationId, SaveConflict, type IntegrationStore } from './integration-store.js';
import type { Transport } from './transport.js';

export interface IntegrationInput {
  type?: string;
  name?: string;
  enabled?: boolean;
  mounts?: string[];
  severity?: string;
  /** null switches quiet hours off. */
  quietHours?: unknown;
  reminders?: unknown;
  template?: unknown;
  /** Channel settings; a key set to undefined removes that setting. */
  config?: Record<string, unknown>;
}

/** The result of asking the remote side, without raising an alert. */
export interface CheckReport {
  /** False when the channel has no remote check configured (a webhook without challenge secret). */
  checked: boolean;
  outcome: Outcome;
  status?: number;
  latencyMs?: number;
}

export type SaveResult =
  | { ok: true; integration: Integration; check: CheckReport }
  | { ok: false; errors: FieldError[] }
  | { ok: false; check: CheckReport };

/**
 * What a user can do with integrations, for the CLI and the app alike: every save is validated
 * whole, and a channel with a remote check (the webhook challenge) must pass it before a changed
 * integration is saved.
 */
export class IntegrationService {
  constructor(
    private readonly store: IntegrationStore,
    private readonly transport: Transport,
    private readonly dispatcher: () => Dispatcher,
    private readonly now: () => number = Date.now,
  ) {}

  list() {
    return this.store.load();
  }

  get(id: string): Integration | undefined {
    return this.store.get(id);
  }

  async create(input: IntegrationInput): Promise<SaveResult> {
    const now = this.now();
    const type = channelFor(input.type ?? '')?.type ?? input.type;
    const draft = {
      id: newIntegrationId(type ?? 'integration'),
      name: input.name ?? defaultName(type, input.config),
      enabled: true,
      mounts: [],
      severity: 'all+unreachable',
      ...stripUndefined({
        enabled: input.enabled,
        mounts: input.mounts,
        severity: input.severity,
        quietHours: input.quietHours,
        reminders: input.reminders,
        template: input.template,
      }),
      type,
      config: stripUndefined(input.config ?? {}),
      createdAt: now,
      updatedAt: now,
    };
    return this.validateAndSave(draft);
  }

  async update(id: string, input: IntegrationInput): Promise<SaveResult | { ok: false; missing: true }> {
    const current = this.store.get(id);
    if (!current) return { ok: false, missing: true };
    const draft = {
      ...current,
      ...stripUndefined({
        name: input.name,
        enabled: input.enabled,
        mounts: input.mounts,
        severity: input.severity,
        quietHours: input.quietHours,
      }),
      // Partial changes: a reminder or template part not given stays; '' (or null) removes one.
      reminders: { ...current.reminders, ...stripUndefined(asRecord(input.reminders)) },
      template: withoutEmpty({ ...current.template, ...asRecord(input.template) }),
      config: stripUndefined({ ...current.config, ...input.config }),
      updatedAt: this.touched(current),
    };
    return this.validateAndSave(draft, current);
  }

  /** Flips one field, so a change made meanwhile elsewhere is kept: it is applied again on top. */
  async setEnabled(id: string, enabled: boolean): Promise<Integration | undefined> {
    for (;;) {
      const current = this.store.get(id);
      if (!current) return undefined;
      const next = { ...current, enabled, updatedAt: this.touched(current) };
      try {
        await this.store.saveSealed(next, current);
        return next;
      } catch (error) {
        if (!(error instanceof SaveConflict)) throw error;
      }
    }
  }

  remove(id: string): boolean {
    return this.store.remove(id);
  }

  /** Asks the remote side to confirm the configuration, where the channel can do so. */
  async check(integration: Integration): Promise<CheckReport> {
    const channel = channelFor(integration.type)!;
    const remote = channel.check?.(integration.config, randomBytes(24).toString('base64url'));
    if (!remote) {
      return {
        checked: false,
        outcome: {
          kind: 'delivered',
          note: 'configuration valid; this channel has nothing to ask the receiver without sending an alert',
        },
      };
    }
    const sent = await sendScrubbed(
      this.transport,
      remote.request,
      remote.timeoutMs,
      secretValues(channel, integration.config),
      (res) => remote.verify(res),
    );
    return { checked: true, ...sent };
  }

  test(integration: Integration): Promise<DeliveryRecord> {
    return this.dispatcher().sendTest(integration);
  }

  /** A new updatedAt, later than the last even within one millisecond: edits compare it. */
  private touched(current: Integration): number {
    return Math.max(this.now(), current.updatedAt + 1);
  }

  /** Throws SaveConflict when `basedOn` changed in the store while the receiver was checked. */
  private async validateAndSave(draft: Record<string, unknown>, basedOn?: Integration): Promise<SaveResult> {
    const parsed = validateIntegration(draft);
    if (!parsed.ok) return { ok: false, errors: parsed.errors };
    const check = await this.check(parsed.value);
    if (check.outcome.kind !== 'delivered') return { ok: false, check };
    await this.store.saveSealed(parsed.value, basedOn);
    return { ok: true, integration: parsed.value, check };
  }
}

function asRecord(v: unknown): Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
}

function withoutEmpty(o: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined && v !== '' && v !== null));
}

function stripUndefined<T extends Record<string, unknown>>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

function defaultName(type: string | undefined, config: Record<string, unknown> | undefined): string {
  const label = channelFor(type ?? '')?.label ?? 'Integration';
  if (typeof config?.channel === 'string') return `${label} ${config.channel}`;
  const url = config?.url ?? config?.webhookUrl ?? config?.apiUrl;
  try {
    return typeof url === 'string' ? `${label} ${new URL(url).host}` : label;
  } catch {
    return label;
  }
}
