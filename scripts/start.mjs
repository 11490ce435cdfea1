// `npm start`: the desktop app where Electron can run; otherwise the same core headless, with the
// web UI, so the command works on every machine (servers, CI sandboxes) and says which it chose.
import { spawn } from 'node:child_process';
import { electronBinary, installElectron } from './electron-binary.mjs';

// npm 11 does not run install scripts unless approved, so a fresh `npm ci` may lack the binary:
// fetch it once here (not in CI, whose sandboxes have no internet).
let electron = electronBinary();
if (!electron.path && !process.env.CI && !process.argv.includes('--headless')) electron = installElectron();
const [cmd, args] = electron.path
  ? [electron.path, ['.', ...process.argv.slice(2)]]
  : [
      process.execPath,
      [
        'bin/headroom.js',
        'watch',
        '--ui',
        '127.0.0.1:8484',
        ...process.argv.slice(2).filter((a) => a !== '--headless'),
      ],
    ];
if (!electron.path)
  console.error(`headroom: starting headless with the web UI (headroom watch --ui): ${electron.reason}`);
const child = spawn(cmd, args, { stdio: 'inherit' });
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => child.kill(sig));
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
