import { dirname } from 'node:path';

/**
 * A write refused because the disk holding `file` is full: one line that names the folder and
 * says nothing was written, not a stack trace about a lock. The code stays ENOSPC, so whatever
 * tells storage errors apart (storage-health) still knows it.
 */
export class NoSpaceLeft extends Error {
  readonly code = 'ENOSPC';

  constructor(
    readonly file: string,
    options?: ErrorOptions,
  ) {
    super(
      `no space left on ${dirname(file)}; nothing was written (free some space there and try again)`,
      options,
    );
  }
}

/** `error` as NoSpaceLeft when it is ENOSPC from writing `file`, else as it is. */
export function noSpaceOr(error: unknown, file: string): unknown {
  if (error instanceof NoSpaceLeft) return error;
  return (error as NodeJS.ErrnoException)?.code === 'ENOSPC'
    ? new NoSpaceLeft(file, { cause: error })
    : error;
}
