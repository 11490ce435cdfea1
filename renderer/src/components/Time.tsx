import { formatRelative, formatTime } from '../../../shared/format';

/**
 * A moment, the one way Headroom shows it: local time with zone, or "5 min ago" with that time
 * on hover (and in `dateTime` for assistive tools).
 */
export function Time({ at, relative, seconds }: { at: number; relative?: boolean; seconds?: boolean }) {
  const absolute = formatTime(at, { seconds });
  return (
    <time dateTime={new Date(at).toISOString()} title={relative ? absolute : undefined}>
      {relative ? formatRelative(at, Date.now()) : absolute}
    </time>
  );
}
