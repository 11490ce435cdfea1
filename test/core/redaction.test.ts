import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from '../helpers/node-test.js';
import { createApi } from '../../core/api.js';
import { callApi } from '../../core/api-call.js';
import { lookupMount } from '../../core/mount-table.js';
import { openRuntime } from '../../core/runtime.js';
import { Watcher } from '../../core/watcher.js';
import { runCli, tempHome } from '../helpers/cli.js';
import { Receiver, type Received } from '../helpers/receiver.js';
import { assertReported } from '../helpers/report.js';
import { makePki, type TestPki } from '../helpers/tls.js';

/** Secrets with the characters each transformation changes: "/", "+", quotes, letter case. */
const TOKEN = 'Tok/en+"S3cret"Value';
const HEADER = 'Hdr/S3cret+Value"1';
const QUERY = 'Qry/S3cret+Value';
const SECRETS = [TOKEN, HEADER, QUERY];

/** How receivers quote what they were sent. */
const FORMS: Record<string, (s: string) => string> = {
  'JSON-escaped': (s) => JSON.stringify(s),
  'JSON-escaped with \\/ (PHP)': (s) => JSON.stringify(s).replace(/\//g, '\\/'),
  'URL-encoded': encodeURIComponent,
  base64: (s) => Buffer.from(s).toString('base64'),
  'lower-cased': (s) => s.toLowerCase(),
  'upper-cased': (s) => s.toUpperCase(),
};

const config = (base: string) => ({
  url: `${base}/hook?apikey=${encodeURIComponent(QUERY)}`,
  auth: 'bearer',
  token: TOKEN,
  headers: [`X-Api-Key: ${HEADER}`],
});

function assertNoSecret(where: string, text: string): void {
  assert.doesNotMatch(text, /s3cret/i, `${where} shows a secret:\n${text}`);
  for (const secret of SECRETS)
    for (const [form, transform] of Object.entries(FORMS))
      assert.ok(!text.includes(transform(secret)), `${where} shows a secret ${form}:\n${text}`);
}

describe('secrets a receiver echoes back transformed are masked in history, CLI and API', () => {
  let pki: TestPki;
  let receiver: Receiver;
  /** The form the receiver quotes the request's secrets in, for the next request. */
  let form = '';
  before(async () => {
    pki = await makePki();
    receiver = await Receiver.start(pki);
    // Refuses every request, quoting the token, the extra header and the URL's query value.
    receiver.always((r: Received) => {
      const sent = [
        String(r.headers.authorization).replace(/^Bearer /, ''),
        String(r.headers['x-api-key']),
        new URL(r.url, 'https://x').searchParams.get('apikey')!,
      ];
      return { status: 400, body: `you sent ${sent.map(FORMS[form]!).join(' ')}` };
    });
  });
  after(() => receiver.close());

  it('the CLI: integration test, history and history.jsonl', async () => {
    const home = await tempHome();
    const c = config(receiver.url);
    const added = await runCli(
      [
        'integration',
        'add',
        '--type',
        'webhook',
        '--url',
        c.url,
        '--ca',
        pki.files.ca,
        '--auth',
        'bearer',
        '--token',
        TOKEN,
        '--header',
        c.headers[0]!,
      ],
      home,
    );
    assert.equal(added.code, 0, added.stderr);
    const printed: string[] = [added.stdout + added.stderr];
    for (const name of Object.keys(FORMS)) {
      form = name;
      const r = await runCli(['integration', 'test'], home);
      assert.equal(r.code, 1);
      // The receiver's words are there, each secret masked.
      assert.match(
        r.stdout,
        /failed: the receiver rejected the request \(HTTP 400\): you sent \S*••••\S* \S*••••\S* \S*••••\S* /,
      );
      printed.push(`integration test, echoed ${name}:\n${r.stdout}${r.stderr}`);
    }
    for (const args of [
      ['history'],
      ['history', '--json'],
      ['integration', 'list'],
      ['integration', 'list', '--json'],
    ]) {
      const r = await runCli(args, home);
      printed.push(`${args.join(' ')}:\n${r.stdout}${r.stderr}`);
    }
    const last = receiver.requests.at(-1)!;
    assert.equal(last.headers.authorization, `Bearer ${TOKEN}`, 'the secrets went out as configured');
    assert.equal(last.headers['x-api-key'], HEADER);
    for (const output of printed) assertNoSecret(output.split('\n')[0]!, output);
    assertNoSecret('history.jsonl', await readFile(join(home, 'history.jsonl'), 'utf8'));
    assertReported('Secrets echoed back transformed', SECRETS.length * Object.keys(FORMS).length);
  });

  it('the API the window and the web UI call: test answers and the history', async () => {
    const dir = await tempHome();
    const runtime = openRuntime(dir);
    const api = createApi(new Watcher(runtime, { only: [(await lookupMount('/'))!] }), {
      shell: 'web',
      secrets: { protected: false, description: 'plain' },
      getLaunchAtLogin: () => null,
      setLaunchAtLogin: () => {},
    });
    const said: string[] = [];
    const call = async <T>(name: string, input: unknown): Promise<T> => {
      const result = await callApi(api, name, input);
      said.push(`${name}: ${JSON.stringify(result)}`);
      assert.ok(result.ok, JSON.stringify(result));
      return result.value as T;
    };
    const saved = await call<{ integration: { id: string } }>('integrations.save', {
      type: 'webhook',
      config: { ...config(receiver.url), ca: pki.ca },
    });
    for (const name of Object.keys(FORMS)) {
      form = name;
      const record = await call<{ reason: string }>('integrations.test', { id: saved.integration.id });
      assert.match(record.reason, /you sent \S*••••\S* \S*••••\S* \S*••••\S*$/, name);
    }
    await call('history.list', {});
    await call('integrations.list', {});
    await runtime.close();
    for (const answer of said) assertNoSecret('an API answer', answer);
    assertNoSecret('history.jsonl', await readFile(join(dir, 'history.jsonl'), 'utf8'));
  });
});
