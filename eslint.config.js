// ESLint flat config. Besides typescript-eslint's checks, it enforces the architecture: each part imports
// only the parts parts.js allows it (the table docs/architecture.md "The parts" shows), each through its
// entry points, and no module imports in a cycle.
const tseslint = require('typescript-eslint');
const importX = require('eslint-plugin-import-x');
const prettier = require('eslint-config-prettier');
const { PARTS } = require('./parts');

const byName = new Map(PARTS.map((part) => [part.name, part]));
const dirs = (part) => part.folders.map((folder) => `./${folder}`);

/**
 * import-x/no-restricted-paths zones from parts.js. Per part, an allow-list: from the whole repository
 * except its own folders, the parts it may import and node_modules (packages are no-restricted-imports'
 * business below). Per allowed part, the entry rule: from that part's folders except its entry files.
 */
function boundaryZones() {
  const zones = [];
  for (const part of PARTS) {
    if (part.folders.length === 0) continue;
    const allowed =
      part.imports === '*'
        ? PARTS.filter((other) => other !== part)
        : part.imports.map((name) => byName.get(name));
    const allowedNames = allowed.map((other) => other.name);
    zones.push({
      target: dirs(part),
      from: './',
      except: [
        ...dirs(part),
        ...allowed.flatMap(dirs),
        ...(part.alsoImports ?? []).map((file) => `./${file}`),
        './node_modules',
      ],
      message: `${part.name} may import only ${allowedNames.length ? allowedNames.join(', ') : 'no other part'} (parts.js, docs/architecture.md "The parts").`,
    });
    if (part.deep) continue;
    for (const other of allowed) {
      if (other.entries === '*') continue;
      const entries = other.entries ?? ['index.ts'];
      for (const folder of other.folders) {
        zones.push({
          target: dirs(part),
          from: `./${folder}`,
          except: entries.map((entry) => `./${entry}`),
          message: `import ${other.name} through ${entries.map((entry) => `${folder}/${entry}`).join(' or ')}, not one of its files (parts.js).`,
        });
      }
    }
  }
  return zones;
}

module.exports = tseslint.config(
  {
    ignores: [
      'node_modules/**',
      'parts.js',
      'parts.d.ts',
      'data/**',
      'coverage/**',
      'artifacts/**',
      '.stryker-tmp*/**',
      'reports/**',
      'build/**',
      'jest.config.js',
      'stryker.static.config.mjs',
      'eslint.config.js',
      'scripts/rebuild-sqlite.js',
      'legal/bin/**',
      'test/mutation/*.js',
      '.stryker-tmp*/**',
      'cli/build.js',
      'cli/bin/**',
      'cli/dist/**',
      'dist/**',
      // The peers' gateways for `npm run bench -- --only peers`: plain JavaScript run by bare node, with
      // their own package (and node_modules); Prettier lays them out, nothing here type-checks them.
      'bench/peers/**',
    ],
  },
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: __dirname } },
    plugins: { 'import-x': importX },
    // import-x resolves no .ts file by default: without this, every relative import went unresolved and
    // both no-cycle and the part boundaries passed whatever was imported. no-unresolved keeps it so.
    settings: {
      'import-x/resolver-next': [
        importX.createNodeResolver({ extensions: ['.ts', '.js', '.json', '.node'] }),
      ],
    },
    rules: {
      'import-x/no-unresolved': 'error',
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: { arguments: false } }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-explicit-any': 'error',
      'import-x/no-cycle': ['error', { ignoreExternal: true }],
      'no-console': ['error', { allow: ['warn', 'error'] }],
    },
  },
  {
    // One rule object for every file: flat config would let a later object's zones replace an earlier one's.
    files: ['**/*.ts'],
    rules: { 'import-x/no-restricted-paths': ['error', { basePath: __dirname, zones: boundaryZones() }] },
  },
  ...PARTS.filter((part) => part.packagesForbidden && part.folders.length > 0).map((part) => ({
    files: part.folders.map((folder) => `${folder}/**/*.ts`),
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: part.packagesForbidden,
              message: `${part.name} knows nothing of GraphQL servers (parts.js).`,
            },
          ],
        },
      ],
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
  // Layout is Prettier's (npm run format); this turns off the few style rules that would argue with it.
  prettier,
);
