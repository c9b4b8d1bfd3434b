/**
 * What each kind of legal basis may ever do (docs/domain.md#kinds-of-legal-basis), checked when a set is
 * loaded: a clause beyond its kind's bounds is refused at start-up with its file, line and the bound.
 * (The prover states the same bounds separately in legal/kindBounds.ts and checks them on decisions.)
 */
import {
  colourPhrase,
  NOTICE_COLOURS,
  NOTICE_PURPOSES,
  type Category,
  type LegalBasisKind,
} from '../vocabulary';
import type { Clause } from './types';

/** A clause breaking a bound: where in the clause (a path under it) and which bound, in words. */
export interface BoundBreach {
  readonly path: readonly (string | number)[];
  readonly message: string;
  /** Point at the key (a category name) rather than its value. */
  readonly key?: boolean;
}

interface KindBound {
  /** The only categories a clause of the kind may cover. */
  readonly categories?: readonly Category[];
  /** The kind never allows evidentiary use (at most with the source's consent). */
  readonly noEvidentiaryUse?: boolean;
  readonly maxEmergencyHours?: number;
  /** The source is notified and a review is set. */
  readonly notifyAndReview?: boolean;
  /**
   * The clause names the colours of notice it accepts; each purpose is served by one of them and each
   * serves one of its purposes (vocabulary/interpolNotices.ts).
   */
  readonly noticeColours?: boolean;
}

export const KIND_BOUNDS: Readonly<Partial<Record<LegalBasisKind, KindBound>>> = {
  // An emergency opens only what saves a life now: who the victim is and where the victim and the person are.
  EMERGENCY: {
    categories: ['victim.identity', 'victim.location', 'person.location'],
    maxEmergencyHours: 24,
    notifyAndReview: true,
  },
  // Extradition needs to know it has the right person, and that the person is wanted: nothing else.
  EXTRADITION: { categories: ['person.identity', 'person.wanted_status', 'person.biometrics'] },
  // Police-to-police channels give intelligence; evidence goes through a judicial channel.
  POLICE_COOPERATION: { noEvidentiaryUse: true },
  // A notice asks for one kind of cooperation: a Red notice serves an arrest, a Yellow one a missing person.
  INTERPOL_NOTICE: { noticeColours: true },
};

export function kindBoundBreaches(clause: Clause): BoundBreach[] {
  const breaches: BoundBreach[] = [];
  const bound = KIND_BOUNDS[clause.basis];
  const covered = Object.keys(clause.categories) as Category[];
  if (bound?.categories !== undefined) {
    for (const category of covered) {
      if (!bound.categories.includes(category)) {
        breaches.push({
          path: ['categories', category],
          key: true,
          message: `a ${clause.basis} clause may cover only ${bound.categories.join(', ')}, not ${category} (bound of the kind)`,
        });
      }
    }
  }
  if (bound?.noEvidentiaryUse === true && clause.obligations.evidentiaryUse === 'allowed') {
    breaches.push({
      path: ['obligations', 'evidentiaryUse'],
      message: `a ${clause.basis} clause never allows evidentiary use (at most with_consent) (bound of the kind)`,
    });
  }
  const hours = clause.conditions.emergency?.maxDurationHours;
  if (bound?.maxEmergencyHours !== undefined && hours !== undefined && hours > bound.maxEmergencyHours) {
    breaches.push({
      path: ['conditions', 'emergency', 'maxDurationHours'],
      message: `a ${clause.basis} clause lasts at most ${bound.maxEmergencyHours} h, not ${hours} (bound of the kind)`,
    });
  }
  if (
    bound?.notifyAndReview === true &&
    (!clause.obligations.notifySource || clause.obligations.reviewWithinHours === undefined)
  ) {
    breaches.push({
      path: ['obligations'],
      message: `a ${clause.basis} clause must notify the source and set reviewWithinHours (bound of the kind)`,
    });
  }
  if (bound?.noticeColours === true) breaches.push(...noticeBreaches(clause));
  // Message content: only under a mutual legal assistance treaty, on a formal request and a judicial order.
  const content = clause.categories['telecom.content'];
  if (
    content !== undefined &&
    (clause.basis !== 'MLAT' ||
      clause.conditions.requestReference !== true ||
      clause.conditions.warrantReference !== true)
  ) {
    breaches.push({
      path: ['categories', 'telecom.content'],
      key: true,
      message:
        'telecom.content may only be covered by an MLAT clause with both requestReference and warrantReference (a judicial order) conditions (bound of the kind)',
    });
  }
  return breaches;
}

/**
 * An INTERPOL_NOTICE clause names its colours, each of its purposes is one a named colour serves, and each
 * named colour serves one of its purposes: a colour that serves none could never meet the clause (the
 * engine takes a notice only for a purpose its colour serves), so naming it says something false about
 * what the clause accepts.
 */
function noticeBreaches(clause: Clause): BoundBreach[] {
  const colours = clause.conditions.noticeColours;
  if (colours === undefined || colours.length === 0) {
    return [
      {
        path: ['conditions'],
        message: `a ${clause.basis} clause must name the colours of notice it accepts (conditions.noticeColours) (bound of the kind)`,
      },
    ];
  }
  const breaches: BoundBreach[] = [];
  clause.purposes.forEach((purpose, index) => {
    if (!colours.some((colour) => NOTICE_PURPOSES[colour].includes(purpose))) {
      const servedBy = NOTICE_COLOURS.filter((colour) => NOTICE_PURPOSES[colour].includes(purpose));
      breaches.push({
        path: ['purposes', index],
        message: `${colourPhrase(colours)} notice does not serve the purpose ${purpose}${servedBy.length ? ` (${colourPhrase(servedBy)} notice does)` : ''} (bound of the kind)`,
      });
    }
  });
  colours.forEach((colour, index) => {
    if (!clause.purposes.some((purpose) => NOTICE_PURPOSES[colour].includes(purpose))) {
      breaches.push({
        path: ['conditions', 'noticeColours', index],
        message: `${colourPhrase([colour])} notice serves none of the clause's purposes (${clause.purposes.join(', ')}); it serves ${NOTICE_PURPOSES[colour].join(', ')} (bound of the kind)`,
      });
    }
  });
  return breaches;
}
