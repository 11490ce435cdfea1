import type * as z from 'zod';
import { classifyStatus, type HttpRequest, type Outcome } from '../http-outcome.js';
import type { Channel } from './channel.js';
import { bodyText, endpointUrl, linkSetting, safeJson, USER_AGENT, webhookUrlSetting } from './common.js';
import { channelSettings } from './settings.js';
import { limits, teamsMessage } from './teams-card.js';

// Microsoft Teams through a Workflows (Power Automate) webhook: "Create incoming webhooks with
// Workflows for Microsoft Teams",
// https://support.microsoft.com/office/create-incoming-webhooks-with-workflows-for-microsoft-teams-8ae491c7-0394-4861-ba59-055e33f75498
// The flow's trigger ("When a Teams webhook request is received") takes the message Office 365
// connectors took, with Adaptive Cards only; its next step posts each card to the channel.

const SETUP =
  'in Teams, the channel → ⋯ → Workflows → "Post to a channel when a webhook request is received", then copy the URL it gives';

/**
 * Where Workflows webhooks live: Logic Apps' hosts (prod-NN.<region>.logic.azure.com, among
 * Power Automate's services: https://learn.microsoft.com/power-automate/ip-address-configuration),
 * and, for workflows made since 2025, the environment's Power Platform API
 * (<env>.<nn>.environment.api.powerplatform.com:443/powerautomate/automations/direct/…, as users
 * found: https://github.com/polymind-inc/acmebot/issues/869). Another host (a government cloud,
 * a gateway) is taken when its path and signature are a workflow trigger's.
 */
const WORKFLOW_HOSTS = ['.logic.azure.com', '.environment.api.powerplatform.com'];
/** A manual trigger's URL path (…/workflows/<id>/triggers/manual/paths/invoke). */
const TRIGGER_PATH =
  /^(?:\/powerautomate\/automations\/direct)?\/workflows\/[\w-]+\/triggers\/[^/]+\/paths\/invoke\/?$/i;

/**
 * Office 365 connectors' incoming webhooks, which Microsoft retired in Teams
 * (https://devblogs.microsoft.com/microsoft365dev/retirement-of-office-365-connectors-within-microsoft-teams/):
 * https://<tenant>.webhook.office.com/webhookb2/…, and before it outlook.office.com/webhook/….
 */
function isOfficeConnector(url: URL): boolean {
  const host = url.hostname.toLowerCase();
  return (
    host === 'webhook.office.com' ||
    host.endsWith('.webhook.office.com') ||
    (/^outlook\.office(365)?\.com$/.test(host) && url.pathname.toLowerCase().startsWith('/webhook'))
  );
}

/**
 * What is wrong with a URL as a Workflows webhook, told offline (nothing can ask one without
 * posting); null when it has the form.
 */
function workflowUrlProblem(value: string): string | null {
  if (!URL.canParse(value)) return null; // endpointUrl says so
  const url = new URL(value);
  if (isOfficeConnector(url))
    return `is an Office 365 connector URL, and Microsoft has retired Office 365 connectors in Teams: create a Workflows webhook instead (${SETUP})`;
  if (!TRIGGER_PATH.test(url.pathname)) {
    const host = url.hostname.toLowerCase();
    return WORKFLOW_HOSTS.some((h) => host.endsWith(h))
      ? `is not a workflow trigger's URL (…/workflows/<id>/triggers/manual/paths/invoke?…): copy the whole URL from the workflow's trigger`
      : `is not a Teams Workflows URL (its host ends in ${WORKFLOW_HOSTS.join(' or ')}): ${SETUP}`;
  }
  if (!url.searchParams.get('sig'))
    return (
      'has no sig= signature: copy the whole URL again; a URL without one belongs to a trigger that ' +
      'only signed-in users may call, so set the trigger\'s "Who can trigger the flow" to Anyone first'
    );
  return null;
}

const { schema, fields } = channelSettings({
  ...webhookUrlSetting(`The workflow's webhook URL: ${SETUP} (the URL is the secret).`, () =>
    endpointUrl('the webhook URL').superRefine((value, ctx) => {
      const problem = workflowUrlProblem(value);
      if (problem) ctx.addIssue({ code: 'custom', message: problem });
    }),
  ),
  ...linkSetting,
});

export type TeamsConfig = z.output<typeof schema>;

/** The error Logic Apps answers with: `{"error":{"code":"…","message":"…"}}`. */
function workflowError(body: string): { code: string; message: string } | undefined {
  const error = (safeJson(body) as { error?: { code?: unknown; message?: unknown } } | undefined)?.error;
  if (typeof error?.code !== 'string') return undefined;
  return { code: error.code, message: typeof error.message === 'string' ? error.message : '' };
}

/**
 * What a 202 proves: the flow was started with the card, not that it posted it. A flow accepts,
 * then can fail in its own steps (a card it cannot post, a connection that expired): that shows
 * only in the flow's run history.
 */
const ACCEPTED = 'the workflow accepted it; Teams shows it once the flow has run';
const ACCEPTED_TEST = `${ACCEPTED} (if it does not appear, the flow's run history in Teams → Workflows says why)`;

export const teams: Channel<TeamsConfig> = {
  type: 'teams',
  label: 'Microsoft Teams',
  aliases: [],
  fields,
  schema,
  limits,

  render(event, config): HttpRequest {
    return {
      method: 'POST',
      url: config.webhookUrl,
      headers: { 'content-type': 'application/json', 'user-agent': USER_AGENT },
      body: JSON.stringify(teamsMessage(event, config.linkUrl)),
    };
  },

  // Statuses: Logic Apps' request trigger (https://learn.microsoft.com/azure/connectors/connectors-native-reqres):
  // 202 Accepted once the run starts (200 from a flow with its own Response step), errors as
  // {"error":{"code","message"}}, 429 with Retry-After when the flow is throttled. The codes below
  // are the ones users of Teams workflows meet (WorkflowTriggerIsNotEnabled for a flow turned off
  // or deleted, DirectApiAuthorizationRequired, TriggerInputSchemaMismatch); Microsoft lists none.
  classify(res, event, _config, now): Outcome {
    if (res.status === 200 || res.status === 202)
      return { kind: 'delivered', note: event.test ? ACCEPTED_TEST : ACCEPTED };
    const error = workflowError(res.body);
    const said = error ? `${error.code}${error.message ? `: ${error.message}` : ''}` : bodyText(res.body);
    const failed = (reason: 'authError' | 'vendorError', message: string): Outcome => ({
      kind: 'failed',
      reason,
      message: `Teams Workflows: ${message} (HTTP ${res.status}${said ? `, ${said}` : ''})`,
    });
    // A flow turned off answers this, and so does a deleted one ("… state 'Deleted'").
    if (error?.code === 'WorkflowTriggerIsNotEnabled')
      return failed(
        'vendorError',
        'the workflow is turned off or was deleted: turn it on in Teams → Workflows, or create a new one and give its URL',
      );
    if (res.status === 404)
      return failed(
        'vendorError',
        'no such workflow (deleted, or its URL cut short): copy its URL again, or create a new one and give its URL',
      );
    if (error?.code === 'DirectApiAuthorizationRequired')
      return failed(
        'authError',
        'the trigger only takes signed-in users: set its "Who can trigger the flow" to Anyone and give the new URL',
      );
    if (res.status === 401 || res.status === 403)
      return failed(
        'authError',
        "the URL's signature was refused: copy the whole URL again from the workflow",
      );
    if (error?.code === 'TriggerInputSchemaMismatch')
      return failed(
        'vendorError',
        "the trigger's request body schema does not fit the card: clear the schema in the workflow's trigger",
      );
    if (res.status === 400) return failed('vendorError', 'the workflow rejected the message');
    return classifyStatus(res, now);
  },
};
