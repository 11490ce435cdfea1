import assert from 'node:assert/strict';
import { describe, it } from '../helpers/node-test.js';
import type { MountState } from '../../shared/disk.js';
import type { SeverityFilter } from '../../shared/integration.js';
import { route } from '../../shared/notices.js';

/** Feeds a disk's successive states to one integration; returns what it is told, as "from→to". */
function told(severity: SeverityFilter, states: MountState[], mounts: string[] = []): string[] {
  let last: MountState | undefined;
  const out: string[] = [];
  for (const to of states) {
    const change = route({ enabled: true, mounts, severity }, { mount: '/data', to }, last);
    if (change) {
      out.push(`${change.from}→${change.to}`);
      last = change.to;
    }
  }
  return out;
}

describe('severity filters', () => {
  const day: MountState[] = ['warning', 'critical', 'warning', 'unreachable', 'warning', 'ok'];

  it('all+unreachable hears every change', () => {
    assert.deepEqual(told('all+unreachable', day), [
      'ok→warning',
      'warning→critical',
      'critical→warning',
      'warning→unreachable',
      'unreachable→warning',
      'warning→ok',
    ]);
  });

  it('all hears warnings and criticals, not unreachable', () => {
    assert.deepEqual(told('all', day), ['ok→warning', 'warning→critical', 'critical→warning', 'warning→ok']);
  });

  it('critical hears criticals and their all-clear (critical → warning counts as cleared)', () => {
    assert.deepEqual(told('critical', day), ['ok→critical', 'critical→ok']);
  });

  it('an alert that was never sent gets no all-clear', () => {
    assert.deepEqual(told('critical', ['warning', 'ok']), []);
    assert.deepEqual(told('all', ['unreachable', 'ok']), []);
  });

  it('the disks filter and the enabled switch leave other disks and disabled integrations out', () => {
    assert.deepEqual(told('all', ['warning'], ['/home']), []);
    assert.deepEqual(told('all', ['warning'], ['/data']), ['ok→warning']);
    assert.equal(
      route({ enabled: false, mounts: [], severity: 'all' }, { mount: '/data', to: 'critical' }),
      null,
    );
  });
});
