import { execFile } from 'node:child_process';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

/** Runs one openssl command line (no argument here contains a space) in `cwd`. */
const openssl = (line: string, cwd: string) => promisify(execFile)('openssl', line.split(' '), { cwd });

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

// A fresh P-256 key, unencrypted, written to `file`.
const newKey = (file: string) => `-newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout ${file}`;

const SERVER_EXT = 'extendedKeyUsage=serverAuth\n';
const LOCAL_NAMES = 'subjectAltName=DNS:localhost,IP:127.0.0.1\n';

/** A self-signed CA valid for two days: `<name>.pem` and `<name>.key` in `dir`. */
async function makeCa(dir: string, name: string): Promise<void> {
  await openssl(
    `req -x509 ${newKey(`${name}.key`)} -out ${name}.pem -days 2 -subj /CN=headroom-test-${name}`,
    dir,
  );
}

/** A key and a certificate request for `who`, with the extensions its certificate will carry. */
async function makeRequest(dir: string, who: string, ext: string): Promise<void> {
  await writeFile(join(dir, `${who}.ext`), ext);
  await openssl(`req ${newKey(`${who}.key`)} -out ${who}.csr -subj /CN=headroom-test-${who}`, dir);
}

/** `who`'s certificate, signed by the CA `ca`, valid from now for two days. */
async function sign(dir: string, who: string, ca: string): Promise<void> {
  await openssl(
    `x509 -req -in ${who}.csr -CA ${ca}.pem -CAkey ${ca}.key -CAcreateserial -out ${who}.pem -days 2 -extfile ${who}.ext`,
    dir,
  );
}

/**
 * A throw-away CA, a server certificate for localhost / 127.0.0.1 and a client certificate, made
 * with the openssl CLI in ~100 ms. Keys are never committed: every run makes new ones.
 */
export async function makePki(): Promise<TestPki> {
  const dir = await mkdtemp(join(tmpdir(), 'headroom-pki-'));
  await makeCa(dir, 'ca');
  await makeRequest(dir, 'server', LOCAL_NAMES + SERVER_EXT);
  await makeRequest(dir, 'client', 'extendedKeyUsage=clientAuth\n');
  for (const who of ['server', 'client']) await sign(dir, who, 'ca');
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

/**
 * `pki` with its server certificate swapped for one a client must refuse, one per reason:
 * expired (2020, signed by the trusted CA — `openssl ca` is the openssl 3.0 command that can
 * backdate), signed by a CA nobody trusts, or issued by the trusted CA for another host name.
 */
export async function makeFaultyServers(
  pki: TestPki,
): Promise<Record<'expired' | 'untrusted' | 'wrongHost', TestPki>> {
  const dir = pki.dir;
  await makeRequest(dir, 'expired', LOCAL_NAMES + SERVER_EXT);
  await writeFile(join(dir, 'index.txt'), '');
  await writeFile(join(dir, 'serial'), '01\n');
  await writeFile(
    join(dir, 'ca.cnf'),
    '[ca]\ndefault_ca = test\n[test]\ndatabase = index.txt\nnew_certs_dir = .\nserial = serial\ndefault_md = sha256\npolicy = any\n[any]\ncommonName = supplied\n',
  );
  await openssl(
    'ca -batch -config ca.cnf -cert ca.pem -keyfile ca.key -in expired.csr -out expired.pem -notext ' +
      '-startdate 20200101000000Z -enddate 20200102000000Z -extfile expired.ext',
    dir,
  );
  await makeCa(dir, 'untrusted-ca');
  await makeRequest(dir, 'untrusted', LOCAL_NAMES + SERVER_EXT);
  await sign(dir, 'untrusted', 'untrusted-ca');
  await makeRequest(dir, 'wrong-host', 'subjectAltName=DNS:other.example\n' + SERVER_EXT);
  await sign(dir, 'wrong-host', 'ca');
  const server = async (who: string): Promise<TestPki> => ({
    ...pki,
    serverCert: await readFile(join(dir, `${who}.pem`), 'utf8'),
    serverKey: await readFile(join(dir, `${who}.key`), 'utf8'),
  });
  return {
    expired: await server('expired'),
    untrusted: await server('untrusted'),
    wrongHost: await server('wrong-host'),
  };
}
