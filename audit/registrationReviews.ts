/**
 * The review queue's view of registered emergencies (issue 9, item 5): every registration the hub keeps
 * (emergencies/) appears, with its review deadline and the releases of this log that relied on it (their
 * records cite it in `emergency.id`). A registration is settled here once every such release is reviewed;
 * one that released nothing recorded here still appears, so that no declaration goes unseen.
 */
import type { EmergencyRegistration } from '../emergencies';
import { checkRow, refText } from './checkEntry';
import { reviewedTargets } from './reviews';
import type { AuditStore } from './store/AuditStore';
import type { CrossingBody } from './types';

export interface RegistrationReview {
  readonly id: string;
  readonly country: string;
  readonly analyst: string;
  readonly caseReference: string;
  readonly justification: string;
  readonly registeredAt: string;
  readonly expiresAt: string;
  /** registeredAt + the review deadline of the emergency clauses. */
  readonly dueAt: string;
  /** Records of this log (`chain#seq`) that released data relying on the registration. */
  readonly releases: readonly string[];
  /** Those of them still awaiting their review. */
  readonly awaiting: readonly string[];
  /** Past its deadline with a release still unreviewed. */
  readonly overdue: boolean;
}

const PAGE = 1000;

export async function registrationReviews(
  store: AuditStore,
  registrations: readonly EmergencyRegistration[],
  reviewHours: number,
  now: Date = new Date(),
): Promise<RegistrationReview[]> {
  const reviewed = await reviewedTargets(store);
  const releases = new Map<string, string[]>();
  for (let offset = 0; ; offset += PAGE) {
    const rows = await store.select(
      { kinds: ['consultation', 'disclosure'], reviewOwed: true },
      PAGE,
      offset,
    );
    for (const row of rows) {
      const check = checkRow(row);
      if (!check.ok) continue; // verify reports it
      const id = (check.entry.body as CrossingBody).emergency?.id;
      if (id !== undefined) releases.set(id, [...(releases.get(id) ?? []), refText(row)]);
    }
    if (rows.length < PAGE) break;
  }
  return registrations.map((registration) => {
    const refs = releases.get(registration.id) ?? [];
    const awaiting = refs.filter((ref) => !reviewed.has(ref));
    const dueMs = registration.registeredAt + reviewHours * 3_600_000;
    return {
      id: registration.id,
      country: registration.country,
      analyst: registration.analyst,
      caseReference: registration.caseReference,
      justification: registration.justification,
      registeredAt: new Date(registration.registeredAt).toISOString(),
      expiresAt: new Date(registration.expiresAt).toISOString(),
      dueAt: new Date(dueMs).toISOString(),
      releases: refs,
      awaiting,
      overdue: awaiting.length > 0 && dueMs < now.getTime(),
    };
  });
}
