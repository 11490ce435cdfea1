import assert from 'node:assert/strict';
import { describe, it } from '../helpers/node-test.js';
import { channelFor } from '../../shared/channels/registry.js';
import type { AlertEvent } from '../../shared/event.js';
import { sampleConfigs } from '../helpers/channel-samples.js';
import { sampleEvent } from '../helpers/events.js';

const configs = sampleConfigs('https://receiver.test');

async function bodyOf(type: string, e: AlertEvent) {
  const channel = channelFor(type)!;
  const req = await channel.render(e, channel.schema.parse(configs[type]));
  return { url: req.url, body: JSON.parse(req.body!) };
}

/** The same disk, critical on space and on inodes: two alerts that must never be mixed up. */
const space = sampleEvent();
const inodes = sampleEvent({ kind: 'inodes', inodes: { total: 1000, free: 40, freePercent: 4 } });

describe('an inode alert is its own alert at every vendor', () => {
  it('PagerDuty: its own dedup_key and class, resolved with that key', async () => {
    const a = (await bodyOf('pagerduty', space)).body;
    const b = (await bodyOf('pagerduty', inodes)).body;
    assert.equal(a.dedup_key, 'headroom/host-1//data');
    assert.equal(b.dedup_key, 'headroom-inodes/host-1//data');
    assert.equal(b.payload.class, 'disk_inodes');
    assert.equal(b.payload.custom_details.inodes_free_percent, 4);
    const resolve = (await bodyOf('pagerduty', { ...inodes, from: 'critical', to: 'ok' })).body;
    assert.deepEqual([resolve.event_action, resolve.dedup_key], ['resolve', 'headroom-inodes/host-1//data']);
  });

  it('Opsgenie: its own alias, closed by that alias', async () => {
    assert.equal((await bodyOf('opsgenie', inodes)).body.alias, 'headroom-inodes/host-1//data');
    const close = await bodyOf('opsgenie', { ...inodes, from: 'critical', to: 'ok' });
    assert.match(close.url, /\/alerts\/headroom-inodes%2Fhost-1%2F%2Fdata\/close\?identifierType=alias/);
  });

  it('Alertmanager: alertname DiskInodesLow, so silences and routes tell it from space', async () => {
    const [alert] = (await bodyOf('alertmanager', inodes)).body;
    assert.equal(alert.labels.alertname, 'DiskInodesLow');
    assert.equal((await bodyOf('alertmanager', space)).body.at(-1).labels.alertname, 'DiskSpaceLow');
  });

  it('webhook: Netdata inode chart and context, with the inode figures', async () => {
    const { body } = await bodyOf('webhook', inodes);
    assert.equal(body.alert, 'disk_inode_usage');
    assert.equal(body.context, 'disk.inodes');
    assert.equal(body.chart, 'disk_inodes./data');
    assert.deepEqual(body.headroom.inodes, { total: 1000, free: 40, freePercent: 4 });
    assert.match(body.message, /^Inodes critical: \/data on host-1 has 4\.0% of its inodes free$/);
  });
});
