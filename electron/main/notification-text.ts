import { ALERT_KINDS } from '../../shared/alert-kinds.js';
import type { EventPayloads } from '../../shared/ipc/contract.js';
import { formatBytes, formatPercent } from '../../shared/format.js';
import { describeForecast, describePrediction } from '../../shared/forecast.js';
import { percentLimits } from '../../shared/thresholds.js';

/**
 * The native notification for a transition: a title that stands alone, a body with the figure
 * (never rounded across one of the alert's thresholds) and, for a disk still filling, the same
 * forecast the channels are told. A predictive warning says it is a forecast: no threshold has
 * been crossed, so "Disk space low" would misstate it.
 */
export function notificationText(t: EventPayloads['transition']): {
  title: string;
  body: string;
  urgent: boolean;
} {
  const { words } = ALERT_KINDS[t.kind];
  const raised = words.notification;
  const free =
    t.freePercent === null
      ? ''
      : `${formatPercent(t.freePercent, percentLimits(t.thresholds))}${words.of} free`;
  // The watcher sends no forecast with an all-clear; a stable or measuring one has no time to tell.
  const heading = t.forecast ? describeForecast(t.forecast) : null;
  const trend = heading ? ` ${heading[0]!.toUpperCase()}${heading.slice(1)}.` : '';
  const prediction = t.predicted && t.forecast ? describePrediction(t.forecast) : null;
  if (t.to === 'warning' && prediction) {
    const rate = t.forecast?.fillRateBytesPerSec
      ? `, filling at ${formatBytes(t.forecast.fillRateBytesPerSec)}/s`
      : '';
    return {
      title: `${t.mount} ${prediction}`,
      body: `A forecast at the current rate: ${free}${rate}. No threshold is crossed yet.`,
      urgent: false,
    };
  }
  switch (t.to) {
    case 'critical':
      return {
        title: `${raised.critical}: ${t.mount}`,
        body: `${free}${raised.why}. ${raised.act}${trend}`,
        urgent: true,
      };
    case 'warning':
      return t.from === 'critical'
        ? {
            title: `${words.heading} no longer critical: ${t.mount}`,
            body: `${free}, not clear of the warning threshold yet.${trend}`,
            urgent: false,
          }
        : { title: `${raised.warning}: ${t.mount}`, body: `${free}${raised.why}.${trend}`, urgent: false };
    case 'unreachable':
      return {
        title: `Disk unreachable: ${t.mount}`,
        body: 'It was unmounted, or stopped answering.',
        urgent: false,
      };
    case 'ok':
      return t.from === 'unreachable'
        ? { title: `Disk back: ${t.mount}`, body: `${free}.`, urgent: false }
        : { title: `All clear: ${t.mount}`, body: `Back to ${free}.`, urgent: false };
  }
}

/**
 * The alert's notification again, with what grew on the disk below its figure (shown in place of
 * the first one, which had to go out before the scan was done).
 */
export function withUsage(text: { title: string; body: string; urgent: boolean }, lines: string[]) {
  return { ...text, body: [text.body, ...lines].join('\n') };
}
