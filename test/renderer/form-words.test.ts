import assert from 'node:assert/strict';
import { describe, it } from '../helpers/node-test.js';
import { webhook } from '../../shared/channels/webhook.js';
import { formWords, settingsWords } from '../../renderer/src/form-words.js';

describe("errors in the form's own words", () => {
  it('names fields by their labels, not their CLI flags', () => {
    assert.equal(
      formWords('is required with --auth bearer', webhook.fields),
      'is required with Authentication “bearer”',
    );
    assert.equal(
      formWords('use --auth basic with --user and --password', webhook.fields),
      'use Authentication “basic” with User and Password',
    );
    assert.equal(formWords('no flags here', webhook.fields), 'no flags here');
  });
  it('names settings as the Settings form does', () => {
    assert.equal(
      settingsWords('criticalPercent (30) must be below warningPercent (25) for this mount'),
      'the critical % free (30) must be below the warning % free (25) for this mount',
    );
  });
});
