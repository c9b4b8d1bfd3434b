/**
 * The explorer: GraphiQL, bundled at build time and served by the gateway under /explorer
 * (docs/architecture.md). The page holds no data; the analyst's token opens /graphql, introspection included.
 */
export { explorerRoutes } from './routes';
export { EXPLORER_CSP } from './page';
export {
  buildExplorer,
  builtExplorerAssets,
  ensureExplorerBuilt,
  explorerSourceHash,
  EXPLORER_BUILD_DIR,
  type ExplorerAssets,
} from './build';
