import type { AlertEvent } from '../../../shared/event.js';
import type { Attempt } from '../../../shared/history.js';
import type { Integration } from '../../../shared/integration.js';
import { renderTemplate } from '../../../shared/template.js';

/**
 * The template stage: the event with the integration's own title, text or body. A template that
 * cannot be rendered does not stop the alert: it goes out with Headroom's own message, and the
 * note (added to the attempt's, then the record's reason) says so.
 */
export function templated(
  event: AlertEvent,
  template: Integration['template'],
): { event: AlertEvent; note?: string } {
  const { event: rendered, problem } = renderTemplate(event, template);
  if (!problem) return { event: rendered };
  return {
    event: rendered,
    note: `the message template could not be rendered (${problem}), so Headroom's own message was used`,
  };
}

/** The attempt with the template's note first, before what the receiver said. */
export function notedAttempt(attempt: Attempt, note: string | undefined): Attempt {
  if (!note) return attempt;
  return { ...attempt, note: [note, attempt.note].filter(Boolean).join('; ') };
}
