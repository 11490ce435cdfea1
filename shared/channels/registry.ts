import type { Channel } from './channel.js';
import { alertmanager } from './alertmanager.js';
import { discord } from './discord.js';
import { email } from './email.js';
import { mattermost } from './mattermost.js';
import { ntfy } from './ntfy.js';
import { opsgenie } from './opsgenie.js';
import { pagerduty } from './pagerduty.js';
import { rocketchat } from './rocketchat.js';
import { slack } from './slack.js';
import { telegram } from './telegram.js';
import { teams } from './teams.js';
import { webhook } from './webhook.js';

const all: Channel[] = [];
const byName = new Map<string, Channel>();

function register(channel: Channel): void {
  for (const name of [channel.type, ...channel.aliases]) {
    if (byName.has(name)) throw new Error(`channel name "${name}" is registered twice`);
    byName.set(name, channel);
  }
  all.push(channel);
}

// The order of the catalogue the GUI shows.
for (const channel of [
  slack,
  pagerduty,
  webhook,
  discord,
  opsgenie,
  mattermost,
  rocketchat,
  alertmanager,
  ntfy,
  telegram,
  teams,
  email,
]) {
  register(channel as unknown as Channel);
}

export const CHANNELS: readonly Channel[] = all;

/** The adapter for a type or one of its aliases (`health.webhook`), or undefined. */
export function channelFor(type: string): Channel | undefined {
  return byName.get(type);
}

export const CHANNEL_TYPES = () => all.map((c) => c.type);
