import { useId } from 'react';
import type { Field } from '../../../shared/channels/channel';

/**
 * One field of a channel's settings, drawn by its kind (a choice, a list or PEM text, a line).
 * A saved secret shows only that it is set, with a button to remove it.
 */
export function ChannelFieldInput({
  field: f,
  value,
  isSet,
  saved,
  error,
  onChange,
  onClear,
}: {
  field: Field;
  value: string;
  isSet: boolean;
  /** What a saved secret shows of itself (header names, values masked). */
  saved?: string[];
  error: string;
  onChange: (v: string) => void;
  onClear: () => void;
}) {
  const id = useId();
  const described = `${id}-help${error ? ` ${id}-error` : ''}`;
  const common = { id, 'aria-describedby': described, 'aria-invalid': error ? true : undefined } as const;
  let input;
  if (f.kind === 'select') {
    input = (
      <select {...common} value={value || f.options?.[0]} onChange={(e) => onChange(e.target.value)}>
        {f.options?.map((o) => (
          <option key={o} value={o}>
            {o}
          </option>
        ))}
      </select>
    );
  } else if (f.kind === 'list' || f.kind === 'pem') {
    input = (
      <>
        <textarea
          {...common}
          rows={f.kind === 'pem' ? 4 : 2}
          value={value}
          placeholder={
            isSet
              ? saved?.length
                ? `Saved: ${saved.join(', ')} — leave empty to keep`
                : 'Saved — leave empty to keep'
              : f.kind === 'pem'
                ? '-----BEGIN …'
                : (f.placeholder ?? 'Name: value (one per line)')
          }
          onChange={(e) => onChange(e.target.value)}
        />
        {f.kind === 'pem' && (
          <input
            type="file"
            aria-label={`${f.label} file`}
            accept=".pem,.crt,.key,.cer"
            onChange={(e) => e.target.files?.[0]?.text().then(onChange)}
          />
        )}
      </>
    );
  } else {
    input = (
      <input
        {...common}
        type={f.secret ? 'password' : f.kind === 'url' ? 'url' : 'text'}
        autoComplete="off"
        value={value}
        placeholder={isSet ? 'Saved — leave empty to keep' : f.placeholder}
        onChange={(e) => onChange(e.target.value)}
      />
    );
  }
  return (
    <div className={`field${error ? ' field-error' : ''}`}>
      <label htmlFor={id}>
        {f.label}
        {f.secret && <span className="hint"> (secret)</span>}
      </label>
      {input}
      <p id={`${id}-help`} className="hint">
        {f.help}
        {isSet && (
          <>
            {' '}
            <button type="button" className="link" onClick={onClear}>
              Remove saved value
            </button>
          </>
        )}
      </p>
      {error && (
        <p id={`${id}-error`} className="error" role="alert">
          {f.label}: {error}
        </p>
      )}
    </div>
  );
}
