// `npm run soak`: the crash loop of test/core/crash-loop.test.ts, SOAK_RUNS times (default
// 200): kill -9 of `headroom watch` at random points while deliveries are pending, then a summary.
// Needs root (a real tmpfs). SOAK_SEED=… replays the kill points of an earlier soak.
import { crashLoop } from '../test/helpers/crash-loop.js';
import { cannotMount } from '../test/helpers/tmpfs.js';
import { makePki } from '../test/helpers/tls.js';

const skip = await cannotMount;
if (skip) {
  console.error(`soak: cannot run: ${skip}`);
  process.exit(1);
}
const runs = Number(process.env.SOAK_RUNS ?? 200);
const seed = Number(process.env.SOAK_SEED ?? Math.floor(Math.random() * 2 ** 31));
console.error(`soak: ${runs} runs, seed ${seed} (SOAK_SEED=${seed} replays it)`);
const started = performance.now();
const r = await crashLoop({ runs, seed, pki: await makePki(), log: (line) => console.error(line) });
const rows: [string, string | number][] = [
  ['date', new Date().toISOString().slice(0, 10)],
  ['seed', r.seed],
  ['runs', r.runs],
  ['kills', r.kills],
  ['alerts (changes owed, 2 integrations)', r.alerts],
  ['delivered', r.delivered],
  ['lost', r.lost],
  ['duplicates (same change, another key)', r.duplicates],
  ['corrupt files', r.corrupt],
  ['at-least-once re-sends (same key)', r.resends],
  ['no net change after a restart: not sent', r.silent],
  ['minutes', ((performance.now() - started) / 60_000).toFixed(1)],
];
for (const [name, value] of rows) console.log(`${name.padEnd(40)} ${value}`);
for (const problem of r.problems) console.log(`problem: ${problem}`);
if (r.problems.length) console.log(`data directory kept at ${r.home}`);
process.exitCode = r.problems.length ? 1 : 0;
