import { useMemo, useRef, useState } from 'react';
import type { DeliveryRecord } from '../../../shared/history';
import { changeWords, OUTCOME_WORDS, recordKind, statusWords } from '../../../shared/history';
import { api } from '../client';
import { Choice } from '../components/Choice';
import { MiddleEllipsis, PathEnd } from '../components/MiddleEllipsis';
import { Time } from '../components/Time';
import { VirtualTable } from '../components/VirtualTable';
import { useHistoryPages } from '../history-pages';
import { useLoad, useWidth } from '../hooks';
import { HistoryDetail } from './HistoryDetail';

const OUTCOMES = ['pending', 'retrying', 'delivered', 'failed', 'held', 'unknown'] as const;

/** Why a change was held, in a word for the row: the details show the whole reason. */
const heldWhy = (r: DeliveryRecord) => /quiet hours|snoozed|paused|flapping/.exec(r.reason ?? '')?.[0] ?? '';

/**
 * From this width of the list a delivery is one line of eight columns; below it, three lines (the
 * status, latency and attempts are then in the details). The same width as the CSS container query.
 */
const WIDE = 960;

const COLUMNS = ['Time', 'Integration', 'Disk', 'Change', 'Outcome', 'Status', 'Latency', 'Attempts'];

/** The Disk filter's choice of test notifications (no mount point is a bare word). */
const TESTS = 'tests';

export function History() {
  const [integration, setIntegration] = useState('');
  const [outcome, setOutcome] = useState<'' | DeliveryRecord['outcome']>('');
  const [mount, setMount] = useState('');
  const history = useHistoryPages({
    integrationId: integration || undefined,
    outcome: outcome || undefined,
    mount: mount && mount !== TESTS ? mount : undefined,
    test: mount === TESTS ? true : undefined,
  });
  const integrations = useLoad(() => api['integrations.list']({}));
  const disks = useLoad(() => api['disks.list']({}));
  const [selected, setSelected] = useState<string>();
  const [retry, setRetry] = useState<{ ok: boolean; text: string } | 'busy'>();
  const [tip, setTip] = useState<{ id: string; text: string }>();
  const box = useRef<HTMLDivElement>(null);
  const wide = useWidth(box) >= WIDE;

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
      [
        ...new Set([
          ...(disks.value ?? []).map((d) => d.mount),
          ...rows.filter((r) => !r.test).map((r) => r.event.mount),
        ]),
      ].sort(),
    [disks.value, rows],
  );
  const detail = rows.find((r) => r.id === selected);
  const count = `${rows.length.toLocaleString('en')} ${rows.length === 1 ? 'delivery' : 'deliveries'}`;
  const rowHeight = wide ? 40 : 78;

  const close = () => {
    const id = selected;
    setSelected(undefined);
    // Back to the row the details were opened from, if it is still drawn.
    requestAnimationFrame(() => document.querySelector<HTMLElement>(`[data-open="${id}"]`)?.focus());
  };

  return (
    <section aria-labelledby="history-title" className="history">
      <header className="page-head">
        <h1 id="history-title">History</h1>
        <span className="muted" role="status">
          {history.error
            ? `Could not load the history: ${history.error}`
            : !history.rows
              ? 'Loading the history…'
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
        <Choice
          label="Integration"
          value={integration}
          options={[['', 'All'], ...names]}
          onChange={setIntegration}
        />
        <Choice
          label="Outcome"
          value={outcome}
          options={[['', 'All'], ...OUTCOMES.map((o) => [o, OUTCOME_WORDS[o]] as const)]}
          onChange={setOutcome}
        />
        <Choice
          label="Disk"
          value={mount}
          options={[['', 'All'], [TESTS, 'Test notifications'], ...mounts.map((m) => [m, m] as const)]}
          onChange={setMount}
        />
      </div>
      {history.rows?.length === 0 && !outcome && !integration && !mount ? (
        <div className="card empty">
          <h2>No deliveries yet</h2>
          <p>
            Every alert sent to an integration, and every test, is listed here with its outcome.{' '}
            <a href="#/integrations">Add an integration and press Send test</a> to see the first.
          </p>
        </div>
      ) : (
        <div ref={box} className={`history-box ${wide ? 'wide' : 'narrow'}`}>
          <VirtualTable
            label="Deliveries"
            items={rows}
            rowKey={(r) => r.id}
            rowHeight={rowHeight}
            height={Math.min(560, Math.max(rowHeight * 4, rows.length * rowHeight + 4))}
            onNearEnd={history.more}
            header={COLUMNS.map((c) => (
              <span key={c} role="columnheader" className={`col col-${c.toLowerCase()}`}>
                {c}
              </span>
            ))}
            rowProps={(r) => ({
              className: `history-row outcome-${r.outcome}${r.id === selected ? ' selected' : ''}`,
              onClick: () => (setRetry(undefined), setSelected(r.id)),
            })}
            overlay={
              tip &&
              rows.some((r) => r.id === tip.id) && (
                <div
                  className="row-tip"
                  aria-hidden="true"
                  style={{ top: (rows.findIndex((r) => r.id === tip.id) + 1) * rowHeight }}
                >
                  {tip.text}
                </div>
              )
            }
            render={(r) => (
              <>
                <span role="cell" className="col col-time">
                  <button
                    type="button"
                    className="row-open"
                    data-open={r.id}
                    aria-expanded={r.id === selected}
                    onFocus={(e) => {
                      const cut = [
                        ...(e.currentTarget
                          .closest('.table-row')
                          ?.querySelectorAll('.mid-start, .mid-end, .path-end') ?? []),
                      ].some((m) => m.scrollWidth > m.clientWidth + 1);
                      if (cut && e.currentTarget.matches(':focus-visible'))
                        setTip({
                          id: r.id,
                          text: `${r.integrationName} · ${r.test ? 'test' : r.event.mount}`,
                        });
                    }}
                    onBlur={() => setTip(undefined)}
                  >
                    <Time at={r.createdAt} seconds={false} />
                    <span className="sr-only">
                      {' '}
                      details: {r.integrationName}, {r.test ? 'test' : r.event.mount}, {changeWords(r)},{' '}
                      {OUTCOME_WORDS[r.outcome]}
                    </span>
                  </button>
                </span>
                <span role="cell" className="col col-integration">
                  <MiddleEllipsis text={r.integrationName} />
                </span>
                <span role="cell" className="col col-disk">
                  {r.test ? <span className="tag">test</span> : <PathEnd text={r.event.mount} />}
                  {recordKind(r.event) && <span className="tag">{recordKind(r.event)!.tag}</span>}
                </span>
                <span role="cell" className="col col-change">
                  {r.event.reminder && <span className="tag">reminder</span>}
                  <span className="clip">{changeWords(r)}</span>
                </span>
                <span role="cell" className="col col-outcome">
                  <span className={`pill pill-${r.outcome}`}>{OUTCOME_WORDS[r.outcome]}</span>
                  {r.outcome === 'held' && !wide && <span className="held-why"> {heldWhy(r)}</span>}
                </span>
                <span role="cell" className="col col-status" title={r.reason}>
                  <span className="clip">{statusWords(r)}</span>
                </span>
                <span role="cell" className="col col-latency">
                  {r.attempts.length ? `${r.attempts.at(-1)!.latencyMs} ms` : '–'}
                </span>
                <span role="cell" className="col col-attempts">
                  {r.attempts.length}
                </span>
              </>
            )}
          />
        </div>
      )}
      {detail && (
        <HistoryDetail
          record={detail}
          retry={retry}
          onClose={close}
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
    </section>
  );
}
