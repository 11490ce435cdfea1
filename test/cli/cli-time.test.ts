import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from '../helpers/node-test.js';
import { runCli, tempHome } from '../helpers/cli.js';
import { deliveryRecord } from '../helpers/events.js';

describe('one time format in the CLI', () => {
  it('prints local time with its zone, and ISO 8601 UTC with --utc (any command)', async () => {
    const home = await tempHome();
    const at = Date.UTC(2026, 10, 29, 16, 31, 29);
    await writeFile(join(home, 'history.jsonl'), `${JSON.stringify(deliveryRecord('d-1', at))}\n`, {
      mode: 0o600,
    });
    const berlin = await runCli(['history'], home, { TZ: 'Europe/Berlin' });
    assert.equal(berlin.code, 0, berlin.stderr);
    assert.match(berlin.stdout, /^2026-11-29 17:31:29 GMT\+1 +Ops /m);
    const utc = await runCli(['--utc', 'history'], home, { TZ: 'Europe/Berlin' });
    assert.match(utc.stdout, /^2026-11-29T16:31:29Z +Ops /m);

    const snoozed = await runCli(['snooze', '--all', '--for', '60', '--utc'], home, { TZ: 'Asia/Tokyo' });
    // A confirmation: on stderr, as every command's are.
    assert.match(snoozed.stderr, /^headroom: all alerts snoozed until \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ\.$/m);
    const local = await runCli(['snooze', '--list'], home, { TZ: 'Asia/Tokyo' });
    assert.match(local.stdout, /^All alerts snoozed until \d{4}-\d\d-\d\d \d\d:\d\d GMT\+9$/m);
  });
});
