import assert from 'node:assert/strict';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from '../helpers/node-test.js';
import { closeAfterEach } from '../helpers/cleanup.js';
import { runCli, tempHome } from '../helpers/cli.js';
import { launch } from '../helpers/desktop.js';
import { cannotMount, Tmpfs } from '../helpers/tmpfs.js';

/** A policy file in a folder of its own; its path. */
async function writePolicy(policy: unknown): Promise<string> {
  const file = join(await mkdtemp(join(tmpdir(), 'headroom-policy-')), 'policy.json');
  await writeFile(file, JSON.stringify(policy));
  return file;
}

const under = (policy: string) => ({ HEADROOM_POLICY: policy });
const lastLine = (text: string) => text.trim().split('\n').at(-1);
const cleanup = closeAfterEach();

describe('nothing weakens a managed setting, on a real tmpfs', { skip: await cannotMount }, () => {
  let disk: Tmpfs;
  before(async () => {
    disk = await Tmpfs.mount(20);
    await disk.setFreePercent(3.6);
  });
  after(() => disk.dispose());

  it(
    'a disk’s own looser threshold is refused, and one stored before the policy does not apply',
    {
      timeout: 60_000,
    },
    async () => {
      const home = await tempHome();
      const set = await runCli(['settings', 'set', `mountOverrides.${disk.dir}.criticalPercent=1`], home);
      assert.equal(set.code, 0, set.stderr);
      const mine = await runCli(['check', '--json', '--mount', disk.dir], home);
      assert.equal(JSON.parse(mine.stdout)[0].state, 'warning', 'without a policy, the disk’s own 1 %');

      const policy = await writePolicy({ settings: { criticalPercent: 5 } });
      const managed = await runCli(['check', '--json', '--mount', disk.dir], home, under(policy));
      assert.equal(JSON.parse(managed.stdout)[0].state, 'critical', managed.stderr);
      assert.match(
        managed.stderr,
        /your mountOverrides\..*\.criticalPercent: 1 would loosen criticalPercent, managed by your organisation .*; it does not apply/,
      );

      const refused = await runCli(
        ['settings', 'set', `mountOverrides.${disk.dir}.criticalPercent=1`],
        home,
        under(policy),
      );
      assert.equal(refused.code, 2);
      assert.equal(
        lastLine(refused.stderr),
        `headroom: mountOverrides.${disk.dir}.criticalPercent: 1 would loosen criticalPercent, managed by your organisation (${policy}); here it may only be stricter: 5 or more; nothing saved.`,
      );
      // "Or N GiB, whichever is smaller" would lower the managed level on a large disk.
      const gib = await runCli(['settings', 'set', 'criticalGiB=1'], home, under(policy));
      assert.equal(gib.code, 2);
      assert.match(
        lastLine(gib.stderr)!,
        /^headroom: criticalGiB: 1 would loosen criticalPercent.*; nothing saved\.$/,
      );
      const stricter = await runCli(
        ['settings', 'set', `mountOverrides.${disk.dir}.criticalPercent=8`],
        home,
        under(policy),
      );
      assert.equal(stricter.code, 0, stricter.stderr);
    },
  );

  it(
    'a managed watched disk cannot be ignored, nor left out with watch --mount',
    { timeout: 60_000 },
    async () => {
      const home = await tempHome();
      assert.equal((await runCli(['settings', 'set', `ignoredMounts=${disk.dir}`], home)).code, 0);
      const policy = await writePolicy({ settings: { watchedMounts: [disk.dir] } });
      const checked = await runCli(['check', '--json'], home, under(policy));
      assert.ok(
        JSON.parse(checked.stdout).some((d: { mount: string }) => d.mount === disk.dir),
        `the ignored entry stored before the policy does not drop it: ${checked.stderr}`,
      );
      const refused = await runCli(['settings', 'set', `ignoredMounts=/,${disk.dir}`], home, under(policy));
      assert.equal(refused.code, 2);
      assert.match(
        lastLine(refused.stderr)!,
        new RegExp(
          `ignoredMounts\\.1: .* is always watched: watchedMounts is managed by your organisation \\(${policy}\\)`,
        ),
      );
      const watch = await runCli(['watch', '--mount', '/'], home, under(policy));
      assert.equal(watch.code, 2);
      assert.match(
        lastLine(watch.stderr)!,
        /--mount would leave out .*: watchedMounts is managed .*; add --mount /,
      );
    },
  );
});

describe('flags and the API cannot weaken a managed setting either', () => {
  it('watch --interval is refused in one line naming the file and the key', { timeout: 30_000 }, async () => {
    const home = await tempHome();
    const policy = await writePolicy({ settings: { intervalSeconds: 60 } });
    const r = await runCli(['watch', '--interval', '3600', '--mount', '/'], home, under(policy));
    assert.equal(r.code, 2);
    assert.equal(
      lastLine(r.stderr),
      `headroom: --interval 3600: intervalSeconds is managed by your organisation (${policy}) at 60 s; leave --interval out.`,
    );
  });

  it(
    'settings.update refuses a looser per-disk threshold as a field error',
    { timeout: 60_000 },
    async () => {
      const policy = await writePolicy({ settings: { criticalPercent: 5 } });
      const home = await tempHome();
      const app = await launch(home, {
        env: { HEADROOM_HOME: home, XDG_CONFIG_HOME: join(home, 'xdg'), HEADROOM_POLICY: policy },
      });
      cleanup(async () => void (await app.quit()));
      const update = (criticalPercent: number) =>
        app.fake.invoke(
          'settings.update' as never,
          {
            settings: { mountOverrides: { '/': { criticalPercent } } },
          } as never,
        ) as Promise<{ ok: boolean; value: { errors?: { field: string; message: string }[] } }>;
      const loose = await update(1);
      assert.ok(loose.ok);
      assert.deepEqual(
        loose.value.errors?.map((e) => e.field),
        ['mountOverrides./.criticalPercent'],
      );
      assert.match(
        loose.value.errors![0]!.message,
        new RegExp(`managed by your organisation \\(${policy}\\)`),
      );
      const strict = await update(7);
      assert.ok(strict.ok && !strict.value.errors, JSON.stringify(strict));
    },
  );
});
