import type { Received, Reply } from './receiver.js';
import { bodyValidator } from './openapi.js';

/**
 * Local stand-ins for the vendors' endpoints, answering as each vendor documents — success and
 * the documented error shapes — and checking each request against the vendor's published schema
 * where one is available. They remember what a real service would (open incidents, alerts).
 */
const json = (status: number, body: unknown, headers: Record<string, string> = {}): Reply => ({
  status,
  body: JSON.stringify(body),
  headers: { 'content-type': 'application/json', ...headers },
});

export function pagerdutyMock() {
  const check = bodyValidator('pagerduty-events-v2.openapiv3.json', '/enqueue');
  const open = new Map<string, string>(); // dedup_key → severity
  const handle = (r: Received): Reply => {
    if (r.method !== 'POST' || r.url !== '/v2/enqueue') return json(404, { message: 'Not Found' });
    const body = JSON.parse(r.body);
    const errors = [...check(body)];
    if (typeof body.routing_key !== 'string' || body.routing_key.length !== 32)
      errors.push('Routing key is invalid');
    if (body.event_action === 'trigger' && !body.payload) errors.push("'payload' is missing or blank");
    if (body.payload?.summary?.length > 1024) errors.push("'payload.summary' is too long");
    if (errors.length)
      return json(400, { status: 'invalid event', message: 'Event object is invalid', errors });
    if (body.event_action === 'trigger') open.set(body.dedup_key, body.payload.severity);
    if (body.event_action === 'resolve') open.delete(body.dedup_key);
    return json(202, { status: 'success', message: 'Event processed', dedup_key: body.dedup_key });
  };
  return { handle, open };
}

export function slackMock(options: {
  token: string;
  channels: Record<string, { member: boolean; archived?: boolean }>;
}) {
  const posted: { channel: string; text: string; blocks: unknown[] }[] = [];
  const handle = (r: Received): Reply => {
    const bearer = r.headers.authorization === `Bearer ${options.token}`;
    if (r.url === '/api/auth.test') {
      return bearer
        ? json(200, {
            ok: true,
            url: 'https://acme.slack.com/',
            team: 'Acme',
            user: 'headroom-bot',
            team_id: 'T1',
            user_id: 'U1',
          })
        : json(200, { ok: false, error: 'invalid_auth' });
    }
    if (r.url === '/api/chat.postMessage') {
      if (!r.headers.authorization) return json(200, { ok: false, error: 'not_authed' });
      if (!bearer) return json(200, { ok: false, error: 'invalid_auth' });
      const body = JSON.parse(r.body);
      const channel = options.channels[body.channel];
      if (!channel) return json(200, { ok: false, error: 'channel_not_found' });
      if (channel.archived) return json(200, { ok: false, error: 'is_archived' });
      if (!channel.member) return json(200, { ok: false, error: 'not_in_channel' });
      if (!body.text && !body.blocks) return json(200, { ok: false, error: 'no_text' });
      if (body.blocks?.length > 50 || JSON.stringify(body.blocks ?? []).length > 12_000)
        return json(200, { ok: false, error: 'invalid_blocks' });
      posted.push(body);
      return json(200, {
        ok: true,
        channel: 'C0123ABCD',
        ts: '1700000000.000100',
        message: { text: body.text },
      });
    }
    if (r.url.startsWith('/services/')) {
      if (r.url === '/services/T1/B1/gone') return { status: 404, body: 'no_service' };
      if (r.url === '/services/T1/B1/archived') return { status: 410, body: 'channel_is_archived' };
      const body = JSON.parse(r.body);
      if (!body.text) return { status: 400, body: 'invalid_payload' };
      posted.push(body);
      return { status: 200, body: 'ok' };
    }
    return { status: 404, body: 'not_found' };
  };
  return { handle, posted };
}

export function discordMock(options: { forum?: boolean } = {}) {
  const check = bodyValidator(
    'discord-execute-webhook.openapi-extract.json',
    '/webhooks/{webhook_id}/{webhook_token}',
  );
  const posted: Record<string, unknown>[] = [];
  const handle = (r: Received): Reply => {
    const url = new URL(r.url, 'https://discord.test');
    const m = /^\/api\/webhooks\/(\d+)\/([\w-]+)$/.exec(url.pathname);
    if (!m || m[2] === 'deleted') return json(404, { message: 'Unknown Webhook', code: 10015 });
    if (r.method === 'GET')
      return json(200, {
        id: m[1],
        type: 1,
        name: 'disk alerts',
        channel_id: '1100',
        guild_id: '1000',
        token: m[2],
      });
    const body = JSON.parse(r.body);
    const errors = check(body);
    if (errors.length) return json(400, { message: 'Invalid Form Body', code: 50035, errors });
    if (options.forum && !body.thread_name && !url.searchParams.get('thread_id')) {
      return json(400, {
        message: 'Webhooks posted to forum channels must have a thread_name or thread_id',
        code: 220001,
      });
    }
    posted.push(body);
    if (url.searchParams.get('wait') !== 'true') return { status: 204 };
    return json(200, {
      id: '1200',
      type: 0,
      channel_id: options.forum ? '1300' : '1100',
      content: body.content,
      embeds: body.embeds,
    });
  };
  return { handle, posted };
}

/**
 * Opsgenie's Alert API: `queuedPolls`, how many polls of a request's status answer 404 ("not
 * processed, yet") first; `rejectWrites`, a status every write is processed with, unsuccessfully.
 */
export function opsgenieMock(apiKey: string, options: { queuedPolls?: number; rejectWrites?: string } = {}) {
  const file = 'opsgenie-alert-api.swagger-extract.json';
  const checkCreate = bodyValidator(file, '/v2/alerts');
  const checkClose = bodyValidator(file, '/v2/alerts/{identifier}/close');
  const checkPriority = bodyValidator(file, '/v2/alerts/{identifier}/priority', 'put');
  const alerts = new Map<
    string,
    {
      status: 'open' | 'closed';
      priority: string;
      message: string;
      count: number;
      body: Record<string, unknown>;
    }
  >();
  // Every write is queued: its request id answers 404 for `queuedPolls` polls, then its result.
  const requests = new Map<string, { polls: number; isSuccess: boolean; status: string; alias?: string }>();
  const accepted = (result: { isSuccess: boolean; status: string; alias?: string }) => {
    const requestId = crypto.randomUUID();
    const rejected = options.rejectWrites ? { isSuccess: false, status: options.rejectWrites } : {};
    requests.set(requestId, { polls: 0, ...result, ...rejected });
    return json(202, { result: 'Request will be processed', took: 0.011, requestId });
  };
  const unprocessable = (errors: string[]) =>
    json(422, {
      message: 'Request body is not processable.',
      errors: Object.fromEntries(errors.map((e, i) => [String(i), e])),
      took: 0.002,
    });
  const handle = (r: Received): Reply => {
    if (r.headers.authorization !== `GenieKey ${apiKey}`) {
      return json(401, { message: 'Could not authenticate', took: 0.001, requestId: crypto.randomUUID() });
    }
    const url = new URL(r.url, 'https://opsgenie.test');
    const body = r.body ? JSON.parse(r.body) : {};
    const status = /^\/v2\/alerts\/requests\/([^/]+)$/.exec(url.pathname);
    if (r.method === 'GET' && status) {
      const req = requests.get(decodeURIComponent(status[1]!));
      if (!req || req.polls++ < (options.queuedPolls ?? 0))
        return json(404, { message: 'Request not found. It might not be processed, yet.', took: 0.001 });
      const { isSuccess, status: said, alias } = req;
      return json(200, {
        data: {
          success: isSuccess,
          action: 'Create',
          processedAt: new Date().toISOString(),
          isSuccess,
          status: said,
          alias,
        },
        took: 0.001,
        requestId: crypto.randomUUID(),
      });
    }
    if (r.method === 'POST' && url.pathname === '/v2/alerts') {
      const errors = checkCreate(body);
      // The documented limits of "Create Alert", counted as Java counts (UTF-16 units).
      if (!body.message) errors.push('message: Message can not be empty.');
      for (const [field, max] of [
        ['message', 130],
        ['alias', 512],
        ['description', 15000],
        ['entity', 512],
        ['source', 100],
      ] as const)
        if (body[field]?.length > max) errors.push(`${field}: can not be longer than ${max} characters.`);
      const details = Object.entries(body.details ?? {}).reduce(
        (n, [k, v]) => n + k.length + String(v).length,
        0,
      );
      if (details > 8000) errors.push('details: can not be longer than 8000 characters.');
      if (errors.length) return unprocessable(errors);
      // De-duplication: a create on the alias of an open alert counts it; its priority stays.
      if (options.rejectWrites) return accepted({ isSuccess: false, status: options.rejectWrites });
      const open = alerts.get(body.alias);
      if (open?.status === 'open') {
        open.count++;
        return accepted({ isSuccess: true, status: 'Alert is de-duplicated', alias: body.alias });
      }
      alerts.set(body.alias, {
        status: 'open',
        priority: body.priority ?? 'P3',
        message: body.message,
        count: 1,
        body,
      });
      return accepted({ isSuccess: true, status: 'Created alert', alias: body.alias });
    }
    const action = /^\/v2\/alerts\/([^/]+)\/(close|priority)$/.exec(url.pathname);
    if (
      action &&
      ((action[2] === 'close' && r.method === 'POST') || (action[2] === 'priority' && r.method === 'PUT'))
    ) {
      const errors = action[2] === 'close' ? checkClose(body) : checkPriority(body);
      if (errors.length) return unprocessable(errors);
      // Without identifierType=alias, Opsgenie reads the identifier as its own alert id.
      const alias = decodeURIComponent(action[1]!);
      const alert = url.searchParams.get('identifierType') === 'alias' ? alerts.get(alias) : undefined;
      if (!alert || alert.status === 'closed')
        return accepted({ isSuccess: false, status: 'Alert does not exist', alias });
      if (action[2] === 'close') alert.status = 'closed';
      else alert.priority = body.priority;
      return accepted({
        isSuccess: true,
        status: action[2] === 'close' ? 'Closed alert' : 'Updated priority',
        alias,
      });
    }
    return json(404, { message: 'Not found' });
  };
  return { handle, alerts, requests };
}

export function mattermostMock(options: { disabled?: boolean } = {}) {
  const posted: Record<string, unknown>[] = [];
  const handle = (r: Received): Reply => {
    if (options.disabled)
      return {
        status: 501,
        body: JSON.stringify({
          id: 'web.incoming_webhook.disabled.app_error',
          message: 'Incoming webhooks have been disabled by the system admin.',
          status_code: 501,
        }),
      };
    if (!/^\/hooks\/[a-z0-9]{26}$/.test(r.url))
      return {
        status: 400,
        body: JSON.stringify({
          id: 'web.incoming_webhook.invalid.app_error',
          message: 'Invalid webhook.',
          status_code: 400,
        }),
      };
    const body = JSON.parse(r.body);
    if (!body.text && !body.attachments)
      return {
        status: 400,
        body: JSON.stringify({
          id: 'web.incoming_webhook.text.app_error',
          message: 'No text specified.',
          status_code: 400,
        }),
      };
    posted.push(body);
    return { status: 200, body: 'ok' };
  };
  return { handle, posted };
}

export function rocketchatMock(options: { token: string; disabled?: boolean }) {
  const posted: Record<string, unknown>[] = [];
  const handle = (r: Received): Reply => {
    const info = /^\/hooks\/info\/(\w+)\/([\w]+)$/.exec(r.url);
    const hook = info ?? /^\/hooks\/(\w+)\/([\w]+)$/.exec(r.url);
    if (options.disabled) return { status: 503, body: 'Service Unavailable' };
    if (!hook || hook[2] !== options.token)
      return json(400, { success: false, error: 'Invalid integration id or token provided.' });
    if (info) return json(200, { success: true });
    const body = JSON.parse(r.body);
    if (!body.text && !body.attachments) return json(400, { success: false, error: 'text is required' });
    posted.push(body);
    return json(200, { success: true });
  };
  return { handle, posted };
}
