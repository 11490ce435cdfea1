import * as z from 'zod';
import type { MountState } from './disk.js';
import { CONTROL_CHARACTERS, hasControlCharacters, mountPointSchema } from './paths.js';
import type { FieldError } from './validation.js';
import { quietHoursSchema } from './quiet.js';
import { templateSchema } from './template.js';

const reminderHours = z
  .number({ error: 'must be a number of hours, e.g. 4, or null for no reminders' })
  .min(0.25, { error: 'must be at least 0.25 (15 minutes)' })
  .max(24 * 7, { error: 'must be at most 168 (a week)' })
  .nullable()
  .default(null);

/**
 * Which changes an integration hears of, as Netdata's "All Alerts and unreachable / All Alerts /
 * Critical only". Each filter decides which disk states the integration *sees*; it is told of
 * every change of what it sees, so an alert it was sent always gets its all-clear:
 * - `all+unreachable`: every state, unreachable included.
 * - `all`: warning and critical; an unreachable disk keeps the state last sent.
 * - `critical`: critical only; a warning counts as ok, so critical → warning is its all-clear.
 */
export const SEVERITY_FILTERS = ['all+unreachable', 'all', 'critical'] as const;
export type SeverityFilter = (typeof SEVERITY_FILTERS)[number];

export const integrationBaseSchema = z.object({
  id: z.string().regex(/^[a-z0-9-]{1,40}$/),
  name: z
    .string({ error: 'must be text' })
    .trim()
    .min(1, { error: 'cannot be empty' })
    .max(80, { error: 'must be at most 80 characters' }),
  type: z.string(),
  enabled: z.boolean().default(true),
  // Loading is lenient (an integration saved before a rule existed keeps alerting); a save is
  // held to `baseInputProblems` too.
  mounts: z.array(z.string().min(1, { error: 'a mount point cannot be empty' })).default([]),
  severity: z
    .enum(SEVERITY_FILTERS, { error: `must be one of ${SEVERITY_FILTERS.join(', ')}` })
    .default('all+unreachable'),
  /** Non-critical notifications are held during these hours and summed up afterwards. */
  quietHours: quietHoursSchema.nullable().default(null),
  /** Repeat while a disk stays warning / critical, every so many hours (off by default). */
  reminders: z
    .object({ warningHours: reminderHours, criticalHours: reminderHours })
    .strict()
    .default({ warningHours: null, criticalHours: null }),
  /**
   * Attach what grew on the disk (paths and sizes, from the usage scan a warning starts) to its
   * alerts. Off by default: paths can say more than a team channel should hear.
   */
  includeUsage: z.boolean({ error: 'must be true or false' }).default(false),
  /** The integration's own title/text (and webhook body); Headroom's own when absent. */
  template: templateSchema.default({}),
  createdAt: z.number(),
  updatedAt: z.number(),
});

export type IntegrationBase = z.output<typeof integrationBaseSchema>;

/** What a person sets on an integration beside its type and its channel's config. */
export type IntegrationSettingKey = Exclude<keyof IntegrationBase, 'id' | 'type' | 'createdAt' | 'updatedAt'>;

/**
 * Those settings' names, from the schema: the form's API, the policy file and the views list
 * them from here, so a setting added to the schema is known to each.
 */
export const INTEGRATION_SETTINGS = Object.keys(
  integrationBaseSchema.omit({ id: true, type: true, createdAt: true, updatedAt: true }).shape,
) as IntegrationSettingKey[];

/** The integration settings `from` holds (absent ones as undefined, i.e. "keep what is saved"). */
export function integrationSettingsOf<T extends Partial<Record<IntegrationSettingKey, unknown>>>(
  from: T,
): Pick<T, IntegrationSettingKey & keyof T> {
  return Object.fromEntries(INTEGRATION_SETTINGS.map((k) => [k, from[k]])) as Pick<
    T,
    IntegrationSettingKey & keyof T
  >;
}

export interface Integration<C = Record<string, unknown>> extends IntegrationBase {
  config: C;
  /** Defined by the organisation's policy file: read-only on this machine. */
  managed?: boolean;
}

/** The state of a disk as an integration with this filter sees it, given what it was last told. */
export function visibleState(filter: SeverityFilter, actual: MountState, lastSent: MountState): MountState {
  if (filter === 'all+unreachable') return actual;
  if (actual === 'unreachable') return lastSent;
  if (filter === 'critical') return actual === 'critical' ? 'critical' : 'ok';
  return actual;
}

/** Whether an integration's disks filter lets this mount through (empty: every watched disk). */
export function watchesMount(i: Pick<IntegrationBase, 'mounts'>, mount: string): boolean {
  return i.mounts.length === 0 || i.mounts.includes(mount);
}

/** What a save must also pass beyond loading: a plain name, mount points that are paths. */
export function baseInputProblems(base: Pick<IntegrationBase, 'name' | 'mounts'>): FieldError[] {
  const problems: FieldError[] = [];
  if (hasControlCharacters(base.name))
    problems.push({ field: 'name', message: CONTROL_CHARACTERS('a name') });
  base.mounts.forEach((m, i) => {
    const checked = mountPointSchema.safeParse(m);
    if (!checked.success) problems.push({ field: `mounts.${i}`, message: checked.error.issues[0]!.message });
  });
  return problems;
}
