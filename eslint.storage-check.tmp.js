// Lint is where the layer rule lives: domain imports only domain; http and
// worker never import adapters; only entrypoints wire everything together.
import tseslint from 'typescript-eslint';

const layer = (message, patterns) => ({
  'no-restricted-imports': ['error', { patterns: [{ group: patterns, message }] }],
});

export default tseslint.config(
  { ignores: ['node_modules/**', 'data/**', 'web/dist/**', '.tmp/**'] },
  {
    files: ['**/*.ts'],
    extends: [tseslint.configs.recommendedTypeChecked],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: { arguments: false } }],
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/require-await': 'off',
      '@typescript-eslint/restrict-template-expressions': 'off',
    },
  },
  {
    files: ['src/domain/**/*.ts'],
    rules: layer('domain imports only domain', ['**/adapters/**', '**/http/**', '**/worker/**', '**/entrypoints/**', '**/config/**', 'fastify', 'pg', 'better-sqlite3', 'kysely']),
  },
  {
    files: ['src/adapters/**/*.ts'],
    rules: layer('adapters import domain only', ['**/http/**', '**/worker/**', '**/entrypoints/**']),
  },
  {
    files: ['src/http/**/*.ts', 'src/worker/**/*.ts'],
    rules: layer('http and worker import domain, never adapters', ['**/adapters/**', '**/entrypoints/**']),
  },
);
