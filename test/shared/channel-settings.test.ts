import assert from 'node:assert/strict';
import * as z from 'zod';
import { describe, it } from '../helpers/node-test.js';
import { channelSettings } from '../../shared/channels/settings.js';
import { CHANNELS } from '../../shared/channels/registry.js';

describe('a channel’s settings, declared once', () => {
  it(
    'make both the schema and the fields, in the declared order, keyed by their names',
    { timeout: 10_000 },
    () => {
      const { schema, fields } = channelSettings(
        {
          url: { type: () => z.string(), field: { flag: 'url', label: 'URL', kind: 'url', help: 'Where.' } },
          room: {
            type: () => z.string().min(2).optional(),
            field: {
              flag: 'room',
              label: 'Room',
              kind: 'select',
              options: ['ops', 'root'],
              help: 'Which.',
              showWhen: { key: 'url', in: ['x'] },
            },
          },
        },
        (object) => object.refine((c) => c.room !== 'root', { path: ['room'], message: 'not root' }),
      );
      assert.deepEqual(
        fields.map((f) => [f.key, f.flag]),
        [
          ['url', 'url'],
          ['room', 'room'],
        ],
      );
      assert.deepEqual(schema.parse({ url: 'u', room: 'ops' }), { url: 'u', room: 'ops' });
      assert.equal(schema.safeParse({ url: 'u', room: 'root' }).success, false);
      const alone = { flag: 'a', label: 'A', kind: 'text', help: '' } as const;
      channelSettings({
        a: {
          type: () => z.string(),
          // @ts-expect-error a field may be shown only by another setting of the same channel
          field: { ...alone, showWhen: { key: 'b', in: [] } },
        },
      });
    },
  );

  it('give every channel fields whose flags and keys are each used once', { timeout: 10_000 }, () => {
    for (const c of CHANNELS) {
      for (const what of ['key', 'flag'] as const) {
        const all = c.fields.map((f) => f[what]);
        assert.equal(new Set(all).size, all.length, `${c.type}: a ${what} twice in ${all.join(', ')}`);
      }
      for (const f of c.fields)
        if (f.showWhen)
          assert.ok(
            c.fields.some((g) => g.key === f.showWhen!.key),
            `${c.type}.${f.key}`,
          );
    }
  });
});
