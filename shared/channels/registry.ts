import type { Channel } from './channel.js';
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

register(webhook as unknown as Channel);

export const CHANNELS: readonly Channel[] = all;

/** The adapter for a type or one of its aliases (`health.webhook`), or undefined. */
export function channelFor(type: string): Channel | undefined {
  return byName.get(type);
}

export const CHANNEL_TYPES = () => all.map((c) => c.type);
