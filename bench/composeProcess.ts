/**
 * Child-process entry of the composition scenario (bench/scenarios/composition.ts): generates and
 * composes the supergraph of a synthetic registry of the size it is given, writes it to the file it is
 * given and reports sizes and times. A process of its own so that the parent can bound a composition
 * that takes too long (it kills this one) and so that one size's heap does not weigh on the next.
 */
import { writeFileSync } from 'node:fs';
import { HUB_NAME, composeSupergraph, generateSubgraphs } from '../schema';
import { syntheticMembers } from './synthetic';

export interface ComposeRequest {
  readonly size: number;
  /** Where to write the supergraph SDL. */
  readonly out: string;
}

export interface ComposeReport {
  readonly size: number;
  readonly generateMs: number;
  readonly composeMs: number;
  readonly supergraphBytes: number;
  /** The hub's SDL and one member's SDL (the last), bytes. */
  readonly hubSdlBytes: number;
  readonly memberSdlBytes: number;
  /** Every subgraph's SDL together, bytes. */
  readonly subgraphsBytes: number;
}

process.on('message', (message: ComposeRequest) => {
  try {
    const members = syntheticMembers(message.size);
    const generating = performance.now();
    const subgraphs = generateSubgraphs(members);
    const generateMs = performance.now() - generating;
    const composing = performance.now();
    const sdl = composeSupergraph(subgraphs, (name) => `http://127.0.0.1:9/${name}`);
    const composeMs = performance.now() - composing;
    writeFileSync(message.out, sdl);
    const bytes = (text: string) => Buffer.byteLength(text, 'utf8');
    const report: ComposeReport = {
      size: message.size,
      generateMs,
      composeMs,
      supergraphBytes: bytes(sdl),
      hubSdlBytes: bytes(subgraphs.find((s) => s.name === HUB_NAME)!.typeDefs),
      memberSdlBytes: bytes(subgraphs[subgraphs.length - 1]!.typeDefs),
      subgraphsBytes: subgraphs.reduce((sum, s) => sum + bytes(s.typeDefs), 0),
    };
    process.send?.({ type: 'composed', report });
  } catch (error) {
    process.send?.({ type: 'failed', message: error instanceof Error ? error.message : String(error) });
  }
});
process.send?.({ type: 'ready' });
// Gone with the parent: nothing to clean up.
process.on('disconnect', () => process.exit(0));
