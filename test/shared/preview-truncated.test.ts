import assert from 'node:assert/strict';
import { describe, it } from '../helpers/node-test.js';
import { previewOf } from '../../shared/channels/preview.js';
import { CHANNELS } from '../../shared/channels/registry.js';
import { sampleConfigs } from '../helpers/channel-samples.js';
import { sampleEvent } from '../helpers/events.js';

describe('the preview of every channel', () => {
  it(
    'says the message was cut exactly when the request it renders has a text cut short (…)',
    { timeout: 20_000 },
    async () => {
      const samples = sampleConfigs('https://127.0.0.1:1');
      // Longer than any vendor's longest text (Mattermost's 16383), plain letters (nothing to escape).
      const long = `/mnt/${'a'.repeat(20_000)}`;
      for (const c of CHANNELS) {
        const config = c.schema.parse(samples[c.type]);
        // 200 characters: past Slack's header (150), within every title limit.
        for (const mount of ['/data', `/mnt/${'b'.repeat(195)}`, `/mnt/${'c'.repeat(1500)}`, long]) {
          const event = sampleEvent({ mount });
          const request = await c.render(event, config);
          const cut = request.body!.includes('…');
          assert.equal(previewOf(c, event, config).truncated, cut, `${c.type}, a mount of ${mount.length}`);
        }
      }
    },
  );
});
