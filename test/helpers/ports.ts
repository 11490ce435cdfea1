import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';

/**
 * Outgoing connections take their local port from the kernel's ephemeral range, so a port picked
 * there (as `listen(0)` does) can be taken by any connection before the server that wanted it binds
 * it: a CI run lost an Alertmanager that way ("bind: address already in use"). Ports are picked
 * below that range instead, at random, so that parallel test files rarely meet either.
 */
function ephemeralLow(): number {
  try {
    const low = Number(readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').split(/\s+/)[0]);
    if (low > 12_000) return low;
  } catch {
    // Not Linux: macOS and Windows start theirs at 49152, so below 32768 is outside it too.
  }
  return 32_768;
}
const HIGH = ephemeralLow() - 1;
const LOW = 10_000;

function canListen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer()
      .once('error', () => resolve(false))
      .listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

/** A TCP port on 127.0.0.1 that was free a moment ago, for a server that must keep one port. */
export async function freePort(): Promise<number> {
  for (let tries = 0; tries < 100; tries++) {
    const port = LOW + Math.floor(Math.random() * (HIGH - LOW));
    if (await canListen(port)) return port;
  }
  throw new Error(`no free port on 127.0.0.1 between ${LOW} and ${HIGH}`);
}

/**
 * A server program (Alertmanager, Prometheus) started on a free loopback port, resolved once its log
 * matches `ready`. If the port was taken between the pick and its bind, it tries another; any other
 * exit fails with the program's log.
 */
export async function startOnFreePort(
  name: string,
  bin: string,
  args: (port: number) => string[],
  ready: RegExp,
): Promise<{ child: ChildProcess; port: number }> {
  for (let tries = 1; ; tries++) {
    const port = await freePort();
    const child = spawn(bin, args(port), { stdio: ['ignore', 'ignore', 'pipe'] });
    let log = '';
    const started = await new Promise<boolean>((resolve, reject) => {
      const onData = (d: Buffer) => {
        log += d;
        if (ready.test(log)) {
          child.stderr!.off('data', onData).resume(); // keeps draining its log
          child.off('exit', onExit);
          resolve(true);
        }
      };
      const onExit = (code: number | null) =>
        /address already in use/.test(log) && tries < 3
          ? resolve(false)
          : reject(new Error(`${name} exited (${code}):\n${log}`));
      child.stderr!.on('data', onData);
      child.once('exit', onExit);
    });
    if (started) return { child, port };
  }
}
