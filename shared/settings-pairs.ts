import type { FieldError } from './validation.js';

/**
 * The rules between two global settings (settings.ts puts each error on the first: "critical must
 * be below warning"), and the same rule worded from the other side, naming the first.
 */
const PAIRS: Record<string, { other: string; said: (v: Record<string, unknown>) => string }> = {
  criticalPercent: {
    other: 'warningPercent',
    said: (v) => `must be above criticalPercent (${String(v.criticalPercent)})`,
  },
  criticalGiB: { other: 'warningGiB', said: (v) => `must be above criticalGiB (${String(v.criticalGiB)})` },
  clearMarginPercent: {
    other: 'warningPercent',
    said: (v) =>
      `must be below ${100 - Number(v.clearMarginPercent)}: with clearMarginPercent at ${String(v.clearMarginPercent)} points, the alert could never clear`,
  },
};

/**
 * The errors with each broken rule between two settings put on the one that was changed: raising
 * warningPercent to 5 is what breaks "critical (10) below warning", so warningPercent is the field
 * to fix, not criticalPercent, which nobody touched. Changed both, or neither: as the rule says.
 */
export function onChangedSide(
  errors: FieldError[],
  changed: readonly string[],
  values: Record<string, unknown>,
): FieldError[] {
  return errors.map((e) => {
    const pair = PAIRS[e.field];
    return pair && !changed.includes(e.field) && changed.includes(pair.other)
      ? { field: pair.other, message: pair.said(values) }
      : e;
  });
}
