import assert from 'node:assert/strict';
import { describe, it } from '../helpers/node-test.js';
import { fieldShown } from '../../renderer/src/field-visibility.js';
import { channelFor } from '../../shared/channels/registry.js';

/** The labels the form shows for a channel, given what is typed and which secrets are saved. */
function shownLabels(type: string, values: Record<string, string>, saved: string[] = []): string[] {
  const { fields } = channelFor(type)!;
  return fields.filter((f) => fieldShown(f, fields, values, (k) => saved.includes(k))).map((f) => f.label);
}

describe('which fields the integration form shows', () => {
  it("hides Slack's API URL in webhook mode: typed, or saved (the form never gets the URL back)", () => {
    assert.ok(shownLabels('slack', {}).includes('API URL'), 'a new Slack integration starts as a bot');
    assert.ok(shownLabels('slack', { token: 'xoxb-1' }).includes('API URL'));
    assert.ok(
      !shownLabels('slack', { webhookUrl: 'https://hooks.slack.com/services/T/B/x' }).includes('API URL'),
    );
    assert.ok(!shownLabels('slack', {}, ['webhookUrl']).includes('API URL'), 'a saved webhook integration');
    assert.ok(shownLabels('slack', {}, ['token']).includes('API URL'), 'a saved bot integration');
  });

  it('still shows each auth mode its own fields (the first option when none is chosen)', () => {
    assert.deepEqual(
      shownLabels('webhook', { auth: 'basic' }).filter((l) =>
        ['User', 'Password', 'Bearer token'].includes(l),
      ),
      ['User', 'Password'],
    );
    const none = shownLabels('webhook', {});
    assert.ok(!none.includes('User') && !none.includes('Password'), JSON.stringify(none));
  });
});
