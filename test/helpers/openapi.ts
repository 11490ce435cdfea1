import { pathToFileURL } from 'node:url';
import { readFileSync } from 'node:fs';
import { Ajv } from 'ajv';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { repoPath } from './root.js';

/**
 * The vendors' own machine-readable contracts (OpenAPI / Swagger files in test/vendor-schemas,
 * with their provenance): request bodies are checked against them, so a payload the real service
 * would reject fails the test even where a mock would accept it. A missing file fails the test.
 */
export const VENDOR_SCHEMAS = pathToFileURL(repoPath('test/vendor-schemas/'));

/** A vendor file of test/vendor-schemas, parsed. */
export function vendorJson(file: string) {
  return JSON.parse(readFileSync(new URL(file, VENDOR_SCHEMAS), 'utf8'));
}

const escape = (s: string) => s.replace(/~/g, '~0').replace(/\//g, '~1');

const compiled = new Map<string, (body: unknown) => string[]>();

/** A validator for the JSON body of `method path` in `file`; returns the schema errors, or []. */
export function bodyValidator(file: string, path: string, method = 'post'): (body: unknown) => string[] {
  const key = `${file} ${method} ${path}`;
  let validator = compiled.get(key);
  if (!validator) compiled.set(key, (validator = compile(file, path, method)));
  return validator;
}

function compile(file: string, path: string, method: string): (body: unknown) => string[] {
  const doc = vendorJson(file);
  const op = doc.paths[path][method];
  let pointer: string;
  if (doc.swagger) {
    const index = op.parameters.findIndex((p: { in?: string }) => p.in === 'body');
    pointer = `#/paths/${escape(path)}/${method}/parameters/${index}/schema`;
  } else {
    pointer = `#/paths/${escape(path)}/${method}/requestBody/content/${escape('application/json')}/schema`;
  }
  const ajv = String(doc.openapi).startsWith('3.1')
    ? new Ajv2020({ strict: false, allErrors: true })
    : new Ajv({ strict: false, allErrors: true });
  const isUrl = (s: string) => URL.canParse(s);
  ajv.addFormat('date-time', (s: string) => /^\d{4}-\d\d-\d\dT/.test(s) && !Number.isNaN(Date.parse(s)));
  ajv.addFormat('uri', isUrl).addFormat('url', isUrl).addFormat('snowflake', /^\d+$/);
  // Numeric width hints of OpenAPI; the type keyword already checks the value.
  for (const f of ['int32', 'int64', 'double', 'float'])
    ajv.addFormat(f, { type: 'number', validate: () => true });
  ajv.addSchema({ ...doc, $id: 'spec' });
  const validate = ajv.compile({ $ref: `spec${pointer}` });
  return (body) =>
    validate(body) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath || '(body)'} ${e.message}`);
}
