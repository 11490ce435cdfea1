import { EventEmitter } from 'node:events';
import type * as Electron from 'electron';
import type { Surfaces } from '../../electron/main/surfaces.js';

/**
 * The fake's surfaces for how the app ends and what it leaves: hidden windows that hear Windows'
 * session-end, and the crash reporter.
 */
export function endOfSessionFakes(record: (surface: string, call: string, ...args: unknown[]) => void) {
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
  return {
    BaseWindow: FakeBaseWindow as unknown as Surfaces['BaseWindow'] & (new (o: object) => FakeBaseWindow),
    baseWindows,
    crashReporter,
  };
}
