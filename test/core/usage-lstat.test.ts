import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { link, mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  BLOCKS,
  bindingLstat,
  DEV,
  INO,
  MODE,
  NLINK,
  publicLstat,
  SIZE,
  type LstatFields,
} from '../../core/usage/lstat-fields.js';
import { after, before, describe, it } from '../helpers/node-test.js';

const FIELDS = { dev: DEV, mode: MODE, nlink: NLINK, ino: INO, size: SIZE, blocks: BLOCKS };
const read = (lstat: LstatFields, path: string | Buffer) => {
  const a = lstat(path);
  return a && Object.fromEntries(Object.entries(FIELDS).map(([name, i]) => [name, a[i]]));
};
const codeOf = (lstat: LstatFields, path: string) => {
  try {
    lstat(path);
    return 'no error';
  } catch (error) {
    return (error as NodeJS.ErrnoException).code;
  }
};

/**
 * The scan's lstat (core/usage/lstat-fields.ts): Node's fs binding where it answers as lstatSync
 * does, which the usage scan then trusts with every file it sizes.
 */
describe("the usage scan's lstat", () => {
  let dir: string;
  const fast = bindingLstat();
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'headroom-lstat-'));
    await writeFile(join(dir, 'file'), Buffer.alloc(10_000, 'x'));
    await mkdir(join(dir, 'dir'));
    await symlink(join(dir, 'file'), join(dir, 'link'));
    await link(join(dir, 'file'), join(dir, 'hard'));
    execFileSync('mkfifo', [join(dir, 'fifo')]);
    await writeFile(Buffer.concat([Buffer.from(`${dir}/caf`), Buffer.from([0xe9])]), 'latin-1 name');
  });
  after(() => rm(dir, { recursive: true, force: true }));

  it('takes the fast path on this Node (the bench measures it)', () => {
    assert.ok(
      fast,
      `process.binding('fs').lstat is missing or answers unlike lstatSync on Node ${process.version}`,
    );
  });

  it('reads every kind of entry as lstatSync does: files, directories, symlinks not followed, hard links, FIFOs, names that are not UTF-8', () => {
    const latin1 = Buffer.concat([Buffer.from(`${dir}/caf`), Buffer.from([0xe9])]);
    for (const path of ['file', 'dir', 'link', 'hard', 'fifo'].map((n) => join(dir, n)).concat(dir)) {
      const expected = read(publicLstat, path);
      assert.deepEqual(read(fast!, path), expected, path);
    }
    assert.deepEqual(read(fast!, latin1), read(publicLstat, latin1));
    assert.equal(read(fast!, join(dir, 'link'))!.size, join(dir, 'file').length, 'the link itself');
    assert.equal(read(fast!, join(dir, 'hard'))!.nlink, 2);
  });

  it('answers undefined for an entry deleted meanwhile, and throws the same error code as lstatSync otherwise', () => {
    assert.equal(fast!(join(dir, 'gone')), undefined);
    assert.equal(publicLstat(join(dir, 'gone')), undefined);
    const notDir = join(dir, 'file', 'below');
    assert.equal(codeOf(fast!, notDir), 'ENOTDIR');
    assert.equal(codeOf(publicLstat, notDir), 'ENOTDIR');
  });

  it('is not taken where Node was asked to report deprecations, so a scan prints no warning', () => {
    const module = fileURLToPath(new URL('../../core/usage/lstat-fields.js', import.meta.url));
    const script = `import(${JSON.stringify(module)}).then((m) => console.log(m.bindingLstat() === null, m.scanLstat()('/').length))`;
    const run = spawnSync(process.execPath, ['--pending-deprecation', '-e', script], { encoding: 'utf8' });
    assert.equal(run.stderr, '', 'no DeprecationWarning');
    assert.equal(run.stdout.trim(), 'true 10', 'the public lstat answered');
  });
});
