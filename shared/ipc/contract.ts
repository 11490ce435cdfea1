import * as z from 'zod';
import type { UsageNote } from '../usage-note.js';
import type { AlertKind, MountState } from '../disk.js';
import { snoozeForSchema, type Hold } from '../quiet.js';
import { templateSchema } from '../template.js';
import type { Forecast } from '../forecast.js';
import type { Thresholds } from '../hysteresis.js';
import type { DeliveryRecord } from '../history.js';
import { SEVERITY_FILTERS } from '../integration.js';
import { folderPathSchema, mountPointSchema } from '../paths.js';
import type { ChartPoint } from '../sample-history.js';
import type { RequestName } from './names.js';
import type {
  AppInfo,
  ChannelView,
  CheckView,
  DiskView,
  IntegrationView,
  SettingsView,
  UsageView,
} from './views.js';

export type * from './views.js';

/**
 * One typed contract for both ends (Electron IPC and the web UI's HTTP API): each request's
 * input schema, checked in the main process before anything is touched, and its output type.
 */

export type FieldErrors = { field: string; message: string }[];

export type SaveIntegrationResult =
  /** `warnings`: saved, but worth knowing (a disk that is not mounted now). */
  | { ok: true; integration: IntegrationView; check: CheckView; warnings: string[] }
  | { ok: false; errors: FieldErrors }
  | { ok: false; check: CheckView };

const id = z.string().regex(/^[a-z0-9.-]{1,40}$/, { message: 'is not an integration id' });

/**
 * Integration input from a form. A secret field holds a new value to set, null to clear it, or
 * is absent to keep what is saved (the form never had it).
 */
export const integrationInputSchema = z
  .object({
    id: id.optional(),
    type: z.string(),
    name: z.string().optional(),
    enabled: z.boolean().optional(),
    mounts: z.array(mountPointSchema).optional(),
    severity: z.enum(SEVERITY_FILTERS).optional(),
    // Checked in full by the integration schema; here only their shape as JSON.
    quietHours: z
      .object({
        days: z.array(z.string()).optional(),
        start: z.string(),
        end: z.string(),
        critical: z.string().optional(),
      })
      .strict()
      .nullable()
      .optional(),
    reminders: z
      .object({ warningHours: z.number().nullable(), criticalHours: z.number().nullable() })
      .strict()
      .optional(),
    includeUsage: z.boolean().optional(),
    template: templateSchema.optional(),
    config: z.record(z.string(), z.union([z.string(), z.array(z.string()), z.null()])).default({}),
    /** "Save anyway": save without asking the receiver (it was unreachable, or said no). */
    skipCheck: z.boolean().optional(),
    /**
     * An edit: the integration's updatedAt when the form was opened. Changed since (the CLI, another
     * window), the edit is refused rather than sent back over that change.
     */
    basedOn: z.number().optional(),
    // A key of no setting is refused, not dropped without a word (a typo would look saved).
  })
  .strict();

export const requests = {
  'app.info': { input: z.object({}).strict() },
  'disks.list': { input: z.object({}).strict() },
  'disks.checkNow': { input: z.object({}).strict() },
  /** One disk's free space over the last hour, day or week (downsampled by the watcher). */
  'disks.chart': {
    input: z.object({ mount: z.string().min(1), range: z.enum(['hour', 'day', 'week']) }).strict(),
  },
  'channels.list': { input: z.object({}).strict() },
  'integrations.list': { input: z.object({}).strict() },
  'integrations.save': { input: integrationInputSchema },
  'integrations.remove': { input: z.object({ id }).strict() },
  'integrations.setEnabled': { input: z.object({ id, enabled: z.boolean() }).strict() },
  'integrations.validate': { input: z.object({ id }).strict() },
  'integrations.test': { input: z.object({ id }).strict() },
  'integrations.preview': {
    input: z
      .object({
        type: z.string(),
        /** When editing: secrets left untouched in the form are taken from the saved integration. */
        id: id.optional(),
        config: z.record(z.string(), z.union([z.string(), z.array(z.string()), z.null()])).default({}),
        to: z.enum(['warning', 'critical', 'unreachable', 'ok']).default('warning'),
        /** The form's template, previewed by the same code that sends. */
        template: templateSchema.optional(),
      })
      .strict(),
  },
  'history.list': {
    input: z
      .object({
        limit: z.number().int().min(1).max(100_000).default(10_000),
        /** The next page: the records after the last one shown (its createdAt and id). */
        before: z.object({ createdAt: z.number(), id: z.string() }).strict().optional(),
        integrationId: z.string().optional(),
        outcome: z.enum(['pending', 'retrying', 'delivered', 'failed', 'held', 'unknown']).optional(),
        mount: z.string().optional(),
        /** Test notifications only (true), or none of them (false). */
        test: z.boolean().optional(),
      })
      .strict(),
  },
  'history.retry': { input: z.object({ id: z.string().min(1) }).strict() },
  'settings.get': { input: z.object({}).strict() },
  'settings.update': {
    input: z
      // Changed keys only; the merged whole is validated with settingsSchema (critical < warning).
      .object({
        settings: z.record(z.string(), z.unknown()).optional(),
        launchAtLogin: z.boolean().optional(),
        /** Check only, as the user types: every error at once, nothing saved. */
        validateOnly: z.boolean().optional(),
      })
      .strict(),
  },
  'alerts.pause': {
    input: z
      .object({
        minutes: z
          .number()
          .int()
          .min(1)
          .max(7 * 24 * 60)
          .nullable(),
      })
      .strict(),
  },
  'alerts.resume': { input: z.object({}).strict() },
  /**
   * Snooze one disk (or every alert, mount null) for 1 h, 8 h, until tomorrow 08:00, or any
   * duration `headroom snooze --for` takes (`90m`, `2h`, `3d`, minutes).
   */
  'alerts.snooze': {
    input: z.object({ mount: mountPointSchema.nullable(), for: snoozeForSchema }).strict(),
  },
  'alerts.unsnooze': { input: z.object({ mount: mountPointSchema.nullable() }).strict() },
  /** "What's using space": scans a watched disk (progress as `usageProgress` events). */
  'usage.scan': { input: z.object({ mount: mountPointSchema }).strict() },
  'usage.cancel': { input: z.object({ mount: mountPointSchema }).strict() },
  /**
   * "Open in file manager" (desktop app only): a folder of a watched disk, checked in the main
   * process to be a directory on that disk's own filesystem. Never a file, never a URL.
   */
  'usage.open': { input: z.object({ mount: mountPointSchema, path: folderPathSchema }).strict() },
  /** "Open Trash": the user's trash folder on that disk, which the main process finds itself. */
  'usage.openTrash': { input: z.object({ mount: mountPointSchema }).strict() },
} satisfies Record<RequestName, { input: z.ZodType }>;

export interface Outputs {
  'app.info': AppInfo;
  'disks.list': DiskView[];
  'disks.checkNow': DiskView[];
  'disks.chart': ChartPoint[];
  'channels.list': ChannelView[];
  'integrations.list': {
    integrations: IntegrationView[];
    problems: { id: string; name: string; message: string }[];
    /** The organisation's policy, when one manages integrations or forbids adding them. */
    policy: { file: string; userIntegrations: boolean } | null;
  };
  'integrations.save': SaveIntegrationResult;
  'integrations.remove': { removed: boolean };
  'integrations.setEnabled': IntegrationView;
  'integrations.validate': CheckView;
  'integrations.test': DeliveryRecord;
  'integrations.preview':
    { title: string; text: string; truncated: boolean; body?: string } | { errors: FieldErrors };
  'history.list': DeliveryRecord[];
  'history.retry': DeliveryRecord;
  'settings.get': SettingsView;
  'settings.update': (SettingsView & { warnings: string[] }) | { errors: FieldErrors };
  'alerts.pause': { pausedUntil: number | null };
  'alerts.resume': { pausedUntil: null };
  'alerts.snooze': { until: number; warnings: string[] };
  'alerts.unsnooze': { unsnoozed: true };
  'usage.scan': UsageView;
  'usage.cancel': { cancelled: boolean };
  'usage.open': { opened: string };
  'usage.openTrash': { opened: string };
}

export type Input<N extends RequestName> = z.input<(typeof requests)[N]['input']>;
export type ParsedInput<N extends RequestName> = z.output<(typeof requests)[N]['input']>;

export interface EventPayloads {
  disks: DiskView[];
  transition: {
    mount: string;
    kind: AlertKind;
    from: MountState;
    to: MountState;
    at: number;
    /** Of space or of inodes, as `kind` says. */
    freePercent: number | null;
    /** This alert's thresholds, as for DiskView. */
    thresholds: Thresholds;
    /** A warning the forecast raised before any threshold was crossed (a predictive alert). */
    predicted?: boolean;
    /** Where free space is heading, as the channels are told it; never on an all-clear. */
    forecast?: Forecast;
    /** Why the desktop notification is held too (paused, snoozed, flapping). */
    held?: Hold['reason'];
  };
  delivery: DeliveryRecord;
  settings: SettingsView;
  paused: { pausedUntil: number | null };
  focusDisk: { mount: string };
  /** What grew on a disk, from the scan its warning or critical started (see UsageNote). */
  usage: UsageNote & { mount: string };
  /** A scan the window asked for, under way. */
  usageProgress: { mount: string; files: number; size: number };
}

/** Every reply: errors are values (an Error object does not survive IPC or JSON). */
export type Result<T> =
  | { ok: true; value: T }
  | {
      ok: false;
      error: { code: 'invalidInput' | 'notFound' | 'failed' | 'forbidden'; message: string; field?: string };
    };

export type Api = { [N in RequestName]: (input: Input<N>) => Promise<Outputs[N]> };
