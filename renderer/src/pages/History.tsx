import { useMemo, useState } from 'react';
import type { DeliveryRecord } from '../../../shared/history';
import { formatPercent } from '../../../shared/format';
import { api } from '../client';
import { VirtualList } from '../components/VirtualList';
import { Outcome } from '../components/widgets';
import { useHistoryPages } from '../history-pages';
import { useLoad } from '../hooks';

const OUTCOMES = ['pending', 'retrying', 'delivered', 'failed', 'held'] as const;

/** Why a change was held, in a word for the row: the details show the whole reason. */
const heldWhy = (r: DeliveryRecord) => /quiet hours|snoozed|paused|flapping/.exec(r.reason ?? '')?.[0] ?? '';

export function History() {
  const [integration, setIntegration] = useState('');
  const [outcome, setOutcome] = useState<'' | DeliveryRecord['outcome']>('');
  const [mount, setMount] = useState('');
  const history = useHistoryPages({
    integrationId: integration || undefined,
    outcome: outcome || undefined,
    mount: mount || undefined,
  });
  const integrations = useLoad(() => api['integrations.list']({}));
  const disks = useLoad(() => api['disks.list']({}));
  const [selected, setSelected] = useState<string>();
  const [retry, setRetry] = useState<{ ok: boolean; text: string } | 'busy'>();

  const rows = history.rows ?? [];
  // Filter choices: what exists now, plus what the loaded history names (a removed integration).
  const names = useMemo(
    () => [
      ...new Map([
        ...(integrations.value?.integrations ?? []).map((i) => [i.id, i.name] as const),
        ...rows.map((r) => [r.integrationId, r.integrationName] as const),
      ]).entries(),
    ],
    [integrations.value, rows],
  );
  const mounts = useMemo(
    () =>
      [...new Set([...(disks.value ?? []).map((d) => d.mount), ...rows.map((r) => r.event.mount)])].sort(),
    [disks.value, rows],
  );
  const detail = rows.find((r) => r.id === selected);
  const count = `${rows.length.toLocaleString()} ${rows.length === 1 ? 'delivery' : 'deliveries'}`;

  return (
    <section aria-labelledby="history-title">
      <header className="page-head">
        <h1 id="history-title">History</h1>
        <span className="muted" role="status">
          {history.error
            ? `Could not load the history: ${history.error}`
            : !history.rows
              ? 'Loading…'
              : history.complete
                ? count
                : `Newest ${count} · more load as you scroll`}
        </span>
        {history.error && (
          <button type="button" onClick={history.retry}>
            Try again
          </button>
        )}
      </header>
      <div className="filters">
        <label>
          Integration
          <select value={integration} onChange={(e) => setIntegration(e.target.value)}>
            <option value="">All</option>
            {names.map(([id, name]) => (
              <option key={id} value={id}>
                {name}
              </option>
            ))}
          </select>
        </label>
        <label>
          Outcome
          <select value={outcome} onChange={(e) => setOutcome(e.target.value as typeof outcome)}>
            <option value="">All</option>
            {OUTCOMES.map((o) => (
              <option key={o}>{o}</option>
            ))}
          </select>
        </label>
        <label>
          Disk
          <select value={mount} onChange={(e) => setMount(e.target.value)}>
            <option value="">All</option>
            {mounts.map((m) => (
              <option key={m}>{m}</option>
            ))}
          </select>
        </label>
      </div>
      <div className="history-layout">
        <VirtualList
          label="Deliveries"
          items={rows}
          rowHeight={44}
          height={520}
          onNearEnd={history.more}
          render={(r) => (
            <button
              type="button"
              className={`history-row outcome-${r.outcome}${r.id === selected ? ' selected' : ''}`}
              aria-pressed={r.id === selected}
              onClick={() => (setRetry(undefined), setSelected(r.id))}
            >
              <span className="time">{new Date(r.createdAt).toLocaleString()}</span>
              <span>{r.integrationName}</span>
              <span className="cell">
                {r.test ? 'test' : r.event.mount}
                {r.event.kind === 'inodes' && <span className="tag">inodes</span>}
              </span>
              <span className="cell">
                {r.event.reminder ? (
                  <>
                    <span className="tag">reminder</span>
                    {r.event.to}
                  </>
                ) : (
                  `${r.event.from} → ${r.event.to}`
                )}
              </span>
              <span className="cell">
                <span className={`pill pill-${r.outcome}`}>{r.outcome}</span>
                {r.outcome === 'held' && (
                  <span className="held-why" title={r.reason}>
                    {' '}
                    {heldWhy(r)}
                  </span>
                )}
              </span>
            </button>
          )}
        />
        {detail && (
          <Detail
            record={detail}
            retry={retry}
            onRetry={async () => {
              setRetry('busy');
              try {
                await api['history.retry']({ id: detail.id });
                setRetry({ ok: true, text: 'Queued again' });
              } catch (e) {
                setRetry({ ok: false, text: (e as Error).message });
              }
            }}
          />
        )}
      </div>
    </section>
  );
}

function Detail({
  record: r,
  retry,
  onRetry,
}: {
  record: DeliveryRecord;
  retry?: { ok: boolean; text: string } | 'busy';
  onRetry: () => void;
}) {
  return (
    <aside className="card detail" aria-label="Delivery details">
      <h2>
        {r.integrationName} · {r.test ? 'test notification' : r.event.mount}
      </h2>
      <p>
        {r.event.kind === 'inodes' ? 'Inodes: ' : ''}
        {r.event.reminder ? `reminder: still ${r.event.to}` : `${r.event.from} → ${r.event.to}`}
        {r.event.freePercent !== null &&
          ` at ${formatPercent(r.event.freePercent)} ${r.event.kind === 'inodes' ? 'of inodes ' : ''}free`}{' '}
        · {new Date(r.event.at).toLocaleString()}
      </p>
      <p>
        <span className={`pill pill-${r.outcome}`}>{r.outcome}</span>{' '}
        {r.outcome === 'held' ? r.reason?.replace(/^held: /, '') : r.reason}
      </p>
      <h3>Attempts</h3>
      <ol className="attempts">
        {r.attempts.map((a, i) => (
          <li key={i}>
            {new Date(a.at).toLocaleTimeString()} · {a.status ? `HTTP ${a.status}` : (a.reason ?? '')} ·{' '}
            {a.latencyMs} ms{a.message ? ` · ${a.message}` : ''}
          </li>
        ))}
        {r.attempts.length === 0 && (
          <li>{r.outcome === 'held' ? 'None: nothing is sent for a held change.' : 'Not attempted yet.'}</li>
        )}
      </ol>
      {r.outcome === 'failed' && !r.test && (
        <div className="actions">
          <button type="button" onClick={onRetry}>
            Retry
          </button>
          <Outcome result={retry} />
        </div>
      )}
    </aside>
  );
}
