import assert from 'node:assert/strict';
import { describe, it } from '../helpers/node-test.js';
import fc from 'fast-check';
import { fnv1a64, shortenKey, truncate, utf8Length } from '../../shared/channels/limits.js';
import { graphemesOf, wellFormed } from '../helpers/text.js';

/** Text made of the pieces that break naive cutting: astral emoji, ZWJ families, flags, accents. */
const tricky = fc
  .array(
    fc.constantFrom('a', 'é', 'e\u0301', '😀', '👩‍👩‍👧‍👦', '🇫🇷', '漢', '/', ' ', '\u200b', '@', '*', 'x'.repeat(7)),
    { maxLength: 400 },
  )
  .map((parts) => parts.join(''));

describe('grapheme-safe truncation', () => {
  it('leaves text within the limit alone', () => {
    assert.deepEqual(truncate('/data on host-1', 15), { text: '/data on host-1', truncated: false });
  });

  it('never cuts an emoji in half (slice would leave "\\ud83d")', () => {
    const cut = truncate(`${'x'.repeat(8)}😀😀`, 10);
    assert.deepEqual(cut, { text: `${'x'.repeat(8)}…`, truncated: true });
    assert.ok(wellFormed(cut.text));
  });

  it('keeps a ZWJ family, a flag and a combining accent whole or drops them whole', () => {
    for (const g of ['👩‍👩‍👧‍👦', '🇫🇷', 'e\u0301']) {
      const text = `ab${g}${g}`;
      for (let max = 1; max < text.length; max++) {
        const cut = truncate(text, max).text.replace(/…$/, '');
        assert.ok(text.startsWith(cut), `${g} at ${max}`);
        assert.deepEqual(
          graphemesOf(cut),
          graphemesOf(text).slice(0, graphemesOf(cut).length),
          `${g} at ${max}`,
        );
      }
    }
  });

  it('for any text and limit: within the limit, whole graphemes, a prefix of the original, marked', () => {
    fc.assert(
      fc.property(tricky, fc.integer({ min: 1, max: 300 }), (text, max) => {
        const { text: out, truncated } = truncate(text, max);
        assert.ok(out.length <= max);
        assert.ok(wellFormed(out));
        assert.equal(truncated, text.length > max);
        if (!truncated) return assert.equal(out, text);
        const kept = out.slice(0, -1);
        assert.ok(out.endsWith('…') && text.startsWith(kept));
        const whole = graphemesOf(text);
        assert.deepEqual(graphemesOf(kept), whole.slice(0, graphemesOf(kept).length));
      }),
      { numRuns: 500 },
    );
  });
});

describe('deterministic key shortening', () => {
  it('is FNV-1a 64 (the published test vectors)', () => {
    assert.equal(fnv1a64(''), 'cbf29ce484222325');
    assert.equal(fnv1a64('a'), 'af63dc4c8601ec8c');
    assert.equal(fnv1a64('foobar'), '85944171f73967e8');
  });

  it('leaves a key that fits alone, and shortens a long one to a readable prefix and a hash', () => {
    assert.equal(shortenKey('headroom/host-1//data', 255), 'headroom/host-1//data');
    const long = `headroom/host-1/${'/mnt/archive'.repeat(50)}`;
    const key = shortenKey(long, 255);
    assert.equal(utf8Length(key), 255);
    assert.match(key, /^headroom\/host-1\/\/mnt\/archive.*~[0-9a-f]{16}$/);
    assert.equal(shortenKey(long, 255), key, 'the resolve gets the same key as the trigger');
  });

  it('for any keys: within the byte limit, stable, and different keys stay different', () => {
    fc.assert(
      fc.property(tricky, tricky, fc.integer({ min: 20, max: 300 }), (a, b, max) => {
        const shared = 'headroom/host/' + '/mnt/very/long/path'.repeat(20);
        const [ka, kb] = [shortenKey(shared + a, max), shortenKey(shared + b, max)];
        assert.ok(utf8Length(ka) <= max && wellFormed(ka));
        assert.equal(ka, shortenKey(shared + a, max));
        if (a !== b) assert.notEqual(ka, kb);
      }),
      { numRuns: 500 },
    );
  });
});
