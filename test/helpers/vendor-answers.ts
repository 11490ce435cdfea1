import type { Outcome, ReasonCode } from '../../shared/http-outcome.js';
import { json, type Received, type Reply } from './receiver.js';

/**
 * What each vendor answers, as its docs show it: its success body, and what only it says (HTTP
 * success that is not success, permanent-looking 5xx). status-classes.test.ts sends each through
 * the real transport to the adapter.
 */

/** What each vendor answers when all is well, as its docs show it. */
export const SUCCESS: Record<string, (r: Received) => Reply> = {
  webhook: () => ({ status: 200, body: 'ok' }),
  slack: () => json(200, { ok: true, channel: 'C0123ABCD', ts: '1700000000.000100' }),
  'slack (incoming webhook)': () => ({ status: 200, body: 'ok' }),
  pagerduty: () => json(202, { status: 'success', message: 'Event processed', dedup_key: 'k' }),
  discord: () => json(200, { id: '1200', type: 0, channel_id: '1100' }),
  // Queued, then processed: the request status answers for it.
  opsgenie: (r) =>
    r.method === 'GET'
      ? json(200, { data: { isSuccess: true, status: 'Created alert' }, took: 0.001, requestId: 'q' })
      : json(202, { result: 'Request will be processed', took: 0.01, requestId: 'r-1' }),
  mattermost: () => ({ status: 200, body: 'ok' }),
  rocketchat: () => json(200, { success: true }),
  alertmanager: () => ({ status: 200, body: '' }),
  // The message it made (https://docs.ntfy.sh/subscribe/api/#json-message-format).
  ntfy: () =>
    json(200, { id: 'sPs71M8A2T', time: 1700000000, event: 'message', topic: 'disk-alerts', message: 'x' }),
  telegram: () =>
    json(200, { ok: true, result: { message_id: 7, date: 1, chat: { id: -100123, type: 'supergroup' } } }),
  // A run of the flow was started: an empty 202.
  teams: () => ({ status: 202, body: '' }),
};

export interface Expect {
  kind: Outcome['kind'];
  reasons?: ReasonCode[];
  says?: RegExp;
  retryAfterMs?: number | null;
}

/** What only some vendors say: HTTP success that is not success, and permanent-looking 5xx. */
export const VENDOR_CASES: {
  variant: string;
  name: string;
  reply: (r: Received) => Reply;
  expect: Expect;
}[] = [
  {
    variant: 'slack',
    name: '200 ok:false channel_not_found',
    reply: () => json(200, { ok: false, error: 'channel_not_found' }),
    expect: { kind: 'failed', reasons: ['vendorError'], says: /channel_not_found/ },
  },
  {
    variant: 'slack',
    name: '200 ok:false invalid_auth',
    reply: () => json(200, { ok: false, error: 'invalid_auth' }),
    expect: { kind: 'failed', reasons: ['authError'] },
  },
  {
    variant: 'slack',
    name: '200 ok:false service_unavailable',
    reply: () => json(200, { ok: false, error: 'service_unavailable' }),
    expect: { kind: 'retry', reasons: ['vendorError'] },
  },
  {
    variant: 'slack (incoming webhook)',
    name: '404 no_service',
    reply: () => ({ status: 404, body: 'no_service' }),
    expect: { kind: 'failed', reasons: ['vendorError'], says: /removed or disabled/ },
  },
  {
    variant: 'slack (incoming webhook)',
    name: '403 action_prohibited',
    reply: () => ({ status: 403, body: 'action_prohibited' }),
    expect: { kind: 'failed', reasons: ['vendorError'] },
  },
  {
    variant: 'pagerduty',
    name: '400 invalid event',
    reply: () =>
      json(400, {
        status: 'invalid event',
        message: 'Event object is invalid',
        errors: ["'payload.summary' is missing"],
      }),
    expect: { kind: 'failed', reasons: ['vendorError'], says: /payload\.summary/ },
  },
  {
    variant: 'discord',
    name: '404 Unknown Webhook (10015)',
    reply: () => json(404, { message: 'Unknown Webhook', code: 10015 }),
    expect: { kind: 'failed', reasons: ['vendorError'], says: /10015/ },
  },
  {
    variant: 'discord',
    name: '429 with JSON retry_after',
    reply: () =>
      json(
        429,
        { message: 'You are being rate limited.', retry_after: 0.25, global: false },
        { 'retry-after': '1' },
      ),
    expect: { kind: 'retry', reasons: ['rateLimited'], retryAfterMs: 250 },
  },
  {
    variant: 'opsgenie',
    name: '202 then processed unsuccessfully',
    reply: (r) =>
      r.method === 'GET'
        ? json(200, { data: { isSuccess: false, status: 'Integration is disabled' } })
        : json(202, { result: 'Request will be processed', requestId: 'r-2' }),
    expect: { kind: 'failed', reasons: ['vendorError'], says: /Integration is disabled/ },
  },
  {
    variant: 'opsgenie',
    name: '422 validation',
    reply: () =>
      json(422, {
        message: 'Request body is not processable.',
        errors: { message: 'Message can not be empty.' },
      }),
    expect: { kind: 'failed', reasons: ['vendorError'] },
  },
  {
    variant: 'opsgenie',
    name: '429 with X-RateLimit-Period-In-Sec',
    reply: () => json(429, { message: 'Too many requests' }, { 'x-ratelimit-period-in-sec': '60' }),
    expect: { kind: 'retry', reasons: ['rateLimited'], retryAfterMs: 60_000 },
  },
  {
    variant: 'mattermost',
    name: '501 incoming webhooks disabled',
    reply: () => json(501, { id: 'web.incoming_webhook.disabled.app_error', status_code: 501 }),
    expect: { kind: 'failed', reasons: ['vendorError'], says: /disabled/ },
  },
  {
    variant: 'rocketchat',
    name: '200 success:false',
    reply: () => json(200, { success: false, error: 'Invalid integration id or token provided.' }),
    expect: { kind: 'failed', reasons: ['vendorError'] },
  },
  {
    variant: 'rocketchat',
    name: '503 disabled integration (few retries)',
    reply: () => ({ status: 503, body: 'Service Unavailable' }),
    expect: { kind: 'retry', reasons: ['serverError'], says: /integration is disabled/ },
  },
  {
    variant: 'alertmanager',
    name: '400 invalid alerts',
    reply: () => json(400, { code: 400, message: 'start time must be before end time' }),
    expect: { kind: 'failed', reasons: ['vendorError'], says: /start time/ },
  },
  {
    variant: 'ntfy',
    name: '403 forbidden (40301)',
    reply: () =>
      json(403, {
        code: 40301,
        http: 403,
        error: 'forbidden',
        link: 'https://ntfy.sh/docs/publish/#authentication',
      }),
    expect: {
      kind: 'failed',
      reasons: ['authError'],
      says: /40301 "forbidden"\): check the access token and the topic's access/,
    },
  },
  {
    variant: 'ntfy',
    name: '400 topic invalid (40009)',
    reply: () => json(400, { code: 40009, http: 400, error: 'invalid request: topic invalid' }),
    expect: { kind: 'failed', reasons: ['vendorError'], says: /40009 "invalid request: topic invalid"/ },
  },
  {
    variant: 'ntfy',
    name: '429 daily quota (42908)',
    reply: () => json(429, { code: 42908, http: 429, error: 'limit reached: daily message quota reached' }),
    expect: {
      kind: 'retry',
      reasons: ['rateLimited'],
      says: /daily message quota is used up/,
      retryAfterMs: null,
    },
  },
  {
    variant: 'ntfy',
    name: '200 without a message (not ntfy)',
    reply: () => ({ status: 200, headers: { 'content-type': 'text/html' }, body: '<html>Sign in</html>' }),
    expect: { kind: 'failed', reasons: ['vendorError'], says: /is it an ntfy server/ },
  },
  {
    variant: 'telegram',
    name: '429 with parameters.retry_after',
    reply: () =>
      json(429, {
        ok: false,
        error_code: 429,
        description: 'Too Many Requests: retry after 3',
        parameters: { retry_after: 3 },
      }),
    expect: { kind: 'retry', reasons: ['rateLimited'], retryAfterMs: 3000 },
  },
  {
    variant: 'telegram',
    name: '401 Unauthorized',
    reply: () => json(401, { ok: false, error_code: 401, description: 'Unauthorized' }),
    expect: { kind: 'failed', reasons: ['authError'], says: /check the bot token/ },
  },
  {
    variant: 'telegram',
    name: '400 chat not found',
    reply: () => json(400, { ok: false, error_code: 400, description: 'Bad Request: chat not found' }),
    expect: { kind: 'failed', reasons: ['vendorError'], says: /check the chat id/ },
  },
  {
    variant: 'telegram',
    name: '403 bot was blocked by the user',
    reply: () =>
      json(403, { ok: false, error_code: 403, description: 'Forbidden: bot was blocked by the user' }),
    expect: { kind: 'failed', reasons: ['vendorError'], says: /press Restart/ },
  },
  {
    variant: 'telegram',
    name: '403 bot is not a member',
    reply: () =>
      json(403, {
        ok: false,
        error_code: 403,
        description: 'Forbidden: bot is not a member of the channel chat',
      }),
    expect: { kind: 'failed', reasons: ['vendorError'], says: /add it again/ },
  },
  {
    variant: 'telegram',
    name: '400 migrate_to_chat_id',
    reply: () =>
      json(400, {
        ok: false,
        error_code: 400,
        description: 'Bad Request: group chat was upgraded to a supergroup chat',
        parameters: { migrate_to_chat_id: -1001987654321 },
      }),
    expect: { kind: 'failed', reasons: ['configError'], says: /set the chat id to -1001987654321/ },
  },
  {
    variant: 'telegram',
    name: "400 can't parse entities",
    reply: () =>
      json(400, {
        ok: false,
        error_code: 400,
        description:
          "Bad Request: can't parse entities: Character '.' is reserved and must be escaped with the preceding '\\'",
      }),
    expect: { kind: 'failed', reasons: ['internalError'], says: /a bug in Headroom/ },
  },
  {
    variant: 'telegram',
    name: '500 Internal Server Error',
    reply: () => json(500, { ok: false, error_code: 500, description: 'Internal Server Error' }),
    expect: { kind: 'retry', reasons: ['serverError'] },
  },
  {
    variant: 'teams',
    name: '400 WorkflowTriggerIsNotEnabled (turned off or deleted)',
    reply: () =>
      json(400, {
        error: { code: 'WorkflowTriggerIsNotEnabled', message: "The workflow 'x' is in state 'Deleted'." },
      }),
    expect: { kind: 'failed', reasons: ['vendorError'], says: /turned off or was deleted/ },
  },
  {
    variant: 'teams',
    name: '401 DirectApiAuthorizationRequired (signed-in users only)',
    reply: () =>
      json(401, {
        error: {
          code: 'DirectApiAuthorizationRequired',
          message: 'The request must be authenticated only by Shared Access scheme.',
        },
      }),
    expect: { kind: 'failed', reasons: ['authError'], says: /"Who can trigger the flow" to Anyone/ },
  },
  {
    variant: 'teams',
    name: '400 TriggerInputSchemaMismatch',
    reply: () =>
      json(400, { error: { code: 'TriggerInputSchemaMismatch', message: 'The input body does not match.' } }),
    expect: { kind: 'failed', reasons: ['vendorError'], says: /clear the schema/ },
  },
];
