import { useJoseLoader } from '../../shared/jws.js';
import { createRequire } from '../builtins.js';

/**
 * The libraries the alert path loads on first use (an idle watcher does not pay for them), loaded
 * so that a failure is never permanent: Node caches a failed `import()` — and the package.json
 * lookup behind it — for the life of the process, so one EMFILE while the file table was full
 * would silence every later delivery (found by flooding the web UI's port).
 */
let require: NodeJS.Require | undefined;

/** CommonJS keeps no failed load: the next delivery simply tries again. */
export const loadUndici = (): typeof import('undici') =>
  (require ??= createRequire(import.meta.url))('undici');

// Resolved now, at start, while files can still be opened.
const JOSE = import.meta.resolve('jose');
let joseAttempts = 0;
let jose: Promise<typeof import('jose')> | undefined;

/** After a failed load, the next one asks under a fresh URL, which Node has not cached. */
export function loadJose(): Promise<typeof import('jose')> {
  jose ??= import(joseAttempts++ ? `${JOSE}?attempt=${joseAttempts}` : JOSE).catch((error: unknown) => {
    jose = undefined;
    throw error;
  });
  return jose;
}

useJoseLoader(loadJose);
