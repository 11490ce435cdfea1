import type { Outcome } from '../http-outcome.js';

/** What Slack's error codes mean for the person reading the history. */
const EXPLAIN: Record<string, string> = {
  channel_not_found: 'the channel does not exist, or the bot cannot see it',
  not_in_channel: 'the bot is not in the channel: invite it with /invite @your-bot',
  is_archived: 'the channel is archived',
  channel_is_archived: 'the channel is archived',
  invalid_auth: 'the token is not valid',
  not_authed: 'no token was accepted',
  token_revoked: 'the token was revoked',
  token_expired: 'the token expired',
  account_inactive: 'the bot or its workspace was deactivated',
  missing_scope: 'the token lacks the chat:write scope',
  no_service: 'the webhook was removed or disabled',
  invalid_token: 'the webhook token is not valid',
  action_prohibited: 'an admin restricted posting to this channel',
  invalid_payload: 'Slack could not read the message',
  msg_too_long: 'the message was too long',
  msg_blocks_too_long: 'the message was too long',
  cannot_reply_to_message: "the alert's thread cannot take replies any more",
};
const AUTH_ERRORS = new Set([
  'invalid_auth',
  'not_authed',
  'token_revoked',
  'token_expired',
  'account_inactive',
  'missing_scope',
  'invalid_token',
]);
const TRANSIENT = new Set([
  'internal_error',
  'fatal_error',
  'service_unavailable',
  'request_timeout',
  'ratelimited',
  'rollup_error',
]);

/** Slack's error code as an outcome, in words: transient ones retried, the token's named as such. */
export function slackError(code: string, status: number): Outcome {
  const message = `Slack answered "${code}"${EXPLAIN[code] ? `: ${EXPLAIN[code]}` : ''} (HTTP ${status})`;
  if (TRANSIENT.has(code)) return { kind: 'retry', reason: 'vendorError', message };
  return { kind: 'failed', reason: AUTH_ERRORS.has(code) ? 'authError' : 'vendorError', message };
}
