// Lint is where the layer rule lives: domain imports only domain; http and
// worker never import adapters; only entrypoints wire everything together.
import tseslint from 'typescript-eslint';

const layer = (message, patterns) => ({
  'no-restricted-imports': ['error', { patterns: patterns.map((group) => ({ group: [group], message })) }],
});

export default tseslint.config(
  { ignores: ['node_modules/**', 'data/**', 'web/dist/**', '.tmp/**'] },
  {
    files: ['**/*.ts'],
    extends: [tseslint.configs.recommendedTypeChecked],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      // node:test's describe/it return promises the runner itself awaits.
      '@typescript-eslint/no-floating-promises': [
        'error',
        { allowForKnownSafeCalls: [{ from: 'package', package: 'node:test', name: ['describe', 'it', 'test', 'suite', 'before', 'after', 'beforeEach', 'afterEach'] }] },
      ],
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
  {
    // Tests read JSON bodies loosely on purpose; the assertions are the type check.
    files: ['test/**/*.ts', 'bench/**/*.ts'],
    rules: {
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
    },
  },
);
