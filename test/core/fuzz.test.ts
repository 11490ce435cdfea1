import assert from 'node:assert/strict';
import { describe, it } from '../helpers/node-test.js';
import fc from 'fast-check';
import { createApi, type ShellHooks } from '../../core/api.js';
import { callApi } from '../../core/api-call.js';
import { openRuntime } from '../../core/runtime.js';
import { Watcher } from '../../core/watcher.js';
import { CHANNELS } from '../../shared/channels/registry.js';
import { validateIntegration } from '../../shared/integration-validate.js';
import { REQUESTS } from '../../shared/ipc/names.js';
import { settingsSchema } from '../../shared/settings.js';
import { parseWith } from '../../shared/validation.js';
import { tempHome } from '../helpers/cli.js';
import { assertReported } from '../helpers/report.js';

const RUNS = 10_000;

/** Anything JSON can carry, plus the shapes a confused or hostile caller would try. */
const anything = fc.oneof(
  fc.jsonValue(),
  fc.dictionary(
    fc.constantFrom(
      'id',
      'type',
      'config',
      'url',
      'minutes',
      'settings',
      'limit',
      '__proto__',
      'constructor',
    ),
    fc.jsonValue(),
  ),
);

describe('bad input never crashes, and always names the field', () => {
  it('channel configurations: 10,000 generated inputs, each either valid or refused field by field', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...CHANNELS.map((c) => c.type), 'nonsense'),
        anything,
        fc.string(),
        (type, config, name) => {
          const r = validateIntegration({ id: 'x-1', name, type, createdAt: 0, updatedAt: 0, config });
          if (!r.ok) {
            assert.ok(r.errors.length > 0);
            for (const e of r.errors)
              assert.ok(e.field.length > 0 && e.message.length > 0, JSON.stringify(e));
          }
        },
      ),
      { numRuns: RUNS },
    );
    assertReported('Generated channel configurations', RUNS);
  });

  it('settings: 10,000 generated inputs, refused with the field named', () => {
    fc.assert(
      fc.property(anything, (input) => {
        const r = parseWith(settingsSchema, input);
        if (!r.ok) for (const e of r.errors) assert.ok(e.field && e.message);
      }),
      { numRuns: RUNS },
    );
    assertReported('Generated settings', RUNS);
  });

  it('IPC / web UI requests: 10,000 generated calls, every answer a Result, nothing thrown', async () => {
    const runtime = openRuntime(await tempHome());
    const hooks: ShellHooks = {
      shell: 'web',
      secrets: { protected: false, description: '' },
      getLaunchAtLogin: () => null,
      setLaunchAtLogin: () => {},
    };
    const api = createApi(new Watcher(runtime, { only: [] }), hooks);
    // Requests that act (send, sample) get only invalid input here: their valid paths are tested for real elsewhere.
    const acting = new Set([
      'integrations.test',
      'integrations.validate',
      'disks.checkNow',
      'disks.list',
      'integrations.save',
    ]);
    await fc.assert(
      fc.asyncProperty(fc.oneof(fc.constantFrom(...REQUESTS), fc.string()), anything, async (name, input) => {
        if (
          acting.has(name) &&
          typeof input === 'object' &&
          input !== null &&
          !Array.isArray(input) &&
          Object.keys(input).length === 0
        )
          return;
        const r = await callApi(api, name, input);
        assert.equal(typeof r.ok, 'boolean');
        if (!r.ok) assert.ok(r.error.code && r.error.message, JSON.stringify(r));
      }),
      { numRuns: RUNS },
    );
    assertReported('Generated IPC / web-UI API requests', RUNS);
    await runtime.close();
  });
});
