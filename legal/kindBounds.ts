/**
 * What each kind of legal basis may ever do (docs/domain.md#kinds-of-legal-basis), as the prover checks
 * it on a decision. The loader refuses sets whose clauses exceed these bounds (policy/kindBounds.ts);
 * this is a second, separate statement of the same table so that the prover does not trust the code it
 * checks.
 */
import type { Clause, RequestContext } from '../policy/core';
import { META_REFERENCE, type LegalBasisKind } from '../vocabulary';
import { MODEL_NOTICE_PURPOSES, colourOfNotice } from './model';

const HOUR = 3_600_000;

interface Bound {
  /** The only categories the kind may ever give (the reference goes with any of them). */
  readonly categories?: readonly string[];
  readonly noEvidentiaryUse?: boolean;
  readonly maxHours?: number;
  readonly notifyAndReview?: boolean;
  /** Released only on a notice of a colour the clause takes that serves the declared purpose. */
  readonly noticeServesPurpose?: boolean;
}

const BOUNDS: Readonly<Partial<Record<LegalBasisKind, Bound>>> = {
  EMERGENCY: {
    categories: ['victim.identity', 'victim.location', 'person.location'],
    maxHours: 24,
    notifyAndReview: true,
  },
  EXTRADITION: { categories: ['person.identity', 'person.wanted_status', 'person.biometrics'] },
  POLICE_COOPERATION: { noEvidentiaryUse: true },
  // A notice asks for one kind of cooperation (legal/model/notices.ts, the prover's own table): a Red one an arrest.
  INTERPOL_NOTICE: { noticeServesPurpose: true },
};

/** The bound a decision under `clause` for `category` breaks, in words; undefined when it keeps them. */
export function kindBoundBroken(
  clause: Clause,
  category: string,
  requester: RequestContext,
  at: number,
): string | undefined {
  const bound = BOUNDS[clause.basis];
  if (
    category === 'telecom.content' &&
    (clause.basis !== 'MLAT' || !carried(requester.requestReference) || !carried(requester.warrantReference))
  ) {
    return 'message content only under an MLAT, with a request reference and a judicial order';
  }
  if (bound === undefined) return undefined;
  if (bound.categories !== undefined && category !== META_REFERENCE && !bound.categories.includes(category)) {
    return `a ${clause.basis} decision may give only ${bound.categories.join(', ')}, not ${category}`;
  }
  if (bound.noEvidentiaryUse === true && clause.obligations.evidentiaryUse === 'allowed')
    return `a ${clause.basis} decision never allows evidentiary use`;
  if (bound.maxHours !== undefined) {
    const declared = requester.emergency;
    if (declared === undefined || at - declared.declaredAt >= bound.maxHours * HOUR)
      return `a ${clause.basis} decision lasts at most ${bound.maxHours} h from the declaration`;
  }
  if (
    bound.notifyAndReview === true &&
    (!clause.obligations.notifySource || clause.obligations.reviewWithinHours === undefined)
  ) {
    return `a ${clause.basis} decision notifies the source and sets a review`;
  }
  if (bound.noticeServesPurpose === true) return noticeBroken(clause, requester);
  return undefined;
}

/**
 * The notice the request carries: its colour is the word before the first colon, in any case; the clause
 * takes that colour, and the colour serves the purpose the request declares (the reference model's reading
 * and table, legal/model/notices.ts, not the engine's).
 */
function noticeBroken(clause: Clause, requester: RequestContext): string | undefined {
  const notice = requester.interpolNotice ?? '';
  const colour = colourOfNotice(notice);
  const taken: readonly string[] = clause.conditions.noticeColours ?? [];
  if (colour === undefined || !taken.includes(colour))
    return `a ${clause.basis} decision needs a notice of a colour the clause takes (${taken.join(', ') || 'none named'}), not ${JSON.stringify(notice)}`;
  const purpose = requester.purpose;
  if (purpose === undefined || !MODEL_NOTICE_PURPOSES[colour].includes(purpose))
    return `a ${colour} INTERPOL notice does not serve ${purpose ?? 'an undeclared purpose'} (it serves ${MODEL_NOTICE_PURPOSES[colour].join(', ')})`;
  return undefined;
}

function carried(value: string | undefined): boolean {
  return value !== undefined && value.trim() !== '';
}
