import type { Api, EventPayloads, Result } from '../../shared/ipc/contract';
import { EVENTS, REQUESTS, type EventName, type RequestName } from '../../shared/ipc/names';

/**
 * One client, two transports: the preload bridge inside Electron, HTTP (+ a server-sent event
 * stream) in a browser talking to `headroom watch --ui`. Pages see only `api` and `subscribe`.
 */
interface Bridge {
  invoke: Record<RequestName, (input: unknown) => Promise<Result<unknown>>>;
  on(event: string, listener: (payload: unknown) => void): () => void;
}

export class ApiFailure extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly field?: string,
  ) {
    super(message);
  }
}

const bridge = (globalThis as { headroom?: Bridge }).headroom;

/** In the desktop app (the preload's bridge): folders can be opened; a browser can only copy paths. */
export const inDesktopApp = bridge !== undefined;

/**
 * The web UI's access token arrives in the URL fragment (never sent to servers or logs). It is taken
 * from there as this module loads: read at the first request instead (late, on a busy machine), it
 * was lost to anything that changed the fragment first, and every request was then refused. Kept
 * for this tab, so a reload still works.
 */
function takeTokenFromUrl(): void {
  const fromHash = /[#?&]token=([^&]+)/.exec(location.hash)?.[1];
  if (!fromHash) return;
  sessionStorage.setItem('headroom-token', decodeURIComponent(fromHash));
  history.replaceState(null, '', `${location.pathname}#/disks`);
}
if (!bridge) {
  takeTokenFromUrl();
  // The address of a restarted watcher pasted into this tab only changes the fragment: no reload.
  addEventListener('hashchange', takeTokenFromUrl);
}

const token = () => sessionStorage.getItem('headroom-token') ?? '';

/** Whether the watcher takes a password instead of the token (it says so when it refuses a request). */
export let passwordLogin = false;

/**
 * A request the watcher refused: the page has no working token and no password login. A page
 * opened without a token where a password works goes to the login page; otherwise it says why.
 */
async function refused(res: Response): Promise<void> {
  passwordLogin = !!((await res.json().catch(() => ({}))) as { passwordLogin?: boolean }).passwordLogin;
  if (passwordLogin && !token()) location.replace('login');
  setLink('forbidden');
}

const post = (path: string, input: unknown) =>
  fetch(path, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token()}` },
    body: JSON.stringify(input ?? {}),
  });

async function httpInvoke(name: RequestName, input: unknown): Promise<Result<unknown>> {
  const res = await post(`api/${name}`, input);
  if (res.status === 401) {
    await refused(res);
    return {
      ok: false,
      error: {
        code: 'forbidden',
        message:
          'The access token is missing or wrong: open the address the watcher printed (or saved in ui-url in its data folder).',
      },
    };
  }
  return (await res.json()) as Result<unknown>;
}

/** How this page is let in: whether a password works too, and whether this page logged in with it. */
export async function accessStatus(): Promise<{ passwordLogin: boolean; session: boolean }> {
  const res = await fetch('auth/status', { headers: { authorization: `Bearer ${token()}` } });
  if (!res.ok) throw new Error(`HTTP ${res.status}`);
  return ((await res.json()) as { value: { passwordLogin: boolean; session: boolean } }).value;
}

/** Rotations asked by this page, and the one under way: the event stream it ends waits for it. */
let rotations = 0;
let rotation: Promise<unknown> | undefined;

/** A new access token, which this page takes at once; returns the address to open with it. */
export async function rotateToken(): Promise<string> {
  rotations++;
  const done = post('auth/rotate', {}).then(async (res) => {
    if (!res.ok) throw new Error(`the watcher refused (HTTP ${res.status})`);
    const { token: fresh } = ((await res.json()) as { value: { token: string } }).value;
    sessionStorage.setItem('headroom-token', fresh);
    return `${location.origin}${location.pathname}#token=${fresh}`;
  });
  rotation = done.catch(() => {});
  return done;
}

/** Ends this browser's password login (and forgets any token the tab kept). */
export async function logout(): Promise<void> {
  const res = await post('logout', {});
  if (!res.ok) throw new Error(`the watcher refused (HTTP ${res.status})`);
  sessionStorage.removeItem('headroom-token');
  location.replace('login');
}

const invoke = (name: RequestName, input: unknown) =>
  bridge ? bridge.invoke[name](input ?? {}) : httpInvoke(name, input);

export const api = Object.fromEntries(
  REQUESTS.map((name) => [
    name,
    async (input?: unknown) => {
      const result = await invoke(name, input);
      if (!result.ok) throw new ApiFailure(result.error.code, result.error.message, result.error.field);
      return result.value;
    },
  ]),
) as unknown as Api;

type Listener = (payload: never) => void;
const listeners = new Map<EventName, Set<Listener>>();
let stream: Promise<void> | undefined;

/** Listens to a pushed event until the signal aborts. */
export function subscribe<E extends EventName>(
  event: E,
  listener: (payload: EventPayloads[E]) => void,
  signal: AbortSignal,
): void {
  if (bridge) {
    const off = bridge.on(event, listener as (p: unknown) => void);
    signal.addEventListener('abort', off, { once: true });
    return;
  }
  let set = listeners.get(event);
  if (!set) listeners.set(event, (set = new Set()));
  set.add(listener as Listener);
  signal.addEventListener('abort', () => set.delete(listener as Listener), { once: true });
  stream ??= openStream();
}

/**
 * Whether pushed events are reaching this page: `live`; `lost` (the watcher stopped, hangs or the
 * network dropped: what the page shows may be out of date; it reconnects by itself); `forbidden`
 * (the watcher answers but refuses this page's token: it restarted, with a new one). The desktop
 * app's bridge is always live.
 */
export type Link = 'connecting' | 'live' | 'lost' | 'forbidden';
let link: Link = bridge ? 'live' : 'connecting';
const linkListeners = new Set<(link: Link) => void>();

function setLink(next: Link): void {
  if (next === link) return;
  const back = next === 'live' && link !== 'connecting';
  link = next;
  for (const l of linkListeners) l(next);
  if (back) for (const l of resyncListeners) l();
}

/** Hears every change of the link (and is told the current one at once) until the signal aborts. */
export function watchLink(listener: (link: Link) => void, signal: AbortSignal): void {
  linkListeners.add(listener);
  signal.addEventListener('abort', () => linkListeners.delete(listener), { once: true });
  listener(link);
}

const resyncListeners = new Set<() => void>();
/** Runs `listener` when the event stream is back after a loss: what was pushed meanwhile is gone. */
export function onResync(listener: () => void, signal: AbortSignal): void {
  resyncListeners.add(listener);
  signal.addEventListener('abort', () => resyncListeners.delete(listener), { once: true });
}

/** The watcher writes a keep-alive every 10 s (core/web-ui.ts): silent this long, a stream is lost. */
const SILENT_MS = 30_000;

/** Server-sent events over fetch (so the token goes in a header), reconnecting if dropped. */
async function openStream(): Promise<void> {
  for (;;) {
    const seen = rotations;
    const abort = new AbortController();
    let silence: ReturnType<typeof setTimeout> | undefined;
    const heard = () => {
      clearTimeout(silence);
      silence = setTimeout(() => {
        setLink('lost');
        abort.abort();
      }, SILENT_MS);
    };
    try {
      heard(); // a watcher that accepts the connection but never answers is lost too
      const res = await fetch('api/events', {
        headers: { authorization: `Bearer ${token()}`, accept: 'text/event-stream' },
        signal: abort.signal,
      });
      if (res.status === 401) await refused(res);
      if (!res.ok || !res.body) throw new Error(`HTTP ${res.status}`);
      setLink('live');
      const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
      let buffer = '';
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        heard();
        buffer += value;
        let end: number;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const frame = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const event = /^event: (.+)$/m.exec(frame)?.[1] as EventName | undefined;
          const data = /^data: (.+)$/m.exec(frame)?.[1];
          if (event && data && (EVENTS as readonly string[]).includes(event))
            for (const l of listeners.get(event) ?? []) l(JSON.parse(data) as never);
        }
      }
    } catch {
      // The watcher restarted, hangs, or the network blinked: try again shortly.
    }
    clearTimeout(silence);
    // This page rotated the token, which ended its stream: it reconnects with the new one at once.
    if (rotations !== seen) {
      await rotation;
      continue;
    }
    if (link !== 'forbidden') setLink('lost');
    await new Promise((r) => setTimeout(r, 2000));
  }
}
