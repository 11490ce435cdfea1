import { useId, useState } from 'react';
import { ManagedMark } from '../components/widgets';
import type { FieldErrors } from '../../../shared/ipc/contract';
import type { MountOverride } from '../../../shared/settings';
import { settingsWords } from '../form-words';
import { numberOrText } from '../numbers';

const KEYS = [
  ['warningPercent', 'Warning %', 'Warning below (% free)'],
  ['criticalPercent', 'Critical %', 'Critical below (% free)'],
  ['warningGiB', 'Warning GiB', 'Warning below (GiB free)'],
  ['criticalGiB', 'Critical GiB', 'Critical below (GiB free)'],
  ['clearMarginPercent', 'Clear margin', 'All clear only this many points above warning'],
] as const;
type Key = (typeof KEYS)[number][0];
const isGiB = (k: Key) => k.endsWith('GiB');

/** One mount's overrides as the form holds them: text per threshold, '' for "as above". */
export interface OverrideRow {
  mount: string;
  values: Record<Key, string>;
}

export function overridesToText(overrides: Record<string, MountOverride>): OverrideRow[] {
  return Object.entries(overrides).map(([mount, o]) => ({
    mount,
    values: Object.fromEntries(
      KEYS.map(([k]) => [k, o[k] === undefined ? '' : o[k] === null ? 'off' : String(o[k])]),
    ) as Record<Key, string>,
  }));
}

/** Back to settings: empty cells are left out (the global value applies), "off" GiB is null. */
export function overridesFrom(rows: OverrideRow[]): Record<string, Record<string, number | string | null>> {
  return Object.fromEntries(
    rows.map((r) => [
      r.mount,
      Object.fromEntries(
        KEYS.filter(([k]) => r.values[k].trim() !== '').map(([k]) => [
          k,
          numberOrText(r.values[k], isGiB(k)),
        ]),
      ),
    ]),
  );
}

/**
 * Thresholds for single mounts over the global ones: a table of mounts with the four values,
 * each optional. Errors come back per cell (`mountOverrides./data.criticalPercent`).
 */
export function MountOverrides({
  rows,
  onChange,
  errors,
  known,
  globals,
  disabled,
}: {
  rows: OverrideRow[];
  onChange: (rows: OverrideRow[]) => void;
  errors: FieldErrors;
  known: string[];
  globals: Record<string, string>;
  /** Managed by the organisation's policy: shown, not editable. */
  disabled?: boolean;
}) {
  const id = useId();
  const [adding, setAdding] = useState('');
  const taken = rows.some((r) => r.mount === adding.trim());
  const add = () => {
    const mount = adding.trim();
    if (!mount || taken) return;
    onChange([
      ...rows,
      { mount, values: Object.fromEntries(KEYS.map(([k]) => [k, ''])) as Record<Key, string> },
    ]);
    setAdding('');
  };
  // An error belongs to the row whose mount is the longest prefix of its field (mounts may hold dots).
  const ownerOf = (field: string) =>
    rows
      .map((r) => r.mount)
      .filter((m) => field === `mountOverrides.${m}` || field.startsWith(`mountOverrides.${m}.`))
      .sort((a, b) => b.length - a.length)[0];
  const mine = errors.filter((e) => e.field.startsWith('mountOverrides'));
  const unplaced = mine.filter((e) => ownerOf(e.field) === undefined);

  return (
    <fieldset className="stack" disabled={disabled}>
      <legend>Per-mount thresholds</legend>
      {disabled && <ManagedMark />}
      <p className="hint" id={`${id}-help`}>
        Thresholds for one mount instead of the ones above. An empty cell keeps the value above; “off” in a
        GiB cell switches the absolute threshold off for that mount.
      </p>
      {rows.length > 0 && (
        <table className="overrides-table">
          <thead>
            <tr>
              <th scope="col">Mount</th>
              {KEYS.map(([k, short]) => (
                <th key={k} scope="col">
                  {short}
                </th>
              ))}
              <th scope="col">
                <span className="sr-only">Remove</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {rows.map((row, i) => {
              const rowErrors = mine.filter((e) => ownerOf(e.field) === row.mount);
              const cellError = (k: Key) =>
                rowErrors.some((e) => e.field === `mountOverrides.${row.mount}.${k}`);
              const errorId = `${id}-row-${i}-error`;
              return [
                <tr key={row.mount} data-mount={row.mount}>
                  <th scope="row">{row.mount}</th>
                  {KEYS.map(([k, short, long]) => (
                    <td key={k} className={cellError(k) ? 'field-error' : undefined} data-label={short}>
                      <input
                        inputMode="decimal"
                        aria-label={`${long} for ${row.mount}`}
                        aria-invalid={cellError(k) ? true : undefined}
                        aria-describedby={rowErrors.length ? errorId : `${id}-help`}
                        value={row.values[k]}
                        placeholder={globals[k] || (isGiB(k) ? 'off' : '')}
                        onChange={(e) =>
                          onChange(
                            rows.map((r) =>
                              r === row ? { ...r, values: { ...r.values, [k]: e.target.value } } : r,
                            ),
                          )
                        }
                      />
                    </td>
                  ))}
                  <td>
                    <button
                      type="button"
                      aria-label={`Remove overrides for ${row.mount}`}
                      onClick={() => onChange(rows.filter((r) => r !== row))}
                    >
                      Remove
                    </button>
                  </td>
                </tr>,
                rowErrors.length > 0 && (
                  <tr key={`${row.mount}-errors`} className="row-errors">
                    <td colSpan={KEYS.length + 2}>
                      <p id={errorId} className="error" role="alert">
                        {rowErrors
                          .map((e) => {
                            const key = KEYS.find(([k]) => e.field === `mountOverrides.${row.mount}.${k}`);
                            return `${row.mount} ${key ? key[1] : ''}: ${settingsWords(e.message)}`.replace(
                              ' :',
                              ':',
                            );
                          })
                          .join('; ')}
                      </p>
                    </td>
                  </tr>
                ),
              ];
            })}
          </tbody>
        </table>
      )}
      <div className="add-row">
        <label htmlFor={`${id}-add`}>Add overrides for mount</label>
        <input
          id={`${id}-add`}
          list={`${id}-known`}
          value={adding}
          placeholder="/data"
          aria-invalid={taken ? true : undefined}
          aria-describedby={taken ? `${id}-taken` : undefined}
          onChange={(e) => setAdding(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === 'Enter') {
              e.preventDefault();
              add();
            }
          }}
        />
        <datalist id={`${id}-known`}>
          {known
            .filter((m) => !rows.some((r) => r.mount === m))
            .map((m) => (
              <option key={m} value={m} />
            ))}
        </datalist>
        <button type="button" onClick={add} disabled={!adding.trim() || taken}>
          Add
        </button>
      </div>
      {taken && (
        <p id={`${id}-taken`} className="hint">
          {adding.trim()} already has a row above.
        </p>
      )}
      {unplaced.length > 0 && (
        <p className="error" role="alert">
          {unplaced.map((e) => `${e.field}: ${settingsWords(e.message)}`).join('; ')}
        </p>
      )}
    </fieldset>
  );
}
