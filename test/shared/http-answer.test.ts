import assert from 'node:assert/strict';
import { describe, it } from '../helpers/node-test.js';
import { withAnswer } from '../../shared/http-outcome.js';

// What Send test and Validate print, in the CLI and the window alike.
describe("a result with the receiver's answer", () => {
  it('says the status and the time once', () => {
    assert.equal(withAnswer('Test delivered', 200, 38), 'Test delivered (HTTP 200, 38 ms)');
    assert.equal(
      withAnswer('Failed: the receiver failed (HTTP 503): busy', 503, 12),
      'Failed: the receiver failed (HTTP 503): busy (12 ms)',
    );
    assert.equal(withAnswer('delivered (HTTP 200)', 200, 5), 'delivered (HTTP 200) (5 ms)');
    assert.equal(withAnswer('nothing to ask', undefined, undefined), 'nothing to ask');
  });
});
