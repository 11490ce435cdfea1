import { dataDir, ensureDataDir } from '../core/data-dir.js';
import type { StoreWarning } from '../core/json-store.js';
import { openRuntime, type Runtime, type RuntimeOptions } from '../core/runtime.js';
import { visible, visibleLines } from './escape.js';
import { stderrIsTerminal, writeErr, writeOut } from './output.js';

export interface CliIO {
  out: (line: string) => void;
  err: (line: string) => void;
  /** `--utc`: times in ISO 8601 UTC instead of local time with its zone. */
  utc?: boolean;
  /** A progress line that rewrites itself ('' clears it): only where stderr is a terminal. */
  status?: (line: string) => void;
  /** Whether printing the answer failed (a full disk, say): the command then did not do its job. */
  outputFailed?: () => boolean;
}

/**
 * The terminal. Whatever a command prints passes through `visibleLines`: a control character that
 * slipped into a message from user data or a receiver is shown escaped, never acted on. (Values
 * inside one line, where a newline would also mislead, are escaped where they are written.)
 */
export const stdio: CliIO = {
  out: (line) => writeOut(`${visibleLines(line)}\n`),
  err: (line) => writeErr(`${visibleLines(line)}\n`),
  outputFailed: () => writeOut.failure !== undefined,
  // Asked for by the commands that show progress, so `watch` never loads node:tty for it.
  get status() {
    if (!stderrIsTerminal()) return undefined;
    return (line: string) =>
      // Cut to the terminal's width: a wrapped line could not be rewritten in place.
      writeErr(`\r${visibleLines(line).slice(0, (process.stderr.columns || 80) - 1)}\x1b[K`);
  },
};

/** Says which data file could not be read, where it went, and why. */
export function warningPrinter(io: CliIO): (w: StoreWarning) => void {
  return (w) =>
    io.err(
      `headroom: ${w.file} could not be read and was moved to ${w.movedTo}; ${w.instead ?? 'starting from defaults'}.\n` +
        `  reason: ${w.reason.replaceAll('\n', '\n  ')}`,
    );
}

/**
 * The data directory and its stores, with any file that had to be moved aside reported, and what
 * of the organisation's policy does not apply (with its file and field).
 */
export function openContext(io: CliIO, options: Omit<RuntimeOptions, 'onWarning'> = {}) {
  const runtime = openRuntime(ensureDataDir(dataDir()), { ...options, onWarning: warningPrinter(io) });
  reportPolicy(runtime, io);
  return runtime;
}

function reportPolicy(runtime: Runtime, io: CliIO): void {
  const { location } = runtime.policy;
  if (location.ignored) io.err(`headroom: ${location.ignored}.`);
  const policy = runtime.policy.current();
  if (!policy) return;
  // Broken managed integrations are listed where integrations are (`integration list`, `watch`).
  for (const p of policy.problems.filter((p) => !p.field.startsWith('integrations[')))
    io.err(`headroom: policy ${policy.file}: ${visible(p.field)}: ${visible(p.message)}.`);
  const broken = policy.integrationProblems.length;
  if (broken)
    io.err(
      `headroom: policy ${policy.file}: ${broken} managed integration(s) cannot be loaded (see \`headroom integration list\`); the rest of the policy applies.`,
    );
  for (const c of runtime.settings.conflicts()) io.err(`headroom: ${visible(c.message)}.`);
}
