/**
 * The protected header of Web PaaS signatures, in this exact key order: receivers compare the
 * serialized string, so `{"alg":"HS256","b64":false,"crit":["b64"]}` must come out byte for byte.
 */
const HEADER = { alg: 'HS256', b64: false, crit: ['b64'] };

// A name, not a literal: a bundler leaves it alone, so the CLI's bundle carries only the part of
// jose the Node runtime's own loader gives (core/delivery/modules.ts).
const JOSE_PACKAGE = 'jose';

/** What signing uses of jose. */
export type JoseSigner = Pick<typeof import('jose'), 'FlattenedSign'>;

let loadJose = (): Promise<JoseSigner> => import(JOSE_PACKAGE);

/** How jose is loaded; the Node runtime retries a failed load (core/delivery/modules.ts). */
export function useJoseLoader(load: typeof loadJose): void {
  loadJose = load;
}

/**
 * `X-JWS-Signature`: JWS compact serialization with an unencoded, detached payload (RFC 7797),
 * over the exact bytes sent. The key is the shared key *decoded from base64url*, which is how the
 * documented verifier (jwcrypto's `jwk.JWK(kty="oct", k=SHARED_KEY)`) reads it. jose is loaded on
 * the first signature: a watcher without signed webhooks never pays for it.
 */
export async function signDetached(body: string, sharedKey: string): Promise<string> {
  const { FlattenedSign } = await loadJose();
  const jws = await new FlattenedSign(new TextEncoder().encode(body))
    .setProtectedHeader(HEADER)
    .sign(base64urlDecode(sharedKey));
  return `${jws.protected}..${jws.signature}`;
}

export function base64urlDecode(s: string): Uint8Array {
  const b64 = s.replace(/-/g, '+').replace(/_/g, '/') + '='.repeat((4 - (s.length % 4)) % 4);
  return Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
}

export function base64urlEncode(bytes: Uint8Array): string {
  return btoa(String.fromCharCode(...bytes))
    .replace(/\+/g, '-')
    .replace(/\//g, '_')
    .replace(/=+$/, '');
}

/**
 * Why a shared key cannot be used, or null. Non-canonical base64url (a last character carrying
 * stray bits, `=` padding, `+/`) is read differently by different decoders, so a receiver could
 * verify with other key bytes than ours: refuse it up front rather than fail every delivery.
 */
export function sharedKeyProblem(key: string): string | null {
  const hint = 'e.g. generate one with: openssl rand -base64 32 | tr "+/" "-_" | tr -d "="';
  if (!/^[A-Za-z0-9_-]+$/.test(key)) {
    return `must be base64url: letters, digits, "-" and "_" only, without "=" padding (${hint})`;
  }
  if (key.length % 4 === 1)
    return `is not valid base64url: ${key.length} characters cannot encode whole bytes (${hint})`;
  const bytes = base64urlDecode(key);
  if (base64urlEncode(bytes) !== key) {
    return `is not canonical base64url: its last character carries bits decoders disagree on (${hint})`;
  }
  if (bytes.length < 32)
    return `decodes to ${bytes.length} bytes; HS256 needs at least 32 random bytes (${hint})`;
  return null;
}

/** HMAC-SHA256 in standard base64, for the webhook challenge (key: the secret's UTF-8 bytes). */
export async function hmacBase64(secret: string, message: string): Promise<string> {
  const enc = new TextEncoder();
  const key = await crypto.subtle.importKey(
    'raw',
    enc.encode(secret),
    { name: 'HMAC', hash: 'SHA-256' },
    false,
    ['sign'],
  );
  const mac = new Uint8Array(await crypto.subtle.sign('HMAC', key, enc.encode(message)));
  return btoa(String.fromCharCode(...mac));
}
