import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const nodeBuiltins = {
  group: ['node:*'],
  message: 'shared/ and renderer/ are platform-neutral: no Node APIs.',
};
const electron = {
  name: 'electron',
  message: 'Only electron/main and the preload may import electron: the core must run in plain Node.',
};
const rawIpc = {
  name: 'electron',
  importNames: ['ipcMain', 'ipcRenderer'],
  message: 'Only electron/main/ipc.ts and the preload touch IPC: go through the typed contract.',
};

// The idle watcher's memory (core/builtins.ts says why, built-in by built-in): in the CLI's one
// bundle an `import` of a built-in is loaded at start by every command, with all its lazy exports.
// These are reached through core/builtins.ts on first use instead; naming their types is free.
const HEAVY_BUILTINS = ['crypto', 'http', 'https', 'net', 'os', 'tls', 'util', 'module', 'perf_hooks'];
const heavyBuiltins = HEAVY_BUILTINS.flatMap((m) => [`node:${m}`, m]).map((name) => ({
  name,
  allowTypeImports: true,
  message:
    'An idle `headroom watch` would load it at start: take it from core/builtins.ts (loaded on first use), or `import type`.',
}));
// node:fs/promises loads Node's streams and readline for its FileHandle: ~0.9 MiB of idle RSS.
const fsPromises = ['node:fs/promises', 'fs/promises'].map((name) => ({
  name,
  allowTypeImports: true,
  message:
    'An idle `headroom watch` would load it (with streams and readline) at start: use core/fs/promised.ts, promisified from node:fs.',
}));

export default tseslint.config(
  { ignores: ['dist/**', 'dist-tests/**', 'node_modules/**', 'test-results/**', 'release/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.js', '**/*.mjs'],
    languageOptions: { globals: { process: 'readonly', URL: 'readonly', console: 'readonly' } },
  },
  {
    // CommonJS (bin/package.json): the CLI's entry, which keeps Node's ES module loader out of an
    // idle watcher (scripts/build-cli.mjs).
    files: ['bin/**/*.js'],
    languageOptions: { sourceType: 'commonjs', globals: { require: 'readonly', __dirname: 'readonly' } },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  // The boundaries of CONVENTIONS.md, enforced.
  {
    files: ['shared/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [electron, { name: 'undici', message: 'Transport lives in the dispatcher (electron/).' }],
          patterns: [nodeBuiltins],
        },
      ],
    },
  },
  {
    files: ['renderer/**/*.{ts,tsx}'],
    rules: { 'no-restricted-imports': ['error', { paths: [electron], patterns: [nodeBuiltins] }] },
  },
  {
    // Tests take node:test through the helper that bounds every test and hook (per-file timeouts
    // in Node 20 cancel a whole file for one slow test).
    files: ['test/**/*.ts'],
    ignores: ['test/helpers/node-test.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            { name: 'node:test', message: 'Import from test/helpers/node-test.ts (per-test timeouts).' },
          ],
        },
      ],
    },
  },
  {
    files: ['core/**/*.ts', 'cli/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { paths: [electron, ...heavyBuiltins, ...fsPromises] }] },
  },
  {
    // Where the heavy built-ins are reached, on first use (test/scripts/idle-imports-lint.test.ts).
    files: ['core/builtins.ts'],
    rules: { 'no-restricted-imports': ['error', { paths: [electron] }] },
  },
  {
    // What the CLI bundles: `import { z } from 'zod'` would bundle all of zod (scripts/build-cli.mjs).
    files: ['shared/**/*.ts', 'core/**/*.ts', 'cli/**/*.ts'],
    rules: {
      'no-restricted-syntax': [
        'error',
        {
          selector:
            "ImportDeclaration[source.value='zod'] > :matches(ImportSpecifier[imported.name='z'], ImportDefaultSpecifier)",
          message:
            "Write `import * as z from 'zod'`: the CLI bundle then keeps only the parts of zod in use.",
        },
      ],
    },
  },
  {
    files: ['electron/main/**/*.ts'],
    // The bootstrap hands Electron's modules (ipcMain among them) to startApp, which gives ipcMain
    // to ipc.ts alone; surfaces.ts only names their types.
    ignores: ['electron/main/ipc.ts', 'electron/main/index.ts', 'electron/main/surfaces.ts'],
    rules: { 'no-restricted-imports': ['error', { paths: [rawIpc] }] },
  },
);
