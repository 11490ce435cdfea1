import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { describe, it } from '../helpers/node-test.js';
import { CHANNELS } from '../../shared/channels/registry.js';
import { CHECK_OPTIONS } from '../../cli/check.js';
import { HISTORY_OPTIONS } from '../../cli/history.js';
import { channelOptions, COMMON_OPTIONS } from '../../cli/integration-flags.js';
import { LIST_OPTIONS } from '../../cli/integration.js';
import { COMMANDS } from '../../cli/main.js';
import { type OptionTable } from '../../cli/options.js';
import { SERVICE_OPTIONS } from '../../cli/service.js';
import { UI_OPTIONS } from '../../cli/ui.js';
import { SETTINGS_OPTIONS } from '../../cli/settings.js';
import { SNOOZE_OPTIONS, UNSNOOZE_OPTIONS } from '../../cli/snooze.js';
import { USAGE_OPTIONS } from '../../cli/usage.js';
import { WATCH_OPTIONS } from '../../cli/watch.js';
import { runCli, tempHome } from '../helpers/cli.js';
import { repoPath } from '../helpers/root.js';

const lines = (text: string) => text.split('\n').filter(Boolean);

describe('headroom mistakes: one line, a suggestion, where to read more', () => {
  it('an unknown option is refused in one line naming the nearest option and the help, exit 2', async () => {
    const r = await runCli(['history', '--limt', '5'], await tempHome());
    assert.equal(r.code, 2);
    assert.equal(r.stdout, '');
    assert.deepEqual(lines(r.stderr), [
      'headroom: unknown option --limt; did you mean --limit? See `headroom help history`.',
    ]);
  });

  it('check keeps the Nagios code for it: 3', async () => {
    const r = await runCli(['check', '--jsno'], await tempHome());
    assert.equal(r.code, 3);
    assert.deepEqual(lines(r.stderr), [
      'headroom: unknown option --jsno; did you mean --json? See `headroom help check`.',
    ]);
  });

  it('an unknown command, or Web PaaS spelling, is refused the same way', async () => {
    const home = await tempHome();
    const typo = await runCli(['histroy'], home);
    assert.equal(typo.code, 2);
    assert.deepEqual(lines(typo.stderr), [
      'headroom: unknown command "histroy"; did you mean history? See `headroom help`.',
    ]);
    const colon = await runCli(['integration:ad', '--type', 'webhook'], home);
    assert.equal(colon.code, 2);
    assert.match(colon.stderr, /^headroom: unknown command "integration:ad"; did you mean integration:add\?/);
    const verb = await runCli(['integration', 'remvoe', 'x'], home);
    assert.equal(verb.code, 2);
    assert.deepEqual(lines(verb.stderr), [
      'headroom: unknown subcommand "remvoe"; did you mean remove? See `headroom help integration`.',
    ]);
    const help = await runCli(['help', 'snoze'], home);
    assert.equal(help.code, 2);
    assert.match(help.stderr, /did you mean snooze\?/);
  });

  it('a missing value and a value given to a switch are usage errors too', async () => {
    const home = await tempHome();
    const missing = await runCli(['watch', '--interval'], home);
    assert.equal(missing.code, 2);
    assert.deepEqual(lines(missing.stderr), [
      'headroom: --interval needs a value. See `headroom help watch`.',
    ]);
    const extra = await runCli(['settings', '--json=yes'], home);
    assert.equal(extra.code, 2);
    assert.match(extra.stderr, /^headroom: --json takes no value\./);
  });

  it('a failure of the work is exit 1, distinct from a usage error', async () => {
    const home = await tempHome();
    // Validating with nothing to validate did no work: a failure, not a mistake in the command.
    const none = await runCli(['integration', 'validate'], home);
    assert.equal(none.code, 1);
    assert.match(none.stderr, /no integrations yet/);
  });
});

describe('headroom help', () => {
  /** The tables each command's parser takes. */
  const PARSED: Record<string, OptionTable[]> = {
    check: [CHECK_OPTIONS],
    watch: [WATCH_OPTIONS],
    settings: [SETTINGS_OPTIONS],
    history: [HISTORY_OPTIONS],
    snooze: [SNOOZE_OPTIONS],
    unsnooze: [UNSNOOZE_OPTIONS],
    usage: [USAGE_OPTIONS],
    service: [SERVICE_OPTIONS],
    ui: [UI_OPTIONS],
    integration: [LIST_OPTIONS, COMMON_OPTIONS, ...CHANNELS.map(channelOptions)],
  };

  it('covers every command', () => {
    assert.deepEqual(Object.keys(PARSED).sort(), Object.keys(COMMANDS).sort());
  });

  for (const [command, tables] of Object.entries(PARSED))
    it(`headroom help ${command} lists every option its parser accepts, with its value name`, async () => {
      const r = await runCli(['help', command], await tempHome());
      assert.equal(r.code, 0, r.stderr);
      for (const table of tables)
        for (const [flag, def] of Object.entries(table)) {
          const label = def.type === 'string' ? `--${flag} ${def.value}` : `--${flag}`;
          assert.ok(r.stdout.includes(label), `${label} missing from \`headroom help ${command}\``);
          assert.ok(r.stdout.includes(def.help), `the help text of --${flag}`);
        }
      const viaFlag = await runCli([command, '--help'], await tempHome());
      assert.equal(viaFlag.stdout, r.stdout);
    });

  it('help integration lists each channel’s own options under that channel', async () => {
    const { stdout } = await runCli(['help', 'integration:add'], await tempHome());
    const sections = stdout.split(/\n {2}--type /).slice(1);
    for (const channel of CHANNELS) {
      const section = sections.find(
        (s) => s.startsWith(`${channel.type} `) || s.startsWith(`${channel.type}:`),
      );
      assert.ok(section, `no section for ${channel.type}`);
      for (const f of channel.fields) assert.match(section, new RegExp(`\\n {4}--${f.flag} `), f.flag);
    }
    for (const flag of [
      'quiet-hours',
      'quiet-critical',
      'remind-warning',
      'remind-critical',
      'text-template',
    ])
      assert.match(stdout, new RegExp(`--${flag} `));
  });

  it('integration add --type TYPE --help lists that channel’s options alone, with the common ones', async () => {
    const SECTION = /\n {2}--type ([\w.]+)(?: \([^)]*\))?:/g; // "  --type email (or smtp): E-mail"
    const home = await tempHome();
    for (const args of [['--type', 'email'], ['--type=email']]) {
      const r = await runCli(['integration', 'add', ...args, '--help'], home);
      assert.equal(r.code, 0, r.stderr);
      assert.deepEqual(
        [...r.stdout.matchAll(SECTION)].map((m) => m[1]),
        ['email'],
        'one channel',
      );
      assert.match(r.stdout, /\n {4}--to VALUE /);
      assert.match(r.stdout, /--quiet-hours /);
    }
    // An unknown type gets the whole help, where the types are listed.
    const all = await runCli(['integration', 'add', '--type', 'nope', '--help'], home);
    assert.equal([...all.stdout.matchAll(SECTION)].length, CHANNELS.length);
  });

  it('the overview documents the exit codes; --version and -V print the version', async () => {
    const home = await tempHome();
    const help = await runCli(['help'], home);
    assert.match(help.stdout, /Exit codes: 0 done; 1 the work failed .*; 2 a usage error/s);
    assert.match(help.stdout, /Nagios/);
    const { version } = JSON.parse(await readFile(repoPath('package.json'), 'utf8'));
    for (const flag of ['--version', '-V']) {
      const r = await runCli([flag], home);
      assert.equal(r.code, 0, r.stderr);
      assert.equal(r.stdout, `headroom ${version}\n`);
    }
  });
});
