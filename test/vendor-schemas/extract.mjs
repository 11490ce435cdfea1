// Makes the `*-extract.json` files of this folder from a vendor's whole OpenAPI / Swagger document:
// the chosen paths (and methods) plus every definition they reference, transitively, in the
// source's order and otherwise unchanged. Run it to check an extract, or to add a path:
//
//   node test/vendor-schemas/extract.mjs SOURCE.json OUT.json PROVENANCE.json '/v2/alerts:post' '/v2/alerts/{identifier}/close' …
//
// PROVENANCE.json holds the `x-extract-provenance` object (repository, path, commit, what was kept).
import { readFileSync, writeFileSync } from 'node:fs';

const [source, out, provenance, ...wanted] = process.argv.slice(2);
if (!source || !out || !provenance || wanted.length === 0) {
  console.error('usage: extract.mjs SOURCE.json OUT.json PROVENANCE.json PATH[:method,method] …');
  process.exit(2);
}
const doc = JSON.parse(readFileSync(source, 'utf8'));
const SECTIONS = ['definitions', 'parameters', 'responses'];

const paths = {};
for (const spec of wanted) {
  const [path, methods] = spec.split(':');
  const item = doc.paths[path];
  if (!item) throw new Error(`${path} is not in ${source}`);
  const keep = methods?.split(',');
  paths[path] = Object.fromEntries(
    Object.entries(item).filter(([key]) => !keep || key === 'parameters' || keep.includes(key)),
  );
}

// Every `$ref` reachable from the chosen paths: '#/definitions/X' or '#/components/schemas/X'.
const used = new Set();
const visit = (node) => {
  if (Array.isArray(node)) return node.forEach(visit);
  if (node === null || typeof node !== 'object') return;
  for (const [key, value] of Object.entries(node)) {
    if (key === '$ref' && typeof value === 'string' && value.startsWith('#/') && !used.has(value)) {
      used.add(value);
      visit(
        value
          .slice(2)
          .split('/')
          .reduce((at, part) => at[part.replace(/~1/g, '/').replace(/~0/g, '~')], doc),
      );
    } else visit(value);
  }
};
visit(paths);

const pick = (section, prefix) =>
  Object.fromEntries(Object.entries(section).filter(([name]) => used.has(`${prefix}/${name}`)));

const extract = {};
for (const [key, value] of Object.entries(doc)) {
  if (['paths', 'components', 'externalDocs', 'tags', ...SECTIONS].includes(key)) continue;
  extract[key] = value;
}
extract['x-extract-provenance'] = JSON.parse(readFileSync(provenance, 'utf8'));
extract.paths = paths;
if (doc.components) {
  extract.components = {};
  for (const [name, section] of Object.entries(doc.components)) {
    const kept = pick(section, `#/components/${name}`);
    if (Object.keys(kept).length) extract.components[name] = kept;
  }
}
for (const name of Object.keys(doc).filter((key) => SECTIONS.includes(key))) {
  const kept = pick(doc[name], `#/${name}`);
  if (Object.keys(kept).length) extract[name] = kept;
}
writeFileSync(out, `${JSON.stringify(extract, null, 1)}`);
