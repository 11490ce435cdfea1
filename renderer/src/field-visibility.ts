import type { Field } from '../../shared/channels/channel.js';

/**
 * Whether the form shows a field, by its `showWhen`: the other field's value as typed, else
 * "set" for a saved write-only value (a secret the form never gets back), else the first option
 * of a select. So a Slack integration saved with its incoming webhook URL hides the bot's API URL
 * as one being typed does.
 */
export function fieldShown(
  field: Field,
  fields: readonly Field[],
  values: Readonly<Record<string, string>>,
  savedSecret: (key: string) => boolean,
): boolean {
  const when = field.showWhen;
  if (!when) return true;
  const value =
    values[when.key] ||
    (savedSecret(when.key) ? 'set' : '') ||
    fields.find((x) => x.key === when.key)?.options?.[0] ||
    '';
  return when.in.includes(value);
}
