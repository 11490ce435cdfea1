/** What a test that waits on another process says when the wait runs out: where things stuck. */
import { readFileSync, readdirSync } from 'node:fs';

/** Resolves as `promise` does, or fails after `ms` with what `explain` says of that moment. */
export async function within<T>(promise: Promise<T>, ms: number, explain: () => string[]): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(explain().join('\n\n'))), ms);
  });
  try {
    return await Promise.race([promise, late]);
  } finally {
    clearTimeout(timer);
  }
}

/** A process's state, and what its threads wait in (the main one first, the others counted). */
export function processState(pid: number): string {
  try {
    const state = /^State:\s*(.*)$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
    const [main, ...others] = readdirSync(`/proc/${pid}/task`).map((t) => {
      const read = (f: string) => readFileSync(`/proc/${pid}/task/${t}/${f}`, 'utf8').trim();
      return `${read('stat').split(') ')[1]!.split(' ')[0]} in ${read('wchan')}`;
    });
    const counted = new Map<string, number>();
    for (const o of others) counted.set(o, (counted.get(o) ?? 0) + 1);
    const rest = [...counted].map(([where, n]) => `${n} ${where}`).join(', ');
    return `process ${pid}: ${state}; main thread ${main}; other threads: ${rest || 'none'}`;
  } catch (error) {
    return `process ${pid}: ${(error as Error).message}`;
  }
}

/** The kernel's TCP states, by the number /proc/net/tcp gives them (include/net/tcp_states.h). */
const STATES = [
  '',
  'ESTABLISHED',
  'SYN_SENT',
  'SYN_RECV',
  'FIN_WAIT1',
  'FIN_WAIT2',
  'TIME_WAIT',
  'CLOSE',
  'CLOSE_WAIT',
  'LAST_ACK',
  'LISTEN',
  'CLOSING',
];

/**
 * What the kernel holds for IPv4 connections to or from `port` (/proc/net/tcp), one line each:
 * whether a socket was accepted, closed by one side only, or still waits in the listener's queue.
 */
export function tcpStates(port: number): string[] {
  const endpoint = (hex: string) => {
    const [ip, p] = hex.split(':');
    return {
      address: ip!
        .match(/../g)!
        .map((h) => parseInt(h, 16))
        .reverse()
        .join('.'),
      port: parseInt(p!, 16),
    };
  };
  return readFileSync('/proc/net/tcp', 'utf8')
    .split('\n')
    .slice(1)
    .map((line) => line.trim().split(/\s+/))
    .filter((f) => f.length > 4)
    .map((f) => ({
      local: endpoint(f[1]!),
      remote: endpoint(f[2]!),
      state: STATES[parseInt(f[3]!, 16)],
      queues: f[4]!,
    }))
    .filter((c) => c.local.port === port || c.remote.port === port)
    .map(({ local, remote, state, queues }) => {
      const [toSend, toRead] = queues.split(':').map((h) => parseInt(h, 16));
      return `${local.address}:${local.port} → ${remote.address}:${remote.port} ${state} (to send ${toSend}, to read ${toRead})`;
    });
}
