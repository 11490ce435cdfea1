import { parseArgs } from 'node:util';
import { channelFor, CHANNEL_TYPES } from '../../shared/channels/registry.js';
import type { DeliveryRecord } from '../../shared/history.js';
import type { Integration } from '../../shared/integration.js';
import { maskedConfig } from '../../shared/mask.js';
import type { CheckReport, SaveResult } from '../core/delivery/integration-service.js';
import { SaveConflict, type IntegrationProblem } from '../core/delivery/integration-store.js';
import { openContext, type CliIO } from './context.js';
import { UserError } from './errors.js';
import { warnNotMounted } from './mounts.js';
import { newlyNamed } from '../../shared/settings.js';
import { flagErrors, integrationHelp, readIntegrationFlags } from './integration-flags.js';
import { renderTable } from './table.js';
import { sampleTestDisk } from '../core/test-disk.js';

export const integrationUsage = `headroom integration add --type TYPE [--name N] [--mounts /,/home] [--severity all+unreachable|all|critical] [--disabled] [channel options]
headroom integration list [--json]
headroom integration edit ID [options]     (an empty value, --shared-key '', removes that setting)
headroom integration enable|disable|remove ID
headroom integration validate [ID]         ask the receiver to confirm the configuration, without an alert
headroom integration test [ID]             send a clearly labelled test notification

Channel options:
${integrationHelp()}`;

export async function integrationCommand(argv: string[], io: CliIO): Promise<number> {
  const [verb, ...rest] = argv;
  const ctx = openContext(io);
  try {
    const service = ctx.delivery.service;
    switch (verb) {
      case 'add': {
        const type = typeFlag(rest);
        const channel = channelFor(type);
        if (!channel)
          throw new UserError(`--type ${type}: unknown channel. Types: ${CHANNEL_TYPES().join(', ')}.`);
        const { input } = readIntegrationFlags(channel, rest, false);
        const result = await service.create({ ...input, type });
        if (!reportSave(result, channel.type, io)) return 1;
        io.out(result.integration.id);
        io.err(
          `headroom: added ${channel.label} integration "${result.integration.name}" (${result.integration.id}).`,
        );
        io.err(`headroom: ${ctx.delivery.integrations.secretsDescription}`);
        await warnNotMounted(io, result.integration.mounts);
        return 0;
      }
      case 'edit': {
        const current = service.get(requireId(rest[0]));
        if (!current)
          throw new UserError(`no integration with id ${rest[0]}. See \`headroom integration list\`.`);
        const { input } = readIntegrationFlags(channelFor(current.type)!, rest.slice(1), false);
        let result;
        try {
          result = await service.update(current.id, input);
        } catch (error) {
          if (!(error instanceof SaveConflict)) throw error;
          io.err(`headroom: ${error.message}`);
          return 1;
        }
        if ('missing' in result || !reportSave(result, current.type, io)) return 1;
        io.err(`headroom: saved "${result.integration.name}" (${result.integration.id}).`);
        await warnNotMounted(io, newlyNamed(current.mounts, result.integration.mounts));
        return 0;
      }
      case 'list':
        return list(rest, ctx.delivery.service.list(), io);
      case 'enable':
      case 'disable': {
        const id = requireId(rest[0]);
        if (!(await service.setEnabled(id, verb === 'enable')))
          throw new UserError(`no integration with id ${id}.`);
        io.err(`headroom: ${id} ${verb}d.`);
        return 0;
      }
      case 'remove': {
        const id = requireId(rest[0]);
        if (!service.remove(id)) throw new UserError(`no integration with id ${id}.`);
        io.err(`headroom: ${id} removed.`);
        return 0;
      }
      case 'validate':
        return await forEach(rest[0], io, ctx.delivery.service.list(), async (i) => {
          const report = await service.check(i);
          io.out(
            `${mark(report.outcome.kind === 'delivered')} ${i.name} (${i.id}): ${describeCheck(report)}`,
          );
          return report.outcome.kind === 'delivered';
        });
      case 'test':
        return await forEach(rest[0], io, ctx.delivery.service.list(), async (i) => {
          const record = await service.test(i, await sampleTestDisk(i.mounts, ctx.settings.get()));
          io.out(`${mark(record.outcome === 'delivered')} ${i.name} (${i.id}): ${describeTest(record)}`);
          return record.outcome === 'delivered';
        });
      default:
        throw new UserError(`usage:\n${integrationUsage}`);
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

function requireId(id: string | undefined): string {
  if (!id) throw new UserError('give the integration id (see `headroom integration list`).');
  return id;
}

function reportSave(
  result: SaveResult,
  type: string,
  io: CliIO,
): result is Extract<SaveResult, { ok: true }> {
  if (result.ok) {
    if (result.check.checked) io.err(`headroom: ${describeCheck(result.check)}`);
    return true;
  }
  if ('errors' in result)
    io.err(`headroom: not saved, the settings need fixing:\n${flagErrors(channelFor(type), result.errors)}`);
  else io.err(`headroom: not saved, the receiver did not pass validation: ${describeCheck(result.check)}`);
  return false;
}

function describeCheck(r: CheckReport): string {
  const meta = [
    r.status === undefined ? undefined : `HTTP ${r.status}`,
    r.latencyMs === undefined ? undefined : `${r.latencyMs} ms`,
  ]
    .filter(Boolean)
    .join(', ');
  const text = r.outcome.kind === 'delivered' ? (r.outcome.note ?? 'ok') : r.outcome.message;
  return meta ? `${text} (${meta})` : text;
}

function describeTest(r: DeliveryRecord): string {
  const last = r.attempts.at(-1);
  const meta = [
    last?.status === undefined ? undefined : `HTTP ${last.status}`,
    last ? `${last.latencyMs} ms` : undefined,
  ]
    .filter(Boolean)
    .join(', ');
  // A delivered test can have a reason too: the template failed and Headroom's own message went.
  const said =
    r.outcome === 'delivered'
      ? `test notification delivered${r.reason ? `; ${r.reason}` : ''}`
      : `failed: ${r.reason}`;
  return `${said}${meta ? ` (${meta})` : ''}`;
}

type Loaded = { integrations: Integration[]; problems: IntegrationProblem[] };

const mark = (ok: boolean) => (ok ? '✔' : '✘');

async function forEach(
  id: string | undefined,
  io: CliIO,
  all: Loaded,
  run: (i: Integration) => Promise<boolean>,
): Promise<number> {
  const chosen = id ? all.integrations.filter((i) => i.id === id) : all.integrations;
  const broken = id ? all.problems.filter((p) => p.id === id) : all.problems;
  if (id && chosen.length === 0 && broken.length === 0) throw new UserError(`no integration with id ${id}.`);
  if (chosen.length === 0 && broken.length === 0) {
    io.err('headroom: no integrations yet. Add one with `headroom integration add --type webhook --url …`.');
    return 1;
  }
  let ok = true;
  for (const p of broken) {
    io.out(`✘ ${p.name} (${p.id}): cannot be loaded: ${p.message}`);
    ok = false;
  }
  for (const i of chosen) ok = (await run(i)) && ok;
  return ok ? 0 : 1;
}

function list(argv: string[], all: Loaded, io: CliIO): number {
  const { values } = parseArgs({ args: argv, options: { json: { type: 'boolean' } }, strict: true });
  const shown = all.integrations.map((i) => ({ ...i, config: maskedConfig(channelFor(i.type)!, i.config) }));
  if (values.json) {
    io.out(JSON.stringify({ integrations: shown, problems: all.problems }, null, 2));
    return 0;
  }
  if (shown.length === 0 && all.problems.length === 0) {
    io.err('headroom: no integrations yet. Add one with `headroom integration add --type webhook --url …`.');
    return 0;
  }
  const rows = shown.map((i) => [
    i.id,
    i.name,
    i.type,
    i.enabled ? 'yes' : 'no',
    i.mounts.length ? i.mounts.join(',') : 'all',
    i.severity,
    Object.entries(i.config)
      .map(([k, v]) => `${k}=${Array.isArray(v) ? v.join('|') : String(v)}`)
      .join(' '),
  ]);
  io.out(renderTable(['ID', 'Name', 'Type', 'Enabled', 'Disks', 'Severity', 'Settings'], rows));
  for (const p of all.problems)
    io.err(`headroom: integration ${p.id} (${p.name}) cannot be loaded: ${p.message}`);
  return 0;
}
