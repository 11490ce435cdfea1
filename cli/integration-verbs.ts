/**
 * `headroom integration` subcommands, and the Web PaaS CLI's names for two of them
 * (`integration:update` is edit). Apart from the command so that `main` can resolve
 * `integration:add` without loading it.
 */
export const VERBS = [
  'add',
  'list',
  'get',
  'edit',
  'enable',
  'disable',
  'remove',
  'validate',
  'test',
] as const;
export const VERB_ALIASES: Record<string, (typeof VERBS)[number]> = { update: 'edit', delete: 'remove' };
export const INTEGRATION_VERBS: readonly string[] = [...VERBS, ...Object.keys(VERB_ALIASES)];
