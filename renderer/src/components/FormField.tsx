import { useId, type ReactNode } from 'react';
import { ManagedMark } from './widgets';

/** What a control needs to be tied to its label, help and error. */
export interface ControlProps {
  id: string;
  'aria-describedby': string;
  'aria-invalid': true | undefined;
}

/**
 * One labelled control with its help and its error beside it (the error names the field, so a
 * screen reader hears which one). The control itself comes from `children`. `managedId`: the
 * organisation's policy file sets it, said beside the control under that id.
 */
export function FormField({
  label,
  help,
  error,
  id: givenId,
  managedId,
  children,
}: {
  label: string;
  help?: ReactNode;
  error?: string;
  id?: string;
  managedId?: string;
  children: (props: ControlProps) => ReactNode;
}) {
  const ownId = useId();
  const id = givenId ?? ownId;
  const describedBy = [help ? `${id}-help` : '', error ? `${id}-error` : '', managedId ?? '']
    .filter(Boolean)
    .join(' ');
  return (
    <div className={`field${error ? ' field-error' : ''}`}>
      <label htmlFor={id}>{label}</label>
      {children({ id, 'aria-describedby': describedBy, 'aria-invalid': error ? true : undefined })}
      {managedId && <ManagedMark id={managedId} />}
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
