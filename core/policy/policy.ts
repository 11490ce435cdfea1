import { fileVersion } from '../fs/file-version.js';
import type { PolicyLocation } from './location.js';
import { monotonicMs } from '../builtins.js';
import { readPolicy, type PolicySnapshot } from './read-policy.js';
import { untrustedPolicy } from './trusted-path.js';
import { ManagedError } from './managed-error.js';

export type { PolicyProblem, PolicySnapshot } from './read-policy.js';

export { ManagedError };

/** Re-read at most this often: settings and integrations ask for the policy many times a sample. */
const CHECK_MS = 1_000;

/**
 * The organisation's policy file, read again when it (or a secret file it names) changes, so a
 * new policy rolled out by configuration management applies to a running watcher within a second.
 * The same snapshot object is returned while nothing changed: stores cache on it.
 */
export class Policy {
  private snapshot: PolicySnapshot | undefined;
  private version = '';
  private checkedAt = -Infinity;

  constructor(
    readonly location: PolicyLocation,
    private readonly env: NodeJS.ProcessEnv = process.env,
    private readonly now: () => number = monotonicMs,
  ) {}

  current(): PolicySnapshot | undefined {
    const file = this.location.file;
    if (file === null) return undefined;
    if (this.now() - this.checkedAt < CHECK_MS) return this.snapshot;
    this.checkedAt = this.now();
    const version = this.versionOf(file, this.snapshot?.files ?? []);
    if (version === this.version) return this.snapshot;
    this.snapshot = readPolicy(file, this.env);
    this.version = this.versionOf(file, this.snapshot?.files ?? []);
    return this.snapshot;
  }

  /** A refusal that names the file to change instead. */
  refuse(what: string): ManagedError {
    return new ManagedError(
      `${what} is managed by your organisation (${this.location.file}) and cannot be changed here.`,
    );
  }

  private versionOf(file: string, secrets: string[]): string {
    // Whether it can be trusted is part of it: a folder made safe again applies the policy anew.
    return [...[file, ...secrets].map(fileVersion), untrustedPolicy(file) ?? ''].join('|');
  }
}
