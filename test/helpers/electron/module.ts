// What `import … from 'electron'` gives under register.mjs (through resolve.mjs): one recording fake for the process.
// electron-store reads `app` and `ipcMain` from it; the bootstrap test runs the built app on it.
// HEADROOM_FAKE_ELECTRON_LOG=1 prints each recorded call to stderr as `fake-electron: {json}`,
// and SIGTERM quits the app as Electron does, so a test in another process can follow along.
import { createFakeElectron } from '../fake-electron.js';

const fake = createFakeElectron({
  // The bootstrap passes its own electron-store; nothing else uses this.
  Store: function Store(): never {
    throw new Error('pass electron-store to startApp');
  } as never,
});

if (process.env.HEADROOM_FAKE_ELECTRON_LOG) {
  let printed = 0;
  const print = () => {
    for (const entry of fake.log.slice(printed))
      process.stderr.write(`fake-electron: ${JSON.stringify(entry)}\n`);
    printed = fake.log.length;
  };
  void fake.until(() => (print(), false), 'the end of the process', 2 ** 31 - 1).catch(() => {});
  process.on('SIGTERM', () => fake.app.quit());
  // As Electron's app.exit: the process ends with the code.
  void fake.exited.then((code) => process.exit(code));
}

export const {
  app,
  Tray,
  Menu,
  nativeImage,
  Notification,
  BrowserWindow,
  ipcMain,
  safeStorage,
  shell,
  powerMonitor,
  dialog,
  BaseWindow,
  crashReporter,
} = fake;
export default fake;
