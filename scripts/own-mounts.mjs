// `unshare --mount --propagation private node scripts/own-mounts.mjs COMMAND…` (run-tests.mjs):
// runs COMMAND in a mount namespace of its own, so that the disks the test:alone files mount
// (loop-mounted ext4, FUSE images) are seen by their own watchers only, never discovered by the
// watchers of the files running beside them, and the other files' disks mounted from now on are
// not seen here. The namespace starts as a copy of the machine's mounts, with the test disks the
// other files had mounted at that moment: those are let go first (in this copy only), or they
// would stay here, and be discovered as disks in their turn.
import { spawn, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const TEST_DISKS = join(tmpdir(), 'headroom-');
// The mount point is mountinfo's fifth field, with space, tab, newline and backslash in octal.
const points = readFileSync('/proc/self/mountinfo', 'utf8')
  .split('\n')
  .map((line) => line.split(' ')[4]?.replace(/\\([0-7]{3})/g, (_, o) => String.fromCharCode(parseInt(o, 8))))
  .filter((point) => point?.startsWith(TEST_DISKS));
// Outermost first: a lazy unmount takes what is mounted below with it.
for (const point of points.sort((a, b) => a.length - b.length))
  spawnSync('umount', ['--lazy', point], { stdio: 'ignore' });

const [command, ...args] = process.argv.slice(2);
const child = spawn(command, args, { stdio: 'inherit' });
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => child.kill(sig));
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
