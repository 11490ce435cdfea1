import assert from 'node:assert/strict';
import { describe, it } from '../helpers/node-test.js';
import { channelFor } from '../../shared/channels/registry.js';
import { sampleConfigs } from '../helpers/channel-samples.js';
import { sampleEvent } from '../helpers/events.js';

describe('PagerDuty --api-url', () => {
  const channel = channelFor('pagerduty')!;
  const urlFor = async (apiUrl: string) =>
    (
      await channel.render(
        sampleEvent(),
        channel.schema.parse({ ...sampleConfigs('https://x.test').pagerduty, apiUrl }),
      )
    ).url;

  it("takes a gateway's base or PagerDuty's documented …/v2/enqueue, and posts to …/v2/enqueue once", async () => {
    for (const given of [
      'https://events.example.com',
      'https://events.example.com/',
      'https://events.example.com/v2/enqueue',
      'https://events.example.com/v2/enqueue/',
    ])
      assert.equal(await urlFor(given), 'https://events.example.com/v2/enqueue', given);
    assert.equal(await urlFor('https://gw.example.com/pd'), 'https://gw.example.com/pd/v2/enqueue');
  });
});
