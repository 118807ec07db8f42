import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import prettier from 'eslint-config-prettier';

/** Workspace packages are imported by their names: their src is theirs to rearrange. */
const BY_PACKAGE_NAME = {
  group: ['@telenexus/*/*'],
  message: 'Import a workspace package by its name only.',
};

/** Core is the domain: pure functions and types, no I/O, so it is tested and reused without servers. */
const CORE_NO_IO = [
  'pg',
  'ioredis',
  'bullmq',
  'axios',
  'express',
  'typeorm',
  'node:fs',
  'fs',
  'node:net',
  'net',
  'node:http',
  'http',
  'node:https',
  'https',
  'node:child_process',
  'child_process',
  'node:dns',
  'dns',
].map((name) => ({
  name,
  message: 'packages/core does no I/O: this belongs in a package or service that does.',
}));

export default tseslint.config(
  {
    ignores: [
      '**/dist/**',
      '**/node_modules/**',
      'coverage/**',
      'artifacts/**',
      '**/*.js',
      '**/*.cjs',
      '**/*.mjs',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { project: ['./tsconfig.eslint.json'], tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      'no-console': 'error',
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      'no-restricted-imports': ['error', { patterns: [BY_PACKAGE_NAME] }],
    },
  },
  {
    files: ['packages/core/src/**'],
    rules: { 'no-restricted-imports': ['error', { paths: CORE_NO_IO, patterns: [BY_PACKAGE_NAME] }] },
  },
  {
    // Configuration is read in one place per process, validated, and passed down as values.
    files: ['packages/*/src/**', 'services/*/src/**'],
    ignores: ['packages/config/src/**', '**/config.ts', '**/*-config.ts'],
    rules: {
      'no-restricted-properties': [
        'error',
        {
          object: 'process',
          property: 'env',
          message:
            'Read the environment only in config modules (packages/config, config.ts), and pass values on.',
        },
      ],
    },
  },
  {
    files: ['services/ingress/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            BY_PACKAGE_NAME,
            {
              group: ['**/dispatcher/**', '@telenexus/dispatcher'],
              message: 'Services never import each other.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['services/dispatcher/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            BY_PACKAGE_NAME,
            { group: ['**/ingress/**', '@telenexus/ingress'], message: 'Services never import each other.' },
          ],
        },
      ],
    },
  },
  {
    // The web console is browser code built by Vite: its own compiler settings (DOM, Preact JSX).
    files: ['packages/console/src/**'],
    languageOptions: {
      parserOptions: { project: ['./packages/console/tsconfig.json'], tsconfigRootDir: import.meta.dirname },
    },
  },
  {
    files: ['packages/console/vite.config.ts'],
    languageOptions: {
      parserOptions: {
        project: ['./packages/console/tsconfig.node.json'],
        tsconfigRootDir: import.meta.dirname,
      },
    },
  },
  {
    // The CLI, scripts and benchmarks talk to a terminal.
    files: ['packages/cli/src/**', 'scripts/**', 'test/**'],
    rules: { 'no-console': 'off' },
  },
  {
    // Response bodies in tests are untyped JSON by nature; assertions check their shape.
    files: ['**/*.test.ts', '**/test/**'],
    rules: {
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      '@typescript-eslint/unbound-method': 'off',
      '@typescript-eslint/no-non-null-assertion': 'off',
    },
  },
  prettier,
);
