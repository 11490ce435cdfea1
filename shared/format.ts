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

export function formatPercent(p: number): string {
  return `${p.toFixed(1)}%`;
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

/** 42 s, 12 min, 3 h, 5 days: a span of time as a person says it. */
export function formatSpan(seconds: number): string {
  if (seconds < 90) return `${Math.max(1, Math.round(seconds))} s`;
  if (seconds < 90 * 60) return `${Math.round(seconds / 60)} min`;
  if (seconds < 48 * 3600) return `${Math.round(seconds / 3600)} h`;
  return `${Math.round(seconds / 86400)} days`;
}

/**
 * A free percentage that never rounds across a threshold: 19.99 % against a 20 % threshold is
 * "19.99%", 19.999 % is "< 20%" — never "20.0%", which would read as not below it.
 */
export function formatFreePercent(p: number, thresholds: readonly number[]): string {
  const crosses = (shown: number) => thresholds.find((t) => (p < t && shown >= t) || (p > t && shown <= t));
  for (const digits of [1, 2]) {
    const shown = Number(p.toFixed(digits));
    if (crosses(shown) === undefined) return `${p.toFixed(digits)}%`;
  }
  const t = crosses(Number(p.toFixed(2)))!;
  return `${p < t ? '<' : '>'} ${Number(t.toFixed(2))}%`;
}
