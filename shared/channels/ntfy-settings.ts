import * as z from 'zod';
import { authSettings, inferAuth } from './auth.js';
import { addressAlone, endpointUrl, linkSetting } from './common.js';
import { channelSettings } from './settings.js';

/**
 * ntfy's rules for a topic name, from its server (server/server.go `topicRegex`, and the names
 * config.go's DefaultDisallowedTopics keeps for its own pages), at binwiederhier/ntfy@81a486a:
 * https://github.com/binwiederhier/ntfy/blob/81a486adc11fe24efcbedefb28ae946028597c2f/server/server.go#L70
 */
export const TOPIC = /^[-_A-Za-z0-9]{1,64}$/;
const RESERVED_TOPICS = [
  'docs',
  'static',
  'file',
  'app',
  'metrics',
  'account',
  'settings',
  'signup',
  'login',
  'v1',
];

/** ntfy's own Bearer tokens start so (user/manager.go `tokenPrefix`): anything else is a paste gone wrong. */
const TOKEN_PREFIX = 'tk_';

export const NTFY_AUTH = ['none', 'token', 'basic'] as const;

const topic = z
  .string({ error: 'the topic is required' })
  .trim()
  .min(1, { error: 'the topic is required' })
  .superRefine((value, ctx) => {
    if (!TOPIC.test(value))
      ctx.addIssue({
        code: 'custom',
        message:
          'must be 1 to 64 letters (A–Z, a–z), digits, "-" or "_": ntfy allows nothing else in a topic name (no spaces, no "/")',
      });
    else if (RESERVED_TOPICS.includes(value))
      ctx.addIssue({
        code: 'custom',
        message: `"${value}" is one of the names ntfy keeps for its own pages (${RESERVED_TOPICS.join(', ')}); choose another`,
      });
  });

/**
 * The server's own address: ntfy serves its API from the root of its host, so a path is a topic
 * pasted into the wrong field (https://ntfy.sh/mytopic) and would publish nowhere.
 */
const serverUrl = endpointUrl('the server URL')
  .superRefine((value, ctx) => {
    let url: URL;
    try {
      url = new URL(value);
    } catch {
      return; // said by endpointUrl
    }
    if (url.pathname !== '/' || url.search || url.hash)
      ctx.addIssue({
        code: 'custom',
        message: addressAlone(
          'https://ntfy.sh or https://ntfy.example.com',
          `a path: the topic ("${lastSegment(url.pathname)}"?) goes in --topic`,
        ),
      });
  })
  .transform((value) => new URL(value).origin)
  .default('https://ntfy.sh');

/** The path's last part as typed ("my disks", not "my%20disks"): the topic that was meant. */
function lastSegment(path: string): string {
  const last = path.split('/').filter(Boolean).at(-1) ?? '';
  try {
    return decodeURIComponent(last);
  } catch {
    return last; // a stray "%" kept as it is
  }
}

/** A tag: shown as an emoji when ntfy knows its name (warning, rotating_light), as text otherwise. */
const tag = z
  .string()
  .trim()
  .min(1, { error: 'cannot be empty' })
  .max(64, { error: 'must be at most 64 characters' })
  .refine((t) => !/[,\p{Cc}]/u.test(t), {
    message: 'cannot contain "," or control characters: give one tag at a time (repeat --tag)',
  });

const onlyWith = (mode: (typeof NTFY_AUTH)[number]) => ({ key: 'auth' as const, in: [mode] });

export const { schema: ntfySchema, fields: ntfyFields } = channelSettings(
  {
    serverUrl: {
      type: () => serverUrl,
      field: {
        flag: 'server-url',
        label: 'Server URL',
        kind: 'url',
        help: 'https://ntfy.sh, or your own ntfy server.',
        placeholder: 'https://ntfy.sh',
      },
    },
    topic: {
      type: () => topic,
      field: {
        flag: 'topic',
        label: 'Topic',
        kind: 'text',
        help: 'The topic your phone subscribes to. On ntfy.sh without an account, anyone who knows its name can read it: make it hard to guess.',
        placeholder: 'disks-h7Kq2xWm',
      },
    },
    auth: {
      type: () => z.enum(NTFY_AUTH, { error: `must be one of ${NTFY_AUTH.join(', ')}` }).default('none'),
      field: {
        flag: 'auth',
        label: 'Authentication',
        kind: 'select',
        options: NTFY_AUTH,
        help: 'none (an open topic), an access token (tk_…), or a user and password.',
      },
    },
    token: {
      type: () =>
        z
          .string()
          .trim()
          .refine((t) => t.startsWith(TOKEN_PREFIX) && !/\s/.test(t), {
            message: `is not an ntfy access token: they start with "${TOKEN_PREFIX}" (create one under Account → Access tokens, or with "ntfy token add <user>")`,
          })
          .optional(),
      field: {
        flag: 'token',
        label: 'Access token',
        kind: 'text',
        secret: true,
        header: 'raw',
        help: 'tk_…: sent as "Authorization: Bearer <token>". It needs write access to the topic.',
        showWhen: onlyWith('token'),
      },
    },
    user: { ...authSettings.user, field: { ...authSettings.user.field, help: 'Your ntfy user name.' } },
    password: authSettings.password,
    tags: {
      type: () => z.array(tag).max(10, { error: 'at most 10 tags' }).default([]),
      field: {
        flag: 'tag',
        label: 'Tags',
        kind: 'list',
        help: 'Optional, added to each message; a name from ntfy\'s emoji list ("floppy_disk") shows as that emoji.',
        placeholder: 'floppy_disk (one per line)',
      },
    },
    ...linkSetting,
    ca: {
      ...authSettings.ca,
      field: { ...authSettings.ca.field, help: 'PEM file: trust a private CA, for a self-hosted server.' },
    },
  },
  (object, fields) =>
    z.preprocess(
      inferAuth(fields),
      object.superRefine((c, ctx) => {
        const need = (key: 'token' | 'user' | 'password', why: string) => {
          if (!c[key]) ctx.addIssue({ code: 'custom', path: [key], message: why });
        };
        if (c.auth === 'token') need('token', 'is required with --auth token');
        if (c.auth === 'basic') {
          need('user', 'is required with --auth basic');
          need('password', 'is required with --auth basic');
          if (c.user?.includes(':'))
            ctx.addIssue({
              code: 'custom',
              path: ['user'],
              message: 'cannot contain ":" (Basic auth separates user and password with it)',
            });
        }
      }),
    ),
);

export type NtfyConfig = z.output<typeof ntfySchema>;
