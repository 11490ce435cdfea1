// What Headroom uses of jose: the CLI's bundle carries this much of it (scripts/build-cli.mjs),
// evaluated at the first signature; see loadJose in modules.ts.
export { FlattenedSign } from 'jose';
