import assert from 'node:assert/strict';
import { describe, it } from '../../helpers/node-test.js';
import { notedAttempt, templated } from '../../../core/delivery/attempt/template.js';
import { sampleEvent } from '../../helpers/events.js';

describe('the template stage', () => {
  it('gives the event the integration’s own title and text', { timeout: 10_000 }, () => {
    const { event, note } = templated(sampleEvent(), {
      title: '{{mount}} is {{state}}',
      text: 'free: {{free}}',
    });
    assert.equal(event.custom?.title, '/data is critical');
    assert.match(event.custom?.text ?? '', /^free: /);
    assert.equal(note, undefined);
  });

  it(
    'sends Headroom’s own message when the template cannot be rendered, and says why',
    { timeout: 10_000 },
    () => {
      const { event, note } = templated(sampleEvent(), { title: '{{constructor}}' });
      assert.equal(event.custom, undefined);
      assert.match(
        note ?? '',
        /could not be rendered \(template\.title: \{\{constructor\}\} is not a variable\)/,
      );
    },
  );

  it(
    'puts its note before what the receiver said, and leaves an attempt without one alone',
    { timeout: 10_000 },
    () => {
      const attempt = { at: 1, result: 'delivered' as const, latencyMs: 5, note: 'Opsgenie: Created alert' };
      assert.equal(notedAttempt(attempt, 'template broke').note, 'template broke; Opsgenie: Created alert');
      assert.equal(notedAttempt({ ...attempt, note: undefined }, 'template broke').note, 'template broke');
      assert.deepEqual(notedAttempt(attempt, undefined), attempt);
    },
  );
});
