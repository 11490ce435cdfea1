/** Wrong passwords a client may give in a row before it has to wait. */
export const FREE_FAILURES = 3;
/** The longest wait: doubling from 1 s after the free tries, it reaches this after some 10 more. */
export const MAX_WAIT_MS = 15 * 60_000;
/** A client that has not failed for this long starts afresh. */
const FORGET_MS = 60 * 60_000;
/** Clients remembered at once: a flood from many addresses cannot fill memory. */
const MAX_CLIENTS = 10_000;

interface Client {
  failures: number;
  /** No try is checked before this time (ms). */
  until: number;
  /** Tries refused while it had to wait, since its last failure was logged. */
  refused: number;
  /** A try being checked: one at a time per client. */
  busy: boolean;
  last: number;
}

/**
 * Slows guessing of the web UI's password: after FREE_FAILURES wrong ones in a row, each client
 * (an IPv4 address, an IPv6 /64) waits 1 s before its next try is even checked, then 2 s, 4 s …
 * up to MAX_WAIT_MS. A right password clears its count.
 */
export class LoginThrottle {
  private readonly clients = new Map<string, Client>();

  constructor(private readonly now: () => number) {}

  /** 0 when `client` may try now (it is then marked busy until `settle`), else the ms to wait. */
  begin(client: string): number {
    const c = this.get(client);
    const wait = Math.max(c.until - this.now(), 0);
    if (wait > 0 || c.busy) {
      c.refused++;
      return Math.max(wait, 1_000);
    }
    c.busy = true;
    return 0;
  }

  /** After a try: what a wrong one means for the client, for the log. */
  settle(client: string, right: boolean): { failures: number; waitMs: number; refused: number } {
    const c = this.get(client);
    c.busy = false;
    if (right) {
      this.clients.delete(client);
      return { failures: 0, waitMs: 0, refused: 0 };
    }
    c.failures++;
    c.last = this.now();
    const waitMs =
      c.failures < FREE_FAILURES ? 0 : Math.min(1_000 * 2 ** (c.failures - FREE_FAILURES), MAX_WAIT_MS);
    c.until = c.last + waitMs;
    const refused = c.refused;
    c.refused = 0;
    return { failures: c.failures, waitMs, refused };
  }

  private get(client: string): Client {
    let c = this.clients.get(client);
    if (c && !c.busy && this.now() - c.last > FORGET_MS && c.until < this.now()) {
      this.clients.delete(client);
      c = undefined;
    }
    if (!c) {
      if (this.clients.size >= MAX_CLIENTS) this.clients.delete(this.clients.keys().next().value!);
      c = { failures: 0, until: 0, refused: 0, busy: false, last: this.now() };
      this.clients.set(client, c);
    }
    return c;
  }
}
