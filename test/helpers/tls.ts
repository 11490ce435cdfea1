import { execFile } from 'node:child_process';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const openssl = (args: string[], cwd: string) => promisify(execFile)('openssl', args, { cwd });

export interface TestPki {
  dir: string;
  /** PEM strings. */
  ca: string;
  serverCert: string;
  serverKey: string;
  clientCert: string;
  clientKey: string;
  /** The same, as files (for CLI flags). */
  files: { ca: string; clientCert: string; clientKey: string };
}

/**
 * A throw-away CA, a server certificate for localhost / 127.0.0.1 and a client certificate, made
 * with the openssl CLI in ~100 ms. Keys are never committed: every run makes new ones.
 */
export async function makePki(): Promise<TestPki> {
  const dir = await mkdtemp(join(tmpdir(), 'headroom-pki-'));
  const run = (...args: string[]) => openssl(args, dir);
  // A fresh P-256 key, unencrypted, written to `file`.
  const newKey = (file: string) => [
    '-newkey',
    'ec',
    '-pkeyopt',
    'ec_paramgen_curve:P-256',
    '-nodes',
    '-keyout',
    file,
  ];
  await run(
    'req',
    '-x509',
    ...newKey('ca.key'),
    '-out',
    'ca.pem',
    '-days',
    '2',
    '-subj',
    '/CN=Headroom Test CA',
  );
  await writeFile(
    join(dir, 'server.ext'),
    'subjectAltName=DNS:localhost,IP:127.0.0.1\nextendedKeyUsage=serverAuth\n',
  );
  await writeFile(join(dir, 'client.ext'), 'extendedKeyUsage=clientAuth\n');
  for (const who of ['server', 'client']) {
    await run('req', ...newKey(`${who}.key`), '-out', `${who}.csr`, '-subj', `/CN=headroom-test-${who}`);
    await run(
      'x509',
      '-req',
      '-in',
      `${who}.csr`,
      '-CA',
      'ca.pem',
      '-CAkey',
      'ca.key',
      '-CAcreateserial',
      '-out',
      `${who}.pem`,
      '-days',
      '2',
      '-extfile',
      `${who}.ext`,
    );
  }
  const read = (f: string) => readFile(join(dir, f), 'utf8');
  return {
    dir,
    ca: await read('ca.pem'),
    serverCert: await read('server.pem'),
    serverKey: await read('server.key'),
    clientCert: await read('client.pem'),
    clientKey: await read('client.key'),
    files: {
      ca: join(dir, 'ca.pem'),
      clientCert: join(dir, 'client.pem'),
      clientKey: join(dir, 'client.key'),
    },
  };
}
