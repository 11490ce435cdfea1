import { useEffect, useId, useState } from 'react';
import type { FieldErrors, Input } from '../../../shared/ipc/contract';
import { api } from '../client';
import { failureErrors } from './integration-form-values';

export const PREVIEW_STATES = ['warning', 'critical', 'ok', 'unreachable'] as const;
export type PreviewState = (typeof PREVIEW_STATES)[number];

export interface Preview {
  title: string;
  text: string;
  truncated: boolean;
  body?: string;
}

/**
 * Inline validation and the preview, from the same adapter and template code that sends: asked a
 * moment after the last change. `onChecked` gets the errors found in what the preview checks.
 */
export function usePreview(
  request: () => Input<'integrations.preview'>,
  onChecked: (found: FieldErrors) => void,
  deps: unknown[],
): Preview | undefined {
  const [preview, setPreview] = useState<Preview>();
  useEffect(() => {
    // An answer about values since changed is dropped: arriving late, it would put back an error
    // already fixed ("URL is required" under a filled URL).
    let current = true;
    const timer = setTimeout(() => {
      api['integrations.preview'](request()).then(
        (r) => {
          if (!current) return;
          onChecked('errors' in r ? r.errors : []);
          setPreview('errors' in r ? undefined : r);
        },
        (e: unknown) => {
          if (!current) return;
          const found = failureErrors(e);
          if (found) onChecked(found);
          setPreview(undefined);
        },
      );
    }, 250);
    return () => {
      current = false;
      clearTimeout(timer);
    };
    // Re-validate whenever a value changes.
  }, deps);
  return preview;
}

/** The message as the channel would send it, for the state chosen in "Preview as". */
export function MessagePreview({
  preview,
  previewAs,
  onPreviewAs,
}: {
  preview?: Preview;
  previewAs: PreviewState;
  onPreviewAs: (s: PreviewState) => void;
}) {
  const formId = useId();
  return (
    <section className="preview" aria-labelledby={`${formId}-preview`}>
      <div className="preview-head">
        <h3 id={`${formId}-preview`}>Preview</h3>
        <label className="inline" htmlFor={`${formId}-preview-as`}>
          Preview as
        </label>
        <select
          id={`${formId}-preview-as`}
          value={previewAs}
          onChange={(e) => onPreviewAs(e.target.value as PreviewState)}
        >
          {PREVIEW_STATES.map((s) => (
            <option key={s} value={s}>
              {s === 'ok' ? 'all-clear' : s}
            </option>
          ))}
        </select>
      </div>
      {preview ? (
        <div className="preview-message">
          {preview.truncated && <p className="hint">Cut to the channel’s limit.</p>}
          <strong className="preview-title">{preview.title}</strong>
          {/* Channels whose text repeats the title as its first line: shown once. */}
          <pre>
            {preview.text.startsWith(preview.title)
              ? preview.text.slice(preview.title.length).trimStart()
              : preview.text}
          </pre>
          {preview.body !== undefined && (
            <>
              <p className="hint">Body</p>
              <pre className="code">{preview.body}</pre>
            </>
          )}
        </div>
      ) : (
        <p className="hint">Shown once the fields above are valid.</p>
      )}
    </section>
  );
}
