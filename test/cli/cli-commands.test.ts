import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from '../helpers/node-test.js';
import { visible, visibleLines } from '../../cli/escape.js';
import { closest } from '../../cli/options.js';
import { runCli, tempHome } from '../helpers/cli.js';

const ROUTING_KEY = 'R0123456789abcdef0123456789abcde';
const lines = (text: string) => text.split('\n').filter(Boolean);
// eslint-disable-next-line no-control-regex
const RAW_CONTROL = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/;

/** A PagerDuty integration: saved without asking a receiver, so no network is needed. */
async function addPagerDuty(home: string, ...args: string[]): Promise<string> {
  const r = await runCli(
    ['integration:add', '--type', 'health.pagerduty', '--routing-key', ROUTING_KEY, ...args],
    home,
  );
  assert.equal(r.code, 0, r.stderr);
  return r.stdout.trim();
}

describe('the Web PaaS CLI spellings', () => {
  it('integration:add, :list, :get, :update, :validate and :delete work end to end', async () => {
    const home = await tempHome();
    const id = await addPagerDuty(home, '--name', 'Pager');
    assert.match(id, /^pagerduty-[0-9a-f]{6}$/);
    const listed = await runCli(['integration:list', '--json'], home);
    assert.equal(JSON.parse(listed.stdout).integrations[0].id, id);

    const updated = await runCli(
      ['integration:update', id, '--name', 'Pager 2', '--remind-critical', '4'],
      home,
    );
    assert.equal(updated.code, 0, updated.stderr);
    assert.match(updated.stderr, /saved "Pager 2"/);
    const got = await runCli(['integration:get', id], home);
    assert.equal(got.code, 0, got.stderr);
    assert.match(got.stdout, /^name = Pager 2$/m);
    assert.match(got.stdout, /^reminders\.criticalHours = 4$/m);
    assert.match(got.stdout, /^config\.routingKey = •+$/m, 'secrets masked');
    assert.doesNotMatch(got.stdout, /R0123456789/);
    const json = JSON.parse((await runCli(['integration:get', id, '--json'], home)).stdout);
    assert.equal(json.name, 'Pager 2');

    const validated = await runCli(['integration:validate', id], home);
    assert.equal(validated.code, 0, validated.stderr);
    assert.match(validated.stdout, new RegExp(`○ Pager 2 \\(${id}\\)`));

    const deleted = await runCli(['integration:delete', id], home);
    assert.equal(deleted.code, 0, deleted.stderr);
    assert.deepEqual(
      JSON.parse((await runCli(['integration:list', '--json'], home)).stdout).integrations,
      [],
    );
    const again = await runCli(['integration:get', id], home);
    assert.equal(again.code, 2);
    assert.match(again.stderr, new RegExp(`no integration with id ${id}`));
  });

  it('validate "" is a usage error; validate with no id at all validates every integration', async () => {
    const home = await tempHome();
    await addPagerDuty(home);
    const empty = await runCli(['integration', 'validate', ''], home);
    assert.equal(empty.code, 2);
    assert.equal(empty.stdout, '', 'nothing validated');
    assert.deepEqual(lines(empty.stderr), [
      'headroom: the integration id is empty; give one, or none at all to go through every integration. See `headroom help integration`.',
    ]);
    const all = await runCli(['integration', 'validate'], home);
    assert.equal(all.code, 0, all.stderr);
    assert.equal(lines(all.stdout).length, 1);
  });

  it('refuses settings the rules refuse with exit 2, like `settings set`', async () => {
    const home = await tempHome();
    const r = await runCli(['integration:add', '--type', 'pagerduty', '--routing-key', 'short'], home);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /--routing-key: must be 32 characters/);
  });
});

describe('confirmations', () => {
  it('settings set says what was saved on stderr; stdout is as before', async () => {
    const home = await tempHome();
    const r = await runCli(['settings', 'set', 'warningPercent=25', 'predictiveMinutes=off', '--json'], home);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stderr, 'headroom: saved: warningPercent=25 predictiveMinutes=null\n');
    assert.equal(JSON.parse(r.stdout).warningPercent, 25);
  });

  it('unsnooze says "not snoozed" when it was not, and what is instead', async () => {
    const home = await tempHome();
    const r = await runCli(['unsnooze', '/data'], home);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stderr, 'headroom: /data is not snoozed.\n');
    const all = await runCli(['unsnooze', '--all'], home);
    assert.equal(all.stderr, 'headroom: nothing is snoozed.\n');
    await runCli(['snooze', '--all', '--for', '30m'], home);
    const paused = await runCli(['unsnooze', '/data'], home);
    assert.match(paused.stderr, /\/data is not snoozed\. All alerts are, until .*`headroom unsnooze --all`/);
  });
});

describe('headroom snooze --for', () => {
  it('--for 2h snoozes the disk for two hours', async () => {
    const home = await tempHome();
    const before = Date.now();
    const r = await runCli(['snooze', '/data', '--for', '2h'], home);
    const after = Date.now();
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /^headroom: \/data snoozed until /);
    const until = JSON.parse(await readFile(join(home, 'pause.json'), 'utf8')).mounts['/data'];
    assert.ok(until >= before + 2 * 3_600_000 && until <= after + 2 * 3_600_000, `${until}`);
    const listed = await runCli(['snooze', '--list'], home);
    assert.match(listed.stdout, /^\/data snoozed until /m);
  });

  it('a bad value names the flag and the accepted forms, exit 2, nothing snoozed', async () => {
    const home = await tempHome();
    const r = await runCli(['snooze', '/data', '--for', '2x'], home);
    assert.equal(r.code, 2);
    assert.equal(lines(r.stderr).length, 1);
    assert.match(r.stderr, /^headroom: --for 2x: give 1h, 8h, tomorrow .*Nm, Nh or Nd .*7 days\./);
    assert.match((await runCli(['snooze', '--list'], home)).stdout, /Nothing is snoozed/);
    const unsnoozeFor = await runCli(['unsnooze', '/data', '--for', '2h'], home);
    assert.equal(unsnoozeFor.code, 2, 'unsnooze has no --for');
    assert.match(unsnoozeFor.stderr, /unknown option --for/);
  });
});

describe('printing user data safely', () => {
  const NAME = 'Ops\u001b[2J\u001b]0;pwned\u0007\nFAKE row\r\u009b31m';

  it('integration list, get and validate show control characters escaped, one row per integration', async () => {
    const home = await tempHome();
    const id = await addPagerDuty(home);
    // Written straight into the file, as an older version or a hand edit could have stored it.
    const file = join(home, 'integrations.json');
    const data = JSON.parse(await readFile(file, 'utf8'));
    data.integrations[0].name = NAME;
    data.integrations[0].mounts = ['/data\nx', '/srv\u001b[1m'];
    await writeFile(file, JSON.stringify(data));

    const list = await runCli(['integration', 'list'], home);
    assert.equal(list.code, 0, list.stderr);
    assert.doesNotMatch(list.stdout, RAW_CONTROL);
    const rows = lines(list.stdout);
    assert.equal(rows.length, 2, 'the header and one row: the newline did not break the table');
    assert.ok(rows[1]!.includes(visible(NAME)), rows[1]);
    assert.ok(rows[1]!.includes('/data\\nx,/srv\\u001b[1m'), rows[1]);

    const got = await runCli(['integration', 'get', id], home);
    assert.doesNotMatch(got.stdout, RAW_CONTROL);
    assert.match(got.stdout, /^name = Ops\\u001b\[2J\\u001b\]0;pwned\\u0007\\nFAKE row\\r\\u009b31m$/m);

    const validated = await runCli(['integration', 'validate'], home);
    assert.doesNotMatch(validated.stdout + validated.stderr, RAW_CONTROL);
    assert.equal(lines(validated.stdout).length, 1);

    const json = await runCli(['integration', 'list', '--json'], home);
    assert.doesNotMatch(json.stdout, RAW_CONTROL);
    assert.equal(JSON.parse(json.stdout).integrations[0].name, NAME, '--json still round-trips');
  });

  it('a mount with control characters is refused by snooze, escaped in the message, and escaped in the list', async () => {
    const home = await tempHome();
    const mount = '/mnt/a\u001b[31m\nb';
    const r = await runCli(['snooze', mount, '--for', '5'], home);
    assert.equal(r.code, 2, r.stderr);
    assert.doesNotMatch(r.stderr, RAW_CONTROL);
    assert.match(
      r.stderr,
      /MOUNT "\/mnt\/a\\u001b\[31m\\nb": a mount point cannot contain control characters/,
    );
    // One saved before that rule (or by hand) is still listed safely.
    await writeFile(
      join(home, 'pause.json'),
      JSON.stringify({ pausedUntil: null, mounts: { [mount]: Date.now() + 300_000 } }),
    );
    const listed = await runCli(['snooze', '--list'], home);
    assert.equal(lines(listed.stdout).length, 1);
    assert.doesNotMatch(listed.stdout, RAW_CONTROL);
    assert.match(listed.stdout, /\/mnt\/a\\u001b\[31m\\nb snoozed until/);
  });

  it('the escaping: C0, DEL, C1 and bidi controls visible; JSON lines stay valid JSON', () => {
    assert.equal(
      visible('a\nb\r\tc\u001b[0m\u007f\u0085\u202e'),
      'a\\nb\\r\\tc\\u001b[0m\\u007f\\u0085\\u202e',
    );
    assert.equal(visible('Ünïcode — /home/ü ok'), 'Ünïcode — /home/ü ok');
    const line = JSON.stringify({ name: 'x\u009b2J\u007f\u2028y' });
    assert.deepEqual(JSON.parse(visibleLines(line)), { name: 'x\u009b2J\u007f\u2028y' });
    assert.equal(visibleLines('one\ntwo\u001b'), 'one\ntwo\\u001b');
  });

  it('suggests by edit distance, a swap of neighbours counting once', () => {
    assert.equal(closest('jsno', ['json', 'mount']), 'json');
    assert.equal(closest('intreval', ['interval', 'mount']), 'interval');
    assert.equal(closest('disab', ['disabled', 'name']), 'disabled');
    assert.equal(closest('frobnicate', ['json', 'mount']), undefined);
  });
});
