import type { MountState } from '../../../shared/disk';

export function StateBadge({ state }: { state: MountState | 'paused' }) {
  const label = {
    ok: 'OK',
    warning: 'Warning',
    critical: 'Critical',
    unreachable: 'Unreachable',
    paused: 'Paused',
  }[state];
  return <span className={`badge badge-${state}`}>{label}</span>;
}

/** Used space, with the warning and critical thresholds marked where free space crosses them. */
export function UsageBar({
  freePercent,
  warning,
  critical,
  label,
}: {
  freePercent: number | null;
  warning: number;
  critical: number;
  label: string;
}) {
  const used = freePercent === null ? 0 : 100 - freePercent;
  const level =
    freePercent === null
      ? 'unreachable'
      : freePercent < critical
        ? 'critical'
        : freePercent < warning
          ? 'warning'
          : 'ok';
  return (
    <div
      className="usage"
      role="meter"
      aria-label={label}
      aria-valuemin={0}
      aria-valuemax={100}
      aria-valuenow={Math.round(used)}
      aria-valuetext={freePercent === null ? 'unknown' : `${used.toFixed(1)}% used`}
    >
      <div className={`usage-fill usage-${level}`} style={{ width: `${used}%` }} />
      <div
        className="usage-mark usage-mark-warning"
        style={{ left: `${100 - warning}%` }}
        title={`warning below ${warning}% free`}
      />
      <div
        className="usage-mark usage-mark-critical"
        style={{ left: `${100 - critical}%` }}
        title={`critical below ${critical}% free`}
      />
    </div>
  );
}

/** Free space over the recent samples, as a small line. */
export function Sparkline({
  points,
  label,
}: {
  points: { at: number; freePercent: number }[];
  label: string;
}) {
  if (points.length < 2)
    return (
      <svg
        className="sparkline"
        role="img"
        aria-label={`${label}: not enough samples yet`}
        viewBox="0 0 120 28"
      />
    );
  const t0 = points[0]!.at;
  const span = Math.max(1, points.at(-1)!.at - t0);
  const d = points
    .map((p, i) => `${i ? 'L' : 'M'}${((p.at - t0) / span) * 118 + 1},${27 - (p.freePercent / 100) * 26}`)
    .join(' ');
  return (
    <svg
      className="sparkline"
      viewBox="0 0 120 28"
      role="img"
      aria-label={`${label}: free space from ${points[0]!.freePercent.toFixed(1)}% to ${points.at(-1)!.freePercent.toFixed(1)}%`}
    >
      <path d={d} fill="none" strokeWidth="1.5" />
    </svg>
  );
}

/** A button that shows it is working, then what happened. */
export function Outcome({ result }: { result?: { ok: boolean; text: string } | 'busy' }) {
  if (!result) return null;
  if (result === 'busy')
    return (
      <span className="outcome outcome-busy" role="status">
        Working…
      </span>
    );
  return (
    <span className={`outcome ${result.ok ? 'outcome-ok' : 'outcome-fail'}`} role="status">
      {result.ok ? '✔ ' : '✘ '}
      {result.text}
    </span>
  );
}

/** Beside a setting or integration the organisation's policy file manages: read-only here. */
export function ManagedMark({ id }: { id?: string }) {
  return (
    <span className="managed" id={id}>
      Managed by your organisation
    </span>
  );
}
