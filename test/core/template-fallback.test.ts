import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { before, describe, it } from '../helpers/node-test.js';
import { closeAfterEach } from '../helpers/cleanup.js';
import { runCli, tempHome } from '../helpers/cli.js';
import { deliveryRig, transitionOf } from '../helpers/delivery.js';
import { Receiver } from '../helpers/receiver.js';
import { makePki, type TestPki } from '../helpers/tls.js';

/** Templates saved before they were checked (or edited by hand): each used to lose the alert. */
const BROKEN = { title: 'x {{constructor}}', text: '{{__proto__}} {{toString}}' };
const NOTE =
  /the message template could not be rendered \(template\.title: \{\{constructor\}\} is not a variable; template\.text: \{\{__proto__\}\} is not a variable; template\.text: \{\{toString\}\} is not a variable\), so Headroom's own message was used/;

describe('a template that cannot be rendered never costs the alert', () => {
  let pki: TestPki;
  before(async () => {
    pki = await makePki();
  });
  const opened = closeAfterEach();

  it('a real ok → critical goes out with the default message, and the history says the template failed', async () => {
    const receiver = await Receiver.start(pki);
    const rig = await deliveryRig();
    opened(
      () => rig.close(),
      () => receiver.close(),
    );
    const valid = rig.addWebhook({ url: `${receiver.url}/hook`, ca: pki.ca });
    // Saved as an older version saved it: the store takes what it is given.
    rig.integrations.save({ ...valid, template: BROKEN });

    rig.dispatcher.enqueue(...transitionOf('critical'));
    const got = await receiver.request(1);
    await rig.dispatcher.idle();
    const body = JSON.parse(got.body);
    assert.equal(body.severity, 'critical');
    assert.match(body.message, /^Disk critical: \/data on test-host/, "Headroom's own title");

    const [record] = rig.history.list();
    assert.equal(record!.outcome, 'delivered');
    assert.match(record!.reason!, NOTE);
    assert.match(record!.attempts[0]!.note!, NOTE);
    const line = (await readFile(join(rig.dir, 'history.jsonl'), 'utf8')).trim().split('\n').at(-1)!;
    assert.match(JSON.parse(line).reason, NOTE, 'history.jsonl says so');
  });

  it('`integration test` delivers with the default message and says why, instead of a stack trace', async () => {
    const receiver = await Receiver.start(pki);
    opened(() => receiver.close());
    const home = await tempHome();
    const added = await runCli(
      ['integration', 'add', '--type', 'webhook', '--url', `${receiver.url}/hook`, '--ca', pki.files.ca],
      home,
    );
    assert.equal(added.code, 0, added.stderr);
    const file = join(home, 'integrations.json');
    const data = JSON.parse(await readFile(file, 'utf8'));
    data.integrations[0].template = BROKEN;
    await writeFile(file, JSON.stringify(data));

    const r = await runCli(['integration', 'test'], home);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /✔ .*: test notification delivered; the message template could not be rendered/);
    assert.match(r.stdout, NOTE);
    assert.doesNotMatch(r.stderr, /at .*\.js:\d+/, 'no stack trace');
    assert.match(JSON.parse((await receiver.request(1)).body).message, /^\[TEST\] /);
    const [record] = JSON.parse((await runCli(['history', '--json'], home)).stdout);
    assert.match(record.reason, NOTE);
  });
});
