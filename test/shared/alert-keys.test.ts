import assert from 'node:assert/strict';
import { describe, it } from '../helpers/node-test.js';
import { parseSubject, subjectKey, type AlertKind } from '../../shared/disk.js';
import { eventFromReading } from '../../shared/alert-facts.js';
import { DEFAULT_SETTINGS } from '../../shared/settings.js';

describe('alert keys', () => {
  it('keep a mount’s space and inode alerts apart, and give back the mount and kind', () => {
    for (const mount of ['/', '/srv/inodes:odd', 'C:\\', '/data'])
      for (const kind of ['space', 'inodes'] as AlertKind[]) {
        assert.deepEqual(parseSubject(subjectKey(mount, kind)), { mount, kind });
      }
    assert.notEqual(subjectKey('/data', 'space'), subjectKey('/data', 'inodes'));
  });

  it('an event counts the other alerts of its own kind only', () => {
    const record = (state: 'ok' | 'warning' | 'critical') => ({ state, since: 0 });
    const states = {
      [subjectKey('/data', 'inodes')]: record('critical'),
      [subjectKey('/data', 'space')]: record('critical'),
      [subjectKey('/srv', 'space')]: record('warning'),
      [subjectKey('/srv', 'inodes')]: record('critical'),
      [subjectKey('/home', 'inodes')]: record('critical'),
    };
    const sample = {
      mount: '/data',
      fs: 'tmpfs',
      type: 'tmpfs',
      size: 100,
      used: 90,
      available: 10,
      freePercent: 10,
      inodes: { total: 100, free: 5, freePercent: 5 },
      at: 0,
    };
    const event = (kind: AlertKind) =>
      eventFromReading({
        id: 'e',
        host: 'h',
        reading: { ok: true, sample },
        kind,
        change: { from: 'ok', to: 'critical' },
        at: 0,
        states,
        settings: DEFAULT_SETTINGS,
      });
    assert.deepEqual([event('inodes').otherCritical, event('inodes').otherWarning], [2, 0]);
    assert.deepEqual([event('space').otherCritical, event('space').otherWarning], [0, 1]);
  });
});
