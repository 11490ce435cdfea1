import { Writable } from 'node:stream';
import type { Configuration } from 'app-builder-lib';
import { DebugLogger, log } from 'builder-util';
import { getConfig, validateConfiguration } from 'app-builder-lib/out/util/config/config.js';
import { repoPath, ROOT } from './root.js';

const logger = log as unknown as { stream: NodeJS.WritableStream };

/** Runs `work` with electron-builder's log ("• loaded configuration …") kept in `said`. */
export async function quietBuilder<T>(work: () => Promise<T>, said: string[] = []): Promise<T> {
  // A test file's standard output carries the test runner's own messages: a line electron-builder
  // writes there between them broke one (`Unable to deserialize cloned data`, the file failed).
  const saved = logger.stream;
  logger.stream = new Writable({ write: (chunk, _, done) => done(void said.push(String(chunk))) });
  try {
    return await work();
  } finally {
    logger.stream = saved;
  }
}

/** build/electron-builder.yml as electron-builder reads it, after its own configuration check. */
export const builderConfig = (): Promise<Configuration> =>
  quietBuilder(async () => {
    const config = await getConfig(ROOT, repoPath('build/electron-builder.yml'), null);
    await validateConfiguration(config, new DebugLogger(false));
    return config;
  });
