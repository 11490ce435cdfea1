import type { Limits } from '../../shared/channels/limits.js';
import { utf8Length } from '../../shared/channels/limits.js';

/**
 * The values at a path of `Limits` (`embeds[].fields[].value`, `blocks[0].text.text`,
 * `details.*`: every key and value of `details`), each with where it was found.
 */
export function valuesAt(body: unknown, path: string): { at: string; value: unknown }[] {
  const steps = path.match(/\[\d*\]|[^.[\]]+/g) ?? [];
  let found: { at: string; value: unknown }[] = [{ at: '', value: body }];
  for (const step of steps) {
    const next: typeof found = [];
    for (const { at, value } of found) {
      if (step === '[]' && Array.isArray(value))
        value.forEach((v, i) => next.push({ at: `${at}[${i}]`, value: v }));
      else if (/^\[\d+\]$/.test(step) && Array.isArray(value)) {
        const i = Number(step.slice(1, -1));
        if (i < value.length) next.push({ at: `${at}${step}`, value: value[i] });
      } else if (step === '*' && value && typeof value === 'object')
        for (const [k, v] of Object.entries(value))
          next.push({ at: `${at}.${k}`, value: `${k}${String(v)}` });
      else if (value && typeof value === 'object' && step in value)
        next.push({ at: at ? `${at}.${step}` : step, value: (value as Record<string, unknown>)[step] });
    }
    found = next;
  }
  return found;
}

/** Every way `body` breaks `limits`, in words; [] when it keeps them all. */
export function limitViolations(body: unknown, limits: Limits): string[] {
  const problems: string[] = [];
  for (const [path, max] of Object.entries(limits.text))
    for (const { at, value } of valuesAt(body, path))
      if (typeof value === 'string' && value.length > max)
        problems.push(`${at}: ${value.length} characters, the limit is ${max}`);
  for (const [path, max] of Object.entries(limits.items ?? {}))
    for (const { at, value } of valuesAt(body, path))
      if (Array.isArray(value) && value.length > max)
        problems.push(`${at}: ${value.length} items, the limit is ${max}`);
  for (const [path, max] of Object.entries(limits.keys ?? {}))
    for (const { at, value } of valuesAt(body, path))
      if (typeof value === 'string' && utf8Length(value) > max)
        problems.push(`${at}: ${utf8Length(value)} bytes, the limit is ${max}`);
  for (const [path, max] of Object.entries(limits.bytes ?? {}))
    for (const { at, value } of valuesAt(body, path))
      if (typeof value === 'string' && utf8Length(value) > max)
        problems.push(`${at}: ${utf8Length(value)} bytes, the limit is ${max} bytes`);
  for (const { paths, max } of limits.sums ?? []) {
    const total = paths
      .flatMap((p) => valuesAt(body, p))
      .reduce((n, { value }) => n + String(value).length, 0);
    if (total > max) problems.push(`${paths.join(' + ')}: ${total} characters together, the limit is ${max}`);
  }
  return problems;
}

/** Every string anywhere in a JSON value. */
export function stringsIn(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(stringsIn);
  if (value && typeof value === 'object')
    return Object.entries(value).flatMap(([k, v]) => [k, ...stringsIn(v)]);
  return [];
}
