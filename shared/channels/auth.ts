import * as z from 'zod';
import type { HttpRequest } from '../http-outcome.js';
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
