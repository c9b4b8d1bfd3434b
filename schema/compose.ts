import { composeServices } from '@apollo/composition';
import { parse } from 'graphql';
import type { SubgraphDefinition } from './generate';

/** Composition failed; `problems` lists every error, each naming the subgraph(s) and the field. */
export class CompositionError extends Error {
  constructor(readonly problems: readonly { code: string; message: string }[]) {
    super(`The subgraphs do not compose:\n${problems.map((p) => `  - [${p.code}] ${p.message}`).join('\n')}`);
    this.name = 'CompositionError';
  }
}

/**
 * Composes subgraphs into a supergraph with @apollo/composition. `urlFor` gives each subgraph's routing
 * URL recorded in the supergraph (the gateway may override it at run time).
 */
export function composeSupergraph(
  subgraphs: readonly SubgraphDefinition[],
  urlFor: (name: string) => string,
): string {
  const services = subgraphs.map((subgraph) => {
    try {
      return { name: subgraph.name, typeDefs: parse(subgraph.typeDefs), url: urlFor(subgraph.name) };
    } catch (error) {
      throw new CompositionError([
        { code: 'INVALID_GRAPHQL', message: `[${subgraph.name}] ${(error as Error).message}` },
      ]);
    }
  });
  const result = composeServices(services);
  if (result.errors) {
    throw new CompositionError(
      result.errors.map((error) => ({
        code: typeof error.extensions['code'] === 'string' ? error.extensions['code'] : 'COMPOSITION_ERROR',
        message: error.message,
      })),
    );
  }
  return result.supergraphSdl;
}
