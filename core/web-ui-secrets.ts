import { readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { createHash, promisify, randomBytes, timingSafeEqual } from './builtins.js';
import { replaceFile } from './fs/durable-file.js';

/**
 * The web UI's secrets in the data directory, each 0600 and replaced atomically: the access token,
 * kept until rotated so that a bookmark, a reloaded tab or a proxy's link outlives a restart, and
 * the optional password's scrypt hash. `headroom ui` writes them; a running watcher notices.
 */
export const TOKEN_FILE = 'ui-token.json';
export const PASSWORD_FILE = 'ui-password.json';

const TOKEN = /^[A-Za-z0-9_-]{43}$/;

/** scrypt's cost: ~32 MiB and some 100 ms a try, so a stolen hash is slow to guess. */
const SCRYPT = { N: 2 ** 15, r: 8, p: 1 } as const;
const KEY_BYTES = 32;

export interface PasswordRecord {
  scheme: 'scrypt';
  N: number;
  r: number;
  p: number;
  salt: string;
  hash: string;
}

export const newToken = (): string => randomBytes(32).toString('base64url');

/** The saved token; undefined when there is none yet; an Error saying why it cannot be used. */
export function readToken(dir: string): string | undefined | Error {
  const file = join(dir, TOKEN_FILE);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    return new Error(`${file} cannot be read (${(error as Error).message})`);
  }
  try {
    const token = (JSON.parse(text) as { token?: unknown }).token;
    if (typeof token === 'string' && TOKEN.test(token)) return token;
  } catch {
    // said below
  }
  return new Error(`${file} is damaged (it does not hold an access token)`);
}

/** Saves `token` as the one to use, until the next rotation. */
export function saveToken(dir: string, token: string): void {
  replaceFile(join(dir, TOKEN_FILE), `${JSON.stringify({ token, created: new Date().toISOString() })}\n`);
}

export async function hashPassword(password: string): Promise<PasswordRecord> {
  const salt = randomBytes(16);
  const hash = await scrypt(password, salt, SCRYPT);
  return { scheme: 'scrypt', ...SCRYPT, salt: salt.toString('base64'), hash: hash.toString('base64') };
}

export async function passwordMatches(record: PasswordRecord, password: string): Promise<boolean> {
  const expected = Buffer.from(record.hash, 'base64');
  const given = await scrypt(password, Buffer.from(record.salt, 'base64'), record);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

function scrypt(password: string, salt: Buffer, cost: { N: number; r: number; p: number }): Promise<Buffer> {
  const run = promisify(process.getBuiltinModule('node:crypto').scrypt) as (
    password: string,
    salt: Buffer,
    keylen: number,
    options: object,
  ) => Promise<Buffer>;
  return run(password, salt, KEY_BYTES, { ...cost, maxmem: 256 * cost.N * cost.r });
}

/** The saved password hash; undefined when none is set; an Error saying why it cannot be used. */
export function readPassword(dir: string): PasswordRecord | undefined | Error {
  const file = join(dir, PASSWORD_FILE);
  let value: Partial<PasswordRecord>;
  try {
    value = JSON.parse(readFileSync(file, 'utf8')) as Partial<PasswordRecord>;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    return new Error(`${file} cannot be read (${(error as Error).message})`);
  }
  const cost = [value.N, value.r, value.p];
  if (
    value.scheme !== 'scrypt' ||
    !cost.every((n) => Number.isSafeInteger(n) && n! > 0) ||
    // Bounded, so that a hand-edited file cannot make each login take the machine's memory.
    value.N! > 2 ** 20 ||
    value.r! > 32 ||
    value.p! > 16 ||
    typeof value.salt !== 'string' ||
    typeof value.hash !== 'string' ||
    Buffer.from(value.hash, 'base64').length !== KEY_BYTES
  )
    return new Error(`${file} is damaged (it does not hold a password hash)`);
  return value as PasswordRecord;
}

export function savePassword(dir: string, record: PasswordRecord): void {
  replaceFile(join(dir, PASSWORD_FILE), `${JSON.stringify(record)}\n`);
}

/** Whether there was a password to clear. */
export function clearPassword(dir: string): boolean {
  const file = join(dir, PASSWORD_FILE);
  const had = statSync(file, { throwIfNoEntry: false }) !== undefined;
  rmSync(file, { force: true });
  return had;
}

/**
 * What the watcher reads its credentials through: each file is read again when it changes (a new
 * inode after a rename, or a new time or size), so a rotation or a new password made by `headroom
 * ui` applies to the next request. A token file that cannot be used is replaced by a new token,
 * said once through `warn`; a password file that cannot be used turns password login off.
 */
export class UiSecrets {
  private tokenSeen = '';
  private current = '';
  private passwordSeen = '';
  private password: PasswordRecord | undefined;

  constructor(
    private readonly dir: string,
    private readonly warn: (line: string) => void,
  ) {
    this.current = this.loadToken();
  }

  token(): string {
    if (fingerprint(join(this.dir, TOKEN_FILE)) !== this.tokenSeen) this.current = this.loadToken();
    return this.current;
  }

  /** A new token; the old one, and every session, stop working at once. */
  rotate(): string {
    this.current = newToken();
    this.keep(this.current);
    return this.current;
  }

  passwordRecord(): PasswordRecord | undefined {
    const seen = fingerprint(join(this.dir, PASSWORD_FILE));
    if (seen === this.passwordSeen) return this.password;
    this.passwordSeen = seen;
    const read = readPassword(this.dir);
    if (read instanceof Error)
      this.warn(
        `${read.message}: password login is off until a password is set again (headroom ui --set-password).`,
      );
    this.password = read instanceof Error ? undefined : read;
    return this.password;
  }

  /**
   * What a session is bound to: a new token or another password (or none) ends every session. A
   * hash, so that the sessions file holds neither.
   */
  stamp(): string {
    return createHash('sha256')
      .update(`${this.token()}\0${this.passwordRecord()?.hash ?? ''}`)
      .digest('base64url')
      .slice(0, 22);
  }

  private loadToken(): string {
    const read = readToken(this.dir);
    if (typeof read === 'string') {
      this.tokenSeen = fingerprint(join(this.dir, TOKEN_FILE));
      return read;
    }
    // Deleted while running: the token in use stays (and is saved again), it is not a rotation.
    const token = read === undefined && this.current ? this.current : newToken();
    if (read instanceof Error)
      this.warn(
        `${read.message}: a new access token replaces it, and addresses with the old one no longer work.`,
      );
    this.keep(token);
    return token;
  }

  private keep(token: string): void {
    try {
      saveToken(this.dir, token);
    } catch (error) {
      this.warn(
        `the access token could not be saved to ${join(this.dir, TOKEN_FILE)} (${(error as Error).message}): ` +
          'it works until the watcher stops, and the next start makes another.',
      );
    }
    this.tokenSeen = fingerprint(join(this.dir, TOKEN_FILE));
  }
}

function fingerprint(file: string): string {
  try {
    const s = statSync(file);
    return `${s.ino}:${s.size}:${s.mtimeMs}:${s.ctimeMs}`;
  } catch {
    return 'none';
  }
}
