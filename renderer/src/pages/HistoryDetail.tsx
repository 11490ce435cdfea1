import { useEffect, useRef } from 'react';
import type { DeliveryRecord } from '../../../shared/history';
import { OUTCOME_WORDS, REASON_WORDS, recordFree, recordKind } from '../../../shared/history';
import { statusLabel } from '../../../shared/channels/protocols';
import { Time } from '../components/Time';
import { Outcome, Words } from '../components/widgets';

/** The details of one delivery, in a panel over the list (it takes no width from the columns). */
export function HistoryDetail({
  record: r,
  retry,
  onRetry,
  onClose,
}: {
  record: DeliveryRecord;
  retry?: { ok: boolean; text: string } | 'busy';
  onRetry: () => void;
  onClose: () => void;
}) {
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), [r.id]);
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => e.key === 'Escape' && onClose();
    addEventListener('keydown', onKey);
    return () => removeEventListener('keydown', onKey);
  }, [onClose]);
  return (
    <aside className="card drawer detail" aria-label="Delivery details">
      <div className="drawer-head">
        <h2 ref={heading} tabIndex={-1}>
          {r.integrationName} · {r.test ? 'test notification' : r.event.mount}
        </h2>
        <button type="button" onClick={onClose} aria-label="Close the details">
          Close
        </button>
      </div>
      <p>
        {recordKind(r.event) && `${recordKind(r.event)!.heading}: `}
        {r.event.reminder ? `reminder: still ${r.event.to}` : `${r.event.from} → ${r.event.to}`}
        {recordFree(r.event) !== null && ` at ${recordFree(r.event)} free`} · <Time at={r.event.at} />
      </p>
      <p>
        <span className={`pill pill-${r.outcome}`}>{OUTCOME_WORDS[r.outcome]}</span>
        {r.reasonCode && ` · ${REASON_WORDS[r.reasonCode] ?? r.reasonCode}`}
        {(r.reason || r.outcome === 'held') && (
          <>
            : <Words text={(r.outcome === 'held' ? r.reason?.replace(/^held: /, '') : r.reason) ?? ''} />
          </>
        )}
      </p>
      <h3>Attempts</h3>
      <ol className="attempts">
        {r.attempts.map((a, i) => (
          <li key={i}>
            <Time at={a.at} /> ·{' '}
            {a.status
              ? statusLabel(r.channel, a.status)
              : a.reason
                ? (REASON_WORDS[a.reason] ?? a.reason)
                : ''}{' '}
            · {a.latencyMs} ms{a.message ? ` · ${a.message}` : ''}
          </li>
        ))}
        {r.attempts.length === 0 && (
          <li>{r.outcome === 'held' ? 'None: nothing is sent for a held change.' : 'Not attempted yet.'}</li>
        )}
      </ol>
      {(retryable(r) || retry) && (
        <div className="actions">
          {retryable(r) && (
            <button type="button" onClick={onRetry}>
              Retry
            </button>
          )}
          {/* Kept once the retry went out, while the outcome above follows it live. */}
          <Outcome result={retry} />
        </div>
      )}
    </aside>
  );
}

/** Failed, or possibly delivered (see `unknown`): the user may send the very same event again. */
function retryable(r: DeliveryRecord): boolean {
  return (r.outcome === 'failed' || r.outcome === 'unknown') && !r.test;
}
