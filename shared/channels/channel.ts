import type { z } from 'zod';
import type { HttpRequest, HttpResponse, Outcome } from '../delivery.js';
import type { AlertEvent } from '../event.js';

/**
 * One setting of a channel, described as data: it drives the CLI flags, the GUI form, and which
 * values are secrets (sealed at rest, masked everywhere after saving).
 */
export interface Field {
  key: string;
  /** The CLI flag, without the dashes. */
  flag: string;
  label: string;
  help: string;
  kind: 'text' | 'url' | 'select' | 'list' | 'pem';
  secret?: boolean;
  options?: readonly string[];
  placeholder?: string;
}

/** What a person will see, for the GUI's preview and the CLI's `--dry-run`. */
export interface Preview {
  title: string;
  text: string;
  /** True when a vendor limit cut the text short. */
  truncated: boolean;
}

/** A remote check that raises no alert: Slack's auth.test, the webhook's crc challenge. */
export interface RemoteCheck {
  request: HttpRequest;
  /** How long the remote side has to answer (the webhook challenge allows 5 s). */
  timeoutMs: number;
  verify(response: HttpResponse): Outcome | Promise<Outcome>;
}

/**
 * A channel adapter: pure data and pure functions. No transport, timers or retries here; those
 * live in the dispatcher, the one place that sends.
 */
export interface Channel<C = Record<string, unknown>> {
  type: string;
  label: string;
  /** Other names accepted on the command line (`health.webhook`, as the Web PaaS CLI calls it). */
  aliases: readonly string[];
  fields: readonly Field[];
  schema: z.ZodType<C, unknown>;
  render(event: AlertEvent, config: C): HttpRequest | Promise<HttpRequest>;
  classify(response: HttpResponse, event: AlertEvent, config: C, now: number): Outcome;
  preview(event: AlertEvent, config: C): Preview;
  check?(config: C, nonce: string): RemoteCheck | null;
}

/** Every secret value in a configuration, so that any text can be scrubbed of them. */
export function secretValues(channel: Channel, config: Record<string, unknown>): string[] {
  return channel.fields
    .filter((f) => f.secret)
    .flatMap((f) => {
      const v = config[f.key];
      return Array.isArray(v) ? v.map(String) : typeof v === 'string' ? [v] : [];
    })
    .filter((v) => v.length >= 4);
}

/** Replaces every secret in `text` (and its URL-encoded form) with a mask. */
export function redact(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const s of [...secrets].sort((a, b) => b.length - a.length)) {
    for (const form of new Set([s, encodeURIComponent(s)])) out = out.split(form).join('••••');
  }
  return out;
}
