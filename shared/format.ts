const UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'];

/** Binary units, three significant figures: what `df -h` shows, with units spelled out. */
export function formatBytes(bytes: number): string {
  let value = bytes;
  let unit = 0;
  while (Math.abs(value) >= 1024 && unit < UNITS.length - 1) {
    value /= 1024;
    unit++;
  }
  const digits = unit === 0 || value >= 100 ? 0 : value >= 10 ? 1 : 2;
  return `${value.toFixed(digits)} ${UNITS[unit]}`;
}

/**
 * Rounded for people and JSON alike: two decimals say more than any threshold needs — but never
 * rounded onto a whole number the figure is not (thresholds are whole numbers, usually): 19.999
 * stays 19.999, below 20.
 */
export function roundPercent(p: number): number {
  const r = Math.round(p * 100) / 100;
  if (!Number.isInteger(r) || r === p) return r;
  const fine = Math.round(p * 1e6) / 1e6;
  return fine === r ? p : fine;
}

/**
 * The one way a percentage is shown to a person: never rounded across one of `limits` (the
 * disk's thresholds, see percentLimits). 19.99 % free against a 20 % threshold is "19.99%",
 * 19.999 % is "< 20%" — never "20.0%", which would read as not below it. `digits` are the
 * precisions tried in turn (the tray's menu wants whole percents: `[0]`, so 19.6 is "< 20%").
 */
export function formatPercent(
  p: number,
  limits: readonly number[],
  digits: readonly number[] = [1, 2],
): string {
  const crosses = (shown: number) => limits.find((t) => (p < t && shown >= t) || (p > t && shown <= t));
  for (const d of digits) {
    const shown = Number(p.toFixed(d));
    if (crosses(shown) === undefined) return `${p.toFixed(d)}%`;
  }
  const t = crosses(Number(p.toFixed(digits.at(-1))))!;
  return `${p < t ? '<' : '>'} ${Number(t.toFixed(2))}%`;
}

/**
 * The one way Headroom shows a moment, in the window and the CLI alike: local time with its zone
 * (`2026-11-29 17:31:29 GMT+1`), so that a time read off the screen can be compared with a log;
 * `utc` gives ISO 8601 instead (`--utc`, for scripts and for people on other zones).
 * `seconds: false` drops the seconds where minutes are all that matter (a snooze's end).
 */
export function formatTime(
  at: number,
  o: { utc?: boolean; seconds?: boolean; timeZone?: string } = {},
): string {
  if (o.utc) return new Date(at).toISOString().replace(/\.\d+Z$/, 'Z');
  const parts = Object.fromEntries(
    timeFormat(o.timeZone)
      .formatToParts(at)
      .map((p) => [p.type, p.value]),
  );
  const time = `${parts.hour}:${parts.minute}${o.seconds === false ? '' : `:${parts.second}`}`;
  return `${parts.year}-${parts.month}-${parts.day} ${time} ${parts.timeZoneName}`;
}

/**
 * One formatter per time zone: making one costs about a millisecond, so a table of 10,000 times
 * made afresh each time spent its seconds here.
 */
const TIME_FORMATS = new Map<string | undefined, Intl.DateTimeFormat>();
function timeFormat(timeZone: string | undefined): Intl.DateTimeFormat {
  let format = TIME_FORMATS.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      hourCycle: 'h23',
      timeZoneName: 'short',
    });
    TIME_FORMATS.set(timeZone, format);
  }
  return format;
}

/** How long ago (or from now) `at` is, in words: "just now", "5 min ago", "in 3 h", "2 days ago". */
export function formatRelative(at: number, now: number): string {
  if (Math.abs(at - now) < 45_000) return 'just now';
  const amount = formatDuration(Math.abs(at - now));
  return at < now ? `${amount} ago` : `in ${amount}`;
}

/**
 * The one way a span of time is shown to a person — messages, forecasts, the CLI, the tray and
 * the window: "45 s", "12 min", "1.5 h", "14 h", "3 days". Milliseconds in, as Date.now() gives.
 * A span that is not nothing is never "0 s" ("full in 0 s" reads as already full).
 */
export function formatDuration(ms: number): string {
  const s = Math.max(0, ms) / 1000;
  if (s < 90) return `${s === 0 ? 0 : Math.max(1, Math.round(s))} s`;
  if (s < 90 * 60) return `${Math.round(s / 60)} min`;
  const h = s / 3600;
  // A tenth of an hour is worth saying below 10 h (1.5 h is not 2 h); beyond, it is noise.
  if (h < 10) return `${h.toFixed(1).replace(/\.0$/, '')} h`;
  if (h < 48) return `${Math.round(h)} h`;
  return `${Math.round(s / 86400)} days`;
}

/**
 * `2,040`: a whole number with its thousands grouped as in English. Not `toLocaleString`: its
 * first call loads ICU's number formats, ~25 ms of a CLI call that prints a count (measured).
 */
export function groupDigits(n: number): string {
  if (!Number.isSafeInteger(n) || Object.is(n, -0)) return n.toLocaleString('en');
  return String(n).replace(/\B(?=(\d{3})+$)/g, ',');
}

/** `1 file`, `2,040 files`: a count with its noun, in the plural where English wants one. */
export function formatCount(n: number, one: string, many = `${one}s`): string {
  return `${groupDigits(n)} ${n === 1 ? one : many}`;
}
