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
if (!bridge) takeTokenFromUrl();

const token = () => sessionStorage.getItem('headroom-token') ?? '';

async function httpInvoke(name: RequestName, input: unknown): Promise<Result<unknown>> {
  const res = await fetch(`api/${name}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token()}` },
    body: JSON.stringify(input ?? {}),
  });
  if (res.status === 401)
    return {
      ok: false,
      error: {
        code: 'forbidden',
        message: 'The access token is missing or wrong: open the URL that `headroom watch --ui` printed.',
      },
    };
  return (await res.json()) as Result<unknown>;
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

/** Server-sent events over fetch (so the token goes in a header), reconnecting if dropped. */
async function openStream(): Promise<void> {
  for (;;) {
    try {
      const res = await fetch('api/events', {
        headers: { authorization: `Bearer ${token()}`, accept: 'text/event-stream' },
      });
      if (!res.ok || !res.body) throw new Error(`HTTP ${res.status}`);
      const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
      let buffer = '';
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
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
      // The watcher restarted or the network blinked: try again shortly.
    }
    await new Promise((r) => setTimeout(r, 2000));
  }
}
