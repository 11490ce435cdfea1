import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from '../helpers/node-test.js';
import { CliProcess, runCli, tempHome } from '../helpers/cli.js';
import { parseMetrics } from '../helpers/metrics.js';
import { prometheusMissing, promtool } from '../helpers/prometheus.js';
import { cannotMount, Tmpfs } from '../helpers/tmpfs.js';
import { repoPath } from '../helpers/root.js';

const noRealWatcher = prometheusMissing || (await cannotMount);
const FLEET_DOC = readFileSync(repoPath('docs/fleet.md'), 'utf8');

/** The fenced block after `<!-- fleet: NAME -->` in docs/fleet.md. */
function block(name: string): string {
  const m = new RegExp(`<!-- fleet: ${name} -->\\s*\`\`\`\\w+\\n([\\s\\S]*?)\\n\`\`\``).exec(FLEET_DOC);
  assert.ok(m, `docs/fleet.md has no block marked fleet: ${name}`);
  return m[1]!;
}

describe('docs/fleet.md, "Running on many machines"', () => {
  it('its policy loads with nothing refused, once its secret files and variables exist', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'headroom-policy-'));
    await writeFile(join(dir, 'policy.json'), block('policy'));
    await writeFile(join(dir, 'heartbeat-url'), 'https://hc-ping.com/ping-key/{host}?create=1\n');
    await writeFile(
      join(dir, 'slack-webhook-url'),
      'https://hooks.slack.com/services/T000/B000/XXXXXXXXXXXXXXXX\n',
    );
    const env = { HEADROOM_POLICY: join(dir, 'policy.json'), HEADROOM_AM_TOKEN: 'am-token-from-env' };
    const home = await tempHome();
    const list = await runCli(['integration', 'list', '--json'], home, env);
    assert.equal(list.code, 0, list.stderr);
    assert.equal(list.stderr, '', 'no part of the policy refused');
    const { integrations, problems } = JSON.parse(list.stdout);
    assert.deepEqual(problems, []);
    assert.deepEqual(
      integrations.map((i: { id: string; managed: boolean }) => [i.id, i.managed]),
      [
        ['ops-alertmanager', true],
        ['ops-slack', true],
      ],
    );
    const settings = await runCli(['settings'], home, env);
    assert.match(settings.stdout, /^warningPercent = 15 {2}\(managed\)$/m);
    assert.match(settings.stdout, /^heartbeatUrl = https:\/\/hc-ping\.com\/•••••• {2}\(managed\)$/m);
  });

  it('its Prometheus config and alert rules pass promtool', { skip: prometheusMissing }, async () => {
    const dir = await mkdtemp(join(tmpdir(), 'headroom-prom-'));
    await writeFile(join(dir, 'prometheus.yml'), block('prometheus'));
    await writeFile(join(dir, 'headroom-rules.yml'), block('rules'));
    const rules = await promtool(['check', 'rules', join(dir, 'headroom-rules.yml')]);
    assert.equal(rules.code, 0, rules.output);
    const config = await promtool(['check', 'config', join(dir, 'prometheus.yml')]);
    assert.equal(config.code, 0, config.output);
  });

  it(
    'its rules, run over what a real watcher serves, fire for a critical disk and for nothing else',
    { skip: noRealWatcher },
    async () => {
      const disk = await Tmpfs.mount(20);
      const w = new CliProcess(
        ['watch', '--json', '--interval', '60', '--mount', disk.dir, '--metrics', '127.0.0.1:0'],
        await tempHome(),
      );
      try {
        await disk.setFreePercent(5);
        const url = /Prometheus metrics at (\S+)/.exec(await w.waitForStderr(/Prometheus metrics at/))![1]!;
        assert.equal((await w.transition(1)).to, 'critical');
        const page = await (await fetch(url)).text();
        // Each sample held for an hour, labelled as Prometheus labels a target.
        const series = parseMetrics(page).map((s) => {
          const labels = { ...s.labels, instance: 'ws-017.example.com:9484', job: 'headroom' };
          const text = Object.entries(labels)
            .map(([k, v]) => `${k}=${JSON.stringify(v)}`)
            .join(',');
          return { series: `${s.name}{${text}}`, values: `${s.value}x60` };
        });
        const dir = await mkdtemp(join(tmpdir(), 'headroom-prom-'));
        await writeFile(join(dir, 'headroom-rules.yml'), block('rules'));
        await writeFile(
          join(dir, 'test.yml'),
          JSON.stringify({
            rule_files: ['headroom-rules.yml'],
            evaluation_interval: '1m',
            tests: [
              {
                interval: '1m',
                input_series: series,
                promql_expr_test: [
                  {
                    expr: 'count by (alertname, mountpoint, kind) (ALERTS{alertstate="firing"})',
                    eval_time: '30m',
                    exp_samples: [
                      {
                        labels: `{alertname="HeadroomDiskCritical",kind="space",mountpoint=${JSON.stringify(disk.dir)}}`,
                        value: 1,
                      },
                    ],
                  },
                ],
              },
            ],
          }),
        );
        const tested = await promtool(['test', 'rules', join(dir, 'test.yml')]);
        assert.equal(tested.code, 0, tested.output);
      } finally {
        await w.stop('SIGKILL');
        await disk.dispose();
      }
    },
  );
});
