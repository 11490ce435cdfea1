import { commandArguments } from './argv.js';
import { main } from './main.js';
import { outputFlushed } from './output.js';

const argv = commandArguments();
const controller = new AbortController();
if (argv[0] === 'watch') {
  // The first signal ends `watch` after the sample in progress; a second one ends it at once.
  // conf's atomic writer (when-exit) re-raises the signal it saw, so an echo within the same
  // moment is the same signal, not the user's second Ctrl+C.
  let first = 0;
  for (const sig of ['SIGINT', 'SIGTERM'] as const) {
    process.on(sig, () => {
      if (!first) {
        first = Date.now();
        controller.abort();
      } else if (Date.now() - first > 500) {
        process.exit(130);
      }
    });
  }
}

// No top-level await: the bundle is CommonJS (scripts/build-cli.mjs says why). A statfs stuck on
// a dead network mount would keep the event loop alive: exit rather than wait for it, once what
// the output streams hold (a non-blocking pipe's) is written.
void main(argv, undefined, controller.signal).then(async (code) => {
  await outputFlushed();
  process.exit(code);
});
