import assert from 'node:assert/strict';
import { describe, it } from '../helpers/node-test.js';
import {
  ALERT_KIND_NAMES,
  ALERT_KINDS,
  DEFAULT_KIND,
  kindLabel,
  watchedKinds,
  type AlertKind,
  type AlertKindRow,
} from '../../shared/alert-kinds.js';
import { channelFor } from '../../shared/channels/registry.js';
import { parseSubject, subjectKey } from '../../shared/disk.js';
import { alertKey, title, type AlertEvent } from '../../shared/event.js';
import { recordFree, recordKind } from '../../shared/history.js';
import { TEMPLATE_VARIABLES } from '../../shared/template.js';
import { describeThresholds } from '../../shared/thresholds.js';
import { deliveryRecord } from '../../core/delivery/records.js';
import { notificationText } from '../../electron/main/notification-text.js';
import { sampleConfigs } from '../helpers/channel-samples.js';
import { sampleEvent } from '../helpers/events.js';

const configs = sampleConfigs('https://receiver.test');

async function bodyOf(type: string, e: AlertEvent) {
  const channel = channelFor(type)!;
  const req = await channel.render(e, channel.schema.parse(configs[type]));
  return JSON.parse(req.body!);
}

/** /data critical on this kind, with figures for every kind. */
const eventOf = (kind: AlertKind, o: Partial<AlertEvent> = {}) =>
  sampleEvent({ kind, inodes: { total: 1000, free: 40, freePercent: 4 }, ...o });

const transitionOf = (kind: AlertKind, from: 'ok' | 'critical', to: 'warning' | 'critical') => {
  const e = eventOf(kind);
  return { mount: '/data', kind, from, to, at: 0, freePercent: 4, thresholds: e.thresholds };
};

/**
 * Runs `check` with one kind's row changed, then puts the row back: whatever follows the change
 * reads the row, whatever does not has its own copy of a kind's words or names.
 */
function withRow(kind: AlertKind, change: Partial<AlertKindRow>, check: () => Promise<void> | void) {
  const row = ALERT_KINDS[kind] as AlertKindRow;
  const saved = { ...row };
  Object.assign(row, change);
  return Promise.resolve()
    .then(check)
    .finally(() => Object.assign(row, saved));
}

describe('the table of alert kinds', () => {
  it('keys one kind by the mount alone, and the others by prefixes no mount path starts with', () => {
    const bare = ALERT_KIND_NAMES.filter((k) => ALERT_KINDS[k].keyPrefix === '');
    assert.deepEqual(bare, [DEFAULT_KIND]);
    assert.equal(
      ALERT_KINDS[DEFAULT_KIND].everyDisk,
      true,
      'the mount-keyed alert is the one every disk has',
    );
    const prefixes = ALERT_KIND_NAMES.map((k) => ALERT_KINDS[k].keyPrefix).filter((p) => p !== '');
    for (const p of prefixes) {
      assert.doesNotMatch(p, /^(\/|[A-Za-z]:)/, `${p} could begin a mount path`);
      assert.equal(prefixes.filter((q) => q.startsWith(p)).length, 1, `${p} begins another prefix`);
    }
    const vendorKeys = ALERT_KIND_NAMES.map((k) => ALERT_KINDS[k].vendorKey);
    assert.equal(new Set(vendorKeys).size, vendorKeys.length);
    for (const vendor of ['alertmanager', 'pagerduty'] as const) {
      const names = ALERT_KIND_NAMES.map((k) => ALERT_KINDS[k].vendors[vendor]);
      assert.equal(new Set(names).size, names.length, `two kinds share one ${vendor} name`);
    }
  });

  it('every kind is keyed, watched and offered to templates', () => {
    for (const kind of ALERT_KIND_NAMES) {
      for (const mount of ['/', '/srv/inodes:odd', 'C:\\'])
        assert.deepEqual(parseSubject(subjectKey(mount, kind)), { mount, kind });
      assert.match(TEMPLATE_VARIABLES.kind!.help, new RegExp(`"${kind}"`));
      assert.notEqual(title(eventOf(kind)), '');
    }
    assert.deepEqual(watchedKinds({ watchInodes: true }), ALERT_KIND_NAMES);
    assert.deepEqual(watchedKinds({ watchInodes: false }), [DEFAULT_KIND]);
  });

  for (const kind of ALERT_KIND_NAMES) {
    it(`${kind}: messages, notifications, history and lists take its words from its row`, async () => {
      const words: AlertKindRow['words'] = {
        heading: `Head-${kind}`,
        of: ` of figure-${kind}`,
        ofIts: ` of its figure-${kind}`,
        tag: `tag-${kind}`,
        notification: {
          critical: `Critical-${kind}`,
          warning: `Warning-${kind}`,
          why: `: why-${kind}`,
          act: `Act-${kind}.`,
        },
      };
      await withRow(kind, { words }, () => {
        const cycling = { states: ['ok', 'critical'] as AlertEvent['to'][], changes: 6, minutes: 4 };
        const held = { reason: 'flapping', since: 0, changes: 6, cycling };
        assert.match(
          title(eventOf(kind, { held })),
          new RegExp(`^Head-${kind} cycling between .* of its figure-${kind} free now`),
        );

        const critical = notificationText(transitionOf(kind, 'ok', 'critical'));
        assert.equal(critical.title, `Critical-${kind}: /data`);
        assert.match(
          critical.body,
          new RegExp(`^4\\.0% of figure-${kind} free: why-${kind}\\. Act-${kind}\\.`),
        );
        assert.equal(notificationText(transitionOf(kind, 'ok', 'warning')).title, `Warning-${kind}: /data`);
        assert.equal(
          notificationText(transitionOf(kind, 'critical', 'warning')).title,
          `Head-${kind} no longer critical: /data`,
        );

        const record = deliveryRecord(eventOf(kind), { id: 'i', name: 'Ops', type: 'webhook' }, 0);
        assert.match(recordFree(record.event)!, new RegExp(` of figure-${kind}$`));
        assert.match(
          describeThresholds(eventOf(kind).thresholds, kind),
          new RegExp(`free of figure-${kind}, critical`),
        );
        assert.equal(kindLabel('/data', kind), `/data (tag-${kind})`);
        assert.deepEqual(recordKind(record.event), { tag: `tag-${kind}`, heading: `Head-${kind}` });
      });
    });

    it(`${kind}: its key and the vendors' names for it come from its row`, async () => {
      const vendors: AlertKindRow['vendors'] = {
        alertmanager: `Am${kind}`,
        pagerduty: `pd_${kind}`,
        netdata: { alert: `nd_alert_${kind}`, chart: `nd_chart_${kind}`, context: `nd.${kind}` },
      };
      const keys = kind === DEFAULT_KIND ? {} : { keyPrefix: `p-${kind}:` };
      await withRow(kind, { vendors, vendorKey: `vk-${kind}`, ...keys }, async () => {
        const e = eventOf(kind);
        assert.equal(alertKey(e), `vk-${kind}/host-1//data`);
        if (kind !== DEFAULT_KIND) assert.equal(subjectKey('/data', kind), `p-${kind}:/data`);
        const pd = await bodyOf('pagerduty', e);
        assert.deepEqual([pd.dedup_key, pd.payload.class], [`vk-${kind}/host-1//data`, `pd_${kind}`]);
        const alerts: { labels: { alertname: string } }[] = await bodyOf('alertmanager', e);
        assert.ok(alerts.some((a) => a.labels.alertname === `Am${kind}`));
        const nd = await bodyOf('webhook', e);
        assert.deepEqual(
          [nd.alert, nd.chart, nd.context],
          [`nd_alert_${kind}`, `nd_chart_${kind}./data`, `nd.${kind}`],
        );
      });
    });
  }
});
