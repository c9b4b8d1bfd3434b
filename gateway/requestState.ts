import { randomUUID } from 'node:crypto';
import type { RequestContext } from '../policy';
import type { ParsedOwnerReport, ReportedRelease } from '../audit';
import { Consultation } from './consultation';

/** The gateway's state for one analyst request. Never shared between requests. */
export interface GatewayContext {
  /** This request's id: the analyst gets it (`Accord-Request-Id`); every audit record of it carries it. */
  readonly requestId: string;
  readonly requester: RequestContext;
  /** The instant every decision of this request is made at (epoch ms). */
  readonly at: number;
  /** What each owner released under which clause, gathered from the subgraphs' answers. */
  readonly releases: Map<string, { revision: string; releases: Map<string, ReportedRelease> }>;
  /** What the analyst asked of each owner and got, for the consultation records; only with the audit on. */
  readonly consultation?: Consultation;
  /** The owners' hit tokens for their records in this answer (gateway/hits.ts): record id → token. */
  readonly hits: Map<string, string>;
}

export function newGatewayContext(requester: RequestContext, at: number, audit = false): GatewayContext {
  return {
    requestId: randomUUID(),
    requester,
    at,
    releases: new Map(),
    hits: new Map(),
    ...(audit ? { consultation: new Consultation() } : {}),
  };
}

/** Merges an owner's report of what it released (its `extensions.accord`, parsed) into the request's state. */
export function noteReleases(
  context: GatewayContext,
  report: Exclude<ParsedOwnerReport['releases'], 'malformed'>,
): void {
  // Obligations travel with released data only: an owner that released nothing is not listed (whether it
  // was called at all, e.g. for a field only it could decide, is no business of the answer).
  if (!report) return;
  const { owner, revision, releases } = report;
  let byOwner = context.releases.get(owner);
  if (!byOwner) {
    byOwner = { revision, releases: new Map() };
    context.releases.set(owner, byOwner);
  }
  for (const release of releases) {
    // Releases under a grant cite it: kept apart from the same clause's releases under another grant.
    const key = `${release.agreement}\0${release.clause}\0${release.grant ?? ''}`;
    const known = byOwner.releases.get(key);
    byOwner.releases.set(
      key,
      known
        ? { ...known, categories: [...new Set([...known.categories, ...release.categories])].sort() }
        : release,
    );
  }
}

/** The obligations that travel with the answer: per owner country, each releasing clause and its limits. */
export function obligationsExtension(context: GatewayContext): Record<string, unknown> | undefined {
  if (context.releases.size === 0) return undefined;
  const byOwner: Record<string, unknown> = {};
  for (const [owner, { revision, releases }] of [...context.releases.entries()].sort(([a], [b]) =>
    a.localeCompare(b),
  )) {
    byOwner[owner] = { revision, releases: [...releases.values()] };
  }
  return byOwner;
}
