import { readdir, readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';

/**
 * What is wrong with the files of a data directory, one line each: a `*.json` that is not a JSON
 * object, a line of `history.jsonl` that does not parse, a file moved aside as corrupt, and (with
 * `staleTemp`) a temp file a cut-short write left behind. Empty when all is well.
 */
export async function damagedDataFiles(home: string, options: { staleTemp?: boolean } = {}) {
  const problems: string[] = [];
  for (const file of await filesUnder(home)) {
    const name = relative(home, file);
    if (/\.corrupt/.test(name)) problems.push(`${name}: moved aside as corrupt`);
    else if (name.endsWith('.tmp')) {
      if (options.staleTemp) problems.push(`${name}: a temp file left behind`);
    } else if (name.endsWith('.json')) {
      const text = await readFile(file, 'utf8').catch(() => undefined);
      if (text === undefined) continue; // removed meanwhile (a delivery ended): not damage
      if (!isObject(text)) problems.push(`${name}: not a JSON object: ${JSON.stringify(text.slice(0, 80))}`);
    } else if (name === 'history.jsonl') {
      const lines = (await readFile(file, 'utf8')).split('\n');
      lines.forEach((line, i) => {
        if (line !== '' && !isObject(line))
          problems.push(`${name}:${i + 1}: ${JSON.stringify(line.slice(0, 80))}`);
      });
    }
  }
  return problems;
}

function isObject(text: string): boolean {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null && !Array.isArray(value);
  } catch {
    return false;
  }
}

async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
  const nested = await Promise.all(
    entries.map((e) => (e.isDirectory() ? filesUnder(join(dir, e.name)) : [join(dir, e.name)])),
  );
  return nested.flat();
}
