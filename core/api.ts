import { hostname } from './builtins.js';
import { CHANNELS, channelFor } from '../shared/channels/registry.js';
import { previewOf } from '../shared/channels/preview.js';
import { testEvent } from '../shared/event.js';
import { matchesFilters } from '../shared/history.js';
import { integrationSettingsOf, type Integration } from '../shared/integration.js';
import type { Api, ParsedInput } from '../shared/ipc/contract.js';
import { validateConfig } from '../shared/integration-validate.js';
import { newlyNamed, newlyWatched, shownSettings, type Settings } from '../shared/settings.js';
import { applyTemplate, templateSamples, validateTemplate } from '../shared/template.js';
import { appVersion } from './app-version.js';
import { checkView, formConfig, saveView, toView } from './integration-views.js';
import { notMountedWarnings } from './mount-table.js';
import type { IntegrationInput } from './delivery/integration-service.js';
import { SaveConflict } from './delivery/integration-store.js';
import { SettingsRefused } from './settings-store.js';
import { FolderRefused, folderToOpen } from './usage/open-folder.js';
import { trashPlaces } from './usage/trash.js';
import type { Watcher } from './watcher.js';

/** What differs between the desktop app and the headless web UI. */
export interface ShellHooks {
  shell: 'electron' | 'web';
  secrets: { protected: boolean; description: string };
  getLaunchAtLogin(): boolean | null;
  setLaunchAtLogin(on: boolean): void;
  /** Shows a folder in the system's file manager: the desktop app only (a browser has no shell). */
  openFolder?(path: string): Promise<void>;
}

export class ApiError extends Error {
  constructor(
    readonly code: 'notFound' | 'failed' | 'invalidInput' | 'forbidden',
    message: string,
    readonly field?: string,
  ) {
    super(message);
  }
}

/**
 * The contract's requests, implemented once over the core: the Electron IPC layer and the web
 * UI's HTTP layer both call these after validating input with the contract's schemas.
 */
export function createApi(
  watcher: Watcher,
  hooks: ShellHooks,
): { [N in keyof Api]: (input: ParsedInput<N>) => ReturnType<Api[N]> } {
  const { runtime } = watcher;
  const service = () => runtime.delivery.service;
  // Secrets (the heartbeat URLs) masked: the renderer never sees them.
  const settingsView = () => ({
    settings: shownSettings(runtime.settings.get()),
    launchAtLogin: hooks.getLaunchAtLogin(),
    managed: runtime.settings.managed(),
  });
  const watchedDisk = (mount: string) => {
    if (!watcher.disks().some((d) => d.mount === mount && d.state !== 'unreachable'))
      throw new ApiError('notFound', `${mount} is not a watched disk that answers`);
  };
  const opener = () => {
    const open = hooks.openFolder;
    if (!open)
      throw new ApiError(
        'forbidden',
        'the web UI cannot open folders on the machine it watches: copy the path instead',
      );
    return async (folder: string) =>
      open(folder).catch((error: unknown) => {
        throw new ApiError('failed', `could not open ${folder}: ${(error as Error).message}`);
      });
  };
  const require = (id: string): Integration => {
    const found = service().get(id);
    if (!found) throw new ApiError('notFound', `no integration with id ${id}`);
    return found;
  };

  return {
    'app.info': async () => ({
      version: appVersion(),
      host: hostname(),
      dataDir: runtime.dir,
      secrets: hooks.secrets,
      pausedUntil: watcher.pauses.pausedUntil(),
      launchAtLogin: hooks.getLaunchAtLogin(),
      shell: hooks.shell,
    }),
    'disks.list': async () => {
      // Before the first sample (a window opened at start-up) there is nothing to show yet.
      const disks = watcher.disks();
      return disks.length ? disks : watcher.checkNow();
    },
    'disks.checkNow': () => watcher.checkNow(),
    'disks.chart': async ({ mount, range }) => watcher.chart(mount, range),
    // Only a disk the watcher shows: the window and the web UI scan disks, not arbitrary paths.
    'usage.scan': async ({ mount }) => {
      watchedDisk(mount);
      return watcher.usage
        .scanNow(mount, (p) => watcher.events.emit('usageProgress', { mount, files: p.files, size: p.size }))
        .catch((error: unknown) => {
          throw new ApiError('failed', (error as Error).message);
        });
    },
    'usage.cancel': async ({ mount }) => ({ cancelled: watcher.usage.cancel(mount) }),
    'usage.open': async ({ mount, path }) => {
      const open = opener();
      watchedDisk(mount);
      let folder: string;
      try {
        folder = folderToOpen(mount, path);
      } catch (error) {
        if (error instanceof FolderRefused) throw new ApiError('invalidInput', error.message, error.field);
        throw error;
      }
      await open(folder);
      return { opened: folder };
    },
    'usage.openTrash': async ({ mount }) => {
      const open = opener();
      watchedDisk(mount);
      const [trash] = trashPlaces(mount);
      if (!trash) throw new ApiError('notFound', `there is no Trash of yours on ${mount}`);
      await open(trash.files);
      return { opened: trash.files };
    },
    'channels.list': async () =>
      CHANNELS.map((c) => ({
        type: c.type,
        label: c.label,
        aliases: c.aliases,
        fields: c.fields,
        canValidate: !!c.check,
      })),
    'integrations.list': async () => {
      const { integrations, problems } = service().list();
      const policy = runtime.delivery.integrations.managedBy()?.current();
      return {
        integrations: integrations.map(toView),
        problems,
        policy: policy ? { file: policy.file, userIntegrations: policy.userIntegrations } : null,
      };
    },
    'integrations.save': async (input) => {
      const current = input.id ? require(input.id) : undefined;
      const channel = channelFor(current?.type ?? input.type);
      if (!channel)
        return { ok: false, errors: [{ field: 'type', message: `unknown channel type "${input.type}"` }] };
      const change: IntegrationInput = {
        type: channel.type,
        ...integrationSettingsOf(input),
        config: formConfig(channel, input.config, current?.config),
      };
      const options = { check: !input.skipCheck, basedOn: input.basedOn };
      const result = current
        ? await service()
            .update(current.id, change, options)
            .catch((error: unknown) => {
              throw error instanceof SaveConflict ? new ApiError('failed', error.message) : error;
            })
        : await service().create(change, options);
      if ('missing' in result) throw new ApiError('notFound', `no integration with id ${input.id}`);
      const named = result.ok ? newlyNamed(current?.mounts ?? [], result.integration.mounts) : [];
      return saveView(result, await notMountedWarnings(named));
    },
    'integrations.remove': async ({ id }) => ({ removed: service().remove(id) }),
    'integrations.setEnabled': async ({ id, enabled }) => {
      const updated = await service().setEnabled(id, enabled);
      if (!updated) throw new ApiError('notFound', `no integration with id ${id}`);
      return toView(updated);
    },
    'integrations.validate': async ({ id }) => checkView(await service().check(require(id))),
    'integrations.test': async ({ id }) => {
      const integration = require(id);
      return service().test(integration, watcher.testDisk(integration.mounts));
    },
    'integrations.preview': async ({ type, id, config, to, template }) => {
      const channel = channelFor(type);
      if (!channel) return { errors: [{ field: 'type', message: `unknown channel type "${type}"` }] };
      // Editing: secrets the form leaves untouched are the saved ones.
      const saved = id ? (service().get(id)?.config ?? {}) : {};
      const parsed = validateConfig(channel, { ...saved, ...formConfig(channel, config, saved) });
      // Every problem at once: a bad template is named beside the settings' own errors.
      const templateErrors = template
        ? validateTemplate(template, templateSamples(), channel.type === 'webhook')
        : [];
      if (!parsed.ok || templateErrors.length)
        return { errors: [...(parsed.ok ? [] : parsed.errors), ...templateErrors] };
      const event = {
        ...testEvent(hostname(), Date.now(), 'preview'),
        test: false,
        to,
        from: to === 'ok' ? ('warning' as const) : ('ok' as const),
      };
      const shown = applyTemplate(event, template);
      return {
        ...previewOf(channel, shown, parsed.value),
        ...(shown.custom?.body ? { body: shown.custom.body } : {}),
      };
    },
    // Filtered where the history is read, and only as far back as the page needs.
    'history.list': async ({ limit, before, ...filters }) =>
      runtime.delivery.history.list({ limit, before, keep: (r) => matchesFilters(r, filters) }),
    'history.retry': async ({ id }) => {
      const record = runtime.delivery.dispatcher.retry(id);
      if (!record)
        throw new ApiError(
          'notFound',
          `delivery ${id} cannot be retried: only failed deliveries are kept for that`,
        );
      return record;
    },
    'settings.get': async () => settingsView(),
    'settings.update': async ({ settings, launchAtLogin, validateOnly }) => {
      let warnings: string[] = [];
      if (settings) {
        const locked = runtime.settings.lockedChanges(settings as Partial<Settings>);
        if (locked.length)
          return {
            errors: locked.map((field) => ({
              field,
              message: `managed by your organisation (${runtime.settings.managed()!.file}): it cannot be changed here`,
            })),
          };
        const before = runtime.settings.get();
        const merged = runtime.settings.check(settings as Partial<Settings>, before);
        if (!merged.ok) return { errors: merged.errors };
        const loose = runtime.settings.loosened(merged.value);
        if (loose.length) return { errors: loose };
        if (validateOnly) return { ...settingsView(), settings: merged.value, warnings };
        // Only the keys the form changed: a setting saved meanwhile elsewhere (the CLI) is kept.
        let saved: Settings;
        try {
          saved = runtime.settings.update(settings as Partial<Settings>);
        } catch (error) {
          if (error instanceof SettingsRefused) return { errors: error.errors };
          throw error;
        }
        warnings = await notMountedWarnings(newlyWatched(before, saved));
      }
      if (launchAtLogin !== undefined) hooks.setLaunchAtLogin(launchAtLogin);
      const view = settingsView();
      watcher.events.emit('settings', view);
      return { ...view, warnings };
    },
    'alerts.pause': async ({ minutes }) => ({ pausedUntil: watcher.pauses.pause(minutes) }),
    'alerts.resume': async () => {
      watcher.pauses.resume();
      return { pausedUntil: null };
    },
    'alerts.snooze': async ({ mount, for: choice }) => ({
      until: watcher.pauses.snooze(mount, choice),
      warnings: mount === null ? [] : await notMountedWarnings([mount]),
    }),
    'alerts.unsnooze': async ({ mount }) => {
      watcher.pauses.unsnooze(mount);
      return { unsnoozed: true as const };
    },
  };
}
