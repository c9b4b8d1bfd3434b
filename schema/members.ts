/**
 * The member registry: every country that serves a subgraph, and the hub. Adding a member is one entry
 * here, an optional national-only SDL file in schema/national/<CODE>.graphql, then `npm run schema:generate`
 * (CONTRIBUTING.md, "Adding a member country").
 */

export interface Member {
  /** ISO 3166-1 alpha-2 code; the prefix of every global id the member owns and of its type names. */
  readonly code: string;
  readonly name: string;
  /** The national police authority that runs the member's subgraph. */
  readonly authority: string;
  /** Port of the member's subgraph under `npm start`; `ACCORD_<CODE>_URL` overrides the whole URL. */
  readonly defaultPort: number;
}

export const HUB_NAME = 'alliance';
export const HUB_DEFAULT_PORT = 4100;
export const GATEWAY_DEFAULT_PORT = 4000;

export const MEMBERS: readonly Member[] = [
  { code: 'KR', name: 'Republic of Korea', authority: 'Korean National Police Agency', defaultPort: 4101 },
  {
    code: 'KH',
    name: 'Kingdom of Cambodia',
    authority: 'General Commissariat of National Police',
    defaultPort: 4102,
  },
  { code: 'TH', name: 'Kingdom of Thailand', authority: 'Royal Thai Police', defaultPort: 4103 },
  {
    code: 'PH',
    name: 'Republic of the Philippines',
    authority: 'Philippine National Police',
    defaultPort: 4104,
  },
  {
    code: 'VN',
    name: 'Socialist Republic of Viet Nam',
    authority: 'Ministry of Public Security',
    defaultPort: 4105,
  },
];
