import { DEMO_IDS, DEMO_SEARCH_TERMS } from '../subgraphs/reference';

/**
 * The example queries `npm start` prints and README.md shows, as curl commands. One source for both: a
 * test (test/start/readme.test.ts) checks that the README shows exactly these, and runs them.
 */

export interface Example {
  /** Shown as a shell comment above the command. */
  readonly title: string;
  readonly query: string;
  /** Headers beyond EXAMPLE_HEADERS. */
  readonly headers?: Readonly<Record<string, string>>;
}

// The demo scenario every reference member seeds, whatever the seed and size (subgraphs/reference/world.ts).
const TERM = DEMO_SEARCH_TERMS.sharedAlias;
const COMPOUND = DEMO_IDS.goldenCraneCompound;
const CASE = DEMO_IDS.voicePhishingCaseKR;
/** The KR–KH joint team (agreements/instruments/kr-kh-joint-task-force-2025.yaml); kim.j is a member. */
const JOINT_TEAM = 'JTF-KR-KH-2025';

/**
 * Who asks: a token from the analyst's national identity provider — locally, a demo provider that
 * `npm run token` signs with (trust/demoIdentityProviders.ts). The country is the provider's, never a header.
 */
export const TOKEN_COMMAND = 'npm run -s token -- --country KR --analyst kim.j';

/** Why they ask (policy/requestHeaders.ts): without a purpose nothing crosses a border. */
export const EXAMPLE_HEADERS: Readonly<Record<string, string>> = {
  'Accord-Purpose': 'investigation',
  'Accord-Case': CASE,
};

export const EXAMPLES: readonly Example[] = [
  {
    title: `Search every member for "${TERM}"`,
    query: `{ search(term: "${TERM}") { country suspects { id fullName nationality } compounds { id name } } }`,
  },
  {
    title: `Who runs compound ${COMPOUND}, whatever their country (as a member of joint team ${JOINT_TEAM})`,
    query: `{ compound(id: "${COMPOUND}") { id country name operators { id country fullName } } }`,
    headers: { 'Accord-JIT': JOINT_TEAM },
  },
  {
    title: `Case ${CASE} and the records of other members it links`,
    query: `{ case(id: "${CASE}") { caseNumber status suspects { id country fullName } compounds { id country name } } }`,
  },
];

/** A copy-and-paste curl command (bash, multi-line) for one example against `url`. */
export function curlCommand(url: string, example: Example): string {
  const headers = Object.entries({ 'content-type': 'application/json', ...EXAMPLE_HEADERS, ...example.headers }).map(([name, value]) => `-H '${name}: ${value}'`);
  const token = `-H "Authorization: Bearer $(${TOKEN_COMMAND})"`;
  return [`curl -sS ${url}`, token, ...headers, `--data '${JSON.stringify({ query: example.query })}'`].join(' \\\n    ');
}

/** Every example as a commented curl command, blank lines between, indented by `indent`. */
export function examplesScript(url: string, indent = ''): string {
  return EXAMPLES.map((example) => `# ${example.title}\n${curlCommand(url, example)}`)
    .join('\n\n')
    .split('\n')
    .map((line) => (line === '' ? line : indent + line))
    .join('\n');
}
