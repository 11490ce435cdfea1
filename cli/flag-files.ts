import { FileRefused, readableByOthers, readSmallFile } from '../core/fs/small-file.js';
import { UserError } from './errors.js';

/**
 * A file named by a flag, read with the one limit every such file has (readSmallFile: 1 MB, a
 * file or a pipe). `warn`, given for a secret, hears when others may read the file.
 */
export function readFlagText(flag: string, path: string, warn?: (line: string) => void): string {
  try {
    const { text, stat } = readSmallFile(path === '-' ? 0 : path);
    if (warn && readableByOthers(stat))
      warn(
        `--${flag} ${path} can be read by other users (mode ${(stat.mode & 0o777).toString(8)}); it holds a secret: chmod 600 it.`,
      );
    return text;
  } catch (error) {
    if (error instanceof FileRefused) throw new UserError(`--${flag} ${path} ${error.message}.`);
    const code = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
    throw new UserError(`--${flag} ${path}: cannot read it (${code}).`, { cause: error });
  }
}

/** `--FLAG PATH`'s file (`-`: standard input) as one value, less one trailing newline. */
export function readFlagFile(
  flag: string,
  path: string,
  options: { toRemove?: string; warn?: (line: string) => void } = {},
): string {
  const value = readFlagText(flag, path, options.warn).replace(/\r?\n$/, '');
  if (value === '')
    throw new UserError(`--${flag} ${path} is empty${options.toRemove ? `; ${options.toRemove}` : ''}.`);
  return value;
}
