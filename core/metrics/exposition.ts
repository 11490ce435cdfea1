/**
 * Prometheus's text exposition format, version 0.0.4 — what node_exporter serves and its textfile
 * collector reads: https://prometheus.io/docs/instrumenting/exposition_formats/#text-based-format
 * A few lines of string building rather than a client library: the page is rebuilt from Headroom's
 * own state, and nothing here needs registries, collectors or a second process-wide singleton.
 */

export const CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

export type MetricType = 'gauge' | 'counter' | 'histogram';

/** `{device="tmpfs",mountpoint="/data"}`; '' without labels. Values escaped as the format says. */
export function labels(pairs: Record<string, string>): string {
  const parts: string[] = [];
  for (const [name, value] of Object.entries(pairs)) parts.push(`${name}="${escapeValue(value)}"`);
  return parts.length ? `{${parts.join(',')}}` : '';
}

/** Label values: backslash, double quote and line feed escaped. */
function escapeValue(value: string): string {
  return /[\\"\n]/.test(value) ? value.replace(/[\\"\n]/g, (c) => (c === '\n' ? '\\n' : `\\${c}`)) : value;
}

/** HELP text: backslash and line feed escaped. */
function escapeHelp(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/\n/g, '\\n');
}

/** A sample's value as Go's ParseFloat reads it. */
export function value(v: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (v === Infinity) return '+Inf';
  if (v === -Infinity) return '-Inf';
  return String(v);
}

/** Builds one page: each family's HELP and TYPE, then its samples. */
export class Page {
  private readonly lines: string[] = [];

  family(name: string, type: MetricType, help: string): this {
    this.lines.push(`# HELP ${name} ${escapeHelp(help)}`, `# TYPE ${name} ${type}`);
    return this;
  }

  /** One sample; `labelText` made by `labels()` (built once and reused where it repeats). */
  sample(name: string, labelText: string, v: number): this {
    this.lines.push(`${name}${labelText} ${value(v)}`);
    return this;
  }

  /**
   * A histogram's series for one label set (`inner`: the label pairs without braces, '' for
   * none): `cumulative[i]` observations were ≤ `bounds[i]`, `total` in all, adding up to `sum`.
   */
  histogram(
    name: string,
    inner: string,
    h: { bounds: readonly number[]; cumulative: readonly number[]; total: number; sum: number },
  ): this {
    const sep = inner ? `${inner},` : '';
    const { bounds, cumulative, total, sum } = h;
    bounds.forEach((le, i) => this.lines.push(`${name}_bucket{${sep}le="${value(le)}"} ${cumulative[i]}`));
    this.lines.push(`${name}_bucket{${sep}le="+Inf"} ${total}`);
    this.lines.push(`${name}_sum${inner ? `{${inner}}` : ''} ${value(sum)}`);
    this.lines.push(`${name}_count${inner ? `{${inner}}` : ''} ${total}`);
    return this;
  }

  text(): string {
    return this.lines.length ? `${this.lines.join('\n')}\n` : '';
  }
}
