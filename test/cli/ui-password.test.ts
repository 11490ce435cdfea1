import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { describe, it } from '../helpers/node-test.js';
import { BIN, tempHome } from '../helpers/cli.js';
import { passwordMatches, readPassword } from '../../core/web-ui-secrets.js';

/** Debian's Python, whose pty module gives the CLI a real terminal. */
const PYTHON = '/usr/bin/python3';

/**
 * Runs `headroom ui --set-password` on a pseudo-terminal: waits for each prompt, then types its
 * keys. Resolves to everything the terminal showed, and the exit code.
 */
const DRIVER = `
import json, os, pty, select, sys
home, node, bin, steps = sys.argv[1], sys.argv[2], sys.argv[3], json.loads(sys.argv[4])
pid, fd = pty.fork()
if pid == 0:
    os.environ['HEADROOM_HOME'] = home
    os.execv(node, [node, bin, 'ui', '--set-password'])
out = b''
def read(until=None):
    global out
    while until is None or until.encode() not in out:
        ready, _, _ = select.select([fd], [], [], 20)
        if not ready:
            if until is None: return
            sys.exit('no %r on the terminal: %r' % (until, out))
        try: chunk = os.read(fd, 1024)
        except OSError: return
        if not chunk: return
        out += chunk
for prompt, keys in steps:
    read(prompt)
    os.write(fd, keys.encode())
read()
_, status = os.waitpid(pid, 0)
print(json.dumps({'screen': out.decode(), 'code': os.waitstatus_to_exitcode(status)}))
`;

function onTerminal(home: string, steps: [string, string][]): Promise<{ screen: string; code: number }> {
  return new Promise((resolve, reject) => {
    const child = spawn(PYTHON, ['-c', DRIVER, home, process.execPath, BIN, JSON.stringify(steps)]);
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve(JSON.parse(out)) : reject(new Error(err))));
  });
}

describe(
  'headroom ui --set-password at a terminal',
  { skip: existsSync(PYTHON) ? false : `${PYTHON} is missing` },
  () => {
    it(
      'reads the password twice without echo and keeps only its scrypt hash',
      { timeout: 30_000 },
      async () => {
        const home = await tempHome();
        const typed = 'typed at the terminal';
        const r = await onTerminal(home, [
          ['password: ', `${typed}\r`],
          ['Again: ', `${typed}\r`],
        ]);
        assert.equal(r.code, 0, r.screen);
        assert.match(r.screen, /New web UI password: \r\nAgain: \r\nheadroom: web UI password set/);
        assert.ok(!r.screen.includes(typed), 'the password is never shown');
        const record = readPassword(home);
        assert.ok(record && !(record instanceof Error));
        assert.equal(await passwordMatches(record, typed), true);
        assert.equal(await passwordMatches(record, `${typed}!`), false);
      },
    );

    it('changes nothing when the two differ, or on Ctrl-C', { timeout: 30_000 }, async () => {
      const home = await tempHome();
      const differ = await onTerminal(home, [
        ['password: ', 'first try here\r'],
        ['Again: ', 'second try here\r'],
      ]);
      assert.equal(differ.code, 2);
      assert.match(differ.screen, /headroom: the two passwords differ; nothing was changed\./);
      const cancelled = await onTerminal(home, [['password: ', 'half typ\u0003']]);
      assert.equal(cancelled.code, 2);
      assert.match(cancelled.screen, /headroom: cancelled; nothing was changed\./);
      assert.equal(readPassword(home), undefined, 'no password was set');
    });
  },
);
