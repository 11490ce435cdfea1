import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdir, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { after, before, describe, it } from '../helpers/node-test.js';
import { closeAfterEach } from '../helpers/cleanup.js';
import { tempHome } from '../helpers/cli.js';
import { launch, watchOnly, type Desktop } from '../helpers/desktop.js';
import { cannotMount, Tmpfs } from '../helpers/tmpfs.js';

const run = promisify(execFile);
const skip = await cannotMount;
if (skip) console.log(`# desktop folder tests on a real disk skipped: ${skip}`);

type Reply<T> =
  { ok: true; value: T } | { ok: false; error: { code: string; message: string; field?: string } };
const ok = <T>(reply: unknown): T => {
  const r = reply as Reply<T>;
  assert.ok(r.ok, JSON.stringify(r));
  return r.value;
};
const refused = (reply: unknown) => {
  const r = reply as Reply<unknown>;
  assert.ok(!r.ok, `expected a refusal, got ${JSON.stringify(r)}`);
  return r.error;
};
const uid = process.getuid!();

const cleanup = closeAfterEach();

/**
 * "Open in file manager" and "Open Trash" in the desktop app, driven as the window drives them:
 * requests over the app's own IPC wiring (startApp on the recording fake), against a real tmpfs
 * holding a real freedesktop trash. What the fake's `shell.openPath` records is what Electron
 * would have been asked to open.
 */
describe('the desktop app opens folders of a watched disk, and its Trash', { skip }, () => {
  let disk: Tmpfs;
  let inner: Tmpfs;
  let app: Desktop;
  const MiB = 1024 * 1024;
  before(async () => {
    disk = await Tmpfs.mount(32);
    const d = disk.dir;
    await mkdir(join(d, 'projects/big'), { recursive: true });
    await writeFile(join(d, 'projects/big/data.bin'), Buffer.alloc(2 * MiB, 1));
    await symlink('/usr', join(d, 'projects/to-usr'));
    // What the file manager moved to the Trash of this disk ($topdir/.Trash-$uid).
    await mkdir(join(d, `.Trash-${uid}/files`), { recursive: true });
    await mkdir(join(d, `.Trash-${uid}/info`));
    await writeFile(join(d, `.Trash-${uid}/files/old.iso`), Buffer.alloc(3 * MiB, 1));
    await writeFile(
      join(d, `.Trash-${uid}/info/old.iso.trashinfo`),
      '[Trash Info]\nPath=/projects/old.iso\nDeletionDate=2026-11-29T10:00:00\n',
    );
    // Another filesystem mounted inside the disk: not the disk's folder to open.
    await mkdir(join(d, 'mnt'));
    inner = await Tmpfs.mount(1);
    await run('mount', ['--move', inner.dir, join(d, 'mnt')]);
  });
  after(async () => {
    await run('umount', [join(disk.dir, 'mnt')]).catch(() => {});
    await inner?.dispose();
    await disk?.dispose();
  });

  const open = async () => {
    const home = await tempHome();
    await watchOnly(home, disk.dir, 'usageScanMinutes=null');
    app = await launch(home, { argv: ['headroom', '--hidden'] });
    cleanup(async () => void (await app.quit()));
    await app.fake.until(() => app.fake.tray.tooltip.includes(disk.dir), 'the first sample');
    app.fake.click('Open Headroom');
    return app.fake;
  };

  it('shows the Trash’s size beside the scan, as du counts it, and opens its files folder', async () => {
    const fake = await open();
    const view = ok<{ trash: { size: number; folders: string[] } | null }>(
      await fake.invoke('usage.scan', { mount: disk.dir }),
    );
    const { stdout } = await run('du', ['-sx', '-B1', join(disk.dir, `.Trash-${uid}`)]);
    assert.deepEqual(view.trash, {
      size: Number(stdout.split('\t')[0]),
      folders: [join(disk.dir, `.Trash-${uid}/files`)],
    });
    assert.ok(view.trash!.size >= 3 * MiB);

    assert.deepEqual(ok(await fake.invoke('usage.openTrash', { mount: disk.dir })), {
      opened: join(disk.dir, `.Trash-${uid}/files`),
    });
    assert.deepEqual(fake.openedPaths, [join(disk.dir, `.Trash-${uid}/files`)]);
  });

  it('opens a folder of the disk, and refuses files, URLs, other disks and what a link leads out to', async () => {
    const fake = await open();
    const folder = join(disk.dir, 'projects/big');
    assert.deepEqual(ok(await fake.invoke('usage.open', { mount: disk.dir, path: folder })), {
      opened: folder,
    });
    assert.deepEqual(fake.openedPaths, [folder]);

    const cases: [path: unknown, code: string, message: RegExp][] = [
      [join(folder, 'data.bin'), 'invalidInput', /is not a folder: Headroom opens folders only, never files/],
      ['file:///etc', 'invalidInput', /must be an absolute path, such as .* \(not a URL\)/],
      ['https://example.com/', 'invalidInput', /not a URL/],
      ['/etc', 'invalidInput', /\/etc is not on .*: only folders of the disk shown can be opened/],
      [join(disk.dir, 'projects/to-usr'), 'invalidInput', /is not on /],
      [join(disk.dir, 'projects/../../..'), 'invalidInput', /is not on /],
      [join(disk.dir, 'mnt'), 'invalidInput', /is on another filesystem mounted inside/],
      [join(disk.dir, 'gone'), 'invalidInput', /does not exist \(any more\): scan again/],
      ['relative/dir', 'invalidInput', /must be an absolute path/],
      [42, 'invalidInput', /must be the path of a folder/],
    ];
    for (const [path, code, message] of cases) {
      const error = refused(await fake.invoke('usage.open', { mount: disk.dir, path }));
      assert.equal(error.code, code, `${String(path)}: ${error.message}`);
      assert.equal(error.field, 'path', String(path));
      assert.match(error.message, message);
    }
    // A disk the app does not watch: not one of its folders either.
    const other = refused(await fake.invoke('usage.open', { mount: '/', path: '/tmp' }));
    assert.equal(other.code, 'notFound');
    assert.match(other.message, /^\/ is not a watched disk that answers$/);
    assert.deepEqual(fake.openedPaths, [folder], 'nothing refused reached the file manager');
  });

  it('says why when the file manager cannot open the folder', async () => {
    const fake = await open();
    fake.failNextOpenPath('Failed to open path');
    const error = refused(await fake.invoke('usage.open', { mount: disk.dir, path: disk.dir }));
    assert.equal(error.code, 'failed');
    assert.equal(error.message, `could not open ${disk.dir}: Failed to open path`);
  });
});
