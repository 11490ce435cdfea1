import { redact } from '../../../shared/channels/channel.js';
import { classifyTransportError, type HttpResponse, type Outcome } from '../../../shared/http-outcome.js';
import type { Attempt } from '../../../shared/history.js';
import type { SendResult } from '../transport.js';

/** One request's result: its outcome, and what the attempt's record keeps of it. */
export interface Sent {
  outcome: Outcome;
  status?: number;
  latencyMs: number;
  response?: HttpResponse;
  /** Below HTTP: the error's code (ECONNREFUSED…). */
  code?: string;
}

/** An outcome with every secret masked; a delivered one's note quotes the receiver too (Discord's webhook name). */
function scrubbed(o: Outcome, secrets: readonly string[]): Outcome {
  if (o.kind !== 'delivered') return { ...o, message: redact(o.message, secrets) };
  return o.note === undefined ? o : { ...o, note: redact(o.note, secrets) };
}

/**
 * The classify stage: what the transport brought back, as an outcome. The body is scrubbed
 * before the channel classifies it, since a reason quotes a cut of it and a cut secret would no
 * longer match; the outcome is scrubbed after.
 */
export async function classifyResult(
  result: SendResult,
  secrets: readonly string[],
  classify: (response: HttpResponse) => Outcome | Promise<Outcome>,
): Promise<Sent> {
  if (!result.ok) {
    // The transport's own words, where it knows what the failure means for the settings.
    const { code, message, worded } = result.error;
    const outcome: Outcome = worded
      ? { kind: 'retry', reason: worded.reason, message: worded.message }
      : classifyTransportError(code, message);
    return {
      outcome: scrubbed(outcome, secrets),
      latencyMs: result.latencyMs,
      ...(code ? { code } : {}),
    };
  }
  const response = { ...result.response, body: redact(result.response.body, secrets) };
  return {
    outcome: scrubbed(await classify(response), secrets),
    status: response.status,
    latencyMs: result.latencyMs,
    response,
  };
}

/** The outcome with a note added: to a delivered one's note, else to its message. */
export function withNote(outcome: Outcome, note: string): Outcome {
  if (outcome.kind === 'delivered')
    return { ...outcome, note: [outcome.note, note].filter(Boolean).join('; ') };
  return { ...outcome, message: `${outcome.message}; ${note}` };
}

/** The attempt as the history keeps it. */
export function attemptOf(at: number, sent: Pick<Sent, 'outcome' | 'status' | 'latencyMs'>): Attempt {
  const { outcome, status, latencyMs } = sent;
  return {
    at,
    ...(status === undefined ? {} : { status }),
    result: outcome.kind,
    ...(outcome.kind === 'delivered' ? {} : { reason: outcome.reason, message: outcome.message }),
    // What the receiver said of a delivered one (Opsgenie's processed status, a resolve that
    // found nothing open) is worth keeping in the history too.
    ...(outcome.kind === 'delivered' && outcome.note ? { note: outcome.note } : {}),
    latencyMs,
  };
}
