import { json, type Received, type Reply } from './receiver.js';
import { bodyValidator, vendorJson } from './openapi.js';

/**
 * Local stand-ins for the vendors' endpoints, answering as each vendor documents — success and
 * the documented error shapes — and checking each request against the vendor's published schema
 * where one is available. They remember what a real service would (open incidents, alerts).
 */

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
    // "The maximum permitted length of this property is 255 characters."
    if (body.dedup_key?.length > 255) errors.push("'dedup_key' is too long");
    if (errors.length)
      return json(400, { status: 'invalid event', message: 'Event object is invalid', errors });
    if (body.event_action === 'trigger') open.set(body.dedup_key, body.payload.severity);
    if (body.event_action === 'resolve') open.delete(body.dedup_key);
    return json(202, { status: 'success', message: 'Event processed', dedup_key: body.dedup_key });
  };
  return { handle, open };
}

/**
 * Slack's Web API and incoming webhooks. Every argument posted must be one chat.postMessage
 * documents, every error code it answers one Slack documents (slack-api-ref), and Block Kit's
 * documented limits are checked. Channels are found by name or ID; each answer carries the
 * channel's ID and a new ts, and a reply must name a message of that channel (thread_ts).
 */
export function slackMock(options: {
  token: string;
  channels: Record<string, { member: boolean; archived?: boolean; id?: string }>;
}) {
  const method = vendorJson('slack-ruby-api-ref.chat.postMessage.json');
  const ARGS = new Set(Object.keys(method.args));
  const ERRORS = new Set([
    ...Object.keys(method.errors),
    ...Object.keys(vendorJson('slack-ruby-api-ref.auth.test.json').errors),
  ]);
  const fail = (error: string) => {
    if (!ERRORS.has(error)) throw new Error(`the Slack stand-in used an undocumented error: ${error}`);
    return json(200, { ok: false, error });
  };
  const posted: {
    channel: string;
    text: string;
    blocks: unknown[];
    thread_ts?: string;
    reply_broadcast?: boolean;
  }[] = [];
  const messages = new Map<string, string[]>(); // channel ID → ts of its messages
  let ts = 1700000000_000100;
  const channelOf = (nameOrId: string) => {
    const found = Object.entries(options.channels).find(([key, c]) => key === nameOrId || c.id === nameOrId);
    return found && { ...found[1], id: found[1].id ?? 'C0123ABCD' };
  };
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
        : fail('invalid_auth');
    }
    if (r.url === '/api/chat.postMessage') {
      if (!r.headers.authorization) return fail('not_authed');
      if (!bearer) return fail('invalid_auth');
      const body = JSON.parse(r.body);
      const unknown = Object.keys(body).filter((k) => !ARGS.has(k));
      if (unknown.length) return fail('invalid_arg_name');
      const channel = channelOf(body.channel);
      if (!channel) return fail('channel_not_found');
      if (channel.archived) return fail('is_archived');
      if (!channel.member) return fail('not_in_channel');
      if (!body.text && !body.blocks) return fail('no_text');
      if (blockKitProblems(body.blocks ?? []).length) return fail('invalid_blocks');
      const thread = messages.get(channel.id) ?? [];
      if (body.thread_ts !== undefined && !thread.includes(body.thread_ts))
        return fail('cannot_reply_to_message');
      posted.push(body);
      const id = ((ts += 100) / 1e6).toFixed(6);
      messages.set(channel.id, [...thread, id]);
      return json(200, { ok: true, channel: channel.id, ts: id, message: { text: body.text, ts: id } });
    }
    if (r.url.startsWith('/services/')) {
      if (r.url === '/services/T1/B1/gone') return { status: 404, body: 'no_service' };
      if (r.url === '/services/T1/B1/archived') return { status: 410, body: 'channel_is_archived' };
      const body = JSON.parse(r.body);
      if (!body.text) return { status: 400, body: 'invalid_payload' };
      if (blockKitProblems(body.blocks ?? []).length) return { status: 400, body: 'invalid_blocks' };
      posted.push(body);
      return { status: 200, body: 'ok' };
    }
    return { status: 404, body: 'not_found' };
  };
  return { handle, posted };
}

/** Block Kit's documented limits (https://docs.slack.dev/reference/block-kit/blocks), as Slack counts. */
function blockKitProblems(
  blocks: {
    type: string;
    text?: { text: string };
    fields?: { text: string }[];
    elements?: { text?: string }[];
  }[],
) {
  const problems: string[] = [];
  if (blocks.length > 50) problems.push('more than 50 blocks');
  for (const b of blocks) {
    if (b.type === 'header' && (b.text?.text.length ?? 0) > 150) problems.push('header text over 150');
    if (b.type === 'section' && (b.text?.text.length ?? 0) > 3000) problems.push('section text over 3000');
    if (b.type === 'section' && (b.fields?.length ?? 0) > 10) problems.push('more than 10 fields');
    if (b.fields?.some((f) => f.text.length > 2000)) problems.push('a field over 2000');
    if (b.type === 'context' && (b.elements?.length ?? 0) > 10)
      problems.push('more than 10 context elements');
    if (b.elements?.some((e) => (e.text?.length ?? 0) > 3000)) problems.push('a context text over 3000');
  }
  return problems;
}

/**
 * Discord's Execute Webhook, checked against its OpenAPI schema and the embed limits its docs
 * give (6000 characters over an embed's texts). In a forum channel a post needs a thread_name
 * (a new post: a thread with its own ID, answered as the message's channel_id) or the thread_id
 * of an existing one; `threads` holds each post's messages, and a deleted one is Unknown Channel.
 */
export function discordMock(options: { forum?: boolean } = {}) {
  const check = bodyValidator(
    'discord-execute-webhook.openapi-extract.json',
    '/webhooks/{webhook_id}/{webhook_token}',
  );
  const posted: Record<string, unknown>[] = [];
  const threads = new Map<string, { name: string; messages: Record<string, unknown>[] }>();
  let nextId = 1300;
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
    const embedTexts = (body.embeds ?? []).flatMap((e: Record<string, never>) => [
      e.title ?? '',
      e.description ?? '',
      ...((e.fields ?? []) as { name: string; value: string }[]).flatMap((f) => [f.name, f.value]),
      (e.footer as { text?: string } | undefined)?.text ?? '',
    ]);
    if (embedTexts.join('').length > 6000) errors.push('embeds: more than 6000 characters in all');
    if (errors.length) return json(400, { message: 'Invalid Form Body', code: 50035, errors });
    const threadId = url.searchParams.get('thread_id');
    if (threadId && !threads.has(threadId)) return json(404, { message: 'Unknown Channel', code: 10003 });
    if (options.forum && !body.thread_name && !threadId) {
      return json(400, {
        message: 'Webhooks posted to forum channels must have a thread_name or thread_id',
        code: 220001,
      });
    }
    let channel = '1100';
    if (options.forum) {
      channel = threadId ?? String(nextId++);
      if (!threadId) threads.set(channel, { name: body.thread_name, messages: [] });
      threads.get(channel)!.messages.push(body);
    }
    posted.push(body);
    if (url.searchParams.get('wait') !== 'true') return { status: 204 };
    return json(200, {
      id: String(nextId++),
      type: 0,
      channel_id: channel,
      content: body.content,
      embeds: body.embeds,
    });
  };
  return { handle, posted, threads };
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
    // A post's message holds 16383 characters, counted as runes (code points).
    if ([...(body.text ?? '')].length > 16383)
      return {
        status: 400,
        body: JSON.stringify({
          id: 'model.post.is_valid.msg.app_error',
          message: 'Invalid message.',
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
    // Message_MaxAllowedSize, 5000 by default.
    if ((body.text ?? '').length > 5000)
      return json(400, { success: false, error: 'error-message-size-exceeded' });
    posted.push(body);
    return json(200, { success: true });
  };
  return { handle, posted };
}
