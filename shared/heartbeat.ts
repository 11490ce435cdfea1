import * as z from 'zod';
import { endpointUrl } from './channels/common.js';
import { userInfoProblem } from './channels/input-checks.js';
import { MASK } from './mask.js';
import { CONTROL_CHARACTERS, hasControlCharacters } from './paths.js';

/**
 * The heartbeat: a dead-man's switch outside the machine (Healthchecks.io, Uptime Kuma's push
 * monitors, Cronitor) expects a ping every so often and raises the alarm when none comes, so a
 * watcher that died — or a machine that did — is heard of. Pure helpers; the pinging is in
 * core/heartbeat.ts.
 */

/** `{host}` in a heartbeat URL becomes this machine's name: one policy serves a fleet. */
export const HOST_PLACEHOLDER = '{host}';

const endpoint = endpointUrl('the URL');

/**
 * Checked when saved (loading is lenient: a hand-edited file keeps its other settings): the rules
 * of every endpoint — https, or http to this machine — applied with `{host}` filled in.
 */
export const heartbeatUrlSchema = z
  .string({ error: 'must be a URL, or null to switch the heartbeat off' })
  .trim()
  .superRefine((value, ctx) => {
    if (hasControlCharacters(value))
      return ctx.addIssue({ code: 'custom', message: CONTROL_CHARACTERS('a URL') });
    if (value.includes(MASK))
      return ctx.addIssue({
        code: 'custom',
        message: 'is shown masked (••••••): give the whole URL again, or leave the setting out',
      });
    const checked = endpoint.safeParse(heartbeatTarget(value, 'host'));
    if (!checked.success) return ctx.addIssue({ code: 'custom', message: checked.error.issues[0]!.message });
    const credentials = userInfoProblem(new URL(checked.data));
    if (credentials)
      ctx.addIssue({
        code: 'custom',
        message: `${credentials}; remove user:password@ and give the ping URL as your monitor shows it (its token is in the path)`,
      });
  })
  .nullable();

/** The URL for this machine: `{host}` filled in (percent-encoded, so any name stays one segment). */
export function heartbeatTarget(url: string, host: string): string {
  return url.replaceAll(HOST_PLACEHOLDER, encodeURIComponent(host));
}

/**
 * Where trouble is reported: the fail URL if one is set, else Healthchecks.io's convention, the
 * ping URL with `/fail` added to its path (https://healthchecks.io/docs/signaling_failures/).
 * A `msg` query parameter (Uptime Kuma's push URL: `?status=down&msg=…`) is given the reason.
 */
export function failTarget(pingUrl: string, failUrl: string | null, reason: string): string {
  const url = new URL(failUrl ?? pingUrl);
  if (failUrl === null) url.pathname = `${url.pathname.replace(/\/$/, '')}/fail`;
  if (url.searchParams.has('msg')) url.searchParams.set('msg', reason.slice(0, 200));
  return url.toString();
}

/** A heartbeat URL as it may be shown: where it goes, not the token in its path or query. */
export function maskHeartbeatUrl(url: string | null): string | null {
  if (url === null) return null;
  try {
    return `${new URL(url).origin}/${MASK}`;
  } catch {
    return MASK;
  }
}

export const heartbeatMinutesSchema = z
  .number({ error: 'must be a number of minutes, e.g. 5' })
  .min(1, { error: 'must be at least 1 minute' })
  .max(1440, { error: 'must be at most 1440 (a day)' });
