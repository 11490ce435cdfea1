import { join } from 'node:path';
import { replaceFile } from '../fs/durable-file.js';

/** node_exporter's textfile collector reads `*.prom`; the temp file (`….prom.PID.RANDOM.tmp`) it skips. */
export const TEXTFILE_NAME = 'headroom.prom';

export interface TextfileEvents {
  /** A write failed (said once until one works again). */
  onFailed: (file: string, reason: string) => void;
  onRecovered: (file: string) => void;
}

/**
 * Keeps `DIR/headroom.prom` up to date for node_exporter's textfile collector: replaced atomically
 * (a scrape never reads half a file), readable by other users (node_exporter runs as its own user;
 * nothing on the page is secret), and not fsynced — it is rebuilt at the next sample if lost.
 * `write()` after every sample; `soon()` after a delivery changed, at most once a second.
 */
export function textfileWriter(dir: string, render: () => string, events: TextfileEvents) {
  const file = join(dir, TEXTFILE_NAME);
  let failing = false;
  let timer: NodeJS.Timeout | undefined;
  const write = () => {
    clearTimeout(timer);
    timer = undefined;
    try {
      void replaceFile(file, render(), 'none', 0o644);
      if (failing) events.onRecovered(file);
      failing = false;
    } catch (error) {
      if (!failing) events.onFailed(file, (error as NodeJS.ErrnoException).code ?? (error as Error).message);
      failing = true;
    }
  };
  return {
    file,
    write,
    soon: () => void (timer ??= setTimeout(write, 1_000).unref()),
    stop: () => clearTimeout(timer),
  };
}
