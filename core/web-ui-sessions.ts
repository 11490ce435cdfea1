import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createHash, randomBytes } from './builtins.js';
import { replaceFile } from './fs/durable-file.js';

export const SESSIONS_FILE = 'ui-sessions.json';

/** A login lasts this long (the cookie's Max-Age): a month, then the password again. */
export const SESSION_MS = 30 * 24 * 3600_000;

/** Enough for every browser one person uses; the oldest login goes first beyond it. */
const MAX_SESSIONS = 64;

interface Session {
  /** sha256 of the cookie's secret: the file alone lets no one in. */
  id: string;
  /** UiSecrets.stamp() at login: a rotated token or another password ends the session. */
  stamp: string;
  expires: number;
}

const idOf = (secret: string) => createHash('sha256').update(secret).digest('base64url');

/**
 * The password logins, kept in the data directory (0600) so that a restarted watcher still knows
 * them: an open tab logged in with the password keeps working after a reload. Only the watcher
 * writes the file; a session that cannot be saved still works until it stops.
 */
export class UiSessions {
  private list: Session[];
  private readonly file: string;

  constructor(
    dir: string,
    private readonly warn: (line: string) => void,
    private readonly now: () => number = Date.now,
  ) {
    this.file = join(dir, SESSIONS_FILE);
    this.list = this.load();
  }

  /** A new session's secret, for the cookie. */
  create(stamp: string): string {
    const secret = randomBytes(32).toString('base64url');
    this.list = this.alive(stamp)
      .slice(-(MAX_SESSIONS - 1))
      .concat({ id: idOf(secret), stamp, expires: this.now() + SESSION_MS });
    this.save();
    return secret;
  }

  valid(secret: string | undefined, stamp: string): boolean {
    if (!secret) return false;
    const id = idOf(secret);
    return this.list.some((s) => s.id === id && s.stamp === stamp && s.expires > this.now());
  }

  /** Logs one session out (logout). */
  end(secret: string): void {
    const id = idOf(secret);
    const before = this.list.length;
    this.list = this.list.filter((s) => s.id !== id);
    if (this.list.length !== before) this.save();
  }

  private alive(stamp: string): Session[] {
    return this.list.filter((s) => s.stamp === stamp && s.expires > this.now());
  }

  private load(): Session[] {
    let value: unknown;
    try {
      value = JSON.parse(readFileSync(this.file, 'utf8'));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT')
        this.warn(
          `${this.file} cannot be read (${(error as Error).message}): every password login starts anew.`,
        );
      return [];
    }
    const sessions = (value as { sessions?: unknown })?.sessions;
    if (!Array.isArray(sessions)) {
      this.warn(`${this.file} is damaged: every password login starts anew.`);
      return [];
    }
    return sessions.filter(
      (s): s is Session =>
        typeof s?.id === 'string' && typeof s.stamp === 'string' && Number.isFinite(s.expires),
    );
  }

  private save(): void {
    try {
      replaceFile(this.file, `${JSON.stringify({ sessions: this.list })}\n`);
    } catch (error) {
      this.warn(
        `password logins could not be saved to ${this.file} (${(error as Error).message}): they last until the watcher stops.`,
      );
    }
  }
}
