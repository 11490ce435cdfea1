import type { Surfaces } from '../../electron/main/surfaces.js';

/** The fake's surfaces for what the app leaves behind: the crash reporter. */
export function endOfSessionFakes(record: (surface: string, call: string, ...args: unknown[]) => void) {
  const crashReporter: Surfaces['crashReporter'] = {
    start: (o) => record('crashReporter', 'start', o),
  };
  return {
    crashReporter,
  };
}
