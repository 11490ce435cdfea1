/**
 * Something the organisation's policy manages was to be changed on this machine: refused. Its own
 * module: the CLI's entry tells it apart from other errors without loading the policy reader.
 */
export class ManagedError extends Error {}
