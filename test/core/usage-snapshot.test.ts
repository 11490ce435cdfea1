import assert from 'node:assert/strict';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from '../helpers/node-test.js';
import { runCli, tempHome } from '../helpers/cli.js';
import { cannotMount, Tmpfs } from '../helpers/tmpfs.js';

describe('a usage snapshot that does not read back', { skip: await cannotMount }, () => {
  let disk: Tmpfs;
  before(async () => (disk = await Tmpfs.mount(8)));
  after(async () => disk?.dispose());

  it('is moved aside and reported, not silently taken for "the first"', { timeout: 60_000 }, async () => {
    const home = await tempHome();
    await writeFile(join(disk.dir, 'a'), 'some bytes\n');
    const first = await runCli(['usage', disk.dir, '--growth'], home);
    assert.equal(first.code, 0, first.stderr);
    const [snapshot] = (await readdir(home)).filter((f) => /^usage-[0-9a-f]+\.json$/.test(f));
    assert.ok(snapshot, 'the first scan saved a snapshot');
    // Cut short, as by a disk that filled while it was written by something else.
    const text = await readFile(join(home, snapshot), 'utf8');
    await writeFile(join(home, snapshot), text.slice(0, text.length / 2));

    const second = await runCli(['usage', disk.dir, '--growth'], home);
    assert.equal(second.code, 0, second.stderr);
    const aside = (await readdir(home)).filter((f) => f.includes('.corrupt-'));
    assert.equal(aside.length, 1, `the damaged snapshot kept aside: ${aside.join(', ')}`);
    assert.ok(aside[0]!.startsWith(snapshot.replace(/\.json$/, '.corrupt-')));
    assert.equal(await readFile(join(home, aside[0]!), 'utf8'), text.slice(0, text.length / 2));
    assert.ok(
      second.stderr.includes(
        `headroom: ${join(home, snapshot)} could not be read and was moved to ${join(home, aside[0]!)}; what grew on ${disk.dir} is told from its next scan on.`,
      ),
      second.stderr,
    );
    // The scan itself stands, and saved a good snapshot in its place.
    const third = await runCli(['usage', disk.dir, '--growth'], home);
    assert.equal(third.code, 0, third.stderr);
    assert.match(third.stdout, /Since \d{4}-\d\d-\d\d \d\d:\d\d \S+: /);
    assert.doesNotMatch(third.stderr, /could not be read/);
  });
});
