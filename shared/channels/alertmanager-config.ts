/**
 * What Headroom reads of an Alertmanager's own configuration: the YAML its /api/v2/status reports
 * (`config.original`, as Alertmanager writes it back out, defaults filled in). Only the routes'
 * group_wait matters, so a few lines of reading do instead of a YAML parser.
 */

/** Alertmanager's group_wait where a configuration sets none (its documented default). */
const DEFAULT_GROUP_WAIT_MS = 30_000;

const UNITS: Record<string, number> = {
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3600_000,
  d: 86_400_000,
  w: 7 * 86_400_000,
  y: 365 * 86_400_000,
};

/** A Prometheus duration as Alertmanager writes it ("30s", "1m30s", "500ms"), or null. */
export function parseDuration(text: string): number | null {
  if (!/^(\d+(ms|[smhdwy]))+$/.test(text)) return null;
  let total = 0;
  for (const [, n, unit] of text.matchAll(/(\d+)(ms|[smhdwy])/g)) total += Number(n) * UNITS[unit!]!;
  return total;
}

/**
 * The longest group_wait any route sets (Alertmanager's default where the top route sets none,
 * since every route without its own inherits that one), or null when the text has no routes:
 * a new group is notified that long after its first alert, so an alert resolved sooner is never
 * told to its receivers.
 */
export function longestGroupWait(yaml: string): number | null {
  const lines = yaml.split('\n');
  const top = lines.findIndex((l) => /^route:\s*$/.test(l));
  if (top < 0) return null;
  const waits: number[] = [];
  let rootIndent: number | undefined;
  let rootSets = false;
  for (const line of lines.slice(top + 1)) {
    if (!line.trim()) continue;
    const indent = line.length - line.trimStart().length;
    if (indent === 0) break; // the next top-level key: the routes are over
    rootIndent ??= indent;
    const match = /^(\s*)(- )?group_wait:\s*["']?([0-9a-z]+)["']?\s*$/.exec(line);
    const ms = match ? parseDuration(match[3]!) : null;
    if (ms === null) continue;
    waits.push(ms);
    if (indent === rootIndent && !match![2]) rootSets = true;
  }
  if (!rootSets) waits.push(DEFAULT_GROUP_WAIT_MS);
  return Math.max(...waits);
}
