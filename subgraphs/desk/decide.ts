import { ANALYST_ID, type Grant, type Policy } from '../../policy';
import { REFUSAL_GROUNDS, isRefusalGround } from '../../vocabulary';
import { checkApproval } from './approval';
import { QUESTION_MIN_LETTERS, readDeskText } from './deskText';
import type { GrantStore } from './grantStore';
import type {
  ApprovalTerms,
  FollowUpRequest,
  RequestEvent,
  RequestFilter,
  RequestState,
  RequestStore,
} from './requestStore';

/**
 * The owner's desk decides formal follow-up requests (issue 9): one module, used by the desk's HTTP API
 * (subgraphs/desk/deskRoutes.ts) and its command line (subgraphs/desk/cli.ts), so that both apply the
 * same rules and say the same things.
 *
 * - approve: with conditions, never more than was requested (a subset of the categories, a validity in
 *   days, evidentiary use only when asked for and the clause allows it), checked against the agreements
 *   (checkApproval) and issued as a grant whose id is the request's. For categories the member marks
 *   sensitive (agreements/members.yaml `desk.twoApproverCategories`), the first approval is recorded as an
 *   `approval` event and the request stays pending until a second, different officer approves the same
 *   terms.
 * - refuse: with a ground from the closed list (vocabulary/refusalGrounds.ts) and an optional note.
 * - ask: for more information, with a question in real words; the request waits in `info-requested`.
 * - revoke: a grant, from now on (the owner's subgraph reads the grant on each request).
 *
 * Nobody approves their own request, and only officers of the owner act at its desk. Every change goes
 * through the store's `transition` with the history the officer read, so two officers acting at once
 * never both win: the second is told what happened.
 */

/** Who acts: an officer established by the caller (the desk token's subject, or the CLI's --officer). */
export interface DeskOfficer {
  readonly country: string;
  readonly id: string;
}

export type DeskErrorKind = 'not-found' | 'invalid' | 'forbidden' | 'conflict';

export interface DeskError {
  readonly kind: DeskErrorKind;
  readonly message: string;
  /** Every problem found, in words (a refused approval can have several). */
  readonly problems: readonly string[];
}

export type DeskOutcome<T> = ({ readonly ok: true } & T) | { readonly ok: false; readonly error: DeskError };

/** One act of the desk, as it happened: the point where the owner's audit log records desk acts. */
export interface DeskAct {
  readonly act: 'approval' | 'approved' | 'refused' | 'info-requested' | 'revoked';
  readonly at: number;
  /** `country/officer`. */
  readonly by: string;
  readonly requestId?: string;
  readonly grantId?: string;
  readonly ground?: string;
}

/** A request as the desk shows it: overdue when its due time passed while it still waits for the desk. */
export interface DeskRequestView extends FollowUpRequest {
  readonly overdue: boolean;
  /** Approvals recorded in this round that still wait for a second officer. */
  readonly pendingApprovals: readonly {
    readonly by: string;
    readonly at: number;
    readonly terms: ApprovalTerms;
  }[];
}

export type GrantStatus = 'valid' | 'not-yet-valid' | 'expired' | 'revoked';

/** Where a grant stands at `at`: revoked from its revocation on, else by its validity window (until exclusive). */
export function grantStatus(grant: Grant, at: number): GrantStatus {
  if (grant.revokedAt !== undefined && grant.revokedAt <= at) return 'revoked';
  if (at < grant.validFrom) return 'not-yet-valid';
  return at >= grant.validUntil ? 'expired' : 'valid';
}

export interface DeskGrantView extends Grant {
  readonly status: GrantStatus;
  readonly approvedBy: readonly string[];
  readonly revokedBy?: string;
}

export interface DeskOptions {
  readonly owner: string;
  readonly policy: Policy;
  readonly requests: RequestStore;
  readonly grants: GrantStore;
  readonly now?: () => number;
  /**
   * Called after each act has changed the stores. audit: the owner's audit log records desk acts here once
   * its procedure records exist (the desk builds none itself).
   */
  readonly onAct?: (act: DeskAct) => void;
}

export interface DeskListFilter extends RequestFilter {
  /** Only overdue requests (true) or only requests that are not (false). */
  readonly overdue?: boolean;
}

export interface Desk {
  readonly owner: string;
  /** Overdue first, then in the order filed. */
  listRequests(filter?: DeskListFilter): DeskRequestView[];
  getRequest(id: string): DeskRequestView | undefined;
  listGrants(): DeskGrantView[];
  approve(
    id: string,
    officer: DeskOfficer,
    terms: ApprovalTerms,
  ): DeskOutcome<{
    readonly request: DeskRequestView;
    readonly grant?: DeskGrantView;
    readonly awaitingSecondApproval: boolean;
    readonly message: string;
  }>;
  refuse(
    id: string,
    officer: DeskOfficer,
    ground: string,
    note?: string,
  ): DeskOutcome<{ readonly request: DeskRequestView; readonly message: string }>;
  ask(
    id: string,
    officer: DeskOfficer,
    question: string,
  ): DeskOutcome<{ readonly request: DeskRequestView; readonly message: string }>;
  revoke(
    grantId: string,
    officer: DeskOfficer,
  ): DeskOutcome<{ readonly grant: DeskGrantView; readonly message: string }>;
}

/** States the desk still has to decide in: it may approve or refuse while waiting for an answer too. */
const UNDECIDED: ReadonlySet<RequestState> = new Set<RequestState>(['pending', 'info-requested']);

const DAY_MS = 86_400_000;

export function isOverdue(request: FollowUpRequest, now: number): boolean {
  return UNDECIDED.has(request.state) && request.dueAt < now;
}

/** The approvals of the current round: those after the last event that was not an approval. */
function pendingApprovals(request: FollowUpRequest): DeskRequestView['pendingApprovals'] {
  if (request.state !== 'pending' && request.state !== 'info-requested') return [];
  const found: { by: string; at: number; terms: ApprovalTerms }[] = [];
  for (const event of request.events) {
    if (event.act !== 'approval') found.length = 0;
    else if (event.approval !== undefined) found.push({ by: event.by, at: event.at, terms: event.approval });
  }
  return found;
}

function sameTerms(a: ApprovalTerms, b: ApprovalTerms): boolean {
  const set = new Set(a.categories);
  return (
    a.validDays === b.validDays &&
    a.evidentiaryUse === b.evidentiaryUse &&
    a.categories.length === b.categories.length &&
    b.categories.every((c) => set.has(c))
  );
}

/** The categories of terms that may come from a caller's JSON: anything but a list of text is none. */
function categoriesOf(terms: ApprovalTerms): readonly string[] {
  const categories: unknown = terms.categories;
  return Array.isArray(categories) ? categories.filter((c): c is string => typeof c === 'string') : [];
}

function failure(
  kind: DeskErrorKind,
  message: string,
  problems: readonly string[] = [message],
): { ok: false; error: DeskError } {
  return { ok: false, error: { kind, message, problems } };
}

export function createDesk(options: DeskOptions): Desk {
  const { owner, policy, requests, grants } = options;
  const now = options.now ?? Date.now;
  const member = policy.set.members.find((m) => m.code === owner);
  if (member === undefined) throw new Error(`createDesk: ${owner} is not a member of the agreement set`);
  const sensitive: ReadonlySet<string> = new Set(member.desk?.twoApproverCategories ?? []);

  const view = (request: FollowUpRequest, at = now()): DeskRequestView => ({
    ...request,
    overdue: isOverdue(request, at),
    pendingApprovals: pendingApprovals(request),
  });

  function grantView(grant: Grant, at = now()): DeskGrantView {
    const approvals = grants.approvals(grant.id);
    return {
      ...grant,
      status: grantStatus(grant, at),
      approvedBy: approvals?.approvedBy ?? [],
      ...(approvals?.revokedBy !== undefined && { revokedBy: approvals.revokedBy }),
    };
  }

  /** Only the owner's own officers act at its desk, and never on a request they filed themselves. */
  function officerProblem(
    officer: DeskOfficer,
    request: FollowUpRequest | undefined,
    act: string,
  ): DeskError | undefined {
    if (!ANALYST_ID.test(officer.id))
      return failure(
        'invalid',
        `the officer id must be 1 to 64 lower-case letters, digits, '.', '_' or '-', not ${JSON.stringify(officer.id)}`,
      ).error;
    if (
      request !== undefined &&
      officer.country === request.requesterCountry &&
      officer.id === request.analyst
    ) {
      return failure(
        'forbidden',
        `${officer.country}/${officer.id} filed this request and cannot ${act} it: nobody decides their own request`,
      ).error;
    }
    if (officer.country !== owner)
      return failure(
        'forbidden',
        `${officer.country}/${officer.id} is not a desk officer of ${owner}: only ${owner}'s officers ${act} requests about ${owner}'s records`,
      ).error;
    return undefined;
  }

  /** The request, still undecided, and the officer allowed to act on it. */
  function decidable(
    id: string,
    officer: DeskOfficer,
    act: string,
  ): { ok: true; request: FollowUpRequest } | { ok: false; error: DeskError } {
    const request = requests.get(id);
    if (request === undefined || request.owner !== owner)
      return failure('not-found', `no request ${id} at ${owner}'s desk`);
    const refused = officerProblem(officer, request, act);
    if (refused !== undefined) return { ok: false, error: refused };
    if (!UNDECIDED.has(request.state))
      return failure(
        'conflict',
        `request ${id} is already ${request.state}${request.ground ? ` (${request.ground})` : ''}; nothing changed`,
      );
    return { ok: true, request };
  }

  /** The store refused the change: someone acted on the request since it was read. Say what it is now. */
  function raced(id: string, current: FollowUpRequest | undefined): { ok: false; error: DeskError } {
    const last = current?.events.at(-1);
    return failure(
      'conflict',
      `request ${id} changed while you decided${current ? `: it is now ${current.state}${last ? ` (last: ${last.act} by ${last.by})` : ''}` : ''}; nothing changed, read it again`,
    );
  }

  /** Never more than was requested; the agreements' own limits are checkApproval's. */
  function termsProblems(request: FollowUpRequest, terms: ApprovalTerms): string[] {
    const problems: string[] = [];
    const requested = new Set(request.categories);
    const wanted = categoriesOf(terms);
    if (wanted.length === 0) problems.push('approve at least one of the categories requested');
    else {
      if (new Set(wanted).size !== wanted.length) problems.push('name each category once');
      for (const category of wanted) {
        if (!requested.has(category))
          problems.push(
            `${category} was not requested (requested: ${request.categories.join(', ')}): an approval is never more than the request`,
          );
      }
    }
    if (terms.evidentiaryUse === true && request.intendedUse !== 'evidence')
      problems.push(
        'the request asks for intelligence use only: evidentiary use would be more than requested',
      );
    const clauses =
      policy.set.agreements
        .find((a) => a.id === request.agreement)
        ?.clauses.filter((c) => request.clauses.includes(c.id)) ?? [];
    for (const clause of clauses) {
      if (terms.evidentiaryUse === true && clause.obligations.evidentiaryUse === 'forbidden')
        problems.push(`${clause.id} forbids evidentiary use: approve without it`);
    }
    return problems;
  }

  return {
    owner,
    listRequests(filter = {}) {
      const at = now();
      const { overdue, ...storeFilter } = filter;
      const views = requests.list(storeFilter).map((request) => view(request, at));
      const chosen = overdue === undefined ? views : views.filter((request) => request.overdue === overdue);
      // Overdue first: they are what an officer must look at now. Otherwise the order filed (stable sort).
      return chosen.sort((a, b) => Number(b.overdue) - Number(a.overdue));
    },
    getRequest(id) {
      const request = requests.get(id);
      return request === undefined || request.owner !== owner ? undefined : view(request);
    },
    listGrants() {
      const at = now();
      return grants.list().map((grant) => grantView(grant, at));
    },

    approve(id, officer, terms) {
      const found = decidable(id, officer, 'approve');
      if (!found.ok) return found;
      const { request } = found;
      const by = `${officer.country}/${officer.id}`;
      const problems = termsProblems(request, terms);
      // The terms in the request's own order, so the grant reads like the request.
      const wanted = categoriesOf(terms);
      const chosen: ApprovalTerms = {
        categories: [...new Set([...request.categories.filter((c) => wanted.includes(c)), ...wanted])],
        validDays: terms.validDays,
        evidentiaryUse: terms.evidentiaryUse,
      };
      const needsTwo = chosen.categories.filter((category) => sensitive.has(category));
      const earlier =
        needsTwo.length > 0
          ? pendingApprovals(request).filter((approval) => sameTerms(approval.terms, chosen))
          : [];
      const second = earlier.find((approval) => approval.by !== by);
      const at = now();
      const approvers = second !== undefined ? [second.by, by] : [by];
      const checked = checkApproval(policy, {
        id: request.id,
        owner,
        requesterCountry: request.requesterCountry,
        analysts: [request.analyst],
        caseReference: request.caseReference,
        purpose: request.purpose,
        agreement: request.agreement,
        clauses: [...request.clauses],
        subjects: request.subjects,
        categories: chosen.categories,
        validFrom: at,
        validDays: chosen.validDays,
        evidentiaryUse: chosen.evidentiaryUse,
        approvers,
      });
      if (!checked.ok) problems.push(...checked.problems);
      if (problems.length > 0) {
        const unique = [...new Set(problems)];
        return failure('invalid', `not approved, nothing changed: ${unique.join('; ')}`, unique);
      }
      if (!checked.ok) return failure('invalid', 'not approved');

      if (needsTwo.length > 0 && second === undefined) {
        if (earlier.some((approval) => approval.by === by)) {
          return failure(
            'forbidden',
            `${by} approved these terms already: ${needsTwo.join(', ')} need a second, different officer of ${owner}; nothing changed`,
          );
        }
        // The first of two: recorded, the request stays where it is until another officer approves the same terms.
        const event: RequestEvent = { at, by, act: 'approval', approval: chosen };
        const result = requests.transition(id, request.state, request.state, event, {
          eventsSeen: request.events.length,
        });
        if (!result.changed || result.request === undefined) return raced(id, result.request);
        options.onAct?.({ act: 'approval', at, by, requestId: id });
        return {
          ok: true,
          request: view(result.request, at),
          awaitingSecondApproval: true,
          message: `approval recorded: ${needsTwo.join(', ')} ${needsTwo.length === 1 ? 'is' : 'are'} sensitive at ${owner}; a second, different officer must approve the same terms before a grant is issued`,
        };
      }

      // Grant ids are request ids: one already there (issued some other way) is never overwritten.
      if (grants.approvals(id) !== undefined)
        return failure('conflict', `a grant ${id} exists already; nothing changed`);
      const event: RequestEvent = { at, by, act: 'approved', approval: chosen };
      // The request is marked first, from the history read: the officer who loses a race issues nothing.
      // Should issuing then fail, the request names a grant that does not exist, which opens nothing.
      const result = requests.transition(id, request.state, 'approved', event, {
        grantId: id,
        eventsSeen: request.events.length,
      });
      if (!result.changed || result.request === undefined) return raced(id, result.request);
      const grant = grants.issue(checked.grant, approvers);
      options.onAct?.({ act: 'approved', at, by, requestId: id, grantId: grant.id });
      return {
        ok: true,
        request: view(result.request, at),
        grant: grantView(grant, at),
        awaitingSecondApproval: false,
        message: `approved: grant ${grant.id} for ${chosen.categories.join(', ')}, valid until ${new Date(at + chosen.validDays * DAY_MS).toISOString()}${chosen.evidentiaryUse ? ', evidentiary use allowed' : ', intelligence use only'}; approved by ${approvers.join(' and ')}`,
      };
    },

    refuse(id, officer, ground, note) {
      const found = decidable(id, officer, 'refuse');
      if (!found.ok) return found;
      const { request } = found;
      const problems: string[] = [];
      if (!isRefusalGround(ground)) {
        problems.push(
          `${JSON.stringify(ground)} is not a refusal ground; one of: ${REFUSAL_GROUNDS.map((g) => `${g.code} (${g.meaning})`).join('; ')}`,
        );
      }
      let text: string | undefined;
      if (note !== undefined) {
        const read = readDeskText(note, 'the note', 0);
        if (read.ok) text = read.text === '' ? undefined : read.text;
        else problems.push(read.problem);
      }
      if (problems.length > 0)
        return failure('invalid', `not refused, nothing changed: ${problems.join('; ')}`, problems);
      const at = now();
      const by = `${officer.country}/${officer.id}`;
      const event: RequestEvent = { at, by, act: 'refused', ground, ...(text !== undefined && { text }) };
      const result = requests.transition(id, request.state, 'refused', event, {
        ground,
        eventsSeen: request.events.length,
      });
      if (!result.changed || result.request === undefined) return raced(id, result.request);
      options.onAct?.({ act: 'refused', at, by, requestId: id, ground });
      return {
        ok: true,
        request: view(result.request, at),
        message: `refused: request ${id}, ground ${ground}`,
      };
    },

    ask(id, officer, question) {
      const found = decidable(id, officer, 'question');
      if (!found.ok) return found;
      const { request } = found;
      if (request.state !== 'pending')
        return failure(
          'conflict',
          `request ${id} already waits for an answer to the desk's question; nothing changed`,
        );
      const read = readDeskText(question, 'the question', QUESTION_MIN_LETTERS);
      if (!read.ok) return failure('invalid', `no question asked, nothing changed: ${read.problem}`);
      const at = now();
      const by = `${officer.country}/${officer.id}`;
      const result = requests.transition(
        id,
        'pending',
        'info-requested',
        { at, by, act: 'info-requested', text: read.text },
        { eventsSeen: request.events.length },
      );
      if (!result.changed || result.request === undefined) return raced(id, result.request);
      options.onAct?.({ act: 'info-requested', at, by, requestId: id });
      return {
        ok: true,
        request: view(result.request, at),
        message: `asked: request ${id} waits for the requester's answer`,
      };
    },

    revoke(grantId, officer) {
      const refused = officerProblem(officer, undefined, 'revoke');
      if (refused !== undefined) return { ok: false, error: refused };
      const grant = grants.get(grantId);
      if (grant === undefined) return failure('not-found', `no grant ${grantId} at ${owner}'s desk`);
      const at = now();
      if (grant.revokedAt !== undefined)
        return failure(
          'conflict',
          `grant ${grantId} was revoked already on ${new Date(grant.revokedAt).toISOString()}; nothing changed`,
        );
      const by = `${officer.country}/${officer.id}`;
      if (!grants.revoke(grantId, at, by))
        return failure('conflict', `grant ${grantId} was revoked while you decided; nothing changed`);
      options.onAct?.({ act: 'revoked', at, by, grantId });
      return {
        ok: true,
        grant: grantView(grants.get(grantId)!, at),
        message: `revoked: grant ${grantId}, from the next request on`,
      };
    },
  };
}
