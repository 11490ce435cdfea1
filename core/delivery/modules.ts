import { useJoseLoader, type JoseSigner } from '../../shared/jws.js';
import { createRequire } from '../builtins.js';
import { BUNDLED } from '../bundled.js';

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

// Resolved now, at start, while files can still be opened (not needed in the bundle: nothing to
// resolve, and resolving a package's exports loads part of Node's ES module loader).
const JOSE = BUNDLED ? '' : import.meta.resolve('jose');
let joseAttempts = 0;
let jose: Promise<JoseSigner> | undefined;

/** After a failed load, the next one asks under a fresh URL, which Node has not cached. */
export function loadJose(): Promise<JoseSigner> {
  // The CLI's bundle carries the part of jose it uses (scripts/build-cli.mjs).
  if (BUNDLED) return import('./jose-sign.js');
  jose ??= import(joseAttempts++ ? `${JOSE}?attempt=${joseAttempts}` : JOSE).catch((error: unknown) => {
    jose = undefined;
    throw error;
  });
  return jose;
}

useJoseLoader(loadJose);

/** nodemailer, for the e-mail channel: loaded on its first message, as undici is. */
export const loadNodemailer = (): typeof import('nodemailer') =>
  (require ??= createRequire(import.meta.url))('nodemailer');
