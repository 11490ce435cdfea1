import { useId, type ReactNode } from 'react';

/** What a control needs to be tied to its label, help and error. */
export interface ControlProps {
  id: string;
  'aria-describedby': string;
  'aria-invalid': true | undefined;
}

/**
 * One labelled control with its help and its error beside it (the error names the field, so a
 * screen reader hears which one). The control itself comes from `children`.
 */
export function FormField({
  label,
  help,
  error,
  children,
}: {
  label: string;
  help?: ReactNode;
  error?: string;
  children: (props: ControlProps) => ReactNode;
}) {
  const id = useId();
  const describedBy = [help ? `${id}-help` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ');
  return (
    <div className={`field${error ? ' field-error' : ''}`}>
      <label htmlFor={id}>{label}</label>
      {children({ id, 'aria-describedby': describedBy, 'aria-invalid': error ? true : undefined })}
      {help && (
        <p id={`${id}-help`} className="hint">
          {help}
        </p>
      )}
      {error && (
        <p id={`${id}-error`} className="error" role="alert">
          {label}: {error}
        </p>
      )}
    </div>
  );
}
