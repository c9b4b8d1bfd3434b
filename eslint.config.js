// ESLint flat config. Besides typescript-eslint's checks, it enforces the architecture: the arrows of
// docs/architecture.md "The parts" point one way, and no module imports in a cycle.
const tseslint = require('typescript-eslint');
const importX = require('eslint-plugin-import-x');

/** Imports a part may not make: [folder, forbidden patterns, why]. */
const boundaries = [
  ['vocabulary', ['**/schema/**', '**/policy/**', '**/subgraphs/**', '**/gateway/**', '**/lib/**'], 'vocabulary depends on nothing'],
  ['schema', ['**/policy/**', '**/subgraphs/**', '**/gateway/**'], 'schema depends only on vocabulary'],
  ['policy', ['**/schema/**', '**/subgraphs/**', '**/gateway/**', 'graphql', '@apollo/*', 'graphql-*'], 'policy knows nothing of GraphQL servers'],
  ['subgraphs', ['**/gateway/**'], 'subgraphs never depend on the gateway'],
  ['gateway', ['**/subgraphs/**'], 'the gateway never depends on a subgraph'],
  ['lib', ['**/schema/**', '**/policy/**', '**/subgraphs/**', '**/gateway/**'], 'lib is shared plumbing with no domain'],
  ['legal', ['**/subgraphs/**', '**/gateway/**', '**/audit/**'], 'legal tools read the policy and the schema, nothing that serves'],
  ['audit', ['**/schema/**', '**/subgraphs/**', '**/gateway/**', '**/legal/**', 'graphql', '@apollo/*', 'graphql-*'], 'the gateway and the subgraphs call audit, never the reverse'],
  ['emergencies', ['**/schema/**', '**/subgraphs/**', '**/gateway/**', '**/audit/**', '**/legal/**', '**/trust/**', 'graphql', '@apollo/*', 'graphql-*'], 'the emergency registry depends only on policy and lib: the hub writes it, the gateway and audit read it'],
  ['cli', ['**/gateway/**', '**/subgraphs/**', '**/audit/**', '**/legal/**', '**/emergencies/**', '**/scripts/**', 'graphql', '@apollo/*', 'graphql-*'], 'the accord command is a client of the gateway: it speaks HTTP to it and bundles only the registry, the vocabulary, the header names and the demo identity providers'],
  ['trust', ['**/gateway/**', '**/subgraphs/**', '**/audit/**', '**/legal/**', '**/scripts/**', '**/bench/**', '**/test/**'], 'trust (keys and tokens) depends only on vocabulary, schema, policy and lib'],
];

module.exports = tseslint.config(
  { ignores: ['node_modules/**', 'data/**', 'coverage/**', 'artifacts/**', '.stryker-tmp/**', 'reports/**', 'jest.config.js', 'eslint.config.js', 'scripts/rebuild-sqlite.js', 'legal/bin/**', 'cli/bin/**', 'cli/build.js', 'cli/dist/**'] },
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: __dirname } },
    plugins: { 'import-x': importX },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: { arguments: false } }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-explicit-any': 'error',
      'import-x/no-cycle': ['error', { ignoreExternal: true }],
      'no-console': ['error', { allow: ['warn', 'error'] }],
    },
  },
  ...boundaries.map(([folder, patterns, why]) => ({
    files: [`${folder}/**/*.ts`],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ group: patterns, message: `${why} (docs/architecture.md).` }] }],
    },
  })),
  {
    // Tests, benchmarks and command-line entry points print for people and may reach into every part.
    files: ['test/**/*.ts', 'bench/**/*.ts', 'scripts/**/*.ts', '**/cli.ts', '**/main.ts', 'lib/process.ts'],
    rules: { 'no-console': 'off' },
  },
  {
    files: ['test/**/*.ts'],
    rules: {
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/unbound-method': 'off',
    },
  },
);
