import type { MountState } from '../../../shared/disk';
import { formatPercent } from '../../../shared/format';

export function StateBadge({ state }: { state: MountState | 'paused' | 'read-only' }) {
  const label = {
    'read-only': 'Read-only',
    ok: 'OK',
    warning: 'Warning',
    critical: 'Critical',
    unreachable: 'Unreachable',
    paused: 'Paused',
  }[state];
  return <span className={`badge badge-${state}`}>{label}</span>;
}

/**
 * Used space, with the warning and critical thresholds marked where free space crosses them, a
 * legend naming the marks, and the same in words for screen readers. A read-only disk cannot
 * fill: its bar is neutral and has no marks, so a full image never looks like an alert.
 */
export function UsageBar({
  freePercent,
  warning,
  critical,
  label,
  readOnly = false,
}: {
  freePercent: number | null;
  warning: number;
  critical: number;
  label: string;
  readOnly?: boolean;
}) {
  const used = freePercent === null ? 0 : 100 - freePercent;
  const level =
    freePercent === null
      ? 'unreachable'
      : readOnly
        ? 'read-only'
        : freePercent < critical
          ? 'critical'
          : freePercent < warning
            ? 'warning'
            : 'ok';
  const marks = readOnly ? 'read-only' : `warning at ${warning}% free, critical at ${critical}% free`;
  return (
    <div className="usage-wrap">
      <div
        className="usage"
        role="meter"
        aria-label={label}
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={Math.round(used)}
        aria-valuetext={
          // Used space, never rounded across where the free-space thresholds put it.
          freePercent === null
            ? 'unknown'
            : `${formatPercent(used, [100 - warning, 100 - critical])} used; ${marks}`
        }
      >
        <div className={`usage-fill usage-${level}`} style={{ width: `${used}%` }} />
        {!readOnly && (
          <>
            <div className="usage-mark usage-mark-warning" style={{ left: `${100 - warning}%` }} />
            <div className="usage-mark usage-mark-critical" style={{ left: `${100 - critical}%` }} />
          </>
        )}
      </div>
      {!readOnly && (
        <p className="usage-legend" aria-hidden="true">
          <span className="key key-used">used</span>
          <span className="key key-warning">warning at {warning}% free</span>
          <span className="key key-critical">critical at {critical}% free</span>
        </p>
      )}
    </div>
  );
}

/**
 * A button that shows it is working, then what happened: ✔, ✘, or ○ (`ok: null`) for "nothing
 * could be checked", which must not read as a success.
 */
/**
 * A message the core words for the CLI and the window alike, its commands in backticks
 * ("a test (`headroom integration test`)"): here each command is code, never literal backticks.
 */
export function Words({ text }: { text: string }) {
  return <>{text.split(/`([^`]+)`/).map((part, i) => (i % 2 ? <code key={i}>{part}</code> : part))}</>;
}

export function Outcome({ result }: { result?: { ok: boolean | null; text: string } | 'busy' }) {
  if (!result) return null;
  if (result === 'busy')
    return (
      <span className="outcome outcome-busy" role="status">
        Working…
      </span>
    );
  return (
    <span
      className={`outcome ${result.ok === null ? '' : result.ok ? 'outcome-ok' : 'outcome-fail'}`}
      role="status"
    >
      {result.ok === null ? '○ ' : result.ok ? '✔ ' : '✘ '}
      <Words text={result.text} />
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

/**
 * Where a load stands while it has no value: "Loading the settings…", or why it failed, with Try
 * again. It names what it waits for because a page can wait for two things at once.
 */
export function LoadStatus({
  load,
  what,
}: {
  load: { value?: unknown; error?: string; reload: () => void };
  what: string;
}) {
  if (load.value !== undefined) return null;
  return (
    <>
      <span className="muted" role="status">
        {load.error ? `Could not load ${what}: ${load.error}` : `Loading ${what}…`}
      </span>
      {load.error && (
        <button type="button" onClick={load.reload}>
          Try again
        </button>
      )}
    </>
  );
}
