import { ALERT_KINDS, ALERT_KIND_NAMES } from './alert-kinds.js';
import { mountOf, subjectKey, type AlertKind, type MountState, type Reading } from './disk.js';
import type { MountRecord, Transition } from './hysteresis.js';
import type { Forecast } from './forecast.js';
import { visibleState, watchesMount, type Integration, type IntegrationBase } from './integration.js';
import type { Settings } from './settings.js';

/**
 * Who hears what: which integrations are owed a message of an alert, and the change each sees
 * through its own filters. Pure: what each integration was last told comes in as a lookup.
 */

export interface Change {
  from: MountState;
  to: MountState;
}

/** What an integration was last told of an alert (keyed by `subjectKey`), and when. */
export type ToldOf = (integrationId: string, key: string) => { state: MountState; at: number } | undefined;

/** One integration and the change it is to be told. */
export interface Notice {
  integration: Integration;
  change: Change;
}

/**
 * What one integration must be told of a transition, given the state it was last told for that
 * disk (ok if never told): the change of what it sees, or null when what it sees did not change.
 */
export function route(
  integration: Pick<IntegrationBase, 'enabled' | 'mounts' | 'severity'>,
  transition: Pick<Transition, 'mount' | 'to'>,
  lastSent: MountState = 'ok',
): Change | null {
  if (!integration.enabled || !watchesMount(integration, transition.mount)) return null;
  const to = visibleState(integration.severity, transition.to, lastSent);
  return to === lastSent ? null : { from: lastSent, to };
}

/** The disks as last read: what catch-ups, reminders and re-posts are built from. */
export interface DiskSnapshot {
  readings: readonly Reading[];
  states: Record<string, MountRecord>;
  settings: Settings;
  /** The mount's forecast now, as the views quote it. */
  forecastFor?: (mount: string) => Forecast | undefined;
}

/** One alert of a disk (its space or its inodes) that has a state. */
export interface Alert {
  mount: string;
  kind: AlertKind;
  key: string;
  reading: Reading;
  record: MountRecord;
}

/** Every alert of these readings' disks that has a state. */
export function alertsOf(readings: readonly Reading[], states: Record<string, MountRecord>): Alert[] {
  return readings.flatMap((reading) => {
    const mount = mountOf(reading);
    return ALERT_KIND_NAMES.flatMap((kind) => {
      const key = subjectKey(mount, kind);
      const record = states[key];
      return record ? [{ mount, kind, key, reading, record }] : [];
    });
  });
}

/** The integrations that hear of a transition, each with the change it sees. */
export function transitionNotices(
  integrations: readonly Integration[],
  t: Pick<Transition, 'mount' | 'kind' | 'to'>,
  told: ToldOf,
): Notice[] {
  const key = subjectKey(t.mount, t.kind);
  return integrations.flatMap((integration) => {
    const change = route(integration, t, told(integration.id, key)?.state);
    return change ? [{ integration, change }] : [];
  });
}

/**
 * What each integration is owed of an alert now (after a pause, a hold, a filter change): what it
 * was last told compared with what it should see. `settled`: those owed nothing, whose held
 * change (a warning over before it was sent) is dropped, with the all-clear it would have owed.
 */
export function owedNotices(
  integrations: readonly Integration[],
  alert: Alert,
  told: ToldOf,
): { notices: Notice[]; settled: Integration[] } {
  const notices: Notice[] = [];
  const settled: Integration[] = [];
  for (const integration of integrations) {
    const change = route(
      integration,
      { mount: alert.mount, to: alert.record.state },
      told(integration.id, alert.key)?.state,
    );
    if (change) notices.push({ integration, change });
    else settled.push(integration);
  }
  return { notices, settled };
}

/**
 * Reminders: an integration that asked for them hears again of a warning or critical it was
 * told of, every so many hours while that state holds and no change of it is owed.
 */
export function reminderNotices(
  integrations: readonly Integration[],
  alert: Alert,
  told: ToldOf,
  now: number,
): Notice[] {
  return integrations.flatMap((integration) => {
    const { warningHours, criticalHours } = integration.reminders;
    if (!integration.enabled || (warningHours === null && criticalHours === null)) return [];
    const last = told(integration.id, alert.key);
    if (!last || (last.state !== 'warning' && last.state !== 'critical')) return [];
    if (route(integration, { mount: alert.mount, to: alert.record.state }, last.state)) return []; // a change is owed
    const hours = last.state === 'critical' ? criticalHours : warningHours;
    const since = last.at || alert.record.since;
    if (hours === null || now - since < hours * 3_600_000) return [];
    return [{ integration, change: { from: last.state, to: last.state } }];
  });
}

/**
 * What grew on a disk goes to the integrations that opted in (`includeUsage`) and were told of its
 * current warning or critical: that alert again, with the usage lines.
 */
export function usageNotices(integrations: readonly Integration[], alert: Alert, told: ToldOf): Notice[] {
  const { state } = alert.record;
  if (!ALERT_KINDS[alert.kind].bytes || (state !== 'warning' && state !== 'critical')) return [];
  return integrations.flatMap((integration) => {
    if (!integration.enabled || !integration.includeUsage || !watchesMount(integration, alert.mount))
      return [];
    // Not told of this state (its filter hides it, or it is held): there is no alert to add to.
    if (told(integration.id, alert.key)?.state !== state) return [];
    return [{ integration, change: { from: state, to: state } }];
  });
}

/** The active alert an integration was told of, to post again (see Traits.refreshActive). */
export function activeNotice(integration: Integration, alert: Alert, told: ToldOf): Notice | null {
  const last = told(integration.id, alert.key)?.state;
  if (!last || last === 'ok' || !watchesMount(integration, alert.mount)) return null;
  return { integration, change: { from: last, to: last } };
}
