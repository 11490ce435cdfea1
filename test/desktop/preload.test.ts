import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { describe, it } from '../helpers/node-test.js';
import { runInNewContext } from 'node:vm';
import type { ContextBridge, IpcRenderer } from 'electron';
import { EVENTS, ipcChannel, REQUESTS } from '../../shared/ipc/names.js';
import { repoPath } from '../helpers/root.js';

const PRELOAD = repoPath('dist/electron/preload.cjs');

/**
 * The built preload, run as Electron's sandbox runs it: CommonJS with `require('electron')` as its
 * only module. What it puts on `window` is the whole surface the page can reach.
 */
async function loadPreload() {
  const exposed = new Map<string, unknown>();
  const invoked: { channel: string; input: unknown }[] = [];
  const listeners = new Map<string, Set<(...args: unknown[]) => void>>();
  const contextBridge: Pick<ContextBridge, 'exposeInMainWorld'> = {
    exposeInMainWorld: (key, api) => void exposed.set(key, api),
  };
  const ipcRenderer: Pick<IpcRenderer, 'invoke' | 'on' | 'off'> = {
    invoke: async (channel, input) => void invoked.push({ channel, input }),
    on(channel, listener) {
      listeners.set(channel, (listeners.get(channel) ?? new Set()).add(listener as never));
      return this as IpcRenderer;
    },
    off(channel, listener) {
      listeners.get(channel)?.delete(listener as never);
      return this as IpcRenderer;
    },
  };
  const required: string[] = [];
  const module = { exports: {} };
  runInNewContext(await readFile(PRELOAD, 'utf8'), {
    module,
    exports: module.exports,
    require: (name: string) => {
      required.push(name);
      if (name === 'electron') return { contextBridge, ipcRenderer };
      throw new Error(`the sandboxed preload cannot require ${name}`);
    },
  });
  return { exposed, invoked, listeners, required };
}

describe('the preload', () => {
  // (Objects made inside the preload's context compare by value, through JSON.)
  it('exposes exactly the contract: one function per request, a subscription per event, nothing raw', async () => {
    const { exposed, invoked, listeners, required } = await loadPreload();
    assert.deepEqual([...new Set(required)], ['electron'], 'it needs nothing but electron');
    assert.deepEqual([...exposed.keys()], ['headroom']);
    const api = exposed.get('headroom') as {
      invoke: Record<string, (input?: unknown) => Promise<unknown>>;
      on: (event: string, listener: (payload: unknown) => void) => () => void;
    };
    assert.deepEqual(Object.keys(api).sort(), ['invoke', 'on']);
    assert.deepEqual(Object.keys(api.invoke).sort(), [...REQUESTS].sort());

    await api.invoke['settings.update']!({ settings: { warningPercent: 25 } });
    await api.invoke['disks.list']!();
    assert.deepEqual(JSON.parse(JSON.stringify(invoked)), [
      { channel: ipcChannel('settings.update'), input: { settings: { warningPercent: 25 } } },
      { channel: ipcChannel('disks.list'), input: {} },
    ]);

    for (const event of EVENTS) {
      const heard: unknown[] = [];
      const stop = api.on(event, (payload) => heard.push(payload));
      for (const l of listeners.get(ipcChannel(event)) ?? []) l({ sender: 'ipc event' }, { n: 1 });
      assert.deepEqual(heard, [{ n: 1 }], `${event}: the page gets the payload, never the IPC event`);
      stop();
      assert.equal(listeners.get(ipcChannel(event))?.size, 0, `${event}: unsubscribed`);
    }
    assert.throws(() => api.on('electron-store-get-data', () => {}), /unknown event/);
  });
});
