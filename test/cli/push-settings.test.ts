import assert from 'node:assert/strict';
import { rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from '../helpers/node-test.js';
import { runCli, tempHome } from '../helpers/cli.js';
import { channelFor } from '../../shared/channels/registry.js';
import { validateIntegration } from '../../shared/integration-validate.js';
import { formWords } from '../../renderer/src/form-words.js';

/** A new user's try-out of ntfy, Telegram and the integration flags (#33): what they ran, what they saw. */
const NTFY_TOKEN = 'tk_AgQdq7mVBoFD37zQVN29RhuMzNIz2';
const BOT_TOKEN = '123456789:AAE-abcdefghijklmnopqrstuvwxyz012';

let home: string;
before(async () => {
  home = await tempHome();
  await writeFile(join(home, 'tok.txt'), `${NTFY_TOKEN}\n`, { mode: 0o600 });
});
after(() => rm(home, { recursive: true, force: true }));

const cli = (...args: string[]) => runCli(args, home);
const add = (...args: string[]) => cli('integration', 'add', '--no-check', ...args);
const ntfy = (...args: string[]) =>
  add('--type', 'ntfy', '--server-url', 'https://ntfy.example.com', '--topic', 'disks', ...args);

/** The saved integration's settings as `integration get` prints them, by the id `add` printed. */
async function shown(added: { code: number | null; stdout: string; stderr: string }): Promise<string> {
  assert.equal(added.code, 0, added.stderr);
  const id = added.stdout.trim(); // add prints the new integration's id
  assert.ok(id, `an id in: ${added.stdout}`);
  const got = await cli('integration', 'get', id);
  assert.equal(got.code, 0, got.stderr);
  return got.stdout;
}

const configErrors = (type: string, config: Record<string, unknown>) => {
  const r = validateIntegration({ id: 'x', name: 'x', type, createdAt: 0, updatedAt: 0, config });
  return r.ok ? '' : r.errors.map((e) => `${e.field}: ${e.message}`).join('\n');
};

describe('credentials and their auth mode', () => {
  it('a token given without --auth is sent as one (ntfy token, webhook bearer); a contradicting --auth is refused', async () => {
    const got = await shown(await ntfy('--token-file', join(home, 'tok.txt')));
    assert.match(got, /auth\s*[=:]\s*token/);
    const basic = await shown(await ntfy('--user', 'phil', '--password', 'pw'));
    assert.match(basic, /auth\s*[=:]\s*basic/);

    const none = await ntfy('--auth', 'none', '--token-file', join(home, 'tok.txt'));
    assert.equal(none.code, 2);
    assert.match(
      none.stderr,
      /--token: is set, but --auth none does not send it: choose --auth token, or clear it/,
    );
    assert.ok(!none.stderr.includes(NTFY_TOKEN), 'the token is not quoted');
    const mixed = await ntfy('--auth', 'token', '--token-file', join(home, 'tok.txt'), '--user', 'phil');
    assert.equal(mixed.code, 2);
    assert.match(mixed.stderr, /--user: is set, but --auth token does not send it: choose --auth basic/);

    // The webhook and Alertmanager share their auth settings: the same inference, the same refusal.
    const hook = await shown(
      await add('--type', 'webhook', '--url', 'https://hooks.example.com/x', '--token', 'abc'),
    );
    assert.match(hook, /auth\s*[=:]\s*bearer/);
    assert.match(
      configErrors('alertmanager', {
        url: ['https://am.example.com'],
        auth: 'basic',
        user: 'u',
        password: 'p',
        token: 't',
      }),
      /token: is set, but --auth basic does not send it: choose --auth bearer/,
    );
    // Credentials of two modes, no --auth: neither is guessed.
    assert.match(
      configErrors('ntfy', { topic: 'disks', token: NTFY_TOKEN, user: 'u', password: 'p' }),
      /token: is set, but --auth none .*\n.*user: is set, but --auth none/s,
    );
  });

  it('the window words the refusal by its labels', () => {
    const fields = channelFor('ntfy')!.fields;
    const message = configErrors('ntfy', { topic: 'disks', auth: 'none', token: NTFY_TOKEN })
      .split(': ')
      .slice(1)
      .join(': ');
    assert.equal(
      formWords(message, fields),
      'is set, but Authentication “none” does not send it: choose Authentication “token”, or clear it',
    );
  });
});

describe('a URL that holds what belongs in another setting', () => {
  it("names ntfy's topic by its flag in the CLI and by its label in the window, as typed", () => {
    const error = configErrors('ntfy', { topic: 'disks', serverUrl: 'https://ntfy.sh/my%20disks' });
    assert.equal(
      error,
      'serverUrl: must be the server\'s address alone, e.g. https://ntfy.sh or https://ntfy.example.com, without a path: the topic ("my disks"?) goes in --topic',
    );
    assert.match(formWords(error, channelFor('ntfy')!.fields), /the topic \("my disks"\?\) goes in Topic$/);
  });

  it('refuses a Telegram API URL with /bot<token>/… in it, saying the token goes in --token and never showing it', async () => {
    const pasted = await add(
      '--type',
      'telegram',
      '--token',
      BOT_TOKEN,
      '--chat-id',
      '-1001234567890',
      '--api-url',
      `http://127.0.0.1:18080/bot${BOT_TOKEN}/getUpdates`,
    );
    assert.equal(pasted.code, 2);
    assert.match(
      pasted.stderr,
      /--api-url: must be the server's address alone, e.g\. https:\/\/api\.telegram\.org or a local server's http:\/\/127\.0\.0\.1:8081, without \/bot…: the bot token goes in --token/,
    );
    assert.ok(!pasted.stderr.includes(BOT_TOKEN.split(':')[1]!), 'the token is not quoted');
    assert.equal((await cli('integration', 'list')).stdout.includes(BOT_TOKEN.split(':')[1]!), false);
    const bare = (url: string) =>
      configErrors('telegram', { token: BOT_TOKEN, chatId: '-100123', apiUrl: url });
    assert.match(bare('http://127.0.0.1:18080/bot'), /apiUrl: .*the bot token goes in --token/);
    assert.match(bare('https://proxy.example.com/telegram/bot/'), /the bot token goes in --token/);
    // A proxy's own base path, or a local server's address, is what the setting is for.
    assert.equal(bare('https://proxy.example.com/telegram'), '');
    assert.equal(bare('http://127.0.0.1:8081'), '');
  });
});

describe('list fields and the chat ID', () => {
  it("ntfy's tags: their own placeholder, and a comma list refused with one tag at a time", async () => {
    const tags = channelFor('ntfy')!.fields.find((f) => f.key === 'tags')!;
    assert.equal(tags.placeholder, 'floppy_disk (one per line)');
    const error = configErrors('ntfy', { topic: 'disks', tags: ['floppy_disk, computer'] });
    assert.equal(
      formWords(error.replace(/^tags\.0: /, ''), channelFor('ntfy')!.fields),
      'cannot contain "," or control characters: give one tag at a time (one a line)',
    );
    const r = await ntfy('--tag', 'floppy_disk, computer');
    assert.equal(r.code, 2);
    assert.match(
      r.stderr,
      /--tag: cannot contain "," or control characters: give one tag at a time \(repeat --tag\)$/m,
    );
  });

  it('a Telegram chat ID that is a channel name without its "@" gets the name with one', async () => {
    const r = await add('--type', 'telegram', '--token', BOT_TOKEN, '--chat-id', 'mychannel');
    assert.equal(r.code, 2);
    assert.match(r.stderr, /--chat-id: must be a numeric chat id .*; for a public channel, "@mychannel"/);
    assert.doesNotMatch(configErrors('telegram', { token: BOT_TOKEN, chatId: 'my channel!' }), /"@/);
  });
});

describe('a flag of another channel', () => {
  it('names every channel that has it and the nearest flag of the chosen one', async () => {
    const hint = async (...flag: string[]) => (await ntfy(...flag)).stderr;
    assert.match(
      await hint('--api-url', 'https://x.example.com'),
      /--api-url is an option of slack, pagerduty, opsgenie and telegram integrations, not of ntfy; did you mean --server-url\?/,
    );
    assert.match(
      await hint('--url', 'https://x.example.com'),
      /--url is an option of webhook and alertmanager integrations, not of ntfy; did you mean --server-url\?/,
    );
    assert.match(
      await hint('--server', 'https://x.example.com'),
      /unknown option --server; did you mean --server-url\?/,
    );
  });
});
