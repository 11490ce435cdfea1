import assert from 'node:assert/strict';
import { describe, it } from '../helpers/node-test.js';
import fc from 'fast-check';
import { webhook } from '../../shared/channels/webhook.js';
import { slack } from '../../shared/channels/slack.js';
import { title } from '../../shared/event.js';
import { validateIntegration } from '../../shared/integration-validate.js';
import { applyTemplate, renderTemplate, templateSamples, validateTemplate } from '../../shared/template.js';
import { sampleEvent } from '../helpers/events.js';

describe('message templates', () => {
  it('fills the documented variables into title and text; defaults stay without a template', () => {
    const e = sampleEvent({ forecast: undefined });
    assert.equal(applyTemplate(e, {}), e);
    const t = applyTemplate(e, {
      title: '[{{state}}] {{mount}} on {{host}}: {{free_percent}}% free ({{free}})',
      text: 'was {{previous_state}} for {{duration}} at {{time}}. {{default_title}}',
    });
    assert.equal(title(t), '[critical] /data on host-1: 8.2% free (4.10 GiB)');
    assert.match(
      t.custom!.text!,
      /^was warning for 30 min at 2026-11-23T10:00:00.000Z\. Disk critical: \/data/,
    );
  });

  it('names an unknown variable and a stray brace on save, under the template field', () => {
    const errors = validateTemplate(
      { title: 'Disk {{mountpoint}} {{', text: 'ok' },
      templateSamples(),
      false,
    );
    assert.equal(errors.length, 2);
    assert.equal(errors[0]!.field, 'template.title');
    assert.match(
      errors[0]!.message,
      /\{\{mountpoint\}\} is not a variable; use one of \{\{host\}\}, \{\{mount\}\}/,
    );
    assert.match(errors[1]!.message, /"\{\{" or "\}\}" that is not part of a \{\{variable\}\}/);
  });

  it('refuses names of Object.prototype as variables, naming each under its field', () => {
    const names = ['constructor', '__proto__', 'toString', 'valueOf', 'hasOwnProperty'];
    const errors = validateTemplate(
      {
        title: names.map((n) => `x {{${n}}}`).join(' '),
        text: '{{ constructor }}',
        body: '{"a": "{{toString}}"}',
      },
      templateSamples(),
      true,
    );
    assert.deepEqual(
      errors.map((e) => `${e.field}: ${e.message.replace(/; use one of .*/, '')}`),
      [
        ...names.map((n) => `template.title: {{${n}}} is not a variable`),
        'template.text: {{constructor}} is not a variable',
        'template.body: {{toString}} is not a variable',
      ],
    );
  });

  it("renders a template it cannot use as Headroom's own message, saying why", () => {
    const e = sampleEvent();
    const broken = renderTemplate(e, { title: 'x {{constructor}}', text: '{{free}}' });
    assert.equal(broken.event, e, 'the event goes out unchanged: the default title and text');
    assert.equal(broken.problem, 'template.title: {{constructor}} is not a variable');
    const notJson = renderTemplate(e, { body: '{"mount": {{mount}}}' });
    assert.equal(notJson.event, e);
    assert.equal(notJson.problem, 'template.body: does not make valid JSON for this disk');
    const fine = renderTemplate(e, { title: '{{mount}} full' });
    assert.equal(fine.problem, undefined);
    assert.equal(title(fine.event), '/data full');
  });

  it('refuses a body for channels other than the webhook, and a body that is not JSON for some disk', () => {
    const r = validateIntegration({
      id: 'x-1',
      name: 'x',
      type: 'slack',
      createdAt: 0,
      updatedAt: 0,
      config: { webhookUrl: 'https://hooks.slack.com/services/T0/B0/abcdefgh' },
      template: { body: '{}' },
    });
    assert.ok(
      !r.ok && r.errors.some((e) => e.field === 'template.body' && /only the webhook/.test(e.message)),
    );
    const unquoted = validateTemplate({ body: '{"mount": {{mount}}}' }, templateSamples(), true);
    assert.equal(unquoted[0]?.field, 'template.body');
    assert.match(unquoted[0]!.message, /does not make valid JSON .* put text variables inside quotes/);
  });

  it('keeps a webhook body valid JSON whatever the mount is called (1,000 generated names)', async () => {
    const template = {
      body: '{"text": "{{default_title}}", "mount": "{{mount}}", "free": {{free_percent}}, "inodes": {{inode_percent}}}',
    };
    assert.deepEqual(validateTemplate(template, templateSamples(), true), []);
    const config = webhook.schema.parse({ url: 'https://example.test/hook' });
    await fc.assert(
      fc.asyncProperty(fc.string({ unit: 'binary', maxLength: 40 }), async (name) => {
        const e = applyTemplate(sampleEvent({ mount: `/mnt/${name}` }), template);
        const req = await webhook.render(e, config);
        const body = JSON.parse(req.body!);
        assert.equal(body.mount, `/mnt/${name}`);
        assert.equal(body.free, 8.2);
      }),
      { numRuns: 1000 },
    );
  });

  it('a template title goes out through every channel that shows a title (Slack here)', async () => {
    const e = applyTemplate(sampleEvent(), { title: '{{mount}} needs room' });
    const req = await slack.render(
      e,
      slack.schema.parse({ webhookUrl: 'https://hooks.slack.com/services/T/B/x1234' }),
    );
    assert.match(req.body!, /\/data needs room/);
  });
});
