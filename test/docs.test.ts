import { pathToFileURL } from 'node:url';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { describe, it } from './helpers/node-test.js';
import { WEB_UI_LIMITS } from '../core/web-ui.js';
import { DEFAULT_SETTINGS, SETTING_KEYS } from '../shared/settings.js';
import { claimedFigures, reportRows, rowProblems } from './helpers/report.js';
import { ROOT } from './helpers/root.js';

const root = pathToFileURL(`${ROOT}/`);
const quoted = (s: string) => new RegExp(`['"]${s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}['"]`);

describe('docs/reliability.md', () => {
  const rows = reportRows();

  it('has rows, each naming the test file that produces it, and that file reports the row', () => {
    assert.ok(rows.length > 0);
    for (const row of rows) {
      const file = new URL(row.test, root);
      assert.ok(existsSync(file), `"${row.fault}" names ${row.test}, which does not exist`);
      const source = readFileSync(file, 'utf8');
      assert.match(
        source,
        new RegExp(`assertReported\\(\\s*${quoted(row.fault).source}`),
        `${row.test} does not call assertReported('${row.fault}', …)`,
      );
      // Each figure the row claims is handed to assertReported by that test, which fails if the
      // figure it measured differs: no bold figure goes unchecked.
      for (const what of claimedFigures(row.result).keys())
        assert.match(
          source,
          new RegExp(`(${quoted(what).source}|\\b${what}):`),
          `"${row.fault}" claims "${what}", which ${row.test} does not measure`,
        );
    }
  });

  it('a row whose count or figure is wrong is caught, and a right one passes', () => {
    const withFigures = rows.filter((r) => claimedFigures(r.result).size > 0);
    assert.ok(withFigures.length >= 5, 'rows state what their tests measured');
    for (const row of withFigures) {
      const figures = Object.fromEntries(claimedFigures(row.result));
      const cases = Number(row.cases.replace(/,/g, ''));
      assert.deepEqual(rowProblems(row, cases, figures), []);
      assert.notDeepEqual(rowProblems(row, cases + 1, figures), [], `${row.fault}: a wrong count`);
      for (const [what, n] of Object.entries(figures)) {
        const wrong = {
          ...row,
          result: row.result.replace(`**${n.toLocaleString('en-US')} ${what}**`, `**${n + 1} ${what}**`),
        };
        assert.deepEqual(rowProblems(wrong, cases, figures), [
          `says ${n + 1} ${what}, the test measured ${n.toLocaleString('en-US')}`,
        ]);
        const unclaimed = { ...figures, 'figure the row never states': 1 };
        assert.equal(
          rowProblems(row, cases, unclaimed).length,
          1,
          `${row.fault}: a measured figure not in the row`,
        );
      }
    }
  });
});

describe('docs/', () => {
  const doc = (name: string) => readFileSync(new URL(`docs/${name}`, root), 'utf8');

  it("states each setting's default as the settings schema has it", () => {
    const table = [...doc('cli.md').matchAll(/^\| `(\w+)` +\| ([^|]+?) +\|/gm)].filter(([, key]) =>
      SETTING_KEYS.includes(key as never),
    );
    assert.ok(table.length >= 20, `${table.length} settings in docs/cli.md's table`);
    for (const [, key, written] of table) {
      const value = DEFAULT_SETTINGS[key as keyof typeof DEFAULT_SETTINGS];
      const expected = typeof value === 'object' && value !== null ? '(none)' : String(value);
      assert.equal(written, expected, `docs/cli.md's default of ${key}`);
    }
  });

  it("states the web UI's limits as its server applies them", () => {
    const { connections, eventStreams, headersTimeoutMs, streamBacklogBytes } = WEB_UI_LIMITS;
    const said = new RegExp(
      `at most ${connections} connections and\\s+${eventStreams} event streams at once, closes a connection ` +
        `that has not sent its request within ${headersTimeoutMs / 1000} s, drops an\\s+event stream whose ` +
        `client stopped reading \\(${streamBacklogBytes / 1024 ** 2} MB waiting\\)`,
    );
    assert.match(doc('web-ui.md'), said);
  });

  it('words the flapping rule with the default settings', () => {
    const { flappingChanges, flappingWindowMinutes, flappingSettleMinutes } = DEFAULT_SETTINGS;
    assert.equal(flappingWindowMinutes, 60, 'docs/noise-control.md says "within an hour"');
    const noise = doc('noise-control.md');
    assert.match(
      noise,
      new RegExp(
        `changed state more than ${flappingChanges} times within an hour is held until it has\\s+` +
          `kept one state for ${flappingSettleMinutes} minutes, so every integration's last message matches the disk within ${flappingSettleMinutes}\\s+minutes`,
      ),
    );
    assert.match(noise, new RegExp(`at most ${flappingChanges} an hour,\\s+one saying it is cycling`));
    assert.match(noise, new RegExp(`sent ${flappingChanges + 1} notifications, not 288`));
  });
});
