// The desktop app's entry: Electron's modules handed to `startApp`, which the tests run with
// recording fakes of the same surfaces. Nothing else belongs here.
import { join } from 'node:path';
import * as electron from 'electron';
import ElectronStore from 'electron-store';
import electronUpdater from 'electron-updater';
import { startApp } from './app.js';

const { app, dialog } = electron;

const started = startApp(
  // electron-updater's updater is made (by its getter) only when a policy names a feed.
  { ...electron, Store: ElectronStore, updater: () => electronUpdater.autoUpdater },
  {
    argv: process.argv,
    platform: process.platform,
    env: process.env,
    execPath: process.execPath,
    rendererFile: join(import.meta.dirname, '..', '..', 'renderer', 'index.html'),
    preloadFile: join(import.meta.dirname, '..', 'preload.cjs'),
  },
);
// Lets automation wait for readiness instead of sleeping: a line on stdout, and the promise itself
// for a test that attaches later (Playwright's app.evaluate), when that line is long gone.
(globalThis as { headroomStarted?: Promise<boolean> }).headroomStarted = started;
started.then(
  (ok) => ok && process.stdout.write('headroom:ready\n'),
  (error: unknown) => {
    dialog.showErrorBox('Headroom could not start', error instanceof Error ? error.message : String(error));
    app.exit(1);
  },
);
