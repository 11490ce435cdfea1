import type { InputHTMLAttributes } from 'react';
import { DAYS } from '../../../shared/quiet';
import { FormField } from '../components/FormField';

export type Day = (typeof DAYS)[number];

/** Quiet hours as the form holds them: kept while switched off, so ticking it again restores them. */
export interface QuietForm {
  enabled: boolean;
  days: Day[];
  start: string;
  end: string;
  critical: 'send' | 'hold';
}

export interface RemindersForm {
  warningHours: string;
  criticalHours: string;
}

const DAY_NAMES: Record<Day, string> = {
  sun: 'Sunday',
  mon: 'Monday',
  tue: 'Tuesday',
  wed: 'Wednesday',
  thu: 'Thursday',
  fri: 'Friday',
  sat: 'Saturday',
};

type ErrorOf = (field: string) => string;

const hours = { inputMode: 'decimal', placeholder: 'off' } as const;

/**
 * Draws the text inputs of a section the form keeps as an object of strings: each one's errors
 * and changes go by the field's full name (`quietHours.start`).
 */
function inputsOf<F extends object>(
  value: F,
  section: string,
  errorOf: ErrorOf,
  onChange: (value: F, field: string) => void,
) {
  return (
    key: keyof F & string,
    label: string,
    attrs: InputHTMLAttributes<HTMLInputElement>,
    help?: string,
  ) => (
    <FormField label={label} error={errorOf(`${section}.${key}`)} help={help}>
      {(p) => (
        <input
          {...p}
          {...attrs}
          value={String(value[key])}
          onChange={(e) => onChange({ ...value, [key]: e.target.value }, `${section}.${key}`)}
        />
      )}
    </FormField>
  );
}

/** Non-critical notifications are held during these hours and summed up afterwards. */
export function QuietHoursFields({
  value: q,
  onChange,
  errorOf,
}: {
  value: QuietForm;
  onChange: (q: QuietForm, field: string) => void;
  errorOf: ErrorOf;
}) {
  const daysError = errorOf('quietHours.days');
  const input = inputsOf(q, 'quietHours', errorOf, onChange);
  return (
    <fieldset className="stack">
      <legend>Quiet hours</legend>
      <label className="inline">
        <input
          type="checkbox"
          checked={q.enabled}
          onChange={(e) => onChange({ ...q, enabled: e.target.checked }, 'quietHours')}
        />{' '}
        Hold notifications during quiet hours
      </label>
      {q.enabled && (
        <>
          <fieldset className={`days${daysError ? ' field-error' : ''}`}>
            <legend>Days</legend>
            {DAYS.map((d) => (
              <label key={d} className="inline day">
                <input
                  type="checkbox"
                  aria-label={DAY_NAMES[d]}
                  checked={q.days.includes(d)}
                  onChange={(e) =>
                    onChange(
                      {
                        ...q,
                        // Kept in the week's order, whatever order they were ticked in.
                        days: DAYS.filter((x) => (x === d ? e.target.checked : q.days.includes(x))),
                      },
                      'quietHours.days',
                    )
                  }
                />
                <span aria-hidden="true">{DAY_NAMES[d].slice(0, 3)}</span>
              </label>
            ))}
            {daysError && (
              <p className="error" role="alert">
                Days: {daysError}
              </p>
            )}
          </fieldset>
          <div className="pairs">
            {input('start', 'Quiet from', { type: 'time' })}
            {input(
              'end',
              'Quiet until',
              { type: 'time' },
              "Earlier than the start: runs past midnight (22:00 → 07:00). This machine's local time.",
            )}
          </div>
          <label className="inline">
            <input
              type="checkbox"
              checked={q.critical === 'send'}
              onChange={(e) =>
                onChange({ ...q, critical: e.target.checked ? 'send' : 'hold' }, 'quietHours.critical')
              }
            />{' '}
            Critical alerts break through quiet hours
          </label>
        </>
      )}
    </fieldset>
  );
}

/** Repeat a notification while a disk stays warning or critical; empty is off. */
export function RemindersFields({
  value,
  onChange,
  errorOf,
}: {
  value: RemindersForm;
  onChange: (r: RemindersForm, field: string) => void;
  errorOf: ErrorOf;
}) {
  const input = inputsOf(value, 'reminders', errorOf, onChange);
  return (
    <fieldset className="stack">
      <legend>Reminders</legend>
      <p className="hint">
        While a disk stays in the state, notify again every so many hours. Empty: no reminders.
      </p>
      <div className="pairs">
        {input('warningHours', 'Remind while warning, every (hours)', hours)}
        {input('criticalHours', 'Remind while critical, every (hours)', hours)}
      </div>
    </fieldset>
  );
}
