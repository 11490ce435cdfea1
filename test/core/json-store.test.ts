import assert from 'node:assert/strict';
import { readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from '../helpers/node-test.js';
import { ensureDataDir } from '../../core/data-dir.js';
import type { StoreWarning } from '../../core/json-store.js';
import { SettingsStore } from '../../core/settings-store.js';
import { StateStore } from '../../core/state-store.js';
import { tempHome } from '../helpers/cli.js';

const posix = process.platform !== 'win32';

describe('data directory stores', () => {
  it(
    'writes settings readable by the owner only, in a 0700 directory',
    { skip: !posix && 'POSIX modes' },
    async () => {
      const dir = ensureDataDir(join(await tempHome(), 'Headroom'));
      new SettingsStore(dir).update({ warningPercent: 25 });
      assert.equal((await stat(join(dir, 'settings.json'))).mode & 0o777, 0o600);
      assert.equal((await stat(dir)).mode & 0o777, 0o700);
    },
  );

  it('reads back what it wrote, across instances', async () => {
    const dir = await tempHome();
    new StateStore(dir).update({ '/data': { state: 'warning', since: 42 } });
    assert.deepEqual(new StateStore(dir).all(), { '/data': { state: 'warning', since: 42 } });
  });

  it('moves a corrupt file aside with a warning instead of wiping it, and starts from defaults', async () => {
    const dir = await tempHome();
    await writeFile(join(dir, 'settings.json'), '{"warningPercent": 25,'); // cut off mid-write
    const warnings: StoreWarning[] = [];
    const settings = new SettingsStore(dir, (w) => warnings.push(w));
    assert.equal(settings.get().warningPercent, 20);
    assert.equal(warnings.length, 1);
    assert.equal(await readFile(warnings[0]!.movedTo, 'utf8'), '{"warningPercent": 25,');
    assert.ok((await readdir(dir)).some((f) => f.startsWith('settings.corrupt-')));
  });

  it('moves aside a hand-edited file that breaks the schema, saying which field', async () => {
    const dir = await tempHome();
    await writeFile(join(dir, 'settings.json'), JSON.stringify({ warningPercent: 10, criticalPercent: 15 }));
    const warnings: StoreWarning[] = [];
    const settings = new SettingsStore(dir, (w) => warnings.push(w));
    assert.equal(settings.get().criticalPercent, 10);
    assert.match(warnings[0]!.reason, /criticalPercent/);
  });

  it('refuses to save invalid settings and leaves the file as it was', async () => {
    const dir = await tempHome();
    const settings = new SettingsStore(dir);
    settings.update({ warningPercent: 30 });
    const before = await readFile(join(dir, 'settings.json'), 'utf8');
    assert.throws(() => settings.update({ criticalPercent: 40 }), /criticalPercent/);
    assert.equal(await readFile(join(dir, 'settings.json'), 'utf8'), before);
    assert.equal(settings.get().criticalPercent, 10);
  });
});
