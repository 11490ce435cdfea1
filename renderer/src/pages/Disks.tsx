import { useEffect } from 'react';
import type { DiskView } from '../../../shared/ipc/contract';
import { formatBytes, formatPercent } from '../../../shared/format';
import { api } from '../client';
import { Sparkline, StateBadge, UsageBar } from '../components/widgets';
import { useEvent, useLoad } from '../hooks';

export function Disks({ focus }: { focus?: string }) {
  const disks = useLoad(() => api['disks.list']({}));
  const settings = useLoad(() => api['settings.get']({}));
  useEvent('disks', (d) => disks.setValue(d));
  useEvent('settings', (s) => settings.setValue(s));
  useEffect(() => {
    if (focus) document.getElementById(`disk-${focus}`)?.scrollIntoView({ block: 'center' });
  }, [focus, disks.value]);
  const s = settings.value?.settings;

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
      {disks.value?.length === 0 && <p>No disks are watched. Add one in Settings → Watched mounts.</p>}
      <ul className="disk-list">
        {disks.value?.map((d) => (
          <DiskCard
            key={d.mount}
            disk={d}
            warning={s?.warningPercent ?? 20}
            critical={s?.criticalPercent ?? 10}
            focused={d.mount === focus}
          />
        ))}
      </ul>
    </section>
  );
}

function DiskCard({
  disk: d,
  warning,
  critical,
  focused,
}: {
  disk: DiskView;
  warning: number;
  critical: number;
  focused: boolean;
}) {
  return (
    <li
      id={`disk-${d.mount}`}
      className={`card disk disk-${d.state}${focused ? ' focused' : ''}`}
      data-mount={d.mount}
      data-state={d.state}
    >
      <div className="disk-head">
        <h2>{d.mount}</h2>
        <StateBadge state={d.state} />
      </div>
      <p className="muted">
        {d.type} on {d.fs} · {d.state === 'ok' ? 'ok' : d.state} since {new Date(d.since).toLocaleString()}
      </p>
      <UsageBar
        freePercent={d.freePercent}
        warning={warning}
        critical={critical}
        label={`Space used on ${d.mount}`}
      />
      {d.freePercent === null ? (
        <p className="error">{d.reason ?? 'Not answering'}</p>
      ) : (
        <p className="figures">
          <strong>{formatPercent(d.freePercent)} free</strong> · {formatBytes(d.available ?? 0)} of{' '}
          {formatBytes((d.used ?? 0) + (d.available ?? 0))}
        </p>
      )}
      <Trend forecast={d.forecast} />
      <Sparkline points={d.recent} label={`Free space on ${d.mount}`} />
    </li>
  );
}

function Trend({ forecast: f }: { forecast: DiskView['forecast'] }) {
  if (f.fillRateBytesPerSec === null) return <p className="muted">Trend: measuring…</p>;
  if (f.secondsToFull === null)
    return <p className="muted">Trend: {f.fillRateBytesPerSec < 0 ? 'freeing space' : 'stable'}</p>;
  const parts = [
    f.secondsToWarning ? `warning in ${duration(f.secondsToWarning)}` : null,
    f.secondsToCritical ? `critical in ${duration(f.secondsToCritical)}` : null,
    `full in ${duration(f.secondsToFull)}`,
  ].filter(Boolean);
  return (
    <p className="trend">
      Filling at {formatBytes(f.fillRateBytesPerSec)}/s: {parts.join(', ')}
    </p>
  );
}

function duration(s: number): string {
  return s < 90
    ? `${Math.round(s)} s`
    : s < 5400
      ? `${Math.round(s / 60)} min`
      : s < 172800
        ? `${Math.round(s / 3600)} h`
        : `${Math.round(s / 86400)} days`;
}
