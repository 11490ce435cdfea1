import { useCallback, useEffect, useRef, useState } from 'react';
import { comesAfter, newestFirst, type DeliveryRecord } from '../../shared/history';
import { api } from './client';
import { useEvent } from './hooks';

/** Rows fetched per request: a screenful many times over, small enough to arrive at once. */
export const HISTORY_PAGE = 200;

export interface HistoryFilters {
  integrationId?: string;
  outcome?: DeliveryRecord['outcome'];
  mount?: string;
}

const matches = (r: DeliveryRecord, f: HistoryFilters) =>
  (!f.integrationId || r.integrationId === f.integrationId) &&
  (!f.outcome || r.outcome === f.outcome) &&
  (!f.mount || r.event.mount === f.mount);

/**
 * The delivery history a page at a time, newest first, filtered where it is stored (the watcher
 * reads the file from its end, so the first page of a huge history costs what a small one does).
 * Live deliveries slot into the rows loaded so far; older ones arrive with the page they belong to.
 */
export function useHistoryPages(filters: HistoryFilters) {
  const [rows, setRows] = useState<DeliveryRecord[]>();
  const [complete, setComplete] = useState(false);
  const [error, setError] = useState<string>();
  // A load answers for the filters it was asked with; a newer set of filters makes it stale.
  const generation = useRef(0);
  const busy = useRef(false);
  const key = JSON.stringify(filters);

  const loadMore = useCallback(
    (from: DeliveryRecord[] = []) => {
      if (busy.current) return;
      busy.current = true;
      const mine = generation.current;
      const last = from.at(-1);
      api['history.list']({
        limit: HISTORY_PAGE,
        ...filters,
        ...(last && { before: { createdAt: last.createdAt, id: last.id } }),
      }).then(
        (page) => {
          if (mine !== generation.current) return;
          busy.current = false;
          setRows((now) => mergeRows(now ?? [], page));
          setComplete(page.length < HISTORY_PAGE);
          setError(undefined);
        },
        (e: Error) => {
          if (mine !== generation.current) return;
          busy.current = false;
          setError(e.message);
        },
      );
    },
    [key],
  );

  useEffect(() => {
    generation.current++;
    busy.current = false;
    setRows(undefined);
    setComplete(false);
    loadMore();
  }, [loadMore]);

  useEvent(
    'delivery',
    (r) =>
      setRows((now) => {
        if (!now) return now;
        const rest = now.filter((x) => x.id !== r.id);
        // Older than everything loaded and more pages to come: it arrives with its own page.
        const belongs = matches(r, filters) && (complete || !now.length || !comesAfter(r, now.at(-1)!));
        return belongs ? [...rest, r].sort(newestFirst) : rest;
      }),
    [key, complete],
  );

  return {
    rows,
    complete,
    error,
    more: () => rows && !complete && !error && loadMore(rows),
    retry: () => loadMore(rows),
  };
}

/** Adds a page to the rows, a record already present (updated live meanwhile) kept once. */
function mergeRows(rows: DeliveryRecord[], page: DeliveryRecord[]): DeliveryRecord[] {
  const have = new Set(rows.map((r) => r.id));
  return [...rows, ...page.filter((r) => !have.has(r.id))].sort(newestFirst);
}
