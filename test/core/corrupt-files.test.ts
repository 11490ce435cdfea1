import assert from 'node:assert/strict';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from '../helpers/node-test.js';
import type { StoreWarning } from '../../core/json-store.js';
import { openRuntime } from '../../core/runtime.js';
import { Watcher } from '../../core/watcher.js';
import type { DeliveryRecord } from '../../shared/history.js';
import { DEFAULT_SETTINGS } from '../../shared/settings.js';
import { CliProcess, runCli, tempHome } from '../helpers/cli.js';
import { deliveryRecord } from '../helpers/events.js';
import { Receiver } from '../helpers/receiver.js';
import { assertReported } from '../helpers/report.js';
import { cannotMount, Tmpfs } from '../helpers/tmpfs.js';
import { makePki, type TestPki } from '../helpers/tls.js';

/** A valid integration record as integrations.json holds it (plain sealer: no secrets here). */
function webhookRecord(id: string, url: string, ca: string, extra: Record<string, unknown> = {}) {
  return {
    id,
    name: `Hook ${id}`,
    type: 'webhook',
    createdAt: 1,
    updatedAt: 1,
    config: { url, ca },
    ...extra,
  };
}

/** A delivery record as history.jsonl holds one per line. */
const historyRecord = (id: string, createdAt: number): DeliveryRecord =>
  deliveryRecord(id, createdAt, {
    integrationId: 'webhook-good',
    integrationName: 'Hook',
    attempts: [{ at: createdAt, status: 200, result: 'delivered', latencyMs: 3 }],
  });

const OUTBOX_ENTRY = '000000000000001-000001-1_0badf11e.json';

/**
 * Every file Headroom keeps in its data directory, a valid content of it, and one hand edit that
 * keeps it JSON but breaks one field (the warning must name that field).
 */
/** The fields of an alert event the outbox checks (see outbox.ts). */
const OUTBOX_EVENT = {
  id: '0badf11e',
  host: 'test-host',
  mount: '/data',
  kind: 'space',
  from: 'ok',
  to: 'warning',
  at: 1,
};

const FILES: { file: string; valid: string; handEdit: string; field: string }[] = [
  {
    file: 'settings.json',
    valid: JSON.stringify({ warningPercent: 20, criticalPercent: 10 }),
    handEdit: JSON.stringify({ warningPercent: 'twenty', criticalPercent: 10 }),
    field: 'warningPercent: ',
  },
  {
    file: 'integrations.json',
    valid: JSON.stringify({ integrations: [] }),
    handEdit: JSON.stringify({ integrations: { first: {} } }),
    field: 'integrations: ',
  },
  {
    file: 'state.json',
    valid: JSON.stringify({ mounts: { '/data': { state: 'ok', since: 1 } } }),
    handEdit: JSON.stringify({ mounts: { '/data': { state: 'purple', since: 1 } } }),
    field: 'mounts./data.state: ',
  },
  {
    file: 'notified.json',
    valid: JSON.stringify({ integrations: { 'webhook-x': { '/data': { state: 'warning', at: 1 } } } }),
    handEdit: JSON.stringify({ integrations: { 'webhook-x': { '/data': { state: 'purple', at: 1 } } } }),
    field: 'integrations.webhook-x./data: ',
  },
  {
    file: 'pause.json',
    valid: JSON.stringify({ pausedUntil: null, mounts: {} }),
    handEdit: JSON.stringify({ pausedUntil: 'tomorrow', mounts: {} }),
    field: 'pausedUntil: ',
  },
  {
    file: 'samples.json',
    valid: JSON.stringify({ mounts: { '/data': [{ at: 1, available: 5, usable: 10 }] } }),
    handEdit: JSON.stringify({ mounts: { '/data': [{ at: 'noon', available: 5, usable: 10 }] } }),
    field: 'mounts./data.0.at: ',
  },
  {
    file: 'sample-history.json',
    valid: JSON.stringify({ mounts: { '/data': { fine: [[60_000, 5, 10, 0]], coarse: [[0, 5, 10, 0]] } } }),
    handEdit: JSON.stringify({ mounts: { '/data': { fine: [[60_000, 'five', 10, 0]], coarse: [] } } }),
    field: 'mounts./data.fine.0.1: ',
  },
  {
    file: `outbox/${OUTBOX_ENTRY}`,
    valid: JSON.stringify({
      id: '0badf11e',
      seq: '000000000000001-000001-1',
      integrationId: 'webhook-gone',
      event: OUTBOX_EVENT,
      createdAt: 1,
      attempts: 0,
      nextAttemptAt: 1,
    }),
    handEdit: JSON.stringify({
      id: '0badf11e',
      seq: '000000000000001-000001-1',
      integrationId: 'webhook-gone',
      event: OUTBOX_EVENT,
      createdAt: 1,
      attempts: 'three',
      nextAttemptAt: 1,
    }),
    field: 'attempts: ',
  },
];

/** Ways a file gets damaged: the bytes written, and what the warning's reason must say. */
const DAMAGE: {
  kind: string;
  bytes: (valid: string, handEdit: string) => Buffer | string;
  reason?: RegExp;
}[] = [
  { kind: 'empty file', bytes: () => '' },
  { kind: 'truncated mid-JSON', bytes: (v) => v.slice(0, Math.floor(v.length / 2)) },
  {
    kind: 'binary garbage',
    bytes: () => Buffer.from([0x89, 0x50, 0x4e, 0x47, 0xff, 0xfe, 0x00, 0x7b, 0x0a]),
  },
  { kind: 'NUL-filled, as a power cut leaves it', bytes: () => Buffer.alloc(4096) },
  { kind: 'a JSON array', bytes: () => '[{"warningPercent": 20}]', reason: /JSON object|expected object/ },
  { kind: 'a JSON number', bytes: () => '42', reason: /JSON object|expected object/ },
  { kind: 'JSON null', bytes: () => 'null', reason: /JSON object|expected object/ },
  { kind: 'a comment added by hand', bytes: (v) => `// mine\n${v}` },
  { kind: 'a 4 MB line cut short', bytes: () => `{"pad": "${'x'.repeat(4 * 1024 * 1024)}` },
  { kind: 'a field of the wrong type', bytes: (_v, edit) => edit },
];

describe('corrupt or hand-edited data files', { skip: await cannotMount }, () => {
  let pki: TestPki;
  let receiver: Receiver;
  let disk: Tmpfs;
  let cases = 0;
  let starts = 0;
  const watched = () => ({ only: [{ mount: disk.dir, fs: 'tmpfs', type: 'tmpfs' }] });
  const posts = (path: string) =>
    receiver.requests.filter((r) => r.method === 'POST' && r.url === path).map((r) => JSON.parse(r.body));

  before(async () => {
    pki = await makePki();
    receiver = await Receiver.start(pki);
    disk = await Tmpfs.mount(20);
    await disk.setFreePercent(15); // a warning, as soon as a watcher samples it
  });
  after(async () => {
    await receiver?.close();
    await disk?.dispose();
  });

  /** A data directory where every file is valid, with one integration posting to `path`. */
  async function seedHome(path: string): Promise<string> {
    const home = await tempHome();
    for (const { file, valid } of FILES) {
      if (file.startsWith('outbox/') || file === 'integrations.json') continue;
      await writeFile(join(home, file), valid.replaceAll('/data', disk.dir), { mode: 0o600 });
    }
    const integrations = { integrations: [webhookRecord('webhook-good', receiver.url + path, pki.ca)] };
    await writeFile(join(home, 'integrations.json'), JSON.stringify(integrations), { mode: 0o600 });
    return home;
  }

  /**
   * Damages `files` in one way each, starts a runtime and watcher on them, and checks every one was
   * moved aside with its bytes and a warning of its own, and that the disk's warning still went
   * out — to no one when integrations.json is among them, as no integration is left to tell.
   */
  async function startWithDamaged(files: typeof FILES, { kind, bytes, reason }: (typeof DAMAGE)[number]) {
    const path = `/start-${++starts}`;
    const home = await seedHome(path);
    const damaged = new Map<string, Buffer | string>();
    await mkdir(join(home, 'outbox'), { recursive: true, mode: 0o700 });
    for (const { file, valid, handEdit } of files) {
      const target = join(home, file);
      damaged.set(target, bytes(valid.replaceAll('/data', disk.dir), handEdit.replaceAll('/data', disk.dir)));
      await writeFile(target, damaged.get(target)!, { mode: 0o600 });
    }

    const warnings: StoreWarning[] = [];
    const runtime = openRuntime(home, { onWarning: (w) => warnings.push(w) });
    let clock = Date.now();
    const watcher = new Watcher(runtime, { ...watched(), now: () => clock });
    runtime.delivery.dispatcher.start(); // what `run` does first: picks up the outbox
    await watcher.checkNow();
    // A warning is told once readings have shown it for the confirmation time.
    clock += DEFAULT_SETTINGS.confirmSeconds * 1000;
    await watcher.checkNow();
    await runtime.delivery.dispatcher.idle();
    await runtime.close();

    assert.deepEqual(
      warnings.map((w) => w.file).sort(),
      [...damaged.keys()].sort(),
      `one warning for each damaged file: ${JSON.stringify(warnings)}`,
    );
    for (const { file, field } of files) {
      const target = join(home, file);
      const w = warnings.find((x) => x.file === target)!;
      assert.notEqual(w.movedTo, target);
      assert.equal(
        w.movedTo.startsWith(target.replace(/\.json$/, '')),
        true,
        `${file}: moved aside beside it`,
      );
      assert.deepEqual(
        await readFile(w.movedTo),
        Buffer.from(damaged.get(target)!),
        `${file}: its content kept`,
      );
      const named = field.replaceAll('/data', disk.dir);
      if (kind === 'a field of the wrong type')
        assert.ok(
          w.reason.split('\n').some((l) => l.startsWith(named)),
          `${w.reason} names ${named}`,
        );
      else if (reason) assert.match(w.reason, reason, file);
      assert.ok(w.reason.length > 0);
      cases++;
    }

    assert.equal(runtime.states.all()[disk.dir]?.state, 'warning', 'the transition happened');
    const sent = posts(path).map((b) => b.headroom.to);
    const untold = files.some((f) => f.file === 'integrations.json');
    assert.deepEqual(sent, untold ? [] : ['warning'], 'delivered once');
  }

  // Each file is read on its own at start (one store each; the outbox entry by the dispatcher),
  // so one start meets all of them damaged the same way, and each must still be handled alone.
  // integrations.json gets a start of its own: damaged, it leaves no one to tell of the alert.
  const readAlone = FILES.filter((f) => f.file !== 'integrations.json');
  const integrations = FILES.filter((f) => f.file === 'integrations.json');
  for (const damage of DAMAGE) {
    it(`${readAlone.map((f) => f.file.replace(OUTBOX_ENTRY, 'entry')).join(', ')}: all ${damage.kind} at once: each moved aside with its content and a warning, and the watcher still alerts`, async () => {
      await startWithDamaged(readAlone, damage);
    });
    it(`integrations.json, ${damage.kind}: moved aside with its content and a warning, and the watcher still alerts`, async () => {
      await startWithDamaged(integrations, damage);
    });
  }

  it('reports each integration hand-edited to be invalid, naming it and the field; the valid one still alerts', async () => {
    const home = await seedHome('/beside-broken');
    const good = webhookRecord('webhook-good', `${receiver.url}/beside-broken`, pki.ca);
    const broken = [
      {
        record: webhookRecord('webhook-ftp', 'ftp://example.com/hook', pki.ca),
        says: /url: must be an https:\/\/ URL/,
      },
      {
        record: { ...good, id: 'pigeon-1', name: 'Pigeon', type: 'carrier-pigeon' },
        says: /unknown channel type "carrier-pigeon"/,
      },
      { record: { ...good, id: 'webhook-noname', name: undefined }, says: /invalid record: name: / },
      {
        record: {
          ...good,
          id: 'webhook-sealed',
          secrets: { token: 'safeStorage:djEw…' },
          config: { ...good.config, auth: 'bearer' },
        },
        says: /sealed with the desktop app's OS keychain/,
      },
    ];
    await writeFile(
      join(home, 'integrations.json'),
      JSON.stringify({ integrations: [broken[0]!.record, good, ...broken.slice(1).map((b) => b.record)] }),
    );

    const runtime = openRuntime(home);
    const { problems, integrations } = runtime.delivery.integrations.load();
    assert.deepEqual(
      integrations.map((i) => i.id),
      ['webhook-good'],
    );
    for (const [i, b] of broken.entries()) {
      assert.equal(problems[i]?.id, b.record.id);
      assert.match(problems[i]!.message, b.says);
    }
    await runtime.close();

    const list = await runCli(['integration', 'list'], home);
    assert.equal(list.code, 0, list.stderr);
    assert.match(list.stdout, /webhook-good/);
    for (const b of broken) {
      assert.match(
        list.stderr,
        new RegExp(`integration ${b.record.id} \\(.*\\) cannot be loaded: .*${b.says.source}`),
      );
      cases++;
    }

    const watch = new CliProcess(['watch', '--json', '--interval', '60', '--mount', disk.dir], home);
    try {
      await watch.waitForStderr(/watching/);
      for (const b of broken)
        await watch.waitForStderr(
          new RegExp(`integration ${b.record.id} .*cannot be loaded.*${b.says.source}`),
        );
      await watch.transition(1);
      await receiver.accepted(1);
      await watch.waitUntil(
        () => (posts('/beside-broken').length ? true : undefined),
        'the valid one to be told',
      );
      assert.deepEqual(
        posts('/beside-broken').map((b) => b.headroom.to),
        ['warning'],
      );
    } finally {
      assert.equal(await watch.stop(), 0, 'no crash');
    }
  });

  it('the CLI says which file was moved where and why, and starts: check and watch', async () => {
    const home = await seedHome('/cli');
    await writeFile(join(home, 'settings.json'), JSON.stringify({ warningPercent: 'twenty' }));
    const check = await runCli(['check', '--mount', disk.dir], home);
    assert.equal(check.code, 1, `warning: Nagios exit 1\n${check.stderr}`);
    const moved = (await readdir(home)).find((f) => f.startsWith('settings.corrupt-'));
    assert.ok(moved);
    assert.match(
      check.stderr,
      new RegExp(
        `${join(home, 'settings.json')} could not be read and was moved to ${join(home, moved)}; starting from defaults\\.\\n  reason: warningPercent: `,
      ),
    );

    await writeFile(join(home, 'pause.json'), Buffer.alloc(512));
    await writeFile(join(home, 'samples.json'), '{"mounts": {"/x": [{"at": 1, "avail');
    await mkdir(join(home, 'outbox'), { recursive: true });
    await writeFile(join(home, 'outbox', OUTBOX_ENTRY), '[]');
    const watch = new CliProcess(['watch', '--json', '--interval', '60', '--mount', disk.dir], home);
    try {
      await watch.waitForStderr(/watching/);
      await watch.transition(1);
      await watch.waitUntil(() => (posts('/cli').length ? true : undefined), 'the alert to be delivered');
      const stderr = watch.stderrLines.join('\n');
      for (const file of ['pause.json', 'samples.json'])
        assert.match(
          stderr,
          new RegExp(
            `${join(home, file)} could not be read and was moved to ${join(home, file.replace('.json', '.corrupt-'))}`,
          ),
        );
      await watch.waitForStderr(/outbox.*could not be read/);
      assert.match(
        watch.stderrLines.join('\n'),
        new RegExp(
          `${join(home, 'outbox', OUTBOX_ENTRY)} could not be read and was moved to .*\\.corrupt; the delivery it held is not sent\\.\\n  reason: \\(input\\): `,
        ),
      );
    } finally {
      assert.equal(await watch.stop(), 0, 'no crash');
    }
    cases += 4;
  });

  it('history.jsonl: damaged lines are skipped, the good records listed, and later appends whole', async () => {
    const home = await tempHome();
    const now = Date.now();
    const good = [historyRecord('first', now - 2000), historyRecord('second', now - 1000)];
    const damagedLines = [
      JSON.stringify(historyRecord('cut', now)).slice(0, 40), // a crash mid-append
      '\0'.repeat(512), // a power cut: the length grew, the data never came
      '\u0089PNG\u00ff\u00fe garbage',
      'null',
      '42',
      '[]',
      JSON.stringify({ id: 5, createdAt: 'yesterday' }), // hand-edited: JSON, no record
      '',
      `{"pad": "${'x'.repeat(4 * 1024 * 1024)}`,
    ];
    const file = join(home, 'history.jsonl');
    await writeFile(
      file,
      [
        JSON.stringify(good[0]),
        ...damagedLines.slice(0, 5),
        JSON.stringify(good[1]),
        ...damagedLines.slice(5),
      ].join('\n') + '\n{"id": "tail", "crea', // cut short, no newline: the next append must not be glued to it
    );
    const runtime = openRuntime(home);
    const ids = () => runtime.delivery.history.list().map((r) => r.id);
    assert.deepEqual(ids(), ['second', 'first']);
    runtime.delivery.history.append(historyRecord('third', now));
    assert.deepEqual(ids(), ['third', 'second', 'first'], 'the append is whole');
    await runtime.close();

    const cli = await runCli(['history', '--json'], home);
    assert.equal(cli.code, 0, cli.stderr);
    assert.deepEqual(
      JSON.parse(cli.stdout).map((r: DeliveryRecord) => r.id),
      ['third', 'second', 'first'],
    );
    const text = await readFile(file, 'utf8');
    assert.ok(text.includes(damagedLines[6]!), 'damaged lines are kept, not rewritten away');
    cases += damagedLines.length + 1;
  });

  it('reports how many cases ran', () => {
    assertReported('Corrupt or hand-edited data files', cases);
  });
});
