import type { IncomingMessage, ServerResponse } from 'node:http';

/** A JSON answer that no cache keeps. */
export function send(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'cache-control': 'no-store',
    ...headers,
  });
  res.end(JSON.stringify(body));
}

/** A request's body, up to `max` bytes; undefined when it is larger. */
export async function readRawBody(req: IncomingMessage, max: number): Promise<string | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > max) return undefined;
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** A JSON body (1 MB at most); undefined when it is not JSON or larger. */
export async function readBody(req: IncomingMessage): Promise<unknown> {
  const text = await readRawBody(req, 1024 * 1024);
  if (text === undefined) return undefined;
  try {
    return JSON.parse(text || '{}');
  } catch {
    return undefined;
  }
}
