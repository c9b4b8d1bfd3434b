/**
 * What authorization costs a national subgraph serving a 1,000-record list with every field: the guarded
 * schema (one graphql-shield rule per field, record-level visibility) against the same schema without
 * them, side by side in interleaved rounds (goal ≤ 1.5×). Measured twice: graphql-js execution alone
 * (the rules' own cost, undiluted) and over HTTP (what the gateway sees). Issues report graphql-shield
 * costing 2–8× on large lists because it wraps every field in an async middleware; Accord's rules decide
 * synchronously (docs/decisions/0004-graphql-shield-sync-fast-path.md).
 */
import { execute, parse, type ExecutionResult } from 'graphql';
import { loadDefaultPolicy, requestContextHeaders, type RequestContext } from '../../policy';
import { formatGlobalId } from '../../schema';
import { buildNationalSchema, serveSubgraphSchema, startSubgraph } from '../../subgraphs/kit';
import { buildUnguardedSchema } from '../../subgraphs/kit/schema';
import { AuthorizationState } from '../../subgraphs/kit/authorization/state';
import { openStore } from '../../subgraphs/reference';
import { localTrust } from '../../trust';
import { createSystem } from '../../subgraphs/kr';
import { ServerGroup, graphqlClient, interleave, median, ratio, type Scenario } from '../harness';
import { approveFollowUp, closeAll, openBenchGrantStores } from '../grants';

const RECORDS = 1_000;
/** About 1,024 suspects per member. */
const WORLD_SIZE = 3_200;
const GOAL = { max: 1.5 };

const EVERY_FIELD = `query List($representations: [_Any!]!) {
  _entities(representations: $representations) {
    ... on KRSuspect {
      id country fullName aliases dateOfBirth nationality passportNumbers phones messengerHandles
      wantedStatus { wanted warrants { reference issuedBy issuedOn offence } interpolNotice { colour id } }
      criminalRecord { court date offence sentence }
      lastKnownLocation { description country observedAt point { latitude longitude } }
      borderMovements { direction crossingPoint country at documentNumber }
      travelDocuments { kind number issuingCountry expiresOn }
      financialAccounts { kind institution number country holderName }
      subscriberRecords { phone operator registeredName activatedOn }
      callRecords { from to at durationSeconds }
      interceptedMessages { at channel from to content }
      associates { id } linkedCases { id }
      residentRegistrationNumber
    }
  }
}`;

/** A KR analyst on KR's own subgraph: every field is released, so every rule and resolver runs. */
const OWNER: RequestContext = {
  country: 'KR',
  analyst: 'kim.j',
  roles: ['analyst'],
  purpose: 'investigation',
};
/**
 * A KH analyst under the KR–KH MLAT, with KR's grant for the formal request about the 1,000 records
 * (bench/grants.ts): the treaty's fields released, the others withheld with an error each.
 */
const GRANT_ID = 'MLA-KH-BENCH-0001';
const FOREIGN: RequestContext = {
  country: 'KH',
  analyst: 'sok.r',
  roles: ['analyst'],
  purpose: 'investigation',
  caseReference: 'KH-CAS-BENCH-1',
  requestReference: GRANT_ID,
};

export const shieldList: Scenario = {
  name: 'shield-list',
  description:
    'a national subgraph serving 1,000 records with every field: graphql-shield on vs off (goal ≤ 1.5×)',
  timeoutS: 240,
  async run(ctx) {
    const policy = loadDefaultPolicy();
    const at = Date.UTC(2026, 5, 15);
    const store = openStore({ country: 'KR', file: ':memory:', size: WORLD_SIZE });
    ctx.defer(() => store.close());
    const system = createSystem({ store });
    const representations = Array.from({ length: RECORDS }, (_, i) => ({
      __typename: 'KRSuspect',
      id: formatGlobalId('KR', 'Suspect', i + 1),
    }));
    const variableValues = { representations };
    const document = parse(EVERY_FIELD);
    const schemas = { guarded: buildNationalSchema(system), unguarded: buildUnguardedSchema(system) };
    const rounds = ctx.quick ? 2 : 7;
    const perRound = ctx.quick ? 2 : 8;

    // KR's desk approves KH's formal request about the listed records; the store keeps it signed.
    const grants = openBenchGrantStores(['KR'], await ctx.tempDir('shield-list-grants'));
    ctx.defer(() => closeAll(grants));
    approveFollowUp({
      policy,
      id: GRANT_ID,
      requester: FOREIGN,
      subjects: { KR: representations.map((r) => r.id) },
      stores: grants,
      at,
    });
    if (grants['KR']!.get(GRANT_ID) === undefined) throw new Error(`KR holds no grant ${GRANT_ID}.`);

    async function executeOnce(
      schema: (typeof schemas)['guarded'],
      requester: RequestContext,
    ): Promise<ExecutionResult> {
      // The grant the request names, read from the owner's store once per request, as the kit's server does.
      const grant =
        requester.requestReference === undefined ? undefined : grants['KR']!.get(requester.requestReference);
      const book = new Map(grant ? [[grant.id, grant]] : []);
      const contextValue = {
        country: 'KR',
        records: system.createRequestRecords(),
        accord: new AuthorizationState(policy, 'KR', requester, at, 'query', undefined, book),
      };
      return await execute({ schema, document, variableValues, contextValue });
    }
    // Checked once: the list is whole, the guard really guards (the foreign analyst gets errors), and the
    // grant really opens (the foreign analyst gets every record's name).
    const owned = await executeOnce(schemas.guarded, OWNER);
    if (owned.errors || (owned.data?.['_entities'] as unknown[]).length !== RECORDS)
      throw new Error('The owner did not get 1,000 whole records.');
    const foreign = await executeOnce(schemas.guarded, FOREIGN);
    if (!foreign.errors?.length) throw new Error('The foreign analyst got every field: the guard is not on.');
    const named = (foreign.data?.['_entities'] as ({ fullName?: unknown } | null)[]).filter(
      (record) => typeof record?.fullName === 'string',
    ).length;
    if (named !== RECORDS)
      throw new Error(
        `Under the grant, the foreign analyst got ${named} of ${RECORDS} names: the grant is not in play.`,
      );

    const timeExecutions = (schema: (typeof schemas)['guarded'], requester: RequestContext) => async () => {
      const times: number[] = [];
      for (let i = 0; i < perRound; i++) {
        const start = performance.now();
        await executeOnce(schema, requester);
        times.push(performance.now() - start);
      }
      return median(times);
    };
    const executions = await interleave(
      {
        guardedOwner: timeExecutions(schemas.guarded, OWNER),
        unguardedOwner: timeExecutions(schemas.unguarded, OWNER),
        guardedForeign: timeExecutions(schemas.guarded, FOREIGN),
        unguardedForeign: timeExecutions(schemas.unguarded, FOREIGN),
      },
      rounds,
      ctx.signal,
    );

    // Over HTTP: the guarded subgraph as the kit serves it, and the same without the guard.
    const servers = new ServerGroup();
    ctx.defer(() => servers.stopAll());
    const trust = localTrust(await ctx.tempDir('shield-list-trust'), ['KR']);
    const guardedServer = servers.add(
      await startSubgraph(system, { policy, now: () => at, gatewayTokens: trust.gatewayTokens('kr') }),
    );
    const unguardedServer = servers.add(
      await serveSubgraphSchema({
        name: 'KR',
        schema: schemas.unguarded,
        context: () =>
          Promise.resolve({
            country: 'KR',
            records: system.createRequestRecords(),
            accord: new AuthorizationState(policy, 'KR', OWNER, at),
          }),
      }),
    );
    const body = { query: EVERY_FIELD, variables: variableValues };
    // The guarded subgraph checks a gateway token on each call, as in production; the unguarded one none.
    const signer = trust.signer();
    const guardedHeaders = (payload: string) => ({
      authorization: `Bearer ${signer.sign({ audience: 'kr', scope: 'query', ctx: requestContextHeaders(OWNER), body: payload })}`,
    });
    const clients = {
      guarded: graphqlClient(guardedServer.url, 1),
      unguarded: graphqlClient(unguardedServer.url, 1),
    };
    ctx.defer(() => Object.values(clients).forEach((client) => client.close()));
    const timeRequests =
      (client: (typeof clients)['guarded'], headers: Parameters<(typeof clients)['guarded']['post']>[1]) =>
      async () => {
        const times: number[] = [];
        for (let i = 0; i < perRound; i++) {
          const start = performance.now();
          await client.post(body, headers);
          times.push(performance.now() - start);
        }
        return median(times);
      };
    const requests = await interleave(
      {
        guarded: timeRequests(clients.guarded, guardedHeaders),
        unguarded: timeRequests(clients.unguarded, {}),
      },
      rounds,
      ctx.signal,
    );

    const m = (values: number[] | undefined) => median(values!);
    return {
      figures: [
        { name: 'execute, owner (all released): guarded', value: m(executions['guardedOwner']), unit: 'ms' },
        {
          name: 'execute, owner (all released): unguarded',
          value: m(executions['unguardedOwner']),
          unit: 'ms',
        },
        {
          name: 'execute, KH under the MLAT with a grant (mixed): guarded',
          value: m(executions['guardedForeign']),
          unit: 'ms',
        },
        {
          name: 'execute, KH under the MLAT with a grant (mixed): unguarded',
          value: m(executions['unguardedForeign']),
          unit: 'ms',
        },
        { name: 'HTTP, owner: guarded', value: m(requests['guarded']), unit: 'ms' },
        { name: 'HTTP, owner: unguarded', value: m(requests['unguarded']), unit: 'ms' },
      ],
      ratios: [
        ratio(
          'execute, all released: guarded / unguarded',
          m(executions['guardedOwner']),
          m(executions['unguardedOwner']),
          GOAL,
        ),
        ratio(
          'execute, mixed: guarded / unguarded (the guarded answer carries an error per withheld field)',
          m(executions['guardedForeign']),
          m(executions['unguardedForeign']),
        ),
        ratio(
          'HTTP, all released: guarded / unguarded',
          m(requests['guarded']),
          m(requests['unguarded']),
          GOAL,
        ),
      ],
    };
  },
};
