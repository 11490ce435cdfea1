import * as z from 'zod';
import type { HttpRequest } from '../http-outcome.js';
import type { FieldError } from '../validation.js';
import type { Field } from './channel.js';
import { pem } from './common.js';
import type { Setting, SettingsShape } from './settings.js';

/**
 * Authentication for receivers you run yourself (the webhook, Alertmanager): none, Basic, Bearer
 * or mutual TLS, plus a private CA to trust. One definition, so both channels behave alike.
 */
export const AUTH_MODES = ['none', 'basic', 'bearer', 'mtls'] as const;

/** Shown with one auth mode only. */
const onlyWith = (mode: (typeof AUTH_MODES)[number]) => ({ key: 'auth' as const, in: [mode] });

export const authSettings = {
  auth: {
    type: () => z.enum(AUTH_MODES, { error: `must be one of ${AUTH_MODES.join(', ')}` }).default('none'),
    field: {
      flag: 'auth',
      label: 'Authentication',
      kind: 'select',
      options: AUTH_MODES,
      help: 'none, Basic (user + password), Bearer token, or mutual TLS (client certificate).',
    },
  },
  user: {
    type: () => z.string().optional(),
    field: {
      flag: 'user',
      label: 'User',
      kind: 'text',
      header: 'encoded',
      help: 'Basic auth user name.',
      showWhen: onlyWith('basic'),
    },
  },
  password: {
    type: () => z.string().optional(),
    field: {
      flag: 'password',
      label: 'Password',
      kind: 'text',
      secret: true,
      header: 'encoded',
      help: 'Basic auth password.',
      showWhen: onlyWith('basic'),
    },
  },
  token: {
    type: () => z.string().optional(),
    field: {
      flag: 'token',
      label: 'Bearer token',
      kind: 'text',
      secret: true,
      header: 'raw',
      help: 'Sent as "Authorization: Bearer <token>".',
      showWhen: onlyWith('bearer'),
    },
  },
  cert: {
    type: () => pem('certificate').optional(),
    field: {
      flag: 'cert',
      label: 'Client certificate',
      kind: 'pem',
      help: 'PEM file, for mutual TLS.',
      showWhen: onlyWith('mtls'),
    },
  },
  key: {
    type: () => pem('private key').optional(),
    field: {
      flag: 'key',
      label: 'Client key',
      kind: 'pem',
      secret: true,
      help: 'PEM file, for mutual TLS.',
      showWhen: onlyWith('mtls'),
    },
  },
  ca: {
    type: () => pem('CA certificate').optional(),
    field: {
      flag: 'ca',
      label: 'CA certificate',
      kind: 'pem',
      help: 'PEM file: trust a private CA for this receiver.',
    },
  },
} satisfies Record<string, Setting<z.ZodType, 'auth'>>;

export type AuthConfig = z.output<z.ZodObject<SettingsShape<typeof authSettings>>>;

/** The credentials each mode needs, named field by field. */
export function checkAuth(c: AuthConfig, ctx: z.RefinementCtx): void {
  const need = (key: keyof AuthConfig, why: string) => {
    if (!c[key]) ctx.addIssue({ code: 'custom', path: [key], message: why });
  };
  if (c.auth === 'basic') {
    need('user', 'is required with --auth basic');
    need('password', 'is required with --auth basic');
    if (c.user?.includes(':')) {
      ctx.addIssue({
        code: 'custom',
        path: ['user'],
        message: 'cannot contain ":" (Basic auth separates user and password with it)',
      });
    }
  }
  if (c.auth === 'bearer') need('token', 'is required with --auth bearer');
  if (c.auth === 'mtls') {
    need('cert', 'is required with --auth mtls: the client certificate (PEM file)');
    need('key', 'is required with --auth mtls: the client private key (PEM file)');
  }
}

const given = (v: unknown) => v !== undefined && v !== null && v !== '';

/**
 * The credentials among `fields`, each with the auth modes that send it: its `showWhen` on
 * "auth" (the form shows it with those modes only), so the modes are declared once.
 */
function credentials(fields: readonly Field[]): { key: string; modes: readonly string[] }[] {
  return fields.flatMap((f) => (f.showWhen?.key === 'auth' ? [{ key: f.key, modes: f.showWhen.in }] : []));
}

/** The auth mode given, else the one whose credentials were given (one only), else none. */
function authOf(fields: readonly Field[], config: Readonly<Record<string, unknown>>): string | undefined {
  if (given(config.auth)) return String(config.auth);
  const modes = new Set(credentials(fields).flatMap((c) => (given(config[c.key]) ? c.modes : [])));
  return modes.size === 1 ? [...modes][0] : undefined;
}

/**
 * No auth mode given: the one whose credentials were (a token alone means token auth), so a
 * token is sent rather than stored unused under the default "none". Credentials of several modes
 * leave it to the default, and `authMismatches` names each.
 */
export function inferAuth(fields: readonly Field[]): (input: unknown) => unknown {
  return (input) => {
    if (typeof input !== 'object' || input === null || Array.isArray(input)) return input;
    const r = input as Record<string, unknown>;
    const auth = authOf(fields, r);
    return auth === undefined || given(r.auth) ? input : { ...r, auth };
  };
}

/**
 * Credentials the chosen auth mode does not send (a token with --auth none): said on save, as a
 * mistake to fix rather than a value kept unused. A save-time check (see input-checks.ts), so an
 * integration saved so before still loads.
 */
export function authMismatches(
  fields: readonly Field[],
  config: Readonly<Record<string, unknown>>,
): FieldError[] {
  const select = fields.find((f) => f.key === 'auth' && f.kind === 'select');
  if (!select) return [];
  const auth = authOf(fields, config) ?? select.options?.[0] ?? '';
  return credentials(fields)
    .filter((c) => given(config[c.key]) && !c.modes.includes(auth))
    .map((c) => ({
      field: c.key,
      message: `is set, but --auth ${auth} does not send it: choose --auth ${c.modes[0]}, or clear it`,
    }));
}

export function authHeaders(c: AuthConfig): Record<string, string> {
  if (c.auth === 'basic') return { authorization: `Basic ${base64Utf8(`${c.user}:${c.password}`)}` };
  if (c.auth === 'bearer') return { authorization: `Bearer ${c.token}` };
  return {};
}

export function tlsOf(c: AuthConfig): HttpRequest['tls'] {
  const tls = { ...(c.ca ? { ca: c.ca } : {}), ...(c.auth === 'mtls' ? { cert: c.cert, key: c.key } : {}) };
  return tls.ca || tls.cert ? tls : undefined;
}

/** RFC 7617: Basic credentials are UTF-8 before base64 (btoa alone rejects non-Latin-1). */
export function base64Utf8(text: string): string {
  return btoa(String.fromCharCode(...new TextEncoder().encode(text)));
}
