// The desktop app as `npm test` runs it: the shipped wiring (`startApp`) on the recording fake of
// Electron's surfaces, with the real electron-store (its `electron` import mapped to the fake).
import './electron/register.mjs';
import { join } from 'node:path';
import { startApp, type AppOptions } from '../../electron/main/app.js';
import type { Surfaces } from '../../electron/main/surfaces.js';
import { trayImageSet } from '../../electron/main/tray-icons.js';
import type { TrayIconState } from '../../electron/main/tray-model.js';
import { discoverMounts } from '../../core/mount-table.js';
import { createFakeElectron, type FakeElectron, type FakeOptions } from './fake-electron.js';
import { runCli } from './cli.js';

// After register.mjs, so that electron-store's own `import electron` finds the fake.
const { default: ElectronStore } = await import('electron-store');

export const RENDERER = '/opt/Headroom/resources/app.asar/dist/renderer/index.html';

export interface Desktop {
  fake: FakeElectron;
  started: boolean;
  /** Quits through the app's own path (before-quit) and waits for its exit code. */
  quit(): Promise<number>;
}

/** Starts the desktop app on `home` as its data directory. */
export async function launch(
  home: string,
  options: Partial<Omit<FakeOptions, 'Store'>> & Partial<AppOptions> = {},
): Promise<Desktop> {
  const fake = createFakeElectron({ Store: ElectronStore as unknown as Surfaces['Store'], ...options });
  const started = await startApp(fake, {
    argv: options.argv ?? ['/opt/Headroom/headroom'],
    platform: options.platform ?? 'linux',
    env: options.env ?? { HEADROOM_HOME: home, XDG_CONFIG_HOME: join(home, 'xdg') },
    execPath: options.execPath ?? '/opt/Headroom/headroom',
    rendererFile: RENDERER,
    preloadFile: '/opt/Headroom/resources/app.asar/dist/electron/preload.cjs',
  });
  return {
    fake,
    started,
    async quit() {
      fake.app.quit();
      return fake.exited;
    },
  };
}

/** Watches only `mount` (with the CLI, as a user would): the machine's own disks are left out. */
export async function watchOnly(home: string, mount: string, ...more: string[]): Promise<void> {
  const others = (await discoverMounts()).map((m) => m.mount).filter((m) => m !== mount);
  const result = await runCli(
    ['settings', 'set', `watchedMounts=${mount}`, `ignoredMounts=${others.join(',')}`, ...more],
    home,
  );
  if (result.code !== 0) throw new Error(`headroom settings set failed: ${result.stderr}`);
}

/** Which state the tray icon shows, told from its pixels. */
export function iconState(fake: FakeElectron): TrayIconState | undefined {
  const image = fake.tray.image as unknown as { representations: { buffer?: Buffer }[] };
  const shown = image.representations[0]?.buffer;
  return (['ok', 'warning', 'critical', 'unreachable', 'paused'] as const).find((state) =>
    trayImageSet(state, 'linux').representations[0]!.buffer.equals(shown ?? Buffer.alloc(0)),
  );
}
