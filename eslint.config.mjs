import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import prettier from 'eslint-config-prettier';

export default tseslint.config(
  { ignores: ['**/dist/**', '**/node_modules/**', 'coverage/**', 'artifacts/**', '**/*.js', '**/*.mjs'] },
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
      'no-restricted-imports': [
        'error',
        {
          patterns: [{ group: ['@telenexus/*/*'], message: 'Import a workspace package by its name only.' }],
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
            { group: ['@telenexus/*/*'], message: 'Import a workspace package by its name only.' },
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
            { group: ['@telenexus/*/*'], message: 'Import a workspace package by its name only.' },
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
