// Types for parts.js (plain CommonJS, so that eslint.config.js can require it), for the tests that check it.
export interface Part {
  readonly name: string;
  readonly folders: readonly string[];
  readonly owns: string;
  readonly imports: readonly string[] | '*';
  readonly entries?: readonly string[] | '*';
  readonly shownAs?: string;
  readonly alsoImports?: readonly string[];
  readonly deep?: boolean;
  readonly packagesForbidden?: readonly string[];
}
export const PARTS: readonly Part[];
export const SUBGRAPH_PARTS: readonly string[];
export function memberFolders(root?: string): string[];
export function renderPartsTable(): string;
