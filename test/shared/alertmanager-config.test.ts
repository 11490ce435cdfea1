import assert from 'node:assert/strict';
import { describe, it } from '../helpers/node-test.js';
import { longestGroupWait, parseDuration } from '../../shared/channels/alertmanager-config.js';

// As Alertmanager 0.25 writes its configuration back out in /api/v2/status (config.original).
const reported = (rootWait: string | null, childWait: string | null) =>
  [
    'global:',
    '  resolve_timeout: 5m',
    'route:',
    '  receiver: hook',
    '  continue: false',
    '  routes:',
    '  - receiver: hook',
    '    matchers:',
    '    - test="true"',
    ...(childWait ? [`    group_wait: ${childWait}`] : []),
    ...(rootWait ? [`  group_wait: ${rootWait}`] : []),
    'receivers:',
    '- name: hook',
    '  webhook_configs:',
    '  - send_resolved: true',
    '    group_wait: 9h',
    '',
  ].join('\n');

describe("an Alertmanager's group_wait, from its reported configuration", () => {
  it('reads durations as Alertmanager writes them', () => {
    assert.equal(parseDuration('30s'), 30_000);
    assert.equal(parseDuration('1m30s'), 90_000);
    assert.equal(parseDuration('500ms'), 500);
    assert.equal(parseDuration('soon'), null);
  });

  it('is the longest a route sets, with the default 30 s where the top route sets none', () => {
    assert.equal(longestGroupWait(reported('1s', '2s')), 2_000);
    assert.equal(longestGroupWait(reported('45s', null)), 45_000);
    assert.equal(longestGroupWait(reported(null, '2s')), 30_000, 'the top route falls back to 30 s');
    assert.equal(longestGroupWait('global: {}\n'), null, 'no routes: cannot tell');
  });
});
