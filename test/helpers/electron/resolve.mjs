// Module resolution hook (see register.mjs). The fake is resolved as `./module.js` from here, by
// the hooks after this one: the built module.js in dist/test/ (what `npm run test:unit` runs), or
// module.ts through tsx when a test runs from source.
export async function resolve(specifier, context, next) {
  if (specifier === 'electron')
    return { ...(await next('./module.js', { ...context, parentURL: import.meta.url })), shortCircuit: true };
  return next(specifier, context);
}
