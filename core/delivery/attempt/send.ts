import { requestSecrets } from '../../../shared/channels/channel.js';
import type { HttpRequest, HttpResponse, Outcome } from '../../../shared/http-outcome.js';
import type { Transport } from '../transport.js';
import { classifyResult, type Sent } from './classify.js';

/**
 * The send stage: one request, and its answer classified with every secret scrubbed from what
 * comes back: the configuration's secrets and the credentials as sent (a Basic header carries
 * the password encoded, which no config field holds as such).
 */
export async function sendScrubbed(
  transport: Transport,
  request: HttpRequest,
  timeoutMs: number,
  secrets: readonly string[],
  classify: (response: HttpResponse) => Outcome | Promise<Outcome>,
): Promise<Sent> {
  const all = [...secrets, ...requestSecrets(request.headers)];
  return classifyResult(await transport(request, timeoutMs), all, classify);
}
