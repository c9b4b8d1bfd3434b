// The parts of Accord and the imports each may make: the one table behind both `eslint.config.js` (which
// turns it into import-x/no-restricted-paths zones) and the table in docs/architecture.md "The parts"
// (test/house/partsTable.test.ts checks that the page shows exactly this, and prints it when not).
// Deny by default: a part imports only the parts it lists, each through its entry points (its index.ts
// unless `entries` says otherwise), and its own files freely.
//
// Plain CommonJS, because ESLint's flat config loads it with require().
const { readdirSync } = require('node:fs');
const { join } = require('node:path');

/** The sub-parts of subgraphs/ that are not a member country's folder. */
const SUBGRAPH_PARTS = ['kit', 'reference', 'desk', 'alliance'];

/**
 * The member countries' folders (subgraphs/kr, subgraphs/kh, …): every folder under subgraphs/ that is not
 * one of the shared sub-parts, so a sixth member's folder is covered the day it is created.
 */
function memberFolders(root = __dirname) {
  return readdirSync(join(root, 'subgraphs'), { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && !SUBGRAPH_PARTS.includes(entry.name))
    .map((entry) => `subgraphs/${entry.name}`)
    .sort();
}

/** Packages that would make a pure part a GraphQL server's part. */
const GRAPHQL_PACKAGES = ['graphql', 'graphql/*', '@apollo/*', 'graphql-*'];

/**
 * name: how the table and the lint messages call the part; folders: where its files are (relative to the
 * repository root); owns: one line for docs/architecture.md; imports: the other parts it may import
 * ('*' = every part); entries: the files other parts may import it through (default index.ts; '*' = any
 * file; [] = none); shownAs: how the page names its folders; alsoImports: files outside every part it
 * may import; deep: true when it may import other parts' files directly, not only their entries;
 * packagesForbidden: npm packages it may not import (no-restricted-imports patterns).
 * A why-comment stands beside every import that docs/architecture.md's pipeline does not explain.
 */
const PARTS = [
  {
    name: 'vocabulary',
    folders: ['vocabulary'],
    owns: 'the shared words: data categories, purposes, legal-basis kinds, "did you mean" ([0007]); the closed set of error codes; `invariant` / `devAssert` / `assertNever`',
    imports: [],
    packagesForbidden: GRAPHQL_PACKAGES,
  },
  {
    name: 'agreements',
    folders: ['agreements'],
    owns: 'the agreement set as data: `members.yaml`, `instruments/*.yaml`, `domestic/*.yaml`, `invariants.yaml`, the published JSON Schemas; `index.ts` only says where the folder is',
    imports: [],
  },
  {
    name: 'schema',
    folders: ['schema'],
    owns: 'the contract (`contract.graphql`, `national/<CC>.graphql`), the member registry (`members.ts`), global ids (`ids.ts`), the SDL generator, composition, the committed `supergraph.graphql`, `accordError` over the closed error codes (`errors.ts`)',
    // lib: `npm run schema:generate` reads its command line through lib/cliArgs.ts, as every command does.
    imports: ['vocabulary', 'lib'],
  },
  {
    name: 'policy',
    folders: ['policy'],
    owns: 'agreements → validated set → compiled policy → `decide` / `explain`; the `Accord-*` header format (`requestHeaders.ts`); refusal wording shared by gateway and owners (`refusal.ts`). Pure, synchronous (`policy/README.md`)',
    imports: ['vocabulary', 'agreements'],
    // core.ts is the engine without file access, the part a bundler takes alone for the /legal page.
    // requestHeaders.ts: the `Accord-*` header format alone, for code that must not load the agreement set's
    // loader (YAML, JSON Schema) with it: trust's claim shapes and the `accord` command line.
    entries: ['index.ts', 'core.ts', 'requestHeaders.ts'],
    packagesForbidden: GRAPHQL_PACKAGES,
  },
  {
    name: 'emergencies',
    folders: ['emergencies'],
    owns: "the registry of emergencies the hub keeps: signed registrations in SQLite, the hub's registration key, read-only readers ([0015])",
    imports: ['vocabulary', 'policy', 'lib'],
    packagesForbidden: GRAPHQL_PACKAGES,
  },
  {
    name: 'trust',
    folders: ['trust'],
    owns: 'analyst tokens (jose), gateway → subgraph tokens (node:crypto), key folders and rotation, replay cache, demo identity providers (`trust/README.md`, [0009])',
    // policy: the claim names a token carries (analyst id, request reference, role) and the grant's shape
    // are the policy's words; a token only transports them.
    // lib: the shared replay cache opens its PostgreSQL pool as the other stores do (lib/postgres.ts).
    imports: ['vocabulary', 'policy', 'lib'],
  },
  {
    name: 'audit',
    folders: ['audit'],
    owns: 'the tamper-evident log of consultations and disclosures: hash chains, signed checkpoints, SQLite and PostgreSQL stores, `npm run audit` (`audit/README.md`, [0008])',
    // emergencies: the legal team's review of an emergency reads the registration it reviews;
    // lib: `npm run audit` prints free text through lib/printable.ts.
    imports: ['vocabulary', 'policy', 'emergencies', 'lib'],
    packagesForbidden: GRAPHQL_PACKAGES,
  },
  {
    name: 'legal',
    folders: ['legal'],
    owns: 'the legal review workbench: explain, matrix, diff, lint, prove, the `/legal` page (`legal/README.md`)',
    // trust: `npm run policy -- explain --grants` reads an owner's signed grants file (trust/ownerGrants.ts);
    // lib: its command line prints through lib/printable.ts and lib/process.ts;
    // reference: `explain --record-id` looks the record up, read-only, in its owner's store (storedRecordFacts.ts).
    imports: ['vocabulary', 'policy', 'schema', 'trust', 'lib', 'reference'],
  },
  {
    name: 'lib',
    folders: ['lib'],
    owns: 'plumbing with no domain: the node:http integration for Apollo Server ([0006]), hardened Apollo defaults, logger, clock, process helpers, the command-line parser every CLI uses (`cliArgs.ts`), switches in the environment (`env.ts`), the metrics every service serves on `/metrics` (`metrics.ts`), the PostgreSQL pool and transactions the shared stores open alike (`postgres.ts`)',
    // vocabulary: the HTTP answers lib/http.ts gives itself carry codes from the one closed set.
    imports: ['vocabulary'],
    // Independent tools, each with its own dependencies (Apollo, pino, node:http): an index would make
    // `npm run audit` and the legal tools load Apollo Server to print a line. Each file is an entry.
    entries: '*',
  },
  {
    name: 'alerts',
    folders: ['alerts'],
    owns: "watches as data, the one normalisation of identifiers, the watcher's distribution decision, the owner's match decision, signed reference-only notices ([0018])",
    // schema: an identifier's category is its contract field's `@category`;
    // audit: a notice is signed over the audit log's canonical JSON.
    imports: ['vocabulary', 'schema', 'policy', 'audit'],
  },
  {
    name: 'kit',
    folders: ['subgraphs/kit'],
    owns: 'what a national system uses to serve its subgraph: generated schema for its country, graphql-shield rules, record visibility, gateway-token check, disclosure report and record',
    // desk: a subgraph answers follow-up requests from its owner's desk register and grants.
    imports: ['vocabulary', 'schema', 'policy', 'trust', 'audit', 'lib', 'desk'],
  },
  {
    name: 'desk',
    folders: ['subgraphs/desk'],
    owns: "the owner's desk for formal requests: request register, grants, approvals, deadlines, `/desk/…` routes and page, `npm run desk`",
    imports: ['vocabulary', 'policy', 'trust', 'audit', 'lib'],
  },
  {
    name: 'reference',
    folders: ['subgraphs/reference'],
    owns: "the reference national systems' shared parts: synthetic world, SQLite store, per-request DataLoaders, process entry",
    // desk: each reference member runs its own desk beside its subgraph (subgraphs/reference/run.ts);
    // alerts: a member matches its own record changes against the watches it holds (ownerAlerts.ts).
    imports: ['vocabulary', 'schema', 'policy', 'audit', 'lib', 'kit', 'desk', 'alerts'],
    // storedRecordFacts.ts: one record's facts, read-only, without loading the store's search and seeding
    // (GraphQL) that index.ts brings: the legal workbench's `explain --record-id`.
    entries: ['index.ts', 'storedRecordFacts.ts'],
  },
  {
    name: 'members',
    folders: memberFolders(),
    // Shown once for all: the page must not change when a member joins.
    shownAs: 'subgraphs/<cc>/',
    owns: "a member country's code and the resolvers of its national-only fields, one folder per member of the registry",
    imports: ['vocabulary', 'kit', 'reference'],
  },
  {
    name: 'hub',
    folders: ['subgraphs/alliance'],
    owns: "the hub: `search` fan-out and id → owner routing; holds no records; registers emergencies (`declareEmergency`, [0015]) and records each in its own audit log (instance `alliance`); keeps the alert log of owners' signed notices and the register of watches, under `/alerts/…` ([0019])",
    // alerts: the alert log verifies each owner's notice with the one notice format (alerts/notice.ts).
    imports: ['vocabulary', 'schema', 'policy', 'kit', 'trust', 'emergencies', 'audit', 'lib', 'alerts'],
  },
  {
    name: 'gateway',
    folders: ['gateway'],
    owns: 'identity, declarations, limits, redaction before planning, `__typename` rewriting, signed subgraph calls, obligations, consultation records, the error boundary; serves `/legal` and `/explorer` (GraphiQL, bundled into `build/explorer/` at `prepare`)',
    // alerts: the alert API checks a watch request as the watcher member will (every problem at once,
    // before any member is called) and reads notices in their one shape (gateway/alerts/).
    imports: ['vocabulary', 'schema', 'policy', 'trust', 'audit', 'legal', 'emergencies', 'lib', 'alerts'],
  },
  {
    name: 'cli',
    folders: ['cli'],
    // A program of its own (`accord`, bundled into cli/dist/); `npm start` reads its default gateway URL.
    entries: ['gateway.ts'],
    owns: "`accord`, the analysts' command line: login (the demo identity providers), search, record, query, exit codes; its GraphQL documents in one module (`documents.ts`); bundled by esbuild into `cli/dist/` at `prepare` (`docs/analysts.md`)",
    // trust: `accord login` signs a token with the local demo identity provider, as `npm run token` does.
    // lib: printable, so that other members' field values cannot write on the analyst's terminal.
    imports: ['vocabulary', 'schema', 'policy', 'trust', 'lib'],
    // Deep: the few files it needs (the registry, ids, the header names), not the parts' indexes, which pull
    // in composition, YAML and JSON Schema: `accord` must start in well under a second (bench cli-start).
    deep: true,
    packagesForbidden: GRAPHQL_PACKAGES,
  },
  {
    name: 'scripts',
    folders: ['scripts'],
    // Not imported by the parts that run: only tests and benchmarks (which may reach any file) use it.
    entries: [],
    owns: '`npm start` (a supervisor that starts the services as processes), `npm run deploy` (several processes per service behind HAProxy, `deploy/README.md`), `npm run token`, the better-sqlite3 rebuild',
    // reference: `npm start` prints the reference world's demo ids and search terms.
    // cli: the examples `npm start` prints are `accord` commands, against accord's default gateway URL.
    imports: ['vocabulary', 'schema', 'trust', 'lib', 'reference', 'cli'],
  },
  {
    name: 'bench',
    folders: ['bench'],
    // Not imported by the parts that run: only tests and benchmarks (which may reach any file) use it.
    entries: [],
    owns: 'benchmarks (`bench/README.md`)',
    // Benchmarks measure parts from outside and a few internals alone (the shield state, a member's
    // schema), and reuse the test suite's PostgreSQL helper.
    imports: '*',
    deep: true,
  },
  {
    name: 'test',
    folders: ['test'],
    // test/house/partsTable.test.ts checks docs/architecture.md and the tree against this very table, and
    // test/house/boundaries.test.ts lints with the project's own configuration.
    alsoImports: ['parts.js', 'eslint.config.js'],
    // Not imported by the parts that run: only tests and benchmarks (which may reach any file) use it.
    entries: [],
    owns: 'jest tests by part',
    // Unit tests exercise a part's internals directly; end-to-end tests go through the public door.
    imports: '*',
    deep: true,
  },
];

/** How a part's folders are shown in the table: `vocabulary/`, or each member's folder. */
function showFolders(part) {
  if (part.shownAs) return `\`${part.shownAs}\``;
  return part.folders.map((folder) => `\`${folder}/\``).join(', ');
}

/**
 * The table docs/architecture.md "The parts" shows, between its `parts table` markers. Print it with
 * `node -e "process.stdout.write(require('./parts').renderPartsTable())"`; test/house/partsTable.test.ts
 * fails, showing it, when the page differs.
 */
function renderPartsTable() {
  const lines = [
    '| part | folder | owns | may import (lint: nothing else) | other parts import it through |',
    '|---|---|---|---|---|',
  ];
  for (const part of PARTS) {
    const imports =
      part.imports === '*'
        ? 'every part' + (part.deep ? ', any file' : '')
        : part.imports.length
          ? part.imports.map((name) => `\`${name}\``).join(', ')
          : 'nothing of ours';
    const packages = part.packagesForbidden
      ? `; no ${part.packagesForbidden.map((name) => `\`${name}\``).join(', ')}`
      : '';
    const listed = part.entries === '*' ? [] : (part.entries ?? ['index.ts']);
    const entries =
      part.entries === '*'
        ? 'any of its files'
        : listed.length
          ? listed.map((entry) => `\`${entry}\``).join(', ')
          : '(none: tests and benchmarks only)';
    lines.push(`| ${part.name} | ${showFolders(part)} | ${part.owns} | ${imports}${packages} | ${entries} |`);
  }
  return `${lines.join('\n')}\n`;
}

module.exports = { PARTS, SUBGRAPH_PARTS, memberFolders, renderPartsTable };
