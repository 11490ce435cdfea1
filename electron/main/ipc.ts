import { EVENTS, ipcChannel, REQUESTS } from '../../shared/ipc/names.js';
import type { EventPayloads } from '../../shared/ipc/contract.js';
import type { createApi } from '../../core/api.js';
import { callApi } from '../../core/api-call.js';
import type { Watcher } from '../../core/watcher.js';
import type { ContentsLike, IpcEventLike, Surfaces } from './surfaces.js';

/**
 * The only module that answers the renderer. A request is answered only when it comes from the
 * main frame of a window this app created, showing the app's own page (`isTrustedSender`); its
 * input is validated by `callApi` against the contract's schema.
 */
export function registerIpc(
  ipcMain: Surfaces['ipcMain'],
  handlers: ReturnType<typeof createApi>,
  isTrustedSender: (event: IpcEventLike) => boolean,
): void {
  for (const name of REQUESTS) {
    ipcMain.handle(ipcChannel(name), (event, input: unknown) => {
      if (!isTrustedSender(event)) {
        return {
          ok: false,
          error: { code: 'forbidden', message: 'request from a frame Headroom did not create' },
        };
      }
      return callApi(handlers, name, input);
    });
  }
}

export function trustedSender(
  BrowserWindow: Pick<Surfaces['BrowserWindow'], 'fromWebContents'>,
  isAppUrl: (url: string) => boolean,
): (event: IpcEventLike) => boolean {
  return (event) => {
    const frame = event.senderFrame;
    return (
      !!BrowserWindow.fromWebContents(event.sender) &&
      !!frame &&
      frame === event.sender.mainFrame &&
      isAppUrl(frame.url)
    );
  };
}

/** Forwards the watcher's live events to a window, until it is closed. */
export function pushEvents(watcher: Watcher, contents: ContentsLike): void {
  for (const name of EVENTS) {
    const forward = (payload: EventPayloads[typeof name]) => {
      if (!contents.isDestroyed()) contents.send(ipcChannel(name), payload);
    };
    watcher.events.on(name, forward as never);
    contents.once('destroyed', () => watcher.events.off(name, forward as never));
  }
}
