import {
  useCallback,
  useEffect,
  useLayoutEffect,
  useRef,
  useState,
  type RefObject,
  type SetStateAction,
} from 'react';
import type { EventPayloads } from '../../shared/ipc/contract';
import type { EventName } from '../../shared/ipc/names';
import { onResync, subscribe, watchLink, type Link } from './client';

/**
 * Loads with `load()` and keeps the value; `reload` runs it again. Only the latest request's answer
 * is kept, and a value set meanwhile (a pushed event, a save) wins over answers still on their way:
 * the watcher may have read them before it, and they would show the past (a disk "ok" that is
 * in warning) until the next push.
 */
export function useLoad<T>(load: () => Promise<T>, deps: unknown[] = []) {
  const [value, setValue] = useState<T>();
  const [error, setError] = useState<string>();
  const asked = useRef(0);
  const reload = useCallback(() => {
    const mine = ++asked.current;
    setError(undefined); // a retry shows as loading again, not as the failure it retries
    load().then(
      (v) => {
        if (mine !== asked.current) return;
        setValue(v);
        setError(undefined);
      },
      (e: Error) => mine === asked.current && setError(e.message),
    );
  }, deps);
  const set = useCallback((v: SetStateAction<T | undefined>) => {
    asked.current++;
    setValue(v);
  }, []);
  useEffect(reload, [reload]);
  useResync(reload, [reload]);
  return { value, setValue: set, error, reload };
}

/** Runs `resync` when pushed events reach the page again after a loss (see client.ts `Link`). */
export function useResync(resync: () => void, deps: unknown[]) {
  useEffect(() => {
    const controller = new AbortController();
    onResync(resync, controller.signal);
    return () => controller.abort();
  }, deps);
}

/** The state of the link to the watcher, as it changes. */
export function useLink(): Link {
  const [link, setLink] = useState<Link>('connecting');
  useEffect(() => {
    const controller = new AbortController();
    watchLink(setLink, controller.signal);
    return () => controller.abort();
  }, []);
  return link;
}

/** Runs `listener` for every pushed event of this kind while the component is mounted. */
export function useEvent<E extends EventName>(
  event: E,
  listener: (payload: EventPayloads[E]) => void,
  deps: unknown[] = [],
) {
  useEffect(() => {
    const controller = new AbortController();
    subscribe(event, listener, controller.signal);
    return () => controller.abort();
  }, [event, ...deps]);
}

/** The hash route: `#/integrations?edit=webhook-1` → { page: 'integrations', params }. */
export function useRoute() {
  const read = () => {
    const [path = '', query = ''] = location.hash.replace(/^#\/?/, '').split('?');
    return { page: path || 'disks', params: new URLSearchParams(query) };
  };
  const [route, setRoute] = useState(read);
  useEffect(() => {
    const onChange = () => setRoute(read());
    addEventListener('hashchange', onChange);
    return () => removeEventListener('hashchange', onChange);
  }, []);
  return route;
}

/**
 * After a refused save, focus goes to the form's first field marked invalid (or to its summary),
 * so the keyboard and the screen reader land where the fix is. Returns `refuse`, called per refusal.
 */
export function useFocusOnRefusal(form: RefObject<HTMLFormElement | null>): () => void {
  const [refused, setRefused] = useState(0);
  useEffect(() => {
    if (!refused) return;
    const first = form.current?.querySelector<HTMLElement>('[aria-invalid="true"]');
    (first ?? form.current?.querySelector<HTMLElement>('.form-summary'))?.focus();
  }, [refused]);
  return useCallback(() => setRefused((n) => n + 1), []);
}

/** An element's width, followed as the window is resized. */
export function useWidth(ref: RefObject<HTMLElement | null>): number {
  const [width, setWidth] = useState(() => innerWidth);
  useLayoutEffect(() => {
    const el = ref.current;
    if (!el) return;
    setWidth(el.clientWidth);
    const observer = new ResizeObserver(() => setWidth(el.clientWidth));
    observer.observe(el);
    return () => observer.disconnect();
  });
  return width;
}
