// Module resolution hook (see register.mjs).
export async function resolve(specifier, context, next) {
  if (specifier === 'electron')
    return { url: new URL('./module.mjs', import.meta.url).href, shortCircuit: true };
  return next(specifier, context);
}
