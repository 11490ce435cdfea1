import assert from 'node:assert/strict';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from '../helpers/node-test.js';
import { readPolicy } from '../../core/policy/read-policy.js';
import { INTEGRATION_SETTINGS } from '../../shared/integration.js';
import { integrationInputSchema } from '../../shared/ipc/contract.js';

describe('the settings of an integration, listed once in its schema', () => {
  it('can each be given through the API the window and the web UI call', () => {
    assert.ok(INTEGRATION_SETTINGS.includes('includeUsage') && INTEGRATION_SETTINGS.includes('template'));
    for (const key of INTEGRATION_SETTINGS)
      assert.ok(key in integrationInputSchema.shape, `integrations.save takes no "${key}"`);
  });

  it('can each be set by a policy file (includeUsage was refused as unknown)', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'headroom-policy-'));
    const file = join(dir, 'policy.json');
    const integration = {
      id: 'ops',
      type: 'webhook',
      name: 'Ops',
      enabled: true,
      mounts: ['/srv'],
      severity: 'critical',
      quietHours: { start: '22:00', end: '07:00' },
      reminders: { warningHours: null, criticalHours: 4 },
      includeUsage: true,
      template: { title: 'Disk {{mount}}' },
      config: { url: 'https://hooks.example.com/disk' },
    };
    assert.deepEqual(
      Object.keys(integration)
        .filter((k) => !['id', 'type', 'config'].includes(k))
        .sort(),
      [...INTEGRATION_SETTINGS].sort(),
    );
    await writeFile(file, JSON.stringify({ integrations: [integration] }));
    const policy = readPolicy(file, {})!;
    assert.deepEqual(policy.integrationProblems, []);
    const [read] = policy.integrations;
    for (const key of INTEGRATION_SETTINGS) assert.ok(read![key] !== undefined, key);
    assert.equal(read!.includeUsage, true);
    assert.equal(read!.reminders.criticalHours, 4);
  });
});
