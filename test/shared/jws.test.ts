import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { describe, it } from '../helpers/node-test.js';
import { promisify } from 'node:util';
import { base64url, flattenedVerify } from 'jose';
import { hmacBase64, sharedKeyProblem, signDetached } from '../../shared/jws.js';

const RFC7797_KEY = 'AyM1SysPpbyDfgZld3umj1qzKObwVMkoqQ-EstJQLr_T-1qS0gZH75aKtMN3Yj0iPS4hcgUuTwjAzZr1Z9CAow';
const PROTECTED = 'eyJhbGciOiJIUzI1NiIsImI2NCI6ZmFsc2UsImNyaXQiOlsiYjY0Il19';

/** The verifier Web PaaS documents (python jwcrypto), run for real where Debian's package is installed. */
async function jwcryptoMissing(): Promise<string | false> {
  if (!existsSync('/usr/bin/python3')) return 'no /usr/bin/python3';
  try {
    await promisify(execFile)('/usr/bin/python3', ['-c', 'import jwcrypto']);
    return false;
  } catch {
    return 'python3-jwcrypto is not installed (apt-get install python3-jwcrypto; .ci/run does)';
  }
}

const JWCRYPTO_RECIPE = `
import sys
from jwcrypto import jws, jwk
body, key, header = sys.stdin.buffer.read(), sys.argv[1], sys.argv[2]
sig = jws.JWS(body)
sig.add_signature(jwk.JWK(kty="oct", k=key), protected='{"alg":"HS256","b64":false,"crit":["b64"]}')
sig.detach_payload()
print("match" if sig.serialize(compact=True) == header else "mismatch")
`;

function jwcryptoVerify(body: string, key: string, header: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = execFile('/usr/bin/python3', ['-c', JWCRYPTO_RECIPE, key, header], (error, stdout) =>
      error ? reject(error) : resolve(stdout.trim()),
    );
    child.stdin!.end(body);
  });
}

const jwcryptoSkip = await jwcryptoMissing();

describe('X-JWS-Signature (RFC 7797 detached, unencoded payload)', () => {
  it('reproduces the RFC 7797 §4.2 example exactly', async () => {
    assert.equal(
      await signDetached('$.02', RFC7797_KEY),
      `${PROTECTED}..A5dxf2s96_n5FLueVuW1Z_vh161FwXZC4YLPff6dmDY`,
    );
  });

  it('uses exactly the protected header {"alg":"HS256","b64":false,"crit":["b64"]}', async () => {
    const [protectedPart] = (await signDetached('{}', RFC7797_KEY)).split('..');
    assert.equal(
      new TextDecoder().decode(base64url.decode(protectedPart!)),
      '{"alg":"HS256","b64":false,"crit":["b64"]}',
    );
  });

  it("verifies with jose's verifier over the exact body bytes, and fails for one changed byte", async () => {
    const body = JSON.stringify({ message: 'Disk critical: /data on host has 8.0% free', mount: '/dätä' });
    const [prot, signature] = (await signDetached(body, RFC7797_KEY)).split('..');
    const key = base64url.decode(RFC7797_KEY);
    const jws = { protected: prot!, signature: signature!, payload: new TextEncoder().encode(body) };
    await flattenedVerify(jws, key);
    await assert.rejects(
      flattenedVerify({ ...jws, payload: new TextEncoder().encode(body.replace('8.0', '9.0')) }, key),
    );
  });

  it('verifies with the documented jwcrypto recipe', { skip: jwcryptoSkip }, async () => {
    const key = base64url.encode(crypto.getRandomValues(new Uint8Array(32)));
    const body = JSON.stringify({ severity: 'critical', info: 'ünïcode and "quotes"' });
    const header = await signDetached(body, key);
    assert.equal(await jwcryptoVerify(body, key, header), 'match');
    assert.equal(await jwcryptoVerify(`${body} `, key, header), 'mismatch');
  });
});

describe('shared key validation', () => {
  it('accepts canonical base64url of at least 32 bytes', () => {
    assert.equal(sharedKeyProblem(RFC7797_KEY), null);
    assert.equal(sharedKeyProblem(base64url.encode(new Uint8Array(32).fill(7))), null);
  });

  it('refuses what decoders read differently, saying why and how to make a good one', () => {
    assert.match(sharedKeyProblem('JWS-SYMMETRIC-KEY')!, /cannot encode whole bytes/);
    assert.match(sharedKeyProblem('my-shared-key')!, /cannot encode whole bytes/);
    assert.match(sharedKeyProblem(`${RFC7797_KEY}==`)!, /without "=" padding/);
    assert.match(sharedKeyProblem('a+b/' + RFC7797_KEY)!, /base64url/);
    assert.match(sharedKeyProblem('AB')!, /not canonical/); // "AB" carries stray bits: "AA" is the canonical 1-byte form
    assert.match(sharedKeyProblem('c2VjcmV0')!, /decodes to 6 bytes/);
    assert.match(sharedKeyProblem('c2VjcmV0')!, /openssl rand/);
  });
});

describe('challenge answer', () => {
  it('is sha256 HMAC keyed by the UTF-8 secret, in standard base64', async () => {
    // openssl: printf token | openssl dgst -sha256 -hmac secret -binary | base64
    assert.equal(await hmacBase64('secret', 'token'), '6UERDj0r/oJiHw4+FDRzDXMF0QbF9oyHFl0LJ6RhGko=');
  });
});
