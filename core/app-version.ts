import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** The version in the project's package.json, found from wherever this file was compiled to. */
export function appVersion(): string {
  let dir = import.meta.dirname;
  for (let i = 0; i < 6; i++, dir = dirname(dir)) {
    const file = join(dir, 'package.json');
    if (!existsSync(file)) continue;
    const pkg = JSON.parse(readFileSync(file, 'utf8')) as { name?: string; version?: string };
    if (pkg.name === 'headroom') return pkg.version ?? '0.0.0';
  }
  return '0.0.0';
}
