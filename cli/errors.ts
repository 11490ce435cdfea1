/**
 * The command line is wrong — an unknown command or option, a missing or malformed value, a value
 * the rules refuse, an id that names nothing — so nothing was done. Printed as-is, without a stack
 * trace; exit code 2 (3 for `check`, whose codes follow the Nagios plugin convention).
 */
export class UserError extends Error {}

/**
 * The command was understood but the work could not be done (another process already watches,
 * the port is taken). Printed as-is; exit code 1 (3 for `check`).
 */
export class CommandFailed extends Error {}
