import { json, type Received, type Reply } from './receiver.js';
import { cardProblems } from './adaptive-card.js';

/**
 * A Teams Workflows webhook ("When a Teams webhook request is received", then "Post card in a
 * chat or channel" for each attachment), answering as Logic Apps does: 202 once a run starts,
 * errors as {"error":{"code","message"}}. Like the real one it accepts a message it then fails
 * to post (the run fails inside the flow): such runs land in `failedRuns`, with why, and a test
 * must find none. Each card is checked against the Adaptive Card schema, the message around it
 * as Microsoft's "Send Adaptive Cards using an Incoming Webhook" gives it, and the whole against
 * Teams' 28 KB.
 */
export function teamsWorkflowMock(options: { state?: 'Enabled' | 'Disabled' | 'Deleted' } = {}) {
  const posted: { body: unknown[]; actions?: unknown[]; style?: string }[] = [];
  const failedRuns: string[] = [];
  const error = (status: number, code: string, message: string) => json(status, { error: { code, message } });
  const handle = (r: Received): Reply => {
    const url = new URL(r.url, 'https://prod-00.westeurope.logic.azure.com');
    const flow = /^\/workflows\/([\w-]+)\/triggers\/manual\/paths\/invoke$/.exec(url.pathname)?.[1];
    if (r.method !== 'POST' || !flow)
      return error(404, 'WorkflowNotFound', `The workflow '${flow ?? ''}' could not be found.`);
    if (!url.searchParams.get('sig'))
      return error(
        401,
        'DirectApiAuthorizationRequired',
        'The request must be authenticated only by Shared Access scheme.',
      );
    const state = options.state ?? 'Enabled';
    if (state !== 'Enabled')
      return error(
        400,
        'WorkflowTriggerIsNotEnabled',
        `The workflow '${flow}' trigger 'manual' is not enabled: its state is '${state}'.`,
      );
    let message: {
      type?: unknown;
      attachments?: { contentType?: unknown; contentUrl?: unknown; content?: never }[];
    };
    try {
      message = JSON.parse(r.body);
    } catch {
      return error(400, 'InvalidRequestContent', 'The request content is not valid JSON.');
    }
    // Accepted from here on: what goes wrong now goes wrong in the run.
    const problems: string[] = [];
    if (Buffer.byteLength(r.body) > 28_000)
      problems.push(`the message is ${Buffer.byteLength(r.body)} bytes, over 28 KB`);
    if (message.type !== 'message') problems.push('type is not "message"');
    if (!Array.isArray(message.attachments) || message.attachments.length === 0)
      problems.push('no attachments');
    for (const a of message.attachments ?? []) {
      if (a.contentType !== 'application/vnd.microsoft.card.adaptive')
        problems.push(`contentType ${String(a.contentType)}`);
      if (a.contentUrl !== null) problems.push('contentUrl is not null');
      problems.push(...cardProblems(a.content));
    }
    if (problems.length) failedRuns.push(problems.join('; '));
    else for (const a of message.attachments!) posted.push(a.content!);
    return { status: 202, body: '' };
  };
  return { handle, posted, failedRuns };
}
