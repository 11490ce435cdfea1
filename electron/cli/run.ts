import { main } from './main.js';

const argv = process.argv.slice(2);
const controller = new AbortController();
if (argv[0] === 'watch') {
  // The first signal ends `watch` after the sample in progress; a second one ends it at once.
  for (const sig of ['SIGINT', 'SIGTERM'] as const) {
    process.on(sig, () => {
      if (controller.signal.aborted) process.exit(130);
      controller.abort();
    });
  }
}

const code = await main(argv, undefined, controller.signal);
// A statfs stuck on a dead network mount would keep the event loop alive: do not wait for it.
process.exit(code);
