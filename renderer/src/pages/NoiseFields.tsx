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
            <FormField label="Quiet from" error={errorOf('quietHours.start')}>
              {(p) => (
                <input
                  {...p}
                  type="time"
                  value={q.start}
                  onChange={(e) => onChange({ ...q, start: e.target.value }, 'quietHours.start')}
                />
              )}
            </FormField>
            <FormField
              label="Quiet until"
              error={errorOf('quietHours.end')}
              help="Earlier than the start: runs past midnight (22:00 → 07:00). This machine's local time."
            >
              {(p) => (
                <input
                  {...p}
                  type="time"
                  value={q.end}
                  onChange={(e) => onChange({ ...q, end: e.target.value }, 'quietHours.end')}
                />
              )}
            </FormField>
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
  const field = (key: keyof RemindersForm, label: string) => (
    <FormField label={label} error={errorOf(`reminders.${key}`)}>
      {(p) => (
        <input
          {...p}
          inputMode="decimal"
          placeholder="off"
          value={value[key]}
          onChange={(e) => onChange({ ...value, [key]: e.target.value }, `reminders.${key}`)}
        />
      )}
    </FormField>
  );
  return (
    <fieldset className="stack">
      <legend>Reminders</legend>
      <p className="hint">
        While a disk stays in the state, notify again every so many hours. Empty: no reminders.
      </p>
      <div className="pairs">
        {field('warningHours', 'Remind while warning, every (hours)')}
        {field('criticalHours', 'Remind while critical, every (hours)')}
      </div>
    </fieldset>
  );
}
