import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'coverage/**', 'tmp/**', 'bench/out/**', 'test/support/*.cjs'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-console': 'off',
      // Deep imports go through src/arrow/internals.ts, which the build points at the bundled Arrow.
      'no-restricted-imports': ['error', { patterns: [{ group: ['apache-arrow/*'], message: 'import Arrow internals from src/arrow/internals.ts' }] }],
    },
  },
  { files: ['src/arrow/internals.ts'], rules: { 'no-restricted-imports': 'off' } },
);
