import assert from 'node:assert/strict';
import { chmod, link, lstat, mkdir, readdir, readFile, stat, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from '../helpers/node-test.js';
import { HistoryLog } from '../../core/delivery/history-log.js';
import { storageHealth } from '../../core/fs/storage-health.js';
import { TEXTFILE_NAME, textfileWriter } from '../../core/metrics/textfile.js';
import { openRuntime } from '../../core/runtime.js';
import { runCli, tempHome } from '../helpers/cli.js';
import { deliveryRecord } from '../helpers/events.js';
import { assertReported } from '../helpers/report.js';

const posix = process.platform !== 'win32' ? false : 'POSIX modes and symbolic links';

const record = deliveryRecord('d-1', Date.now());

describe('data files on disk', { skip: posix }, () => {
  it('are never written through a symbolic link planted in the data directory, and say which file', async () => {
    const dir = await tempHome();
    const victim = join(await tempHome(), 'victim');
    await writeFile(victim, 'precious\n');
    await symlink(victim, join(dir, 'history.jsonl'));
    await symlink(victim, join(dir, 'settings.json'));
    const failed: string[] = [];
    const onFailed = (file: string, reason: string) => failed.push(`${file}: ${reason}`);
    storageHealth.on('failed', onFailed);
    try {
      new HistoryLog(dir).append(record);
    } finally {
      storageHealth.off('failed', onFailed);
    }
    assert.match(failed.join('\n'), /history\.jsonl: ELOOP: .*history\.jsonl is a symbolic link/);
    // Settings are replaced by rename: the link itself goes, never what it points at.
    const set = await runCli(['settings', 'set', 'warningPercent=30'], dir);
    assert.equal(set.code, 0, set.stderr);
    assert.ok((await lstat(join(dir, 'settings.json'))).isFile(), 'a plain file now');
    assert.equal(await readFile(victim, 'utf8'), 'precious\n', 'the link target is untouched');
    assertReported('Data files behind a symbolic link', 2);
  });

  it('are tightened to 0600 in 0700 folders at start, whatever modes they were left with', async () => {
    const dir = await tempHome();
    await writeFile(join(dir, 'settings.json'), '{}', { mode: 0o666 });
    await writeFile(join(dir, 'history.jsonl'), '', { mode: 0o644 });
    await mkdir(join(dir, 'outbox'), { mode: 0o755 });
    await writeFile(join(dir, 'outbox', 'x.json'), '{}', { mode: 0o664 });
    await writeFile(join(dir, 'ui-url'), 'http://127.0.0.1:1/#token=t', { mode: 0o644 });
    await chmod(join(dir, 'settings.json'), 0o666);
    await chmod(join(dir, 'outbox'), 0o755);
    openRuntime(dir);
    for (const f of ['settings.json', 'history.jsonl', 'ui-url', join('outbox', 'x.json')])
      assert.equal((await stat(join(dir, f))).mode & 0o777, 0o600, f);
    assert.equal((await lstat(join(dir, 'outbox'))).mode & 0o777, 0o700);
  });

  it("write --textfile's page in a folder not Headroom's without touching a file planted at a temp name", async () => {
    const dir = await tempHome();
    const victim = join(dir, 'victim');
    await writeFile(victim, 'precious\n', { mode: 0o600 });
    // Another user of the folder links a file they want overwritten (and made 0644) to the temp
    // name a writer with a known pid would open.
    const planted = `${TEXTFILE_NAME}.${process.pid}.tmp`;
    await link(victim, join(dir, planted));
    const failed: string[] = [];
    const writer = textfileWriter(dir, () => 'headroom_up 1\n', {
      onFailed: (_file, reason) => failed.push(reason),
      onRecovered: () => {},
    });
    writer.write();
    assert.deepEqual(failed, []);
    assert.equal(await readFile(join(dir, TEXTFILE_NAME), 'utf8'), 'headroom_up 1\n');
    assert.equal(await readFile(victim, 'utf8'), 'precious\n');
    assert.equal((await stat(victim)).mode & 0o777, 0o600);
    assert.deepEqual(
      (await readdir(dir)).sort(),
      [TEXTFILE_NAME, planted, 'victim'].sort(),
      'no temp file left',
    );
  });
});
