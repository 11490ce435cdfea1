import type * as z from 'zod';

/** One problem with user input: the field it is in and a sentence saying what to do. */
export interface FieldError {
  field: string;
  message: string;
}

export type Parsed<T> = { ok: true; value: T } | { ok: false; errors: FieldError[] };

/** Runs a schema and turns its issues into field errors that CLI, IPC and forms show alike. */
export function parseWith<S extends z.ZodType>(schema: S, input: unknown): Parsed<z.output<S>> {
  const result = schema.safeParse(input);
  if (result.success) return { ok: true, value: result.data };
  return {
    ok: false,
    errors: result.error.issues.flatMap((issue) => {
      const path = issue.path.map(String);
      // A strict object's unknown keys: each named as a field of its own, as a typo would be.
      if (issue.code === 'unrecognized_keys')
        return issue.keys.map((key) => ({
          field: [...path, key || '""'].join('.'),
          message: 'is not a known setting; remove it (or check its spelling)',
        }));
      return [{ field: path.join('.') || '(input)', message: issue.message }];
    }),
  };
}

export function describeErrors(errors: FieldError[]): string {
  return errors.map((e) => `${e.field}: ${e.message}`).join('\n');
}
