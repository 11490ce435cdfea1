import { isLoopback } from '../web-ui-hosts.js';

/** The policy's key naming the desktop app's update feed. */
export const UPDATE_FEED_KEY = 'updateFeedUrl';

/**
 * The update feed a policy names (`"updateFeedUrl"`): the folder an electron-builder release was
 * published to, where `latest.yml` / `latest-linux.yml` / `latest-mac.yml` are. None by default:
 * without it the desktop app never checks for updates, so nothing phones home. https only, since
 * the feed decides what the app installs; plain http only to this machine (a local mirror).
 * A message saying what is wrong and how to fix it, or the URL.
 */
export function checkUpdateFeed(value: unknown): { url: string } | { problem: string } {
  const help = 'give the https:// address of the folder your releases are published to';
  if (typeof value !== 'string' || value.trim() === '')
    return { problem: `must be a URL: ${help}; no update checks meanwhile` };
  let url: URL;
  try {
    url = new URL(value.trim());
  } catch {
    return { problem: `is not a URL: ${help}; no update checks meanwhile` };
  }
  const local = url.protocol === 'http:' && isLoopback(url.hostname);
  if (url.protocol !== 'https:' && !local)
    return {
      problem: `must use https:// (plain http:// only to this machine): ${help}; no update checks meanwhile`,
    };
  if (url.username || url.password)
    return { problem: `must not carry a user name or password; no update checks meanwhile` };
  return { url: url.href };
}
