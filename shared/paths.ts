import * as z from 'zod';

/**
 * Characters that have no business in a name or a path a person typed: C0 and C1 controls
 * (newline, carriage return, escape sequences that drive a terminal) and the invisible bidi
 * controls that make text read differently from what it is.
 */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/;

export const hasControlCharacters = (text: string) => CONTROL.test(text);

/** Absolute on any desktop: `/home`, `C:\`, `D:/data`, `\\server\share`. */
const ABSOLUTE = /^(?:\/|[A-Za-z]:[\\/]|\\\\[^\\]+\\[^\\]+)/;

export const CONTROL_CHARACTERS = (what: string) =>
  `${what} cannot contain control characters (newlines, tabs, escape sequences)`;

/** A mount point as a person gives one: an absolute path, nothing hidden in it. */
export const mountPointSchema = z
  .string({ error: 'must be a path such as /home' })
  .min(1, { error: 'a mount point cannot be empty: give a path such as /home' })
  .max(4096, { error: 'a mount point is at most 4096 characters' })
  .refine((p) => !hasControlCharacters(p), { error: CONTROL_CHARACTERS('a mount point') })
  .refine((p) => ABSOLUTE.test(p), {
    error: 'a mount point must be an absolute path, such as /home or C:\\',
  });

/**
 * A folder to open, sent by the window: an absolute path and nothing else (no `file:` or other
 * URL). Control characters are allowed: names with newlines exist, and the path is checked
 * against the disk before anything is opened.
 */
export const folderPathSchema = z
  .string({ error: 'must be the path of a folder, such as /home/me/Downloads' })
  .min(1, { error: 'give the path of a folder, such as /home/me/Downloads' })
  .max(4096, { error: 'a path is at most 4096 characters' })
  .refine((p) => !p.includes('\0'), { error: 'a path cannot contain a NUL character' })
  .refine((p) => ABSOLUTE.test(p), {
    error: 'must be an absolute path, such as /home/me/Downloads (not a URL)',
  });

/** Issues for each mount point among `mounts` that is not one, at `path` + its index or key. */
export function mountIssues(
  ctx: z.RefinementCtx,
  path: (string | number)[],
  mounts: Iterable<[string | number, string]>,
): void {
  for (const [at, mount] of mounts) {
    const checked = mountPointSchema.safeParse(mount);
    if (!checked.success)
      ctx.addIssue({ code: 'custom', message: checked.error.issues[0]!.message, path: [...path, at] });
  }
}

/**
 * A record keyed by mount point. zod drops a `__proto__` key without a word; such a key is
 * refused by name instead (what a key must be otherwise is checked on save).
 */
export function mountRecord<V extends z.ZodType>(value: V) {
  return z.preprocess(
    (raw, ctx) => {
      if (raw && typeof raw === 'object' && !Array.isArray(raw) && Object.hasOwn(raw, '__proto__'))
        mountIssues(ctx, [], [['__proto__', '__proto__']]);
      return raw;
    },
    z.record(z.string().min(1, { error: 'a mount point cannot be empty' }), value),
  );
}
