// Serves The Korean National Police Agency's reference subgraph (environment: subgraphs/reference/run.ts).
import { runNationalSubgraph } from '../reference';
import { COUNTRY, createSystem } from '.';

runNationalSubgraph(COUNTRY, createSystem);
