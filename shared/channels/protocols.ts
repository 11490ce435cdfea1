/**
 * What the status of a channel's answers is: an HTTP status for every channel but e-mail, whose
 * answers are SMTP reply codes (250, 451, 550; see core/delivery/smtp-transport.ts), so that a
 * result never says "HTTP 250". Kept apart from the adapters, which the window does not load.
 */
const SMTP_TYPES: ReadonlySet<string> = new Set(['email']);

export type AnswerProtocol = 'HTTP' | 'SMTP';

export const protocolOf = (type: string | undefined): AnswerProtocol =>
  type !== undefined && SMTP_TYPES.has(type) ? 'SMTP' : 'HTTP';

/** "HTTP 200", "SMTP 250". */
export const statusLabel = (type: string | undefined, status: number): string =>
  `${protocolOf(type)} ${status}`;
