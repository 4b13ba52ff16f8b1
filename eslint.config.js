// Lint is where the layer rule lives: domain imports only domain; adapters
// import domain; http and worker import domain, never adapters; only
// entrypoints wire everything together.
import { dirname, relative, resolve } from 'node:path';
import tseslint from 'typescript-eslint';

const SRC = resolve(import.meta.dirname, 'src');

// Which top-level folders of src/ each layer may import from.
const ALLOWED = {
  domain: ['domain'],
  adapters: ['domain', 'adapters'],
  http: ['domain', 'http'],
  worker: ['domain', 'worker'],
  config: ['config'],
  entrypoints: ['domain', 'adapters', 'http', 'worker', 'config', 'entrypoints'],
};
// Packages that would drag infrastructure into the pure domain.
const DOMAIN_FORBIDDEN_PACKAGES = ['fastify', 'pg', 'better-sqlite3', 'kysely', 'undici', 'nodemailer'];

const layerOf = (file) => {
  const rel = relative(SRC, file);
  return rel.startsWith('..') ? undefined : rel.split(/[\\/]/)[0];
};

/** Resolves each relative import against the importing file, so `../http/x.ts` inside adapters/destinations is not mistaken for src/http. */
const layerRule = {
  meta: { type: 'problem', schema: [] },
  create(context) {
    const from = layerOf(context.filename);
    const allowed = ALLOWED[from];
    if (!allowed) return {};
    const check = (node) => {
      const spec = node.source?.value;
      if (typeof spec !== 'string') return;
      if (!spec.startsWith('.')) {
        if (from === 'domain' && DOMAIN_FORBIDDEN_PACKAGES.some((p) => spec === p || spec.startsWith(`${p}/`))) {
          context.report({ node, message: `domain must not import the package ${spec}` });
        }
        return;
      }
      const to = layerOf(resolve(dirname(context.filename), spec));
      if (to !== undefined && !allowed.includes(to)) {
        context.report({ node, message: `${from} must not import ${to} (${spec}); see docs/architecture.md` });
      }
    };
    return { ImportDeclaration: check, ExportNamedDeclaration: check, ExportAllDeclaration: check, ImportExpression: check };
  },
};

export default tseslint.config(
  { ignores: ['node_modules/**', 'data/**', 'web/dist/**', '.tmp/**'] },
  {
    files: ['**/*.ts'],
    extends: [tseslint.configs.recommendedTypeChecked],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    plugins: { linkhook: { rules: { layers: layerRule } } },
    rules: {
      'linkhook/layers': 'error',
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
