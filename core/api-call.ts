import { requests, type Result } from '../shared/ipc/contract.js';
import { REQUESTS, type RequestName } from '../shared/ipc/names.js';
import { parseWith } from '../shared/validation.js';
import { ApiError, type createApi } from './api.js';
import { ManagedError } from './policy/policy.js';

type Handlers = ReturnType<typeof createApi>;

/**
 * One request from an untrusted side (the renderer, a browser): the name must be in the
 * contract, the input must match its schema — checked here, before any handler runs — and every
 * outcome comes back as a Result value, never a thrown Error (those do not survive IPC or JSON).
 */
export async function callApi(handlers: Handlers, name: unknown, raw: unknown): Promise<Result<unknown>> {
  if (typeof name !== 'string' || !(REQUESTS as readonly string[]).includes(name)) {
    return {
      ok: false,
      error: { code: 'notFound', message: `unknown request ${String(name).slice(0, 60)}` },
    };
  }
  const request = name as RequestName;
  const parsed = parseWith(requests[request].input, raw ?? {});
  if (!parsed.ok) {
    const [first] = parsed.errors;
    return {
      ok: false,
      error: {
        code: 'invalidInput',
        message: parsed.errors.map((e) => `${e.field}: ${e.message}`).join('; '),
        field: first?.field,
      },
    };
  }
  try {
    const handler = handlers[request] as (input: unknown) => Promise<unknown>;
    return { ok: true, value: await handler(parsed.value) };
  } catch (error) {
    if (error instanceof ApiError)
      return {
        ok: false,
        error: { code: error.code, message: error.message, ...(error.field ? { field: error.field } : {}) },
      };
    if (error instanceof ManagedError)
      return { ok: false, error: { code: 'forbidden', message: error.message } };
    return {
      ok: false,
      error: { code: 'failed', message: `${request} failed: ${(error as Error).message}` },
    };
  }
}
