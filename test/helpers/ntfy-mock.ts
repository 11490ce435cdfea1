import { Buffer } from 'node:buffer';
import type { Received, Reply } from './receiver.js';
import { bodyValidator, vendorJson } from './openapi.js';

/**
 * A stand-in for an ntfy server, answering as ntfy's own code does (binwiederhier/ntfy@81a486a,
 * server/server.go and errors.go, as extracted in test/vendor-schemas/ntfy-publish-json.*):
 * credentials are checked before anything else (401, 40101), a publish as JSON at `POST /` is
 * read within 8,192 bytes (413, 41303), its topic checked (40009, 40010), write access (403,
 * 40301); a message over 4,096 bytes would be made an attachment, which a server without an
 * attachment cache refuses (400, 40014); `GET /<topic>/auth` answers {"success":true} to those
 * who may read. Every published body is also checked against the extract's schema, which lists
 * only the fields ntfy documents: anything else is answered 400 and kept in `problems`.
 *
 * What a phone subscribed to the topic shows is kept in `drawer`, as ntfy's v2.16 apps do: a
 * message with the sequence ID of one shown replaces it.
 */
const CONTRACT = 'ntfy-publish-json.openapi-extract.json';

export type NtfyAccess = 'read-write' | 'read-only' | 'write-only' | 'deny-all';

export interface NtfyUser {
  name: string;
  password?: string;
  token?: string;
  /** Topic → access; other topics get `defaultAccess`. */
  access?: Record<string, NtfyAccess>;
}

export interface Published {
  id: string;
  topic: string;
  title?: string;
  message: string;
  priority?: number;
  tags?: string[];
  click?: string;
  sequence_id?: string;
  markdown?: boolean;
  /** Who published it: a user's name, or "*" (anonymous). */
  user: string;
  /** The size of the JSON body it came in, in bytes. */
  bytes: number;
}

export function ntfyMock(options: {
  users?: NtfyUser[];
  /** ntfy's auth-default-access; "read-write" is its own default. */
  defaultAccess?: NtfyAccess;
  /** What the anonymous user may do, per topic. */
  anonymous?: Record<string, NtfyAccess>;
}) {
  const check = bodyValidator(CONTRACT, '/');
  const contract = vendorJson(CONTRACT);
  const limits = contract['x-limits'] as {
    messageBytes: number;
    jsonBodyBytes: number;
    disallowedTopics: string[];
  };
  const errors = contract['x-errors'] as Record<string, { http: number; error: string }>;
  const published: Published[] = [];
  const drawer = new Map<string, Published>();
  const problems: string[] = [];
  let next = 0;

  const fail = (code: number, error?: string): Reply => {
    const known = errors[String(code)];
    if (!known && !error) throw new Error(`the ntfy stand-in used an error the extract lacks: ${code}`);
    const http = known?.http ?? Math.floor(code / 100);
    return {
      status: http,
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        code,
        http,
        error: error ?? known!.error,
        link: 'https://ntfy.sh/docs/publish/',
      }),
    };
  };
  const ok = (body: unknown): Reply => ({
    status: 200,
    headers: { 'content-type': 'application/json' },
    body: `${JSON.stringify(body)}\n`,
  });

  /** The user the Authorization header names: null for none, undefined when it names nobody. */
  function userOf(r: Received): NtfyUser | null | undefined {
    const header = r.headers.authorization;
    if (!header) return null;
    if (header.startsWith('Bearer '))
      return options.users?.find((u) => u.token && header === `Bearer ${u.token}`);
    if (!header.startsWith('Basic ')) return null; // ntfy ignores other schemes
    const [name, ...rest] = Buffer.from(header.slice(6), 'base64').toString('utf8').split(':');
    return options.users?.find(
      (u) => u.name === name && u.password !== undefined && u.password === rest.join(':'),
    );
  }

  function may(user: NtfyUser | null, topic: string, what: 'read' | 'write'): boolean {
    const access =
      (user ? user.access?.[topic] : options.anonymous?.[topic]) ?? options.defaultAccess ?? 'read-write';
    return access === 'read-write' || access === `${what}-only`;
  }

  const handle = (r: Received): Reply => {
    const user = userOf(r);
    if (user === undefined) return fail(40101);
    const auth = /^\/([-_A-Za-z0-9]{1,64})\/auth$/.exec(r.url);
    if (r.method === 'GET' && auth) return may(user, auth[1]!, 'read') ? ok({ success: true }) : fail(40301);
    if (!(r.method === 'POST' || r.method === 'PUT') || r.url !== '/') return fail(40401);
    const bytes = Buffer.byteLength(r.body);
    if (bytes > limits.jsonBodyBytes) return fail(41303);
    let body: Record<string, unknown>;
    try {
      body = JSON.parse(r.body);
    } catch {
      return fail(40024);
    }
    const wrong = check(body);
    if (wrong.length) {
      problems.push(...wrong);
      return fail(40000, `stand-in: not ntfy's publish JSON: ${wrong.join('; ')}`);
    }
    const topic = String(body.topic);
    if (!/^[-_A-Za-z0-9]{1,64}$/.test(topic)) return fail(40009);
    if (limits.disallowedTopics.includes(topic)) return fail(40010);
    if (!may(user, topic, 'write')) return fail(40301);
    const message = String(body.message ?? '').trim() || 'triggered';
    if (Buffer.byteLength(message) > limits.messageBytes) return fail(40014);
    const m: Published = {
      ...(body as Partial<Published>),
      id: `msg${String(++next).padStart(9, '0')}`,
      topic,
      message,
      user: user?.name ?? '*',
      bytes,
    };
    published.push(m);
    drawer.set(m.sequence_id ?? m.id, m);
    const { user: _u, bytes: _b, ...answer } = m;
    return ok({ ...answer, time: Math.floor(Date.now() / 1000), event: 'message' });
  };
  return { handle, published, drawer, problems };
}
