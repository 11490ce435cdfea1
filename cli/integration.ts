import { channelFor, CHANNEL_TYPES } from '../shared/channels/registry.js';
import { withAnswer } from '../shared/http-outcome.js';
import type { DeliveryRecord } from '../shared/history.js';
import type { Integration } from '../shared/integration.js';
import { maskedConfig } from '../shared/mask.js';
import { secretValues } from '../shared/channels/channel.js';
import { protocolOf } from '../shared/channels/protocols.js';
import { checkLevel, type CheckReport, type SaveResult } from '../core/delivery/integration-service.js';
import { SaveConflict, type IntegrationProblem } from '../core/delivery/integration-store.js';
import { parseArgs } from '../core/builtins.js';
import { openContext, type CliIO } from './context.js';
import { UserError } from './errors.js';
import { newlyNamed } from '../shared/settings.js';
import { warnNotMounted } from './mounts.js';
import { visible } from './escape.js';
import type { CommandHelp } from './help.js';
import { flagErrors, integrationOptionsHelp, readIntegrationFlags } from './integration-flags.js';
import { closest, optionsHelp, parseOptions, type OptionTable } from './options.js';
import { INTEGRATION_VERBS, VERB_ALIASES, VERBS } from './integration-verbs.js';
import { sampleTestDisk } from '../core/test-disk.js';
import { list, NO_INTEGRATIONS } from './integration-list.js';

export const LIST_OPTIONS = {
  json: {
    type: 'boolean',
    short: 'j',
    help: 'print JSON: {integrations, problems} for list, the integration for get',
  },
} as const satisfies OptionTable;
const NO_OPTIONS = {} satisfies OptionTable;

export const integrationHelp: CommandHelp = {
  usage: [
    'headroom integration add --type TYPE [options]   prints the new id; --no-check saves without asking the receiver',
    'headroom integration list [--json]',
    'headroom integration get ID [--json]',
    "headroom integration edit ID [options]           an empty value (--shared-key '') removes that setting",
    'headroom integration enable|disable|remove ID',
    'headroom integration validate [ID]               ask the receiver to confirm the configuration, without an alert',
    '                                                 (✔ checked and fine, ✘ checked and wrong, ○ nothing to check without an alert)',
    'headroom integration test [ID]                   send a clearly labelled test notification',
  ],
  about: `Where alerts go. Without an ID, validate and test go through every integration. The Web PaaS
CLI's spellings work too: integration:add, integration:list, integration:get, integration:update
(edit), integration:delete (remove), integration:validate.`,
  more: `Options of list and get:\n${optionsHelp(LIST_OPTIONS)}\n\n${integrationOptionsHelp()}`,
  // `integration add --type email --help`: the options of that channel alone, not all twelve.
  narrowed(args) {
    const at = args.findIndex((a) => a === '--type' || a.startsWith('--type='));
    const type = at < 0 ? undefined : args[at]!.startsWith('--type=') ? args[at]!.slice(7) : args[at + 1];
    const channel = type === undefined ? undefined : channelFor(type);
    return channel && { ...integrationHelp, more: integrationOptionsHelp(channel) };
  },
};

export async function integrationCommand(argv: string[], io: CliIO): Promise<number> {
  const [given, ...rest] = argv;
  if (given === undefined) throw new UserError(`give a subcommand: ${VERBS.join(', ')}.`);
  const verb = VERB_ALIASES[given] ?? VERBS.find((v) => v === given);
  if (verb === undefined) {
    const near = closest(given, INTEGRATION_VERBS);
    throw new UserError(`unknown subcommand "${visible(given)}"${near ? `; did you mean ${near}?` : ''}`);
  }
  // What can be refused without the data directory is refused before it is opened.
  const plain = verb === 'list' || verb === 'get' ? LIST_OPTIONS : NO_OPTIONS;
  const { values, positionals } =
    verb === 'add' || verb === 'edit' ? { values: {}, positionals: [] } : parseOptions(plain, rest, true);
  const json = (values as { json?: boolean }).json ?? false;
  const ctx = openContext(io);
  try {
    const service = ctx.delivery.service;
    switch (verb) {
      case 'add': {
        const type = typeFlag(rest);
        const channel = channelFor(type);
        if (!channel)
          throw new UserError(`--type ${type}: unknown channel. Types: ${CHANNEL_TYPES().join(', ')}.`);
        const { input, check } = readIntegrationFlags(channel, rest, false, io);
        const hadSecrets = service.list().integrations.some(holdsSecret);
        const result = await service.create({ ...input, type }, { check });
        if (!result.ok) return reportRefusal(result, channel.type, io);
        reportCheck(result, io);
        io.out(result.integration.id);
        io.err(
          `headroom: added ${channel.label} integration "${visible(result.integration.name)}" (${result.integration.id}).`,
        );
        // Said when it first matters; `integration list` says it again under its table.
        if (!hadSecrets && holdsSecret(result.integration) && !ctx.delivery.integrations.sealsSecrets)
          io.err(`headroom: ${ctx.delivery.integrations.secretsDescription}`);
        await warnNotMounted(io, result.integration.mounts);
        return 0;
      }
      case 'edit': {
        const current = service.get(oneId(rest.slice(0, 1), 'required')!);
        if (!current)
          throw new UserError(
            `no integration with id ${visible(rest[0]!)}. See \`headroom integration list\`.`,
          );
        const { input, check } = readIntegrationFlags(channelFor(current.type)!, rest.slice(1), false, io);
        let result;
        try {
          result = await service.update(current.id, input, { check });
        } catch (error) {
          if (!(error instanceof SaveConflict)) throw error;
          io.err(`headroom: ${error.message}`);
          return 1;
        }
        if ('missing' in result) {
          io.err(`headroom: ${current.id} was removed meanwhile; nothing saved.`);
          return 1;
        }
        if (!result.ok) return reportRefusal(result, current.type, io);
        reportCheck(result, io);
        io.err(`headroom: saved "${visible(result.integration.name)}" (${result.integration.id}).`);
        await warnNotMounted(io, newlyNamed(current.mounts, result.integration.mounts));
        return 0;
      }
      case 'list': {
        oneId(positionals, 'none');
        const { integrations } = ctx.delivery;
        const all = service.list();
        const note = !integrations.sealsSecrets && all.integrations.some(holdsSecret);
        return list(
          json,
          all,
          io,
          !!integrations.managedBy(),
          note ? integrations.secretsDescription : undefined,
        );
      }
      case 'get': {
        const id = oneId(positionals, 'required')!;
        const found = service.get(id);
        if (!found)
          throw new UserError(`no integration with id ${visible(id)}. See \`headroom integration list\`.`);
        const shown = { ...found, config: maskedConfig(channelFor(found.type)!, found.config) };
        if (json) io.out(JSON.stringify(shown, null, 2));
        else for (const [key, value] of flatten(shown)) io.out(`${key} = ${visible(value)}`);
        return 0;
      }
      case 'enable':
      case 'disable': {
        const id = oneId(positionals, 'required')!;
        if (!(await service.setEnabled(id, verb === 'enable')))
          throw new UserError(`no integration with id ${visible(id)}.`);
        io.err(`headroom: ${id} ${verb}d.`);
        return 0;
      }
      case 'remove': {
        const id = oneId(positionals, 'required')!;
        if (!service.remove(id)) throw new UserError(`no integration with id ${visible(id)}.`);
        io.err(`headroom: ${id} removed.`);
        return 0;
      }
      case 'validate':
        return await forEach(oneId(positionals, 'optional'), io, service.list(), async (i) => {
          const report = await service.check(i);
          io.out(
            `${CHECK_MARKS[checkLevel(report)]} ${visible(i.name)} (${i.id}): ${visible(describeCheck(report, i.type))}`,
          );
          return checkLevel(report) !== 'failed';
        });
      case 'test':
        return await forEach(oneId(positionals, 'optional'), io, service.list(), async (i) => {
          const disk = await sampleTestDisk(i.mounts, ctx.settings.get());
          const record = await service.test(i, disk, (says) =>
            io.err(`headroom: ${visible(i.name)}: ${says}…`),
          );
          io.out(
            `${mark(record.outcome === 'delivered')} ${visible(i.name)} (${i.id}): ${visible(describeTest(record))}`,
          );
          return record.outcome === 'delivered';
        });
    }
  } finally {
    await ctx.close();
  }
}

/** `--type` is read first: it decides which other options exist. */
function typeFlag(argv: string[]): string {
  const { values } = parseArgs({
    args: argv,
    options: { type: { type: 'string' } },
    strict: false,
    allowPositionals: true,
  });
  if (typeof values.type !== 'string')
    throw new UserError(`--type is required: one of ${CHANNEL_TYPES().join(', ')}.`);
  return values.type;
}

/**
 * The ID argument. An empty one is a mistake (a script's unset variable), never "all": only no
 * ID at all means every integration.
 */
function oneId(positionals: string[], want: 'none' | 'optional' | 'required'): string | undefined {
  const [id, ...more] = positionals;
  if (want === 'none' && id !== undefined) throw new UserError(`unexpected argument "${visible(id)}"`);
  if (more.length) throw new UserError(`give one integration id, not ${positionals.length}.`);
  if (id === undefined) {
    if (want !== 'required') return undefined;
    throw new UserError('give the integration id (see `headroom integration list`).');
  }
  if (id.trim() === '')
    throw new UserError(
      `the integration id is empty${want === 'optional' ? '; give one, or none at all to go through every integration' : ''}.`,
    );
  return id;
}

/** What the receiver's check after a save found, or that there was nothing to check. */
function reportCheck(result: Extract<SaveResult, { ok: true }>, io: CliIO): void {
  for (const line of [describeCheck(result.check, result.integration.type), ...result.notes])
    io.err(`headroom: ${visible(line)}`);
}

/**
 * Nothing saved. Settings the rules refuse are a usage error (2), as for `settings set`; a
 * receiver that did not pass validation is a failure of the work (1).
 */
function reportRefusal(result: Extract<SaveResult, { ok: false }>, type: string, io: CliIO): number {
  if ('errors' in result) {
    io.err(`headroom: not saved, the settings need fixing:\n${flagErrors(channelFor(type), result.errors)}`);
    return 2;
  }
  io.err(
    `headroom: not saved, the receiver did not pass validation: ${visible(describeCheck(result.check, channelFor(type)?.type))}\n` +
      'headroom: to save it anyway (the receiver is down for now, say), add --no-check.',
  );
  return 1;
}

/** `config.url`, `reminders.warningHours`: one line per value of a nested object. */
function flatten(value: unknown, prefix = ''): [string, string][] {
  if (value !== null && typeof value === 'object' && !Array.isArray(value))
    return Object.entries(value).flatMap(([k, v]) => flatten(v, prefix ? `${prefix}.${k}` : k));
  if (Array.isArray(value)) return [[prefix, value.map(String).join(',')]];
  return [[prefix, String(value)]];
}

/** "text (HTTP 200, 85 ms)": what was said, with the answer's status and time where known. */
function describeCheck(r: CheckReport, type: string | undefined): string {
  const text = r.outcome.kind === 'delivered' ? (r.outcome.note ?? 'ok') : r.outcome.message;
  return withAnswer(text, r.status, r.latencyMs, protocolOf(type));
}

function describeTest(r: DeliveryRecord): string {
  const last = r.attempts.at(-1);
  // A delivered test can have a reason too: the template failed and Headroom's own message went.
  const said =
    r.outcome === 'delivered'
      ? `test notification delivered${r.reason ? `; ${r.reason}` : ''}`
      : `failed: ${r.reason}`;
  return withAnswer(said, last?.status, last?.latencyMs, protocolOf(r.channel));
}

/** Whether an integration keeps a secret (a token, a key, a webhook URL that is one). */
const holdsSecret = (i: Integration) => secretValues(channelFor(i.type)!, i.config).length > 0;

export type Loaded = { integrations: Integration[]; problems: IntegrationProblem[] };
const mark = (ok: boolean) => (ok ? '✔' : '✘');
/** Validate's three answers: nothing checkable is not a green tick. */
const CHECK_MARKS = { ok: '✔', failed: '✘', unchecked: '○' } as const;

async function forEach(
  id: string | undefined,
  io: CliIO,
  all: Loaded,
  run: (i: Integration) => Promise<boolean>,
): Promise<number> {
  const chosen = id ? all.integrations.filter((i) => i.id === id) : all.integrations;
  const broken = id ? all.problems.filter((p) => p.id === id) : all.problems;
  if (id && chosen.length === 0 && broken.length === 0)
    throw new UserError(`no integration with id ${visible(id)}.`);
  if (chosen.length === 0 && broken.length === 0) {
    io.err(NO_INTEGRATIONS);
    return 1;
  }
  let ok = true;
  for (const p of broken) {
    io.out(`✘ ${visible(p.name)} (${visible(p.id)}): cannot be loaded: ${visible(p.message)}`);
    ok = false;
  }
  for (const i of chosen) ok = (await run(i)) && ok;
  return ok ? 0 : 1;
}
