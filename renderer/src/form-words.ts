import type { Field } from '../../shared/channels/channel.js';

/**
 * A message the shared checks word for the CLI ("is required with --auth bearer") in the form's
 * own words ("is required with Authentication “bearer”"): each `--flag [value]` becomes the label
 * of the field with that flag ("repeat --tag", for a list, "one a line"), so one set of checks
 * serves both.
 */
export function formWords(message: string, fields: readonly Field[]): string {
  // A list's values are given one per flag on the command line, one a line in the form.
  const list = (flag: string) => fields.some((x) => x.flag === flag && x.kind === 'list');
  return message
    .replace(/repeat --([a-z][a-z0-9-]*)/g, (all, flag: string) => (list(flag) ? 'one a line' : all))
    .replace(/--([a-z][a-z0-9-]*)(?: ([a-z0-9+]+)\b)?/g, (all, flag: string, value?: string) => {
      const f = fields.find((x) => x.flag === flag || `${x.flag}-file` === flag);
      if (!f) return all;
      if (value && f.options?.includes(value)) return `${f.label} “${value}”`;
      return value ? `${f.label} ${value}` : f.label;
    });
}

/** The settings' own names in a message, as the Settings form calls them ("the warning % free"). */
const SETTING_WORDS: Record<string, string> = {
  warningPercent: 'the warning % free',
  criticalPercent: 'the critical % free',
  warningGiB: 'the warning GiB free',
  criticalGiB: 'the critical GiB free',
  clearMarginPercent: 'the all-clear margin',
};

export const settingsWords = (message: string) =>
  message.replace(
    /\b(warningPercent|criticalPercent|warningGiB|criticalGiB|clearMarginPercent)\b/g,
    (k) => SETTING_WORDS[k] ?? k,
  );

/** What a form's status line says when fields need a fix: how many, pointing at where focus went. */
export const fixWords = (n: number) =>
  `Not saved: ${n === 1 ? 'one field needs' : `${n} fields need`} a fix (marked in red; the first one has the focus).`;
