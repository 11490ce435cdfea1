import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { createInterface } from 'node:readline';
import { repoPath } from './root.js';
import type { TestPki } from './tls.js';

/** Debian's python3-aiosmtpd, with the system Python (pyenv's on PATH lacks it). */
const PYTHON = '/usr/bin/python3';

export interface Received {
  server: 'starttls' | 'tls' | 'plain';
  from: string;
  to: string[];
  /** The user it logged in as, if any. */
  login: string | null;
  tls: boolean;
  /** The message as it reached the server: headers, blank line, body. */
  data: string;
  /** As Python's e-mail parser reads it, as a mail client would: decoded. */
  subject: string;
  headerNames: string[];
  text: string | null;
  html: string | null;
}

/** Whether aiosmtpd is there to run (CI installs it, see .ci/run). */
export const noAiosmtpd = await new Promise<string | false>((resolve) => {
  const child = spawn(PYTHON, ['-c', 'import aiosmtpd'], { stdio: 'ignore' });
  child.on('error', () => resolve(`${PYTHON} is missing`));
  child.on('exit', (code) => resolve(code === 0 ? false : 'python3-aiosmtpd is not installed'));
});

/**
 * A real SMTP server (test/helpers/smtp-server.py) on three ports of 127.0.0.1 — STARTTLS,
 * TLS from the start, and plain — with one user and password, and recipients that defer
 * ("defer<N>@…": 451 N times) or refuse ("reject…@…": 550). Each message it takes is heard.
 */
export class SmtpServer {
  readonly messages: Received[] = [];
  private waiters: (() => void)[] = [];

  private constructor(
    private readonly child: ChildProcessWithoutNullStreams,
    readonly ports: Record<Received['server'], number>,
  ) {}

  static async start(pki: TestPki, user: string, password: string): Promise<SmtpServer> {
    const child = spawn(PYTHON, [
      repoPath('test/helpers/smtp-server.py'),
      `${pki.dir}/server.pem`,
      `${pki.dir}/server.key`,
      user,
      password,
    ]);
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const lines = createInterface({ input: child.stdout });
    let server: SmtpServer | undefined;
    return new Promise((resolve, reject) => {
      child.on('exit', (code) => reject(new Error(`the SMTP server exited (${code}): ${stderr}`)));
      lines.on('line', (line) => {
        const event = JSON.parse(line) as { event: string; ports?: SmtpServer['ports'] } & Received;
        if (event.event === 'ready') {
          server = new SmtpServer(child, event.ports!);
          resolve(server);
        } else if (event.event === 'message' && server) {
          server.messages.push(event);
          for (const wake of server.waiters.splice(0)) wake();
        }
      });
    });
  }

  /** Resolves with the first `n` messages once that many arrived, woken by each arrival. */
  async received(n: number): Promise<Received[]> {
    while (this.messages.length < n) await new Promise<void>((wake) => this.waiters.push(wake));
    return this.messages.slice(0, n);
  }

  async close(): Promise<void> {
    const exited = new Promise((resolve) => this.child.once('exit', resolve));
    this.child.stdin.end();
    await exited;
  }
}

/** A message's headers, unfolded, by lower-case name (the last of each), and its raw lines. */
export function headersOf(data: string): Record<string, string> {
  const head = data.slice(0, data.search(/\r?\n\r?\n/));
  const headers: Record<string, string> = {};
  for (const line of head.replace(/\r?\n[ \t]+/g, ' ').split(/\r?\n/)) {
    const colon = line.indexOf(':');
    headers[line.slice(0, colon).toLowerCase()] = line.slice(colon + 1).trim();
  }
  return headers;
}
