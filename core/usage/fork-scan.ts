import type { ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { BUNDLED } from '../bundled.js';

/** Run from source (tests, scripts), the scan's scripts are TypeScript, run under tsx. */
export const SOURCE = import.meta.url.endsWith('.ts');

/** In dist/cli the scanner is an ES module and its helper CommonJS (scripts/build-cli.mjs). */
const BUNDLE_EXTENSION = { 'scan-worker': 'js', 'scan-helper': 'cjs' } as const;
type ScanScript = keyof typeof BUNDLE_EXTENSION;

/** A scan script beside this file: from source, `name`.ts; built alone, `name`.js. */
export const scanScript = (name: ScanScript): URL =>
  new URL(`./${name}.${SOURCE ? 'ts' : BUNDLED ? BUNDLE_EXTENSION[name] : 'js'}`, import.meta.url);

/**
 * Starts a scan script as a Node process of its own (the scanner, or one of its helpers), talking
 * over IPC. node:child_process is loaded at the first scan, not by an idle watcher.
 */
export function forkScan(name: ScanScript, args: string[], flags: string[]): ChildProcess {
  const { fork } = process.getBuiltinModule('node:child_process');
  return fork(fileURLToPath(scanScript(name)), args, {
    serialization: 'advanced', // names that are not UTF-8 travel as bytes
    stdio: ['ignore', 'ignore', 'ignore', 'ipc'],
    // A small young generation: what each directory's read leaves is garbage at once.
    execArgv: [
      ...(SOURCE ? ['--import', import.meta.resolve('tsx')] : []),
      '--max-semi-space-size=1',
      ...flags,
    ],
  });
}
