import { DEFAULT_GATEWAY_URL } from '../cli/gateway';
import { dataDir } from '../lib/process';
import { DEMO_IDS, DEMO_SEARCH_TERMS } from '../subgraphs/reference';

/**
 * The example commands `npm start` prints and README.md shows: `accord` (cli/), logged in once, then a
 * search, a query and a record. One source for both: a test (test/start/readme.test.ts) checks that the
 * README shows exactly these, and runs them.
 */

export interface Example {
  /** Shown as a shell comment above the command. */
  readonly title: string;
  /** The accord command and its argument (a query's document is quoted for the shell). */
  readonly command: 'search' | 'record' | 'query';
  readonly argument: string;
  /** Declaration flags beyond EXAMPLE_FLAGS (`--jit …`). */
  readonly flags?: readonly string[];
}

// The demo scenario every reference member seeds, whatever the seed and size (subgraphs/reference/world/scenario/).
const TERM = DEMO_SEARCH_TERMS.sharedAlias;
const COMPOUND = DEMO_IDS.goldenCraneCompound;
const CASE = DEMO_IDS.voicePhishingCaseKR;
/** The KR–KH joint team (agreements/instruments/kr-kh-joint-task-force-2025.yaml); kim.j is a member. */
const JOINT_TEAM = 'JTF-KR-KH-2025';

/**
 * Who asks: a token from the analyst's national identity provider — locally, the demo provider `npm start`
 * runs for each member (trust/demoIdentityProviders.ts), which `accord login` signs with and caches.
 */
export const LOGIN_COMMAND = 'accord login --country KR --analyst kim.j';

/** Why they ask (policy/requestHeaders.ts): without a purpose nothing crosses a border. */
export const EXAMPLE_HEADERS: Readonly<Record<string, string>> = {
  'Accord-Purpose': 'investigation',
  'Accord-Case': CASE,
};

/** The same declaration, as accord's flags. */
const EXAMPLE_FLAGS = [
  '--purpose',
  EXAMPLE_HEADERS['Accord-Purpose']!,
  '--case',
  EXAMPLE_HEADERS['Accord-Case']!,
];

export const EXAMPLES: readonly Example[] = [
  {
    title: `Search every member for "${TERM}"`,
    command: 'search',
    argument: TERM,
  },
  {
    title: `Who runs compound ${COMPOUND}, whatever their country (as a member of joint team ${JOINT_TEAM})`,
    command: 'query',
    argument: `'{ compound(id: "${COMPOUND}") { id country name operators { id country fullName } } }'`,
    flags: ['--jit', JOINT_TEAM],
  },
  {
    title: `Case ${CASE}, field by field, and the records of other members it links`,
    command: 'record',
    argument: CASE,
  },
];

/** One example as an accord command; `--gateway` only when the gateway is not where npm start puts it by default. */
export function accordCommand(url: string, example: Example): string {
  const gateway = url === DEFAULT_GATEWAY_URL ? [] : ['--gateway', url];
  return [
    'accord',
    example.command,
    example.argument,
    ...EXAMPLE_FLAGS,
    ...(example.flags ?? []),
    ...gateway,
  ].join(' ');
}

/**
 * The login as npm start must print it: `accord login` signs with the keys in npm start's data folder, so
 * when that is not the default one the line names it (`ACCORD_DATA_DIR=… accord login …`), or the login
 * would look in data/ and find no Accord there.
 */
export function loginCommand(folder?: string): string {
  if (folder === undefined || folder === defaultDataDir()) return LOGIN_COMMAND;
  return `ACCORD_DATA_DIR=${shellWord(folder)} ${LOGIN_COMMAND}`;
}

/** A folder as one shell word: as it is when it is safe, else single-quoted. */
function shellWord(text: string): string {
  return /^[A-Za-z0-9_./:@%+,=-]+$/.test(text) ? text : `'${text.replace(/'/g, `'\\''`)}'`;
}

/** The data folder when ACCORD_DATA_DIR is not set (lib/process.ts). */
function defaultDataDir(): string {
  return dataDir({});
}

/**
 * The login, then every example, commented, blank lines between, indented by `indent`; `folder` is the
 * folder npm start uses (the login names it when it is not the default).
 */
export function examplesScript(url: string, indent = '', folder?: string): string {
  return [
    loginCommand(folder),
    ...EXAMPLES.map((example) => `# ${example.title}\n${accordCommand(url, example)}`),
  ]
    .join('\n\n')
    .split('\n')
    .map((line) => (line === '' ? line : indent + line))
    .join('\n');
}
