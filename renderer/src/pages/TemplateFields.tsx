import { TEMPLATE_VARIABLES } from '../../../shared/template';
import { FormField } from '../components/FormField';

export interface TemplateForm {
  title: string;
  text: string;
  body: string;
}

/** The integration's own message, with `{{variables}}`; empty fields keep Headroom's own. */
export function TemplateFields({
  value: t,
  withBody,
  onChange,
  errorOf,
}: {
  value: TemplateForm;
  /** Only the generic webhook sends a body of the user's own. */
  withBody: boolean;
  onChange: (t: TemplateForm, field: string) => void;
  errorOf: (field: string) => string;
}) {
  const set = (key: keyof TemplateForm, v: string) => onChange({ ...t, [key]: v }, `template.${key}`);
  return (
    <fieldset className="stack">
      <legend>Message template</legend>
      <p className="hint">Empty: Headroom’s own wording. Use {'{{variables}}'} from the list below.</p>
      <FormField label="Title" error={errorOf('template.title')}>
        {(p) => (
          <input
            {...p}
            value={t.title}
            placeholder="{{mount}} on {{host}}: {{state}}"
            onChange={(e) => set('title', e.target.value)}
          />
        )}
      </FormField>
      <FormField label="Text" error={errorOf('template.text')}>
        {(p) => (
          <textarea
            {...p}
            rows={3}
            value={t.text}
            placeholder="{{free}} free ({{free_percent}}%). {{forecast}}"
            onChange={(e) => set('text', e.target.value)}
          />
        )}
      </FormField>
      {withBody && (
        <FormField
          label="Body (JSON)"
          error={errorOf('template.body')}
          help={
            <>
              Sent instead of Headroom’s own JSON. Put text variables inside quotes, e.g.{' '}
              <code>{'"mount": "{{mount}}"'}</code>.
            </>
          }
        >
          {(p) => (
            <textarea
              {...p}
              className="code"
              rows={5}
              value={t.body}
              placeholder={'{"text": "{{default_title}}", "mount": "{{mount}}", "free": {{free_percent}}}'}
              onChange={(e) => set('body', e.target.value)}
            />
          )}
        </FormField>
      )}
      <details className="variables">
        <summary>Variables</summary>
        <dl>
          {Object.entries(TEMPLATE_VARIABLES).map(([name, v]) => (
            <div key={name}>
              <dt>
                <code>{`{{${name}}}`}</code>
              </dt>
              <dd>{v.help}</dd>
            </div>
          ))}
        </dl>
      </details>
    </fieldset>
  );
}
