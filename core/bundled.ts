/** Defined (true) in the CLI's bundles (scripts/build-cli.mjs); undefined in a module built alone. */
declare const HEADROOM_BUNDLE: true | undefined;

/** Running from dist/cli's bundles, where some files are named, or loaded, otherwise. */
export const BUNDLED = typeof HEADROOM_BUNDLE !== 'undefined';
