/**
 * A form field's text as a settings value: a number, null (empty or "off", where the setting can
 * be switched off), or the text itself, so that the settings schema refuses it with its own words.
 * (`Number('abc')` is NaN, which JSON turns into null: that would switch a setting off silently.)
 */
export function numberOrText(text: string, nullable: boolean): number | string | null {
  const t = text.trim();
  if (t === '' || (nullable && /^off$/i.test(t))) return nullable ? null : '';
  const n = Number(t);
  return Number.isFinite(n) ? n : t;
}
