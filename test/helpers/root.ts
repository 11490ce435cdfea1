import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The repository's root, from the source (test/helpers/) or from its build (dist-tests/test/helpers/,
 * what `npm run test:unit` runs): files of the repository are named from here, never relative
 * to the module that names them.
 */
export const ROOT = fileURLToPath(
  new URL(import.meta.url.includes('/dist-tests/test/') ? '../../../' : '../../', import.meta.url),
);

/** A file of the repository, by its path from the root (`bin/headroom.js`). */
export const repoPath = (path: string): string => join(ROOT, path);
