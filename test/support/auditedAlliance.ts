/**
 * A test alliance that every writer audits to SQLite (test/support/auditBackends.ts), started once for a
 * `describe` block and stopped after it, with the one thing the hostile suites ask of it: a question's
 * answer, the request id the gateway gave it, and that request's crossings read back from the logs
 * (test/support/crossings.ts).
 */
import type { CrossingBody } from '../../audit';
import { sqliteAuditBackend, type AllianceLogs, type AuditBackend } from './auditBackends';
import {
  startAlliance,
  type Alliance,
  type AllianceOptions,
  type Exchange,
  type GraphQLAnswer,
} from './alliance';
import { crossingsOf, type Crossings } from './crossings';

export interface AuditedAlliance {
  /** Asks through the gateway; `requestId` is what the gateway named the request (undefined if refused before). */
  ask(
    query: string,
    headers: Record<string, string>,
    variables?: Record<string, unknown>,
  ): Promise<{ answer: GraphQLAnswer; requestId: string | undefined }>;
  /** Both sides of a request's crossings, from every log of the alliance. */
  crossings(requestId: string): Promise<Crossings>;
}

/**
 * Starts the alliance (with `options` besides its logs: a tampering member, say) in `beforeAll`, within
 * `timeoutMs`, and stops it and its logs in `afterAll`.
 */
export function auditedAllianceForSuite(
  options: Omit<AllianceOptions, 'audit' | 'record'> = {},
  timeoutMs = 120_000,
): AuditedAlliance {
  let backend: AuditBackend;
  let logs: AllianceLogs;
  let alliance: Alliance;
  const record: Exchange[] = [];

  beforeAll(async () => {
    backend = sqliteAuditBackend();
    logs = backend.forAlliance();
    alliance = await startAlliance({ ...options, audit: logs, record });
  }, timeoutMs);
  afterAll(async () => {
    await alliance?.stop();
    await backend?.close();
  });

  return {
    async ask(query, headers, variables) {
      const answer = await alliance.query(query, { headers, ...(variables ? { variables } : {}) });
      return { answer, requestId: record.at(-1)!.requestId };
    },
    crossings: (requestId) => crossingsOf(logs, requestId),
  };
}

/** A consultation record's entries as comparable text, each with its owner: path, record, decision. */
export function consultedEntries(records: readonly CrossingBody[]): string[] {
  return records
    .flatMap((record) => record.fields.map((entry) => JSON.stringify([record.owner, entry])))
    .sort();
}
