import { request, type ClientRequest, type IncomingMessage, type RequestOptions } from 'node:http';
import { join } from 'node:path';
import electronUpdater from 'electron-updater';
import type { AppAdapter } from 'electron-updater/out/AppAdapter.js';
import electronHttp from 'electron-updater/out/electronHttpExecutor.js';
import type { UpdaterLike } from '../../electron/main/updates.js';

/**
 * electron-updater's own HTTP side (redirects, downloads, checksums), its requests made with Node's
 * http where the app uses Electron's `net` (there is no Electron here).
 */
class NodeHttpExecutor extends electronHttp.ElectronHttpExecutor {
  // @ts-expect-error Electron's ClientRequest there, Node's here: the same calls are made on it.
  override createRequest(
    options: RequestOptions,
    callback: (response: IncomingMessage) => void,
  ): ClientRequest {
    return request(options, callback);
  }
}

/**
 * electron-updater's own Linux updater for a .deb (`DebUpdater`: what a deb install gets), running
 * outside Electron: its app adapter is this one (version, folders) instead of Electron's `app`, and
 * it fetches with Node's http instead of Electron's `net`. Everything between — the feed's
 * `latest-linux.yml`, the version comparison, the download and its sha512 check — is the real code.
 * Installing on quit is not run: `onQuit` records the handler and never calls it.
 */
export function realDebUpdater(home: string, version = '0.1.0') {
  const quitHandlers: ((code: number) => void)[] = [];
  const adapter: AppAdapter = {
    version,
    name: 'Headroom',
    isPackaged: true,
    appUpdateConfigPath: join(home, 'no-app-update.yml'),
    userDataPath: home,
    baseCachePath: join(home, 'cache'),
    whenReady: () => Promise.resolve(),
    relaunch: () => {},
    quit: () => {},
    onQuit: (handler) => void quitHandlers.push(handler),
  };
  const updater = new electronUpdater.DebUpdater(null, adapter);
  (updater as unknown as { httpExecutor: NodeHttpExecutor }).httpExecutor = new NodeHttpExecutor();
  return { updater: updater as UpdaterLike, quitHandlers, cacheDir: join(home, 'cache', 'headroom-updater') };
}
