import assert from 'node:assert/strict';
import type { closeAfterEach } from './cleanup.js';
import { launch, type Desktop } from './desktop.js';

/** An integration as the window saves it: a webhook with a bearer token. */
export const webhook = (name: string, token = 'tok-desktop-SECRET') => ({
  type: 'webhook',
  name,
  enabled: true,
  mounts: [],
  severity: 'all',
  config: { url: 'https://127.0.0.1:1/hook', auth: 'bearer', token },
});

type Ok<T> = { ok: true; value: T };
/** The value of an IPC answer that must have succeeded. */
export const ok = <T>(result: unknown): T => {
  assert.equal((result as { ok: boolean }).ok, true, JSON.stringify(result));
  return (result as Ok<T>).value;
};

/** The titles of the notifications the app has shown. */
export const titles = (app: Desktop) => app.fake.notifications.map((n) => n.options.title ?? '');

/** Starts the app and quits it after the test, even a failing one (`cleanup`: the file's). */
export const startClosed =
  (cleanup: ReturnType<typeof closeAfterEach>) =>
  async (home: string, options: Parameters<typeof launch>[1] = {}): Promise<Desktop> => {
    const app = await launch(home, options);
    if (app.started) cleanup(async () => void (await app.quit()));
    return app;
  };
