import * as z from 'zod';
import { channelFor } from '../../shared/channels/registry.js';
import { integrationBaseSchema, type Integration } from '../../shared/integration.js';
import { describeErrors, parseWith } from '../../shared/validation.js';
import { fileVersion } from '../fs/file-version.js';
import { JsonStore, type StoreWarning } from '../json-store.js';
import type { Policy, PolicySnapshot } from '../policy/policy.js';
import { plainSealer, type Sealer } from './secrets.js';
import { randomBytes } from '../builtins.js';

/** On disk: the settings in the clear, each secret field sealed on its own. */
const storedSchema = integrationBaseSchema.extend({
  config: z.record(z.string(), z.unknown()).default({}),
  secrets: z.record(z.string(), z.string()).default({}),
});
type Stored = z.output<typeof storedSchema>;

const fileSchema = z.object({ integrations: z.array(z.unknown()).default([]) });

/** An integration that could not be loaded: reported, while the others keep working. */
export interface IntegrationProblem {
  id: string;
  name: string;
  message: string;
}

export class IntegrationStore {
  private readonly store: JsonStore<typeof fileSchema>;

  constructor(
    dir: string,
    private readonly sealer: Sealer = plainSealer,
    onWarning?: (w: StoreWarning) => void,
    private readonly policy?: Policy,
  ) {
    this.store = new JsonStore(dir, 'integrations', fileSchema, onWarning);
  }

  /** Whether the organisation's policy defines this integration (read-only here). */
  isManaged(id: string): boolean {
    return !!this.policy?.current()?.integrations.some((i) => i.id === id);
  }

  /** Whether users may add integrations of their own (the policy may forbid it). */
  userIntegrationsAllowed(): boolean {
    return this.policy?.current()?.userIntegrations ?? true;
  }

  /** The policy that manages integrations, to name in refusals. */
  managedBy(): Policy | undefined {
    return this.policy?.current() ? this.policy : undefined;
  }

  get secretsDescription(): string {
    return this.sealer.description;
  }

  /** Whether secrets are sealed by a keychain (else kept in files only their owner can read). */
  get sealsSecrets(): boolean {
    return this.sealer.scheme !== 'plain';
  }

  /**
   * Every integration, as the file holds it now (the CLI may have changed it beside a running
   * watcher), with the ones that fail to load set apart. Decoded again only when the file changed.
   */
  load(): { integrations: Integration[]; problems: IntegrationProblem[] } {
    const version = fileVersion(this.store.file);
    const policy = this.policy?.current();
    if (this.cache && version === this.cache.version && policy === this.cache.policy) return this.cache.value;
    const value = withPolicy(this.decodeAll(), policy);
    // Not cached while the file cannot be read, nor while a secret waits for the keychain: the
    // next load tries again (and asks the keychain again, at most once a minute).
    if (this.store.readable && !this.awaitingKeychain) this.cache = { version, policy, value };
    if (this.awaitingKeychain) this.retrySecrets();
    return value;
  }

  private cache:
    | {
        version: string;
        policy: PolicySnapshot | undefined;
        value: { integrations: Integration[]; problems: IntegrationProblem[] };
      }
    | undefined;

  /** A secret the asynchronous keychain has not unsealed (yet): locked at login, say. */
  private awaitingKeychain = false;
  private lastKeychainTry = 0;

  /** Asks the keychain again, at most once a minute; the next load then has the secrets. */
  private retrySecrets(): void {
    if (Date.now() - this.lastKeychainTry < 60_000) return;
    this.lastKeychainTry = Date.now();
    void this.prepareSecrets().catch(() => {});
  }

  private decodeAll(): { integrations: Integration[]; problems: IntegrationProblem[] } {
    this.awaitingKeychain = false;
    const integrations: Integration[] = [];
    const problems: IntegrationProblem[] = [];
    for (const raw of this.store.reload().integrations) {
      const result = this.decode(raw);
      if ('problem' in result) problems.push(result.problem);
      else integrations.push(result.integration);
    }
    return { integrations, problems };
  }

  get(id: string): Integration | undefined {
    return this.load().integrations.find((i) => i.id === id);
  }

  /**
   * Reads every secret on disk through a keychain that works asynchronously (the desktop app's),
   * before anything loads integrations; secrets whose key the keychain rotated are sealed again.
   */
  async prepareSecrets(): Promise<void> {
    if (!this.sealer.prepare) return;
    this.lastKeychainTry = Date.now();
    const unseal = this.store.reload().integrations.flatMap((raw) => {
      const stored = parseWith(storedSchema, raw);
      return stored.ok ? Object.values(stored.value.secrets) : [];
    });
    const reseal = await this.sealer.prepare({ unseal });
    this.cache = undefined;
    if (reseal) for (const integration of this.load().integrations) await this.saveSealed(integration);
  }

  /** `save`, after an asynchronous keychain has sealed the integration's secrets. */
  async saveSealed(integration: Integration, basedOn?: Integration): Promise<void> {
    const seal = Object.values(this.split(integration).secrets).map((v) => JSON.stringify(v));
    await this.sealer.prepare?.({ seal });
    this.save(integration, basedOn);
  }

  /**
   * Inserts or replaces by id. The integration must already be valid (see `validateIntegration`).
   * An edit names the record it was `basedOn`: if another process or window changed or removed
   * that record meanwhile (an edit waits seconds for its receiver check), the edit is refused
   * with a SaveConflict rather than silently undoing the other change.
   */
  save(integration: Integration, basedOn?: Integration): void {
    if (this.isManaged(integration.id))
      throw this.policy!.refuse(`"${integration.name}" (${integration.id})`);
    const { config, secrets: plain } = this.split(integration);
    const secrets: Record<string, string> = {};
    for (const [key, value] of Object.entries(plain)) secrets[key] = this.sealer.seal(JSON.stringify(value));
    const stored: Stored = { ...integration, config, secrets };
    this.store.update(({ integrations }) => {
      if (basedOn) {
        const now = integrations.find((r) => (r as { id?: unknown }).id === basedOn.id) as Stored | undefined;
        if (now?.updatedAt !== basedOn.updatedAt)
          throw new SaveConflict(basedOn, now ? 'changed' : 'removed');
      }
      return {
        integrations: [...integrations.filter((r) => (r as { id?: unknown }).id !== integration.id), stored],
      };
    });
  }

  remove(id: string): boolean {
    let removed = false;
    this.store.update((current) => {
      const rest = current.integrations.filter((r) => (r as { id?: unknown }).id !== id);
      removed = rest.length < current.integrations.length;
      return removed ? { integrations: rest } : current;
    });
    return removed;
  }

  /** The integration's settings, and its secret fields apart. */
  private split(integration: Integration) {
    const channel = channelFor(integration.type);
    if (!channel) throw new Error(`unknown channel type ${integration.type}`);
    const config: Record<string, unknown> = {};
    const secrets: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(integration.config)) {
      if (value === undefined) continue;
      if (channel.fields.find((f) => f.key === key)?.secret) secrets[key] = value;
      else config[key] = value;
    }
    return { config, secrets };
  }

  private decode(raw: unknown): { integration: Integration } | { problem: IntegrationProblem } {
    const label = raw as { id?: unknown; name?: unknown };
    const problem = (message: string) => ({
      problem: { id: String(label?.id ?? '?'), name: String(label?.name ?? '?'), message },
    });
    const stored = parseWith(storedSchema, raw);
    if (!stored.ok) return problem(`invalid record: ${describeErrors(stored.errors)}`);
    const channel = channelFor(stored.value.type);
    if (!channel) return problem(`unknown channel type "${stored.value.type}"`);
    const config: Record<string, unknown> = { ...stored.value.config };
    try {
      for (const [key, sealed] of Object.entries(stored.value.secrets))
        config[key] = JSON.parse(this.sealer.unseal(sealed));
    } catch (error) {
      if (this.sealer.prepare) this.awaitingKeychain = true;
      return problem((error as Error).message);
    }
    const valid = parseWith(channel.schema, config);
    if (!valid.ok) return problem(`invalid settings: ${describeErrors(valid.errors)}`);
    const { secrets: _secrets, config: _config, ...base } = stored.value;
    return { integration: { ...base, type: channel.type, config: valid.value } };
  }
}

/**
 * The user's integrations beside the managed ones: the policy's first; a user's that has the id of
 * a managed one, or any when the policy allows only its own, is set apart as a problem.
 */
function withPolicy(
  own: { integrations: Integration[]; problems: IntegrationProblem[] },
  policy: PolicySnapshot | undefined,
): { integrations: Integration[]; problems: IntegrationProblem[] } {
  if (!policy) return own;
  const managed = new Set(policy.integrations.map((i) => i.id));
  const integrations = [...policy.integrations];
  const problems = [...policy.integrationProblems, ...own.problems];
  for (const i of own.integrations) {
    if (managed.has(i.id))
      problems.push({
        id: i.id,
        name: i.name,
        message: `not used: your organisation's policy (${policy.file}) defines an integration with the same id`,
      });
    else if (!policy.userIntegrations)
      problems.push({
        id: i.id,
        name: i.name,
        message: `not used: your organisation's policy (${policy.file}) allows only its own integrations`,
      });
    else integrations.push(i);
  }
  return { integrations, problems };
}

/** Short, readable, unique enough for a handful of integrations: `webhook-3f9a2c`. */
export function newIntegrationId(type: string): string {
  return `${type}-${randomBytes(3).toString('hex')}`;
}

/** An edit refused because its integration changed (or went) since the edit read it. */
export class SaveConflict extends Error {
  constructor(integration: Pick<Integration, 'id' | 'name'>, what: 'changed' | 'removed') {
    super(
      `"${integration.name}" (${integration.id}) was ${what} elsewhere (another window, the web UI or the CLI) ` +
        `since this edit began, so this edit was not saved. ` +
        (what === 'changed' ? 'Open it again to see the change, then repeat yours.' : ''),
    );
  }
}
