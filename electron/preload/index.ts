// Sandboxed preload: bundled to CommonJS, imports only electron and the list of names. No logic:
// one function per request of the contract, and a subscription per pushed event.
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { EVENTS, ipcChannel, REQUESTS } from '../../shared/ipc/names.js';

const invoke = Object.fromEntries(
  REQUESTS.map((name) => [name, (input: unknown) => ipcRenderer.invoke(ipcChannel(name), input ?? {})]),
);

contextBridge.exposeInMainWorld('headroom', {
  invoke,
  /** Returns the function that unsubscribes. */
  on(event: string, listener: (payload: unknown) => void): () => void {
    if (!(EVENTS as readonly string[]).includes(event)) throw new Error(`unknown event ${event}`);
    const channel = ipcChannel(event as (typeof EVENTS)[number]);
    const wrapped = (_e: IpcRendererEvent, payload: unknown) => listener(payload);
    ipcRenderer.on(channel, wrapped);
    return () => ipcRenderer.off(channel, wrapped);
  },
});
