/** An error the user can fix: printed as-is, without a stack trace. */
export class UserError extends Error {}
