import { mkdtemp, rename, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from './cli.js';

/** A policy file in a folder of its own (secret files beside it); its path. */
export async function writePolicy(policy: unknown, dir?: string): Promise<string> {
  const folder = dir ?? (await mkdtemp(join(tmpdir(), 'headroom-policy-')));
  const file = join(folder, 'policy.json');
  // Replaced, as configuration management does: a watcher never reads half a file.
  await writeFile(`${file}.new`, typeof policy === 'string' ? policy : JSON.stringify(policy, null, 2));
  await rename(`${file}.new`, file);
  return file;
}

/** The CLI as run under the policy file `policy` (HEADROOM_POLICY). */
export const cliUnder = (args: string[], home: string, policy: string, env: NodeJS.ProcessEnv = {}) =>
  runCli(args, home, { HEADROOM_POLICY: policy, ...env });
