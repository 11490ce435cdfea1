import { useEffect, useState } from 'react';
import { UsagePanel } from '../components/UsagePanel';
import { describeTrend } from '../../../shared/forecast';
import type { DiskView } from '../../../shared/ipc/contract';
import { formatBytes, formatDuration, formatPercent, formatTime } from '../../../shared/format';
import type { SnoozeChoice } from '../../../shared/quiet';
import { reservedOf } from '../../../shared/disk';
import { percentLimits } from '../../../shared/thresholds';
import { api } from '../client';
import { DiskChart } from '../components/DiskChart';
import { Outcome, StateBadge, UsageBar } from '../components/widgets';
import { useEvent, useLoad } from '../hooks';

export function Disks({ focus }: { focus?: string }) {
  const disks = useLoad(() => api['disks.list']({}));
  const integrations = useLoad(() => api['integrations.list']({}));
  useEvent('disks', (d) => disks.setValue(d));
  // New thresholds move the marks and the figures' rounding at once, not at the next sample.
  useEvent('settings', () => disks.reload());
  useEffect(() => {
    if (focus) document.getElementById(`disk-${focus}`)?.scrollIntoView({ block: 'center' });
  }, [focus, disks.value]);

  return (
    <section aria-labelledby="disks-title">
      <header className="page-head">
        <h1 id="disks-title">Disks</h1>
        <button type="button" onClick={() => api['disks.checkNow']({}).then(disks.setValue)}>
          Check now
        </button>
      </header>
      {disks.error && (
        <p role="alert" className="error">
          {disks.error}
        </p>
      )}
      {!disks.value && !disks.error && <p role="status">Sampling disks…</p>}
      {integrations.value?.integrations.length === 0 && integrations.value.problems.length === 0 && (
        <aside className="card empty get-started" aria-labelledby="get-started">
          <h2 id="get-started">Get told before a disk fills</h2>
          <p>
            Headroom watches these disks and notifies this desktop. To alert your team as well:{' '}
            <a href="#/integrations">add an integration</a> (Slack, Teams, a webhook, …), then press{' '}
            <strong>Send test</strong> on it.
          </p>
        </aside>
      )}
      {disks.value?.length === 0 && <p>No disks are watched. Add one in Settings → Watched mounts.</p>}
      <ul className="disk-list">
        {disks.value?.map((d) => (
          <DiskCard key={d.mount} disk={d} focused={d.mount === focus} onChange={disks.reload} />
        ))}
      </ul>
    </section>
  );
}

function DiskCard({
  disk: d,
  focused,
  onChange,
}: {
  disk: DiskView;
  focused: boolean;
  onChange: () => void;
}) {
  // The marks where this disk turns warning/critical: its own overrides and "or N GiB" applied.
  const marks = d.thresholds;
  const reserved =
    d.size === null ? 0 : reservedOf({ size: d.size, used: d.used ?? 0, available: d.available ?? 0 });
  return (
    <li
      id={`disk-${d.mount}`}
      className={`card disk disk-${d.state}${focused ? ' focused' : ''}`}
      data-mount={d.mount}
      data-state={d.state}
    >
      <div className="disk-head">
        <h2>{d.mount}</h2>
        {/* A read-only disk cannot fill: it has no level to show. */}
        <StateBadge state={d.readOnly ? 'read-only' : d.state} />
      </div>
      <p className="muted">
        {d.type} on {d.fs} · {d.readOnly ? 'read-only, cannot fill' : STATE_WORDS[d.state]}{' '}
        <span title={formatTime(d.since)}>for {formatDuration(Date.now() - d.since)}</span>
      </p>
      <UsageBar
        freePercent={d.freePercent}
        warning={marks.warningPercent}
        critical={marks.criticalPercent}
        label={`Space used on ${d.mount}`}
        readOnly={d.readOnly}
      />
      {d.freePercent === null ? (
        <p className="error">{d.reason ?? 'Not answering'}</p>
      ) : (
        <>
          <p className="figures">
            <strong>{formatPercent(d.freePercent, percentLimits(marks))} free</strong>
          </p>
          {/* As df shows it: size counts the blocks reserved for root, which nobody else can use,
              so used + available is less than the size and "free" is available ÷ (used + available). */}
          <dl className="sizes">
            <div>
              <dt>Size</dt>
              <dd>{d.size === null ? '–' : formatBytes(d.size)}</dd>
            </div>
            <div>
              <dt>Used</dt>
              <dd>{formatBytes(d.used ?? 0)}</dd>
            </div>
            <div>
              <dt>Available</dt>
              <dd>{formatBytes(d.available ?? 0)}</dd>
            </div>
          </dl>
          {reserved > 0 && (
            <p className="hint">
              {formatBytes(reserved)} reserved for the system (as df shows): free is counted of what you can
              use.
            </p>
          )}
        </>
      )}
      {d.inodes && (
        <p className={`inodes inodes-${d.inodes.state}`} data-inode-state={d.inodes.state}>
          Inodes {formatPercent(d.inodes.freePercent, percentLimits(d.inodes.thresholds))} free
          {d.inodes.state !== 'ok' && (
            <>
              {' — '}
              <StateBadge state={d.inodes.state} />
            </>
          )}
        </p>
      )}
      {d.freePercent !== null && <Trend forecast={d.forecast} />}
      {d.freePercent !== null && (
        <DiskChart
          mount={d.mount}
          thresholds={marks}
          forecast={d.forecast}
          latest={{ at: d.at, freePercent: d.freePercent, state: d.state }}
        />
      )}
      <Snooze disk={d} onChange={onChange} />
      {d.freePercent !== null && <UsagePanel mount={d.mount} />}
    </li>
  );
}

const STATE_WORDS = { ok: 'OK', warning: 'warning', critical: 'critical', unreachable: 'unreachable' };

const SNOOZE_LABELS: [SnoozeChoice, string][] = [
  ['1h', '1 hour'],
  ['8h', '8 hours'],
  ['tomorrow', 'Until tomorrow 08:00'],
];

/** Holds this disk's alerts for a while (it is still sampled), or ends the snooze. */
function Snooze({ disk: d, onChange }: { disk: DiskView; onChange: () => void }) {
  const [failure, setFailure] = useState<{ ok: false; text: string }>();
  const run = (request: Promise<unknown>) =>
    request.then(
      () => {
        setFailure(undefined);
        onChange();
      },
      (e: Error) => setFailure({ ok: false, text: e.message }),
    );
  return (
    <div className="snooze">
      {d.snoozedUntil !== null ? (
        <p className="snoozed">
          <span role="status">Snoozed until {formatTime(d.snoozedUntil, { seconds: false })}</span> —{' '}
          <button
            type="button"
            className="link"
            aria-label={`Unsnooze ${d.mount}`}
            onClick={() => run(api['alerts.unsnooze']({ mount: d.mount }))}
          >
            Unsnooze
          </button>
        </p>
      ) : (
        <details>
          <summary>Snooze alerts…</summary>
          <div className="actions" role="group" aria-label={`Snooze alerts for ${d.mount}`}>
            {SNOOZE_LABELS.map(([choice, label]) => (
              <button
                key={choice}
                type="button"
                onClick={() => run(api['alerts.snooze']({ mount: d.mount, for: choice }))}
              >
                {label}
              </button>
            ))}
          </div>
        </details>
      )}
      <Outcome result={failure} />
    </div>
  );
}

/** The trend in the words `check` and the messages use (describeTrend): one forecast everywhere. */
function Trend({ forecast: f }: { forecast: DiskView['forecast'] }) {
  return <p className={f.secondsToFull === null ? 'muted' : 'trend'}>Trend: {describeTrend(f)}</p>;
}
