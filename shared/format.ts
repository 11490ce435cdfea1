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

/** Rounded for people and JSON alike: two decimals say more than any threshold needs. */
export function roundPercent(p: number): number {
  return Math.round(p * 100) / 100;
}
