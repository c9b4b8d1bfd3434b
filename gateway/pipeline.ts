import {
  GraphQLError,
  Kind,
  type DocumentNode,
  type GraphQLSchema,
  type OperationDefinitionNode,
} from 'graphql';
import type { Policy, RequestContext } from '../policy';
import type { Logger } from '../lib/logger';
import { META_REFERENCE, isRefusalCode } from '../vocabulary';
import { AnswerWalker } from './answerWalker';
import { noteConsultation, type Consultation } from './consultation';
import { recordIdsIn } from './hits';
import { addRecordIds, recordAliasFor } from './recordIds';
import { addPresenceChecks, answerAbsentRecords, presenceAliasFor } from './recordPresence';
import { redactOperation, restoreRedactions, type RedactedOperation } from './redaction';
import { addTypenames, stripTypenames, type TypenameRewrite } from './typenames';
import type { CoercedVariables } from './variables';
import { rewriteOf } from './rewriteMemo';

/**
 * The gateway's rewrites of the analyst's document and the restores of the answer that undo them, as
 * PAIRS declared in one ordered list (PIPELINE, below). Before the query planner sees the operation, each
 * pair's rewrite takes the document the previous one made; after the members have answered, each pair's
 * restore puts the answer back into the shape, nulls and errors the analyst's own document calls for.
 *
 * | pair      | rewrite (before planning)                   | restore (after)                             |
 * |-----------|---------------------------------------------|---------------------------------------------|
 * | presence  | `<alias>: country` on every record          | records no owner confirmed leave the answer |
 * | redaction | fields withheld whatever the record are cut | their nulls and the owners' errors put back |
 * | typenames | `__typename` in abstract selection sets     | out where the analyst did not ask for it    |
 * | recordIds | `<alias>: id` on every type with an id      | records noted (hits, consultation); ids out |
 *
 * (gateway/recordPresence.ts, redaction.ts, typenames.ts, recordIds.ts and consultation.ts do the work.)
 * The restores do not run in the reverse order of the rewrites: each entry of PIPELINE says why it stands
 * where it does, and test/gateway/pipeline-order.test.ts fails when a restore moves or goes missing. Every
 * restore that walks the answer along a document walks it with an AnswerWalker (gateway/answerWalker.ts),
 * made once per document for the request: its fragments resolved once, @skip/@include evaluated with the
 * request's coerced variables. The rewritten documents themselves are made once per operation (and
 * redaction) and kept with it (gateway/rewriteMemo.ts): a request with a known operation only looks them up.
 */

/** What the pipeline needs of one request. */
export interface PipelineRequest {
  /** The API schema the analyst's operation was validated against. */
  readonly schema: GraphQLSchema;
  /** The analyst's document, as they sent it. */
  readonly document: DocumentNode;
  readonly operationName: string | undefined;
  /** The operation's text: the aliases the gateway adds are ones it does not use. */
  readonly source: string | undefined;
  /** Coerced once (gateway/variables.ts): every walker evaluates @skip/@include with these. */
  readonly variables: CoercedVariables;
  readonly requester: RequestContext;
  readonly at: number;
  /** With the audit on: the consultation the answer is noted in. */
  readonly consultation: Consultation | undefined;
  readonly policy: Policy;
  /** "KHSuspect.fullName" → category, read from the supergraph. */
  readonly categories: ReadonlyMap<string, string>;
  readonly logger: Logger;
  /** Cut withheld fields before planning (default). Off only to measure what it costs (bench/). */
  readonly redactBeforePlanning: boolean;
}

/** What each rewrite did, by pair; `document` is the one the planner gets. */
export interface Rewritten {
  readonly presence: { readonly alias: string; readonly document: DocumentNode; readonly added: boolean };
  readonly redaction: RedactedOperation;
  readonly typenames: TypenameRewrite;
  readonly recordIds: { readonly alias: string; readonly document: DocumentNode };
  readonly document: DocumentNode;
}

/** The answer while the restores work on it. */
export interface Answer {
  /** As the planner returned it; the restores change it in place. */
  readonly data: Record<string, unknown> | null | undefined;
  /** The owners' errors, then the restores' own, in the order they were found. */
  errors: GraphQLError[];
  /** The ids of the records the answer holds once records not confirmed are out (gateway/hits.ts). */
  inAnswer: ReadonlySet<string>;
}

interface RewriteStep {
  readonly pair: PairName;
  /** Rewrites `document`, the one the earlier rewrites made. */
  readonly rewrite: (request: PipelineRequest, document: DocumentNode) => Partial<Rewritten>;
  /** Whether the planner must get the rewritten document for this pair's sake. */
  readonly needed: (request: PipelineRequest, done: Rewritten) => boolean;
}

interface RestoreStep {
  readonly pair: PairName;
  readonly restore: (context: RestoreContext) => void;
}

export type PairName = 'presence' | 'redaction' | 'typenames' | 'recordIds';

/** What a restore is given: the request, what the rewrites did, the answer, and the walkers. */
export interface RestoreContext {
  readonly request: PipelineRequest;
  readonly rewritten: Rewritten;
  readonly answer: Answer;
  /** The walker along a document, made once per document for the request (its fragments resolved once). */
  readonly walkerFor: (document: DocumentNode) => AnswerWalker;
}

// ---- The pairs ------------------------------------------------------------------------------------------

const presence = {
  rewrite: (request: PipelineRequest, document: DocumentNode): Partial<Rewritten> => {
    const alias = presenceAliasFor(request.source);
    const checked = rewriteOf(request.schema, document, `presence\0${alias}`, () =>
      addPresenceChecks(request.schema, document, alias),
    );
    return { presence: { alias, ...checked } };
  },
  needed: (_request: PipelineRequest, done: Rewritten): boolean => done.presence.added,
  /**
   * Records their owners did not confirm leave the answer, the checks with them; the owners' errors move
   * to where their places now are (and the restores' errors join them).
   */
  restore: ({ request, rewritten, answer, walkerFor }: RestoreContext): void => {
    const { presence: checked } = rewritten;
    if (!checked.added || !answer.data) return;
    const operation = findOperation(checked.document, request.operationName);
    // An answer the gateway cannot walk along the operation: the checks are taken out wherever they are.
    if (!operation) return stripKey(answer.data, checked.alias);
    const absent = answerAbsentRecords(
      {
        walker: walkerFor(checked.document),
        operation,
        alias: checked.alias,
        redacted: rewritten.redaction,
        requester: request.requester,
        consultation: request.consultation,
        recordAlias: rewritten.recordIds.alias,
      },
      answer.data,
    );
    answer.errors = [
      ...relocateErrors(answer.errors, absent.relocate),
      ...absent.errors.map((e) => new GraphQLError(e.message, { path: e.path, extensions: e.extensions })),
    ];
  },
};

const redaction = {
  rewrite: (request: PipelineRequest, document: DocumentNode): Partial<Rewritten> => ({
    // Decided for this request; the document it cuts is kept with the operation for the same effects
    // (gateway/redaction.ts), so that the rewrites after it find theirs kept too.
    redaction: request.redactBeforePlanning
      ? redactOperation(
          {
            schema: request.schema,
            categories: request.categories,
            policy: request.policy,
            requester: request.requester,
            at: request.at,
          },
          document,
        )
      : nothingRedacted(document),
  }),
  needed: (_request: PipelineRequest, done: Rewritten): boolean => done.redaction.redactions.size > 0,
  /** The fields cut before planning get the nulls and errors their owners would have given. */
  restore: ({ request, rewritten, answer, walkerFor }: RestoreContext): void => {
    const original = findOperation(request.document, request.operationName);
    if (!answer.data || !original) return;
    const restored = restoreRedactions(
      walkerFor(request.document),
      rewritten.redaction,
      original,
      answer.data,
      request.requester,
    );
    answer.errors = [
      ...answer.errors,
      ...restored.map((e) => new GraphQLError(e.message, { path: e.path, extensions: e.extensions })),
    ];
  },
};

const typenames = {
  rewrite: (request: PipelineRequest, document: DocumentNode): Partial<Rewritten> => ({
    typenames: rewriteOf(request.schema, document, 'typenames', () => addTypenames(request.schema, document)),
  }),
  needed: (_request: PipelineRequest, done: Rewritten): boolean => done.typenames.injected.size > 0,
  /**
   * The `__typename`s the gateway added (here and as redaction's placeholders) leave the answer where the
   * analyst did not ask for them; walked along the document they were added to.
   */
  restore: ({ request, rewritten, answer, walkerFor }: RestoreContext): void => {
    const { document } = rewritten.typenames;
    const withTypenames = findOperation(document, request.operationName);
    if (!answer.data || !withTypenames) return;
    stripTypenames(walkerFor(document), withTypenames, answer.data);
  },
};

const recordIds = {
  rewrite: (request: PipelineRequest, document: DocumentNode): Partial<Rewritten> => {
    const alias = recordAliasFor(request.source);
    const withIds = rewriteOf(request.schema, document, `recordIds\0${alias}`, () =>
      addRecordIds(request.schema, document, alias),
    );
    return { recordIds: { alias, document: withIds } };
  },
  // On its own account only with the audit on (the consultation names records by id); otherwise the ids
  // serve the hit tokens of an answer some other pair rewrote anyway.
  needed: (request: PipelineRequest): boolean => request.consultation !== undefined,
  /**
   * Which records the answer holds (their owners' hit tokens go to the analyst); then the ids leave the
   * answer, noted in the consultation with the audit on.
   */
  restore: ({ request, rewritten, answer, walkerFor }: RestoreContext): void => {
    if (!answer.data) return;
    const { alias } = rewritten.recordIds;
    answer.inAnswer = recordIdsIn(answer.data, alias);
    const original = findOperation(request.document, request.operationName);
    if (!request.consultation || !original) return stripKey(answer.data, alias);
    noteConsultation(request.consultation, {
      walker: walkerFor(request.document),
      categories: request.categories,
      redacted: rewritten.redaction,
      operation: original,
      data: answer.data,
      recordAlias: alias,
      policy: request.policy,
      requester: request.requester,
      at: request.at,
      logger: request.logger,
    });
  },
};

// ---- The order ------------------------------------------------------------------------------------------

/**
 * The one list: the rewrites in the order they run, then the restores in the order they run. Moving an
 * entry changes what the analyst and the audit get; test/gateway/pipeline-order.test.ts pins each reason.
 */
export const PIPELINE: readonly (
  | { readonly phase: 'rewrite'; readonly step: RewriteStep }
  | { readonly phase: 'restore'; readonly step: RestoreStep }
)[] = [
  // First: the check of a record no basis lets the requester know of is then cut by redaction like any
  // other field (the record is answered as absent, with the owner's no-basis error).
  { phase: 'rewrite', step: { pair: 'presence', ...presence } },
  { phase: 'rewrite', step: { pair: 'redaction', ...redaction } },
  // After redaction: its per-type fragments and placeholders are selection sets too, and an abstract one
  // needs its `__typename` as much as the analyst's own.
  { phase: 'rewrite', step: { pair: 'typenames', ...typenames } },
  // Last: the ids are the gateway's own, never cut (redaction passes `id`); added after redaction, they
  // are not copied into each of its per-type fragments.
  { phase: 'rewrite', step: { pair: 'recordIds', ...recordIds } },

  // First of all: records their owners did not confirm leave the answer before anything is noted of them
  // (no consultation entry, no hit token) and before any error path is counted.
  { phase: 'restore', step: { pair: 'presence', restore: presence.restore } },
  // Before the redactions are restored: the consultation reads the answer as the owners gave it; a record
  // answered as absent for a withheld reference is nulled by that restore, and must still be there to be
  // named (the presence restore has taken most such records out already, and noted them itself).
  { phase: 'restore', step: { pair: 'recordIds', restore: recordIds.restore } },
  // Reads each object's `__typename` to know whose record it is, at abstract positions.
  { phase: 'restore', step: { pair: 'redaction', restore: redaction.restore } },
  // Last: until now every walker has read the `__typename`s this takes out.
  { phase: 'restore', step: { pair: 'typenames', restore: typenames.restore } },
];

// ---- Running it -----------------------------------------------------------------------------------------

/**
 * Every rewrite, in order. `needed` is false when no pair has to change the document for this request:
 * the planner may then get the analyst's own document.
 */
export function rewrite(request: PipelineRequest): { rewritten: Rewritten; needed: boolean } {
  let document = request.document;
  let done: Partial<Rewritten> = {};
  const steps: RewriteStep[] = [];
  for (const entry of PIPELINE) {
    if (entry.phase !== 'rewrite') continue;
    steps.push(entry.step);
    done = { ...done, ...entry.step.rewrite(request, document) };
    document = documentOf(entry.step.pair, done);
  }
  const rewritten = { ...done, document } as Rewritten;
  return { rewritten, needed: steps.some((step) => step.needed(request, rewritten)) };
}

/** Every restore, in order, on the answer to the rewritten document. */
export function restore(request: PipelineRequest, rewritten: Rewritten, answer: Answer): void {
  const walkers = new Map<DocumentNode, AnswerWalker>();
  const walkerFor = (document: DocumentNode): AnswerWalker => {
    let walker = walkers.get(document);
    if (!walker) {
      walker = new AnswerWalker(request.schema, document, request.variables);
      walkers.set(document, walker);
    }
    return walker;
  };
  for (const entry of PIPELINE)
    if (entry.phase === 'restore') entry.step.restore({ request, rewritten, answer, walkerFor });
}

/** The rewrite of one pair alone, of `document` (tests: each pair's rewrite, its output written by hand). */
export function rewriteOne(
  pair: PairName,
  request: PipelineRequest,
  document: DocumentNode,
): Partial<Rewritten> {
  const entry = PIPELINE.find((e) => e.phase === 'rewrite' && e.step.pair === pair);
  if (entry?.phase !== 'rewrite') throw new Error(`no rewrite for ${pair}`);
  return entry.step.rewrite(request, document);
}

/** The restore of one pair alone (tests: each pair's restore on an answer written by hand). */
export function restoreOne(
  pair: PairName,
  request: PipelineRequest,
  rewritten: Rewritten,
  answer: Answer,
): void {
  const entry = PIPELINE.find((e) => e.phase === 'restore' && e.step.pair === pair);
  if (entry?.phase !== 'restore') throw new Error(`no restore for ${pair}`);
  entry.step.restore({
    request,
    rewritten,
    answer,
    walkerFor: (document) => new AnswerWalker(request.schema, document, request.variables),
  });
}

/**
 * A stable description of the rewrites, for the plan cache key: a plan made for one rewrite (one
 * redaction above all) must never serve another (docs/architecture.md records a leak when it did).
 */
export function rewriteSignature(rewritten: Rewritten): string {
  const { redaction: redacted, recordIds: ids, presence: checked } = rewritten;
  return `${redacted.signature}\0typenames-v1\0ids:${ids.alias}${checked.added ? `\0presence:${checked.alias}` : ''}`;
}

function documentOf(pair: PairName, done: Partial<Rewritten>): DocumentNode {
  switch (pair) {
    case 'presence':
      return done.presence!.document;
    case 'redaction':
      return done.redaction!.document;
    case 'typenames':
      return done.typenames!.document;
    case 'recordIds':
      return done.recordIds!.document;
  }
}

function nothingRedacted(document: DocumentNode): RedactedOperation {
  return { document, redactions: new Map(), signature: '', released: new Set() };
}

/**
 * Owners' errors at their places after records were taken out (gateway/recordPresence.ts). An error
 * inside a record taken out would tell of it: an owner's no-basis error loses its place and joins the
 * one per owner (gateway/executor.ts onePerOwner); any other is dropped, for the record is not in the answer.
 */
function relocateErrors(
  errors: readonly GraphQLError[],
  relocate: (path: readonly (string | number)[]) => (string | number)[] | undefined,
): GraphQLError[] {
  return errors.flatMap((error) => {
    if (!error.path) return [error];
    const path = relocate(error.path);
    if (path && path.every((segment, i) => segment === error.path![i])) return [error];
    if (path) return [new GraphQLError(error.message, { path, extensions: error.extensions })];
    if (isNoBasisForOwner(error)) return [new GraphQLError(error.message, { extensions: error.extensions })];
    return [];
  });
}

/** An owner's refusal of every record of its own (meta.reference, no one field): there is one per owner. */
export function isNoBasisForOwner(error: GraphQLError): boolean {
  const { code, owner, category, field } = error.extensions as Record<string, unknown>;
  return (
    isRefusalCode(code) && category === META_REFERENCE && field === undefined && typeof owner === 'string'
  );
}

/** Removes a key the gateway added from every object of an answer it could not walk along the operation. */
function stripKey(value: unknown, key: string): void {
  if (Array.isArray(value)) {
    for (const item of value) stripKey(item, key);
  } else if (value !== null && typeof value === 'object') {
    delete (value as Record<string, unknown>)[key];
    for (const child of Object.values(value)) stripKey(child, key);
  }
}

export function findOperation(
  document: DocumentNode,
  name: string | undefined,
): OperationDefinitionNode | undefined {
  const operations = document.definitions.filter(
    (d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION,
  );
  return name
    ? operations.find((o) => o.name?.value === name)
    : operations.length === 1
      ? operations[0]
      : undefined;
}
