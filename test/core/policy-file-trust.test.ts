import assert from 'node:assert/strict';
import { chmod, chown, mkdtemp, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from '../helpers/node-test.js';
import { Policy } from '../../core/policy/policy.js';
import { runCli, tempHome } from '../helpers/cli.js';

const POLICY = JSON.stringify({ settings: { warningPercent: 15, criticalPercent: 5 } });

/** A policy file in a new folder under the system's temp folder (sticky, writable by all). */
async function policyIn(folderMode = 0o700, fileMode = 0o644): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'headroom-trust-'));
  const file = join(dir, 'policy.json');
  await writeFile(file, POLICY);
  await chmod(file, fileMode);
  await chmod(dir, folderMode);
  return file;
}

/** What `headroom settings` applies under `policy`, and what it says about the file. */
async function applied(policy: string) {
  const r = await runCli(['settings', '--json'], await tempHome(), { HEADROOM_POLICY: policy });
  assert.equal(r.code, 0, r.stderr);
  return { warningPercent: JSON.parse(r.stdout).warningPercent as number, stderr: r.stderr };
}

const refusal = (policy: string, why: RegExp) =>
  new RegExp(
    `headroom: policy ${policy}: \\(file\\): is not safe to apply: ${why.source}\\. Whoever can change it could make Headroom .* send any file as a token; none of it applies`,
  );

const root = process.platform === 'win32' || process.getuid?.() !== 0;

describe(
  'a policy file anyone could change is not applied, and says why',
  {
    skip: root && 'file modes and owners need a POSIX system and root (to give a file away)',
  },
  () => {
    it(
      'refuses a world-writable file, and a file in a world-writable folder',
      { timeout: 60_000 },
      async () => {
        const writable = await policyIn(0o700, 0o666);
        const file = await applied(writable);
        assert.equal(file.warningPercent, 20, 'the default, not the policy’s 15');
        assert.match(
          file.stderr,
          refusal(writable, /.*policy\.json can be changed by others \(mode 666\); chmod go-w .*/),
        );

        const inOpenFolder = await policyIn(0o777);
        const folder = await applied(inOpenFolder);
        assert.equal(folder.warningPercent, 20);
        assert.match(
          folder.stderr,
          refusal(
            inOpenFolder,
            /the folder .* can be written by others \(mode 777\), so .*policy\.json could be replaced; .*/,
          ),
        );
      },
    );

    it('refuses a link to such a file, and a file of another user', { timeout: 60_000 }, async () => {
      const target = await policyIn(0o777);
      const link = join(await mkdtemp(join(tmpdir(), 'headroom-trust-')), 'policy.json');
      await symlink(target, link);
      const linked = await applied(link);
      assert.equal(linked.warningPercent, 20);
      assert.match(linked.stderr, refusal(link, /the folder .* can be written by others \(mode 777\).*/));

      const theirs = await policyIn();
      await chown(theirs, 65534, 65534);
      const other = await applied(theirs);
      assert.equal(other.warningPercent, 20);
      assert.match(
        other.stderr,
        refusal(theirs, /.* belongs to user 65534, not to root or to the user Headroom runs as \(0\).*/),
      );
    });

    it(
      'applies a safe file: in a private folder, through a link, or in a sticky shared folder',
      {
        timeout: 60_000,
      },
      async () => {
        const safe = await policyIn();
        assert.equal((await applied(safe)).warningPercent, 15);
        const link = join(await mkdtemp(join(tmpdir(), 'headroom-trust-')), 'linked.json');
        await symlink(safe, link);
        assert.equal((await applied(link)).warningPercent, 15);
        // Like /tmp: writable by all, but only an entry's owner (here root) may replace it.
        const sticky = await policyIn(0o1777);
        const shown = await applied(sticky);
        assert.equal(shown.warningPercent, 15, shown.stderr);
      },
    );

    it('applies again once the folder is made safe, without a restart', { timeout: 30_000 }, async () => {
      const file = await policyIn(0o777);
      let now = 0;
      const policy = new Policy({ file }, {}, () => now);
      assert.match(policy.current()!.problems[0]!.message, /is not safe to apply/);
      await chmod(join(file, '..'), 0o755);
      now += 1000;
      assert.equal(policy.current()!.settings.warningPercent, 15);
    });
  },
);
