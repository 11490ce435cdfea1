import { BrowserWindow, ipcMain, type IpcMainInvokeEvent, type WebContents } from 'electron';
import { EVENTS, ipcChannel, REQUESTS } from '../../shared/ipc/names.js';
import type { EventPayloads } from '../../shared/ipc/contract.js';
import type { createApi } from '../core/api.js';
import { callApi } from '../core/api-call.js';
import type { Watcher } from '../core/watcher.js';

/**
 * The only module that touches ipcMain. A request is answered only when it comes from the main
 * frame of a window this app created (`isTrustedSender`); its input is validated by `callApi`.
 */
export function registerIpc(
  handlers: ReturnType<typeof createApi>,
  isAppUrl: (url: string) => boolean,
): void {
  for (const name of REQUESTS) {
    ipcMain.handle(ipcChannel(name), (event, input: unknown) => {
      if (!isTrustedSender(event, isAppUrl)) {
        return {
          ok: false,
          error: { code: 'forbidden', message: 'request from a frame Headroom did not create' },
        };
      }
      return callApi(handlers, name, input);
    });
  }
}

function isTrustedSender(event: IpcMainInvokeEvent, isAppUrl: (url: string) => boolean): boolean {
  const window = BrowserWindow.fromWebContents(event.sender);
  const frame = event.senderFrame;
  return !!window && !!frame && frame === event.sender.mainFrame && isAppUrl(frame.url);
}

/** Forwards the watcher's live events to a window, until it is closed. */
export function pushEvents(watcher: Watcher, contents: WebContents): void {
  for (const name of EVENTS) {
    const forward = (payload: EventPayloads[typeof name]) => {
      if (!contents.isDestroyed()) contents.send(ipcChannel(name), payload);
    };
    watcher.events.on(name, forward as never);
    contents.once('destroyed', () => watcher.events.off(name, forward as never));
  }
}
