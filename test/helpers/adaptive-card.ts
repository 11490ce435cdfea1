import { createRequire } from 'node:module';
import { Ajv } from 'ajv';
import { vendorJson } from './openapi.js';
import { repoPath } from './root.js';

/**
 * The Adaptive Card schema 1.5 (test/vendor-schemas, a verbatim copy of microsoft/AdaptiveCards'):
 * a card it rejects, Teams would not render. It is draft-06, read with Ajv 8 given that draft's
 * meta-schema; its root `id` (draft-06's name for `$id`, which Ajv 8 refuses) is left out.
 */
let validate: ((card: unknown) => string[]) | undefined;

export function cardProblems(card: unknown): string[] {
  validate ??= compile();
  return validate(card);
}

function compile(): (card: unknown) => string[] {
  const { id: _id, ...schema } = vendorJson('adaptive-card-1.5.schema.json');
  const require = createRequire(repoPath('package.json'));
  const ajv = new Ajv({ strict: false, allErrors: true });
  ajv.addMetaSchema(require('ajv/dist/refs/json-schema-draft-06.json'));
  // The schema's URLs are `uri-reference`s; Teams opens only absolute ones, checked as such.
  ajv
    .addFormat('uri-reference', (s: string) => URL.canParse(s))
    .addFormat('uri', (s: string) => URL.canParse(s));
  const check = ajv.compile(schema);
  return (card) =>
    check(card) ? [] : (check.errors ?? []).map((e) => `${e.instancePath || '(card)'} ${e.message}`);
}
