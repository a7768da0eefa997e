// Lint: TypeScript-aware recommended rules for the server, tests, web apps and scripts.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import moduleWalls from './scripts/eslint/module-walls.js';

export default tseslint.config(
  { ignores: ['node_modules/', 'web/dist/', 'data/', '.tmp/', 'test-results/', 'playwright-report/', 'e2e/.artifacts/', 'migrations/', 'web/shared/api.gen.ts'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      ecmaVersion: 2023,
      sourceType: 'module',
      globals: { process: 'readonly', console: 'readonly', Buffer: 'readonly', URL: 'readonly', fetch: 'readonly', setTimeout: 'readonly', clearTimeout: 'readonly', setInterval: 'readonly', clearInterval: 'readonly', document: 'readonly', window: 'readonly', localStorage: 'readonly', crypto: 'readonly', Blob: 'readonly', navigator: 'readonly' },
    },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' }],
      '@typescript-eslint/no-explicit-any': 'error',
      'no-console': 'off',
    },
  },
  // The architecture's walls (docs/ARCHITECTURE.md): modules meet only through their public index.
  {
    files: ['src/**/*.ts', 'src/**/*.tsx'],
    plugins: { dq: { rules: { 'module-walls': moduleWalls } } },
    rules: { 'dq/module-walls': 'error' },
  },
);
