import { useCallback, useEffect, useRef, useState } from 'react';
import {
  comesAfter,
  matchesFilters as matches,
  newestFirst,
  type DeliveryRecord,
  type HistoryFilters,
} from '../../shared/history';
import { api } from './client';
import { useEvent, useResync } from './hooks';

/** Rows fetched per request: a screenful many times over, small enough to arrive at once. */
export const HISTORY_PAGE = 200;
/**
 * The first request's rows: more than the tallest list shows with the rows drawn beyond it, so
 * the page is usable once the fewest records are read, sent and parsed (a fifth of a page's);
 * older rows come a page at a time as the list is scrolled.
 */
export const FIRST_PAGE = 40;

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
  // Deliveries pushed before the first page is in: the page may have been read before they were
  // written, so they are placed once it arrives. Undefined once it has.
  const early = useRef<Map<string, DeliveryRecord> | undefined>(undefined);
  const key = JSON.stringify(filters);

  const loadMore = useCallback(
    (from: DeliveryRecord[] = []) => {
      if (busy.current) return;
      busy.current = true;
      const mine = generation.current;
      const last = from.at(-1);
      const limit = last ? HISTORY_PAGE : FIRST_PAGE;
      api['history.list']({
        limit,
        ...filters,
        ...(last && { before: { createdAt: last.createdAt, id: last.id } }),
      }).then(
        (page) => {
          if (mine !== generation.current) return;
          busy.current = false;
          const done = page.length < limit;
          const pushed = [...(early.current?.values() ?? [])];
          early.current = undefined;
          setRows((now) =>
            pushed.reduce((rows, r) => place(rows, r, filters, done), mergeRows(now ?? [], page)),
          );
          setComplete(done);
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

  const restart = () => {
    generation.current++;
    busy.current = false;
    early.current = new Map();
    setRows(undefined);
    setComplete(false);
    loadMore();
  };
  useEffect(restart, [loadMore]);
  // Deliveries made while the link was down were never pushed: start again from the newest.
  useResync(restart, [loadMore]);

  useEvent(
    'delivery',
    (r) => {
      if (early.current) early.current.set(r.id, r);
      else setRows((now) => now && place(now, r, filters, complete));
    },
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

/** Adds a page to the rows; a record in both (updated live meanwhile) is kept once, its newer copy. */
function mergeRows(rows: DeliveryRecord[], page: DeliveryRecord[]): DeliveryRecord[] {
  const byId = new Map(rows.map((r) => [r.id, r]));
  for (const r of page) {
    const had = byId.get(r.id);
    if (!had || had.updatedAt < r.updatedAt) byId.set(r.id, r);
  }
  return [...byId.values()].sort(newestFirst);
}

/**
 * A pushed delivery in the rows: replaces an older copy, and is listed if the filters match it and
 * it is not older than everything loaded while more pages are to come (it arrives with its page).
 */
function place(rows: DeliveryRecord[], r: DeliveryRecord, f: HistoryFilters, complete: boolean) {
  const had = rows.find((x) => x.id === r.id);
  if (had && had.updatedAt > r.updatedAt) return rows;
  const rest = rows.filter((x) => x.id !== r.id);
  const belongs = matches(r, f) && (complete || !rows.length || !comesAfter(r, rows.at(-1)!));
  return belongs ? [...rest, r].sort(newestFirst) : rest;
}
