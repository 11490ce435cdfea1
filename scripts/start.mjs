// `npm start`: the desktop app where Electron can run; otherwise the same core headless, with the
// web UI, so the command works on every machine (servers, CI sandboxes) and says in one line which
// it chose and why. It never downloads Electron unless asked: `npm start -- --install-electron`
// (npm 11 skips install scripts unless approved, so a fresh `npm ci` may lack the binary).
import { spawn } from 'node:child_process';
import { electronBinary, installElectron } from './electron-binary.mjs';

const OWN_FLAGS = ['--headless', '--install-electron'];
const args = process.argv.slice(2).filter((a) => !OWN_FLAGS.includes(a));
let electron = process.argv.includes('--headless') ? { reason: 'asked to (--headless)' } : electronBinary();
if (!electron.path && process.argv.includes('--install-electron')) {
  console.error('headroom: downloading the Electron binary (asked with --install-electron)…');
  electron = installElectron();
}
const [cmd, cmdArgs] = electron.path
  ? [electron.path, ['.', ...args]]
  : [process.execPath, ['bin/headroom.js', 'watch', '--ui', '127.0.0.1:8484', ...args]];
if (!electron.path) console.error(`headroom: running headless with the web UI: ${electron.reason}.`);
const child = spawn(cmd, cmdArgs, { stdio: 'inherit' });
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => child.kill(sig));
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
