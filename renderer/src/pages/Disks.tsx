import { useEffect, useState } from 'react';
import { describeTrend } from '../../../shared/forecast';
import type { DiskView } from '../../../shared/ipc/contract';
import { formatBytes, formatPercent } from '../../../shared/format';
import type { SnoozeChoice } from '../../../shared/quiet';
import type { Settings } from '../../../shared/settings';
import { effectiveThresholds, thresholdsFor } from '../../../shared/thresholds';
import { api } from '../client';
import { Outcome, Sparkline, StateBadge, UsageBar } from '../components/widgets';
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
          <DiskCard key={d.mount} disk={d} settings={s} focused={d.mount === focus} onChange={disks.reload} />
        ))}
      </ul>
    </section>
  );
}

function DiskCard({
  disk: d,
  settings,
  focused,
  onChange,
}: {
  disk: DiskView;
  settings?: Settings;
  focused: boolean;
  onChange: () => void;
}) {
  // The marks where this disk turns warning/critical: its own overrides and "or N GiB" applied.
  const marks = settings
    ? effectiveThresholds(thresholdsFor(settings, d.mount), 'space', (d.used ?? 0) + (d.available ?? 0))
    : { warningPercent: 20, criticalPercent: 10 };
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
        warning={marks.warningPercent}
        critical={marks.criticalPercent}
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
      {d.inodes && (
        <p className={`inodes inodes-${d.inodes.state}`} data-inode-state={d.inodes.state}>
          Inodes {formatPercent(d.inodes.freePercent)} free
          {d.inodes.state !== 'ok' && (
            <>
              {' — '}
              <StateBadge state={d.inodes.state} />
            </>
          )}
        </p>
      )}
      <Trend forecast={d.forecast} />
      <Sparkline points={d.recent} label={`Free space on ${d.mount}`} />
      <Snooze disk={d} onChange={onChange} />
    </li>
  );
}

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
          <span role="status">Snoozed until {untilText(d.snoozedUntil)}</span> —{' '}
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

/** "14:05", or "08:00 tomorrow", or a date for anything further away. */
function untilText(at: number, now = Date.now()): string {
  const time = new Date(at).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
  const day = (t: number) => new Date(t).toDateString();
  if (day(at) === day(now)) return time;
  if (day(at) === day(now + 86_400_000)) return `${time} tomorrow`;
  return new Date(at).toLocaleString([], { dateStyle: 'medium', timeStyle: 'short' });
}

/** The trend in the words `check` and the messages use (describeTrend): one forecast everywhere. */
function Trend({ forecast: f }: { forecast: DiskView['forecast'] }) {
  return <p className={f.secondsToFull === null ? 'muted' : 'trend'}>Trend: {describeTrend(f)}</p>;
}
