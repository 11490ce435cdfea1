import type { HTMLAttributes } from 'react';
import { FormField } from '../components/FormField';

/**
 * One setting typed as text, with its help and its error beside it. A setting the organisation's
 * policy file sets is shown, marked and not editable.
 */
export function SettingInput({
  setting,
  id = `s-${setting}`,
  label,
  help,
  error,
  managed,
  value,
  placeholder,
  inputMode,
  onChange,
}: {
  setting: string;
  id?: string;
  label: string;
  help?: string;
  error?: string;
  managed: boolean;
  value: string;
  placeholder?: string;
  inputMode?: HTMLAttributes<HTMLInputElement>['inputMode'];
  onChange: (value: string) => void;
}) {
  return (
    <FormField
      id={id}
      label={label}
      help={help}
      error={error}
      managedId={managed ? `s-${setting}-managed` : undefined}
    >
      {(p) => (
        <input
          {...p}
          inputMode={inputMode}
          value={value}
          disabled={managed}
          placeholder={placeholder}
          onChange={(e) => onChange(e.target.value)}
        />
      )}
    </FormField>
  );
}
