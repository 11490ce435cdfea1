import { EventEmitter } from 'node:events';
import type * as Electron from 'electron';
import type { Surfaces } from '../../electron/main/surfaces.js';
import type { UpdaterLike } from '../../electron/main/updates.js';

export interface EndOfSessionOptions {
  /** Makes the updater (a real electron-updater one, in the update tests); without it a call fails. */
  updater?: () => UpdaterLike;
}

/**
 * The fake's surfaces for how the app ends and what it leaves: hidden windows that hear Windows'
 * session-end, the crash reporter, and the updater factory (recorded when called: without a feed
 * nothing may call it).
 */
export function endOfSessionFakes(
  record: (surface: string, call: string, ...args: unknown[]) => void,
  options: EndOfSessionOptions,
) {
  const baseWindows: FakeBaseWindow[] = [];
  class FakeBaseWindow extends EventEmitter {
    constructor(readonly options: Electron.BaseWindowConstructorOptions) {
      super();
      baseWindows.push(this);
      record('baseWindow', 'new', options);
    }
    /** Windows ends the session: shutdown, restart or logoff. */
    endSession(...reasons: Electron.WindowSessionEndEvent['reasons']) {
      this.emit('session-end', { reasons });
    }
  }
  const crashReporter: Surfaces['crashReporter'] = {
    start: (o) => record('crashReporter', 'start', o),
  };
  const updater = () => {
    record('updater', 'made');
    if (options.updater) return options.updater();
    throw new Error('this test gave the fake no updater');
  };
  return {
    BaseWindow: FakeBaseWindow as unknown as Surfaces['BaseWindow'] & (new (o: object) => FakeBaseWindow),
    baseWindows,
    crashReporter,
    updater,
  };
}
