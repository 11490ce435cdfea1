import * as z from 'zod';
import type { Field } from './channel.js';

/**
 * One setting of a channel, declared once: its zod type (built on first use, see
 * `Channel.schema`) and how forms and flags show it. Its key is its name in the declaration, so
 * a field cannot name a key the schema lacks; `showWhen` may name only another of the same
 * declaration.
 */
export interface Setting<T extends z.ZodType = z.ZodType, K extends string = string> {
  type: () => T;
  field: Omit<Field, 'key' | 'showWhen'> & { showWhen?: { key: K; in: readonly string[] } };
}

type Declaration<S> = { [K in keyof S]: Setting<z.ZodType, Extract<keyof S, string>> };
/** The zod shape a declaration makes. */
export type SettingsShape<S extends Record<string, Setting>> = { [K in keyof S]: ReturnType<S[K]['type']> };

/**
 * A channel's `schema` and `fields` from one declaration of its settings, in the order forms and
 * flags list them. `whole` adds what concerns several settings at once (one of two URLs, the
 * credentials an auth mode needs) to the object they make; it gets the fields too.
 */
export function channelSettings<
  S extends Declaration<S> & Record<string, Setting>,
  Out = z.output<z.ZodObject<SettingsShape<S>>>,
>(
  declaration: S,
  whole?: (object: z.ZodObject<SettingsShape<S>>, fields: readonly Field[]) => z.ZodType<Out, unknown>,
): { schema: z.ZodType<Out, unknown>; fields: Field[] } {
  const fields = Object.entries(declaration).map(([key, s]): Field => ({ key, ...s.field }));
  const schema = z.lazy(() => {
    const shape = Object.fromEntries(Object.entries(declaration).map(([key, s]) => [key, s.type()]));
    const object = z.object(shape) as z.ZodObject<SettingsShape<S>>;
    return whole ? whole(object, fields) : (object as unknown as z.ZodType<Out, unknown>);
  });
  return { schema: schema as z.ZodType<Out, unknown>, fields };
}
