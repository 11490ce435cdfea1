import type { IncomingMessage, ServerResponse } from 'node:http';
import { timingSafeEqual } from './builtins.js';
import { clientOf } from './http-limits.js';
import { loginCsp, loginPage, type LoginState } from './web-ui-login-page.js';
import { readRawBody, send } from './web-ui-http.js';
import { passwordMatches, UiSecrets } from './web-ui-secrets.js';
import { SESSION_MS, UiSessions } from './web-ui-sessions.js';
import { LoginThrottle } from './web-ui-throttle.js';

export const SESSION_COOKIE = 'headroom_session';

/** Password checks running at once: each takes scrypt's memory (32 MiB), so a flood cannot take more. */
const MAX_CHECKS = 2;

export interface AuthOptions {
  /** The data directory, where the token, the password hash and the sessions are kept. */
  dir: string;
  /** A line for the watcher's log: never a secret. */
  log: (line: string) => void;
  /** Whether the browser reached this server over https (the session cookie is then Secure). */
  overHttps: (req: IncomingMessage) => boolean;
  /** Told the new token after a rotation from the web UI (to update `ui-url`). */
  onRotated?: (token: string) => void;
}

/**
 * Who may use the web UI: whoever has the access token (in the URL's fragment, sent by the page as
 * a Bearer header), or a browser logged in with the password (a session cookie). Serves the
 * login page, logout, the session's status and token rotation.
 */
export function webUiAuth(o: AuthOptions) {
  const secrets = new UiSecrets(o.dir, o.log);
  const sessions = new UiSessions(o.dir, o.log);
  const throttle = new LoginThrottle(Date.now);
  let checking = 0;

  const bearer = (req: IncomingMessage) => /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
  const cookie = (req: IncomingMessage) =>
    new RegExp(`(?:^|;\\s*)${SESSION_COOKIE}=([A-Za-z0-9_-]+)`).exec(req.headers.cookie ?? '')?.[1];

  function byToken(req: IncomingMessage): boolean {
    const given = Buffer.from(bearer(req) ?? '');
    const expected = Buffer.from(secrets.token());
    return given.length === expected.length && timingSafeEqual(given, expected);
  }
  const bySession = (req: IncomingMessage) => sessions.valid(cookie(req), secrets.stamp());
  const passwordLogin = () => secrets.passwordRecord() !== undefined;

  const sessionCookie = (req: IncomingMessage, value: string, maxAgeS: number) =>
    `${SESSION_COOKIE}=${value}; Path=/; HttpOnly; SameSite=Strict; Max-Age=${maxAgeS}${o.overHttps(req) ? '; Secure' : ''}`;

  function page(
    res: ServerResponse,
    status: number,
    state: LoginState,
    headers: Record<string, string> = {},
  ) {
    res.writeHead(status, {
      'content-type': 'text/html; charset=utf-8',
      'cache-control': 'no-store',
      'content-security-policy': loginCsp(),
      // With no referrer at all, a browser sends the form as from origin "null", which is refused.
      'referrer-policy': 'same-origin',
      ...headers,
    });
    res.end(loginPage(state));
  }

  async function login(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const record = secrets.passwordRecord();
    if (!record) return page(res, 403, { kind: 'off' });
    const client = clientOf(req.socket.remoteAddress ?? 'unknown');
    const text = await readRawBody(req, 8 * 1024);
    const password = text === undefined ? undefined : new URLSearchParams(text).get('password');
    if (!password) return page(res, 400, { kind: 'form', error: 'Type the password.' });
    if (checking >= MAX_CHECKS)
      return page(res, 503, { kind: 'form', error: 'The watcher is checking other logins: try again.' });
    const waitMs = throttle.begin(client);
    if (waitMs > 0) {
      const s = Math.ceil(waitMs / 1000);
      return page(
        res,
        429,
        { kind: 'form', error: `Too many wrong passwords from your address: try again in ${s} s.` },
        { 'retry-after': String(s) },
      );
    }
    let right = false;
    checking++;
    try {
      right = await passwordMatches(record, password);
    } finally {
      checking--;
      const t = throttle.settle(client, right);
      if (!right)
        o.log(
          `web UI: wrong password from ${client} (${t.failures} in a row` +
            `${t.refused ? `; ${t.refused} more tries refused while it had to wait` : ''})` +
            `${t.waitMs ? `; its next try is checked in ${Math.ceil(t.waitMs / 1000)} s` : ''}.`,
        );
    }
    if (!right) return page(res, 401, { kind: 'form', error: 'Wrong password.' });
    o.log(`web UI: password login from ${client}.`);
    const secret = sessions.create(secrets.stamp());
    res.writeHead(303, {
      location: '/',
      'cache-control': 'no-store',
      'set-cookie': sessionCookie(req, secret, SESSION_MS / 1000),
    });
    res.end();
  }

  const refusal = () => ({
    ok: false,
    error: { code: 'forbidden', message: 'missing or wrong access token' },
    passwordLogin: passwordLogin(),
  });
  /** Told after a rotation or a logout: open event streams check they may go on. */
  const revoked = new Set<() => void>();
  const revoke = () => {
    for (const listener of revoked) listener();
  };

  return {
    /** The token to put in the address printed at start. */
    token: () => secrets.token(),
    authorised: (req: IncomingMessage) => byToken(req) || bySession(req),
    /** What a refused API request is told: whether a password login would let it in. */
    refusal,
    /** Calls `listener` after each rotation or logout, until the returned function is called. */
    onRevoke(listener: () => void): () => void {
      revoked.add(listener);
      return () => revoked.delete(listener);
    },

    /** Answers the login and session requests; false for any other path. */
    async handle(req: IncomingMessage, res: ServerResponse, path: string): Promise<boolean> {
      if (path === '/login') {
        if (req.method === 'POST') await login(req, res);
        else page(res, passwordLogin() ? 200 : 403, passwordLogin() ? { kind: 'form' } : { kind: 'off' });
        return true;
      }
      if (path !== '/logout' && path !== '/auth/status' && path !== '/auth/rotate') return false;
      if (!byToken(req) && !bySession(req)) {
        send(res, 401, refusal());
        return true;
      }
      if (path === '/auth/status') {
        send(res, 200, { ok: true, value: { passwordLogin: passwordLogin(), session: bySession(req) } });
        return true;
      }
      // Not a form a page on another site could post: JSON, which a browser sends cross-site only
      // after asking (and Origin is checked before this).
      if (req.method !== 'POST' || !/^application\/json\b/.test(req.headers['content-type'] ?? '')) {
        send(res, 405, { ok: false, error: { code: 'invalidInput', message: 'POST application/json' } });
        return true;
      }
      if (path === '/logout') {
        const secret = cookie(req);
        if (secret) sessions.end(secret);
        send(res, 200, { ok: true, value: {} }, { 'set-cookie': sessionCookie(req, '', 0) });
        revoke();
        return true;
      }
      const token = secrets.rotate();
      o.log(
        `web UI: the access token was rotated from the web UI (${clientOf(req.socket.remoteAddress ?? 'unknown')}); the old one and every password login no longer work.`,
      );
      o.onRotated?.(token);
      revoke();
      send(res, 200, { ok: true, value: { token } });
      return true;
    },
  };
}

export type WebUiAuth = ReturnType<typeof webUiAuth>;
