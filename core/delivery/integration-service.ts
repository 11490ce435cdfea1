import type * as z from 'zod';
import { redact, secretValues, type Channel, type RemoteCheck } from '../../shared/channels/channel.js';
import { channelFor } from '../../shared/channels/registry.js';
import type { Outcome } from '../../shared/http-outcome.js';
import type { TestDisk } from '../../shared/event.js';
import type { DeliveryRecord } from '../../shared/history.js';
import {
  integrationSettingsOf,
  type Integration,
  type integrationBaseSchema,
  type IntegrationSettingKey,
} from '../../shared/integration.js';
import { storedDifferently, validateIntegration } from '../../shared/integration-validate.js';
import type { FieldError } from '../../shared/validation.js';
import { sendScrubbed } from './attempt.js';
import type { Dispatcher } from './dispatcher.js';
import { newIntegrationId, SaveConflict, type IntegrationStore } from './integration-store.js';
import { ManagedError } from '../policy/policy.js';
import { askWithShortWaits } from './short-wait.js';
import { combineTargets } from './targets.js';
import type { Transport } from './transport.js';
import { randomBytes } from '../builtins.js';

/** The settings a caller's types already pin down; the rest stay unknown until validated. */
type TypedSettings = Pick<
  z.input<typeof integrationBaseSchema>,
  'name' | 'enabled' | 'mounts' | 'includeUsage'
>;

/**
 * A create or an update before validation (CLI flags, a form): every setting the schema names
 * (see INTEGRATION_SETTINGS), absent to keep what is saved. Values a flag or a form can get wrong
 * (a severity, quiet hours, reminders, a template) are checked with the whole integration, so that
 * each mistake is named by its field. A `config` key set to undefined removes that setting.
 */
export type IntegrationInput = {
  type?: string;
  config?: Record<string, unknown>;
} & Partial<TypedSettings> & {
    [K in Exclude<IntegrationSettingKey, keyof TypedSettings>]?: unknown;
  };

/** The result of asking the remote side, without raising an alert. */
export interface CheckReport {
  /**
   * False when nothing was asked: the channel cannot be asked anything without sending an alert
   * (a webhook without challenge secret, PagerDuty), or the user saved without a check.
   */
  checked: boolean;
  outcome: Outcome;
  status?: number;
  latencyMs?: number;
}

/** Three answers, never a green tick for what was not checked. */
export type CheckLevel = 'ok' | 'failed' | 'unchecked';

export function checkLevel(r: CheckReport): CheckLevel {
  return !r.checked ? 'unchecked' : r.outcome.kind === 'delivered' ? 'ok' : 'failed';
}

export interface SaveOptions {
  /** False: save without asking the receiver ("save anyway", `--no-check`). */
  check?: boolean;
  /**
   * An edit: the updatedAt of the integration it was made on (a form opened a while ago). If the
   * stored one is newer, the save is refused (SaveConflict) rather than undo that change.
   */
  basedOn?: number;
}

export type SaveResult =
  /** `notes`: what was stored differently from how it was given (a link percent-encoded). */
  | { ok: true; integration: Integration; check: CheckReport; notes: string[] }
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

  async create(input: IntegrationInput, options: SaveOptions = {}): Promise<SaveResult> {
    const policy = this.store.managedBy();
    if (policy && !this.store.userIntegrationsAllowed())
      throw new ManagedError(
        `your organisation's policy (${policy.location.file}) allows only its own integrations: none can be added here.`,
      );
    const now = this.now();
    const type = channelFor(input.type ?? '')?.type ?? input.type;
    const draft = {
      id: newIntegrationId(type ?? 'integration'),
      name: input.name ?? this.unique(defaultName(type, input.config)),
      enabled: true,
      mounts: [],
      severity: 'all+unreachable',
      ...stripUndefined(integrationSettingsOf(input)),
      type,
      config: stripUndefined(input.config ?? {}),
      createdAt: now,
      updatedAt: now,
    };
    return this.validateAndSave(draft, undefined, options);
  }

  async update(
    id: string,
    input: IntegrationInput,
    options: SaveOptions = {},
  ): Promise<SaveResult | { ok: false; missing: true }> {
    const current = this.store.get(id);
    if (!current) return { ok: false, missing: true };
    this.refuseManaged(current);
    const draft = {
      ...current,
      ...stripUndefined(integrationSettingsOf(input)),
      // Partial changes: a reminder or template part not given stays; '' (or null) removes one.
      reminders: { ...current.reminders, ...stripUndefined(asRecord(input.reminders)) },
      template: withoutEmpty({ ...current.template, ...asRecord(input.template) }),
      config: stripUndefined({ ...current.config, ...input.config }),
      updatedAt: this.touched(current),
    };
    const base = options.basedOn === undefined ? current : { ...current, updatedAt: options.basedOn };
    return this.validateAndSave(draft, base, options);
  }

  /** Flips one field, so a change made meanwhile elsewhere is kept: it is applied again on top. */
  async setEnabled(id: string, enabled: boolean): Promise<Integration | undefined> {
    for (;;) {
      const current = this.store.get(id);
      if (!current) return undefined;
      this.refuseManaged(current);
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
    const current = this.store.get(id);
    if (current) this.refuseManaged(current);
    return this.store.remove(id);
  }

  /** A managed integration is changed in the policy file, never here. */
  private refuseManaged(i: Integration): void {
    if (i.managed) throw this.store.managedBy()!.refuse(`"${i.name}" (${i.id})`);
  }

  /**
   * Asks the remote side to confirm the configuration, where the channel can do so. A receiver
   * that asks to be asked again shortly (HTTP 429 with Retry-After, Discord's retry_after) is.
   */
  async check(integration: Integration): Promise<CheckReport> {
    const channel = channelFor(integration.type)!;
    const secrets = secretValues(channel, integration.config);
    const targets = channel.targets?.of(integration.config) ?? [];
    if (targets.length <= 1) return this.checkOne(channel, integration.config, secrets);
    // Every peer of a cluster is asked; it passes on the same terms as a delivery (see combineTargets).
    const reports = await Promise.all(
      targets.map(async (t) => {
        const report = await this.checkOne(channel, t.config, secrets);
        return { ...report, name: redact(t.name, secrets), latencyMs: report.latencyMs ?? 0 };
      }),
    );
    return { checked: reports.some((r) => r.checked), ...combineTargets(reports) };
  }

  private async checkOne(
    channel: Channel,
    config: Record<string, unknown>,
    secrets: string[],
  ): Promise<CheckReport> {
    const remote = channel.check?.(config, randomBytes(24).toString('base64url'));
    if (!remote) {
      return {
        checked: false,
        outcome: {
          kind: 'delivered',
          note:
            'not checked: the settings are valid, but this channel cannot be asked anything without ' +
            'sending an alert; a test (Send test, `headroom integration test`) sends a labelled one',
        },
      };
    }
    let latencyMs = 0;
    for (let ask: RemoteCheck | undefined = remote; ;) {
      const current: RemoteCheck = ask;
      const answers = await askWithShortWaits(() =>
        sendScrubbed(this.transport, current.request, current.timeoutMs, secrets, (res) =>
          current.verify(res),
        ),
      );
      const { response, ...sent } = answers.at(-1)!;
      latencyMs += sent.latencyMs;
      ask = sent.outcome.kind === 'delivered' && response ? current.next?.(response) : undefined;
      if (!ask) return { checked: true, ...sent, latencyMs };
    }
  }

  /**
   * Sends a test, with `disk`'s figures of now where the caller has them; `onHold` hears at once
   * when the test is delivered but held open for the receiver's own receivers (see sendTest).
   */
  test(integration: Integration, disk?: TestDisk, onHold?: (says: string) => void): Promise<DeliveryRecord> {
    return this.dispatcher().sendTest(integration, disk, onHold);
  }

  /** A default name no other integration has: "PagerDuty", then "PagerDuty 2", … */
  private unique(name: string): string {
    const taken = new Set(this.store.load().integrations.map((i) => i.name));
    let candidate = name;
    for (let n = 2; taken.has(candidate); n++) candidate = `${name} ${n}`;
    return candidate;
  }

  /** A new updatedAt, later than the last even within one millisecond: edits compare it. */
  private touched(current: Integration): number {
    return Math.max(this.now(), current.updatedAt + 1);
  }

  /** Throws SaveConflict when the stored `basedOn` is not as given: changed since the edit began. */
  private async validateAndSave(
    draft: Record<string, unknown>,
    basedOn: Integration | undefined,
    options: SaveOptions,
  ): Promise<SaveResult> {
    const parsed = validateIntegration(draft);
    if (!parsed.ok) return { ok: false, errors: parsed.errors };
    const check: CheckReport =
      options.check === false
        ? { checked: false, outcome: { kind: 'delivered', note: 'saved without asking the receiver' } }
        : await this.check(parsed.value);
    if (check.outcome.kind !== 'delivered') return { ok: false, check };
    await this.store.saveSealed(parsed.value, basedOn);
    const channel = channelFor(parsed.value.type)!;
    const notes = storedDifferently(channel, asRecord(draft.config), parsed.value.config);
    return { ok: true, integration: parsed.value, check, notes };
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
  // A server named by host and port (e-mail): as a URL's host reads, the port only when given.
  if (typeof config?.host === 'string' && config.host) {
    const host = config.host.includes(':') ? `[${config.host}]` : config.host;
    return `${label} ${typeof config.port === 'string' && config.port ? `${host}:${config.port}` : config.host}`;
  }
  const url = config?.url ?? config?.webhookUrl ?? config?.apiUrl;
  try {
    return typeof url === 'string' ? `${label} ${new URL(url).host}` : label;
  } catch {
    return label;
  }
}
