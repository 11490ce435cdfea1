import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AppUpdater, UpdateInfo } from 'electron-updater';
import type { DesktopLog } from './diagnostics.js';
import type { Listens } from './surfaces.js';

/** electron-updater's updater, narrowed to what Headroom uses: tests hand over their own. */
export type UpdaterLike = Pick<
  AppUpdater,
  'setFeedURL' | 'checkForUpdates' | 'autoDownload' | 'autoInstallOnAppQuit' | 'logger'
> & { updateConfigPath: string | null } & Listens<{
    'update-downloaded': (info: UpdateInfo) => void;
  }>;

/** How often a running app looks again: a release a day is plenty for a disk watcher. */
export const CHECK_EVERY_MS = 6 * 3600_000;

export interface UpdateOptions {
  /** The feed the policy names now, if any: read at every check, so a new policy applies. */
  feed: () => string | undefined;
  /** Makes electron-updater's updater; called at the first check that has a feed, never before. */
  make: () => UpdaterLike;
  /** Where the updater's own settings go (electron-builder puts them in the package). */
  dir: string;
  log: Pick<DesktopLog, 'write' | 'warn'>;
  downloaded: (version: string) => void;
}

/**
 * Updates from the feed the organisation's policy names, and only then: without a feed no updater
 * is made, nothing is asked of any server. A found release is downloaded, checked against its
 * sha512 and installed when the user quits Headroom (electron-updater's own way).
 */
export class Updates {
  private updater: UpdaterLike | undefined;
  private feedInUse: string | undefined;
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly o: UpdateOptions) {}

  /** Checks now and then every CHECK_EVERY_MS until stopped. */
  start(): void {
    void this.check();
    this.timer = setInterval(() => void this.check(), CHECK_EVERY_MS);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
  }

  /** One check, if a feed is named; errors go to the log, never to the user mid-work. */
  async check(): Promise<void> {
    const feed = this.o.feed();
    if (!feed) return;
    try {
      const updater = this.prepare(feed);
      await updater.checkForUpdates();
    } catch (error) {
      this.o.log.warn(`update check at ${feed} failed: ${(error as Error).message}`);
    }
  }

  private prepare(feed: string): UpdaterLike {
    const updater = (this.updater ??= this.make());
    if (feed !== this.feedInUse) {
      // The settings electron-builder would have packaged (app-update.yml): the feed comes from
      // the policy instead, so no build has to name it, and the download cache gets its name.
      const file = join(this.o.dir, 'updates', 'app-update.yml');
      mkdirSync(join(this.o.dir, 'updates'), { recursive: true, mode: 0o700 });
      writeFileSync(
        file,
        `provider: generic\nurl: ${JSON.stringify(feed)}\nupdaterCacheDirName: headroom-updater\n`,
        { mode: 0o600 },
      );
      updater.updateConfigPath = file;
      updater.setFeedURL({ provider: 'generic', url: feed });
      this.feedInUse = feed;
    }
    return updater;
  }

  private make(): UpdaterLike {
    const updater = this.o.make();
    updater.autoDownload = true;
    updater.autoInstallOnAppQuit = true;
    const line = (level: string, message: unknown) => `updates: ${level}: ${String(message)}`;
    updater.logger = {
      info: (m: unknown) => this.o.log.write(line('info', m)),
      warn: (m: unknown) => this.o.log.write(line('warning', m)),
      // Said once, by check(), on stderr too.
      error: (m: unknown) => this.o.log.write(line('error', m)),
    };
    updater.on('update-downloaded', (info) => this.o.downloaded(info.version));
    return updater;
  }
}
