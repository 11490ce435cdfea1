import assert from 'node:assert/strict';
import { describe, it } from '../helpers/node-test.js';
import {
  growthBetween,
  pruneTree,
  shortPath,
  snapshotOf,
  SNAPSHOT_MAX_DIRS,
  type ScanReport,
  type UsageDir,
} from '../../shared/usage.js';
import { usageNote } from '../../shared/usage-note.js';

const GiB = 1024 ** 3;
const MiB = 1024 ** 2;

/** A report whose tree is given as nested `[name, own bytes, children]`; sizes summed up. */
type Spec = [string, number, Spec[]?];
function report(spec: Spec, at: number): ScanReport {
  const build = ([name, own, kids = []]: Spec): UsageDir => {
    const children = kids.map(build).sort((a, b) => b.size - a.size);
    const size = own + children.reduce((s, c) => s + c.size, 0);
    return children.length ? { name, size, children } : { name, size };
  };
  const tree = build(spec);
  return {
    root: spec[0],
    device: 1,
    apparent: false,
    startedAt: at,
    finishedAt: at,
    size: tree.size,
    files: 0,
    dirs: 0,
    unreadableCount: 0,
    unreadable: [],
    vanished: 0,
    otherMounts: [],
    tree,
  };
}

const home = (downloads: number, music: number, log: number): Spec => [
  '/',
  4096,
  [
    [
      'home',
      0,
      [
        [
          'ann',
          MiB,
          [
            ['Downloads', downloads],
            ['Music', music],
          ],
        ],
      ],
    ],
    ['var', 0, [['log', log]]],
  ],
];

describe('growth between two snapshots', () => {
  it('names the directory where the growth happened, not its parents', () => {
    const before = snapshotOf(report(home(1 * GiB, 5 * GiB, 100 * MiB), Date.UTC(2026, 0, 1, 9, 12)));
    const after = snapshotOf(report(home(13 * GiB, 5 * GiB, 300 * MiB), Date.UTC(2026, 0, 1, 12)));
    const g = growthBetween(before, after);
    assert.deepEqual(
      g.growers.map((w) => [w.path, w.grew]),
      [
        ['home/ann/Downloads', 12 * GiB],
        ['var/log', 200 * MiB],
      ],
    );
    assert.equal(g.total, 12 * GiB + 200 * MiB);
    const note = usageNote(before, after, () => '09:12', '/home/ann');
    assert.deepEqual(note.lines, ['Grew most since 09:12: ~/Downloads +12.0 GiB', '/var/log +200 MiB']);
    assert.deepEqual(note.growers[0], { path: '/home/ann/Downloads', size: 13 * GiB, grew: 12 * GiB });
    assert.equal(note.since, before.at);
  });

  it('on the first scan of a disk, says where most of its space is', () => {
    const first = snapshotOf(report(home(GiB, 5 * GiB, 100 * MiB), 0));
    const note = usageNote(null, first, () => 'never', '/home/ann');
    assert.deepEqual(note.lines, [
      'Using most space on /: ~/Music 5.00 GiB',
      '~/Downloads 1.00 GiB',
      '/var/log 100 MiB',
    ]);
    assert.equal(note.since, null);
  });

  it('says when no single folder holds most of a disk, rather than naming the disk again', () => {
    const top = snapshotOf(report(['/data', 17 * MiB, [['small', MiB]]], 0));
    const note = usageNote(null, top, () => 'never');
    assert.deepEqual(note.lines, ['Using most space on /data: /data (no single folder) 18.0 MiB']);
    assert.equal(note.growers[0]!.path, '/data', 'the data keeps the path');
  });

  it('names what grew beside a bigger folder deleted since, though the disk as a whole shrank', () => {
    const before = snapshotOf(
      report(
        [
          '/srv',
          0,
          [
            ['logs', 36 * MiB],
            ['cache', MiB],
          ],
        ],
        0,
      ),
    );
    const after = snapshotOf(report(['/srv', 0, [['cache', 11 * MiB]]], 1));
    const g = growthBetween(before, after);
    assert.deepEqual(
      g.growers.map((w) => [w.path, w.grew]),
      [['cache', 10 * MiB]],
    );
    assert.equal(g.total, -26 * MiB);
  });

  it('keeps growth spread over many children with their parent', () => {
    const spread = (n: number): Spec => [
      '/srv',
      0,
      [['cache', 0, Array.from({ length: 10 }, (_, i): Spec => [`c${i}`, n])]],
    ];
    const g = growthBetween(snapshotOf(report(spread(MiB), 0)), snapshotOf(report(spread(3 * MiB), 1)));
    assert.deepEqual(
      g.growers.map((w) => [w.path, w.grew]),
      [['cache', 20 * MiB]],
    );
  });

  it('names nothing when nothing grew by 64 KiB, and nothing when it shrank', () => {
    const g = growthBetween(
      snapshotOf(report(home(GiB, GiB, MiB), 0)),
      snapshotOf(report(home(GiB - MiB, GiB, MiB + 1000), 1)),
    );
    assert.deepEqual(g.growers, []);
    assert.equal(g.total, -MiB + 1000);
    assert.deepEqual(
      usageNote(
        snapshotOf(report(home(GiB, GiB, MiB), 0)),
        snapshotOf(report(home(GiB, GiB, MiB), 1)),
        String,
      ).lines,
      [],
    );
  });

  it('stays under 1 MB with 255-byte names and keeps parents of what it keeps', () => {
    let n = 0;
    const wide = (depth: number): Spec[] =>
      depth === 0
        ? []
        : Array.from({ length: 20 }, (): Spec => [`${'x'.repeat(250)}${n++}`, 4096 + n, wide(depth - 1)]);
    const snap = snapshotOf(report(['/big', 0, wide(3)], 0));
    assert.equal(snap.dirs.length, SNAPSHOT_MAX_DIRS);
    assert.ok(JSON.stringify(snap).length < 1_000_000, `${JSON.stringify(snap).length} bytes`);
    assert.ok(snap.threshold > 0, 'says how big a left-out directory could be');
    snap.dirs.forEach(([, , parent], i) => assert.ok(parent < i, 'parents come first'));
  });
});

describe('paths and trees as people read them', () => {
  it('shortens the home directory to ~ and only at a path boundary', () => {
    assert.equal(shortPath('/home/ann/Downloads', '/home/ann'), '~/Downloads');
    assert.equal(shortPath('/home/ann', '/home/ann'), '~');
    assert.equal(shortPath('/home/anna/x', '/home/ann'), '/home/anna/x');
    assert.equal(shortPath('/x', undefined), '/x');
  });

  it('cuts a tree to the biggest few and sums up the rest', () => {
    const tree = report(
      [
        '/d',
        0,
        [
          ['a', 5],
          ['b', 4],
          ['c', 3],
          ['e', 2, [['f', 1]]],
        ],
      ],
      0,
    ).tree;
    assert.deepEqual(pruneTree(tree, 1, 2), {
      name: '/d',
      size: 15,
      children: [
        { name: 'a', size: 5 },
        { name: 'b', size: 4 },
      ],
      more: { count: 2, size: 6 },
    });
  });
});
