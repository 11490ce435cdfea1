import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, it } from '../helpers/node-test.js';

const MiB = 1024 * 1024;
const module = fileURLToPath(new URL('../../core/usage/peak-rss.js', import.meta.url));
const script = `import(${JSON.stringify(module)}).then((m) => console.log(m.peakRss(), process.resourceUsage().maxRSS * 1024))`;

/** What a scan reports as its peak memory (core/usage/peak-rss.ts): the scanner's own. */
describe("a scanner's peak memory", { skip: process.platform !== 'linux' && 'VmHWM is Linux-only' }, () => {
  it('is its own, not the size of the process that started it', () => {
    // This process grows past 200 MB, then starts a child as the watcher starts a scanner.
    const ballast = Buffer.alloc(200 * MiB, 1);
    const [own, maxRss] = execFileSync(process.execPath, ['-e', script], { encoding: 'utf8' })
      .trim()
      .split(' ')
      .map(Number);
    assert.ok(ballast.length > 0);
    assert.ok(
      maxRss! >= 200 * MiB,
      `getrusage keeps the parent's mark (${maxRss! / MiB} MiB): the bug this avoids`,
    );
    assert.ok(own! < 120 * MiB, `a bare Node reports ${(own! / MiB).toFixed(1)} MiB`);
    assert.ok(own! > 10 * MiB);
  });
});
