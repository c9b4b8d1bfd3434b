// Serves Cambodia's General Commissariat of National Police's reference subgraph (environment: subgraphs/reference/run.ts).
import { runNationalSubgraph } from '../reference';
import { COUNTRY, createSystem } from '.';

runNationalSubgraph(COUNTRY, createSystem);
