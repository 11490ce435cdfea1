import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

export const exec = promisify(execFile);

const MiB = 1024 * 1024;

/** What the workloads read, made once per run off the disk under test (in /tmp). */
export interface Inputs {
  dir: string;
  /** An uncompressed tar of ~48 MiB: files of 4 KiB to 4 MiB, mostly incompressible. */
  tarball: string;
  /** A git repository of a few MiB in three commits. */
  repo: string;
  /** ~27 MB of text lines for `sort`. */
  sortInput: string;
  /** Files for the copy spikes, by size in MiB. */
  copies: Record<number, string>;
}

/** Random bytes from urandom, written in pieces so a large file does not sit in memory at once. */
async function randomFile(path: string, bytes: number, text = false): Promise<void> {
  await writeFile(path, '');
  for (let left = bytes; left > 0; left -= 4 * MiB) {
    const piece = randomBytes(Math.min(left, 4 * MiB));
    // Text: base64 in lines of 60, as sort's input is.
    const data = text ? (piece.toString('base64').match(/.{1,60}/g) ?? []).join('\n') + '\n' : piece;
    await writeFile(path, data, { flag: 'a' });
  }
}

export async function makeInputs(copySizesMiB: number[]): Promise<Inputs> {
  const dir = await mkdtemp(join(tmpdir(), 'headroom-bench-inputs-'));
  try {
    const tree = join(dir, 'tree');
    await mkdir(join(tree, 'lib'), { recursive: true });
    await mkdir(join(tree, 'docs'));
    // A project-like tree: many small files, some large ones.
    for (let i = 0; i < 400; i++) await randomFile(join(tree, 'docs', `page-${i}.txt`), 4096 + i * 97, true);
    for (let i = 0; i < 12; i++) await randomFile(join(tree, 'lib', `blob-${i}.bin`), 4 * MiB - i * 4096);
    const tarball = join(dir, 'tree.tar');
    await exec('tar', ['-cf', tarball, '-C', tree, '.']);

    const repo = join(dir, 'repo');
    await mkdir(repo);
    const git = (...args: string[]) =>
      exec('git', ['-C', repo, '-c', 'user.name=bench', '-c', 'user.email=bench@localhost', ...args]);
    await git('init', '-q');
    for (let c = 0; c < 3; c++) {
      await randomFile(join(repo, `asset-${c}.bin`), 1.5 * MiB);
      await randomFile(join(repo, `notes-${c}.txt`), 256 * 1024, true);
      await git('add', '-A');
      await git('commit', '-q', '-m', `commit ${c}`);
    }

    const sortInput = join(dir, 'lines.txt');
    await randomFile(sortInput, 20 * MiB, true);

    const copies: Record<number, string> = {};
    for (const size of copySizesMiB) {
      copies[size] = join(dir, `copy-${size}.bin`);
      await randomFile(copies[size], size * MiB);
    }
    await rm(tree, { recursive: true });
    return { dir, tarball, repo, sortInput, copies };
  } catch (error) {
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
}
