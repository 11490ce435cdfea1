import { readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';

/** Whether a process with this pid runs (EPERM: it does, as another user). */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Removes the temp files (`name.PID.RANDOM.tmp`, see replaceFile) that a process killed mid-write left
 * in `dir`. Their content was never promised to anyone; a live process's are left alone, since
 * the CLI may be saving beside the running app.
 */
export function removeStaleTemps(dir: string): void {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return; // not created yet
  }
  for (const name of names) {
    const pid = /\.(\d+)(?:\.[0-9a-f]+)?\.tmp$/.exec(name)?.[1];
    if (pid && (Number(pid) === process.pid || !isAlive(Number(pid))))
      rmSync(join(dir, name), { force: true });
  }
}
