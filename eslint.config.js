// Lint config: typescript-eslint's recommended rules plus the few house rules the guide asks for.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['node_modules/**', 'base/**', 'overlays/**', 'clusters/**', 'apps/**', 'argocd/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['scripts/**/*.ts', 'tests/**/*.ts'],
    rules: {
      '@typescript-eslint/explicit-module-boundary-types': 'error',
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-restricted-imports': ['error', { patterns: ['fs', 'path', 'child_process', 'os'] }],
    },
  },
);
