/**
 * The reference model of the decision: docs/domain.md#the-decision written as plainly as possible, for
 * testing the engine against (test/legal/model.test.ts, and every answer `prove` gets: legal/prove.ts) and
 * for nothing else. It shares no code with
 * policy/: only the agreement set's plain data and the vocabulary. It favours being obviously right over
 * being fast: every question walks every clause of the set to find the clauses that could decide it.
 *
 * Which clauses those are, in which order, depends only on the set and the question's owner, requester,
 * category and purpose (its cell), so it is worked out once per set and cell and kept (`cellOf`): prove
 * asks hundreds of questions of each cell, over a million in all. The conditions are judged afresh for
 * every question.
 */
import type { AgreementSet } from '../../policy/core';
import { META_REFERENCE, type Category, type Purpose } from '../../vocabulary';
import { inForce, recordConditionsMet, requestConditionsMet } from './conditions';
import { gateOpens } from './gate';
import type { ModelAnswer, ModelQuestion, ModelReason } from './question';
import { ranked, type Covering } from './rank';

/** What the model reads of a set: its agreements and its owners' gates (nothing the engine's loader derived). */
export type ModelSet = Pick<AgreementSet, 'agreements' | 'gates'>;

/** The first answers of docs/domain.md#the-decision, or the clauses that could decide the cell, ranked. */
type Cell = { readonly withheld: ModelReason } | { readonly ranked: readonly Covering[] };

function clausesOf(
  set: ModelSet,
  owner: string,
  requester: string,
  category: Category,
  purpose: Purpose,
): Cell {
  // Clauses under which the owner's data may go to the requester's country.
  const flowing = set.agreements.flatMap((agreement) =>
    agreement.clauses
      .filter((clause) => {
        const senders = clause.direction === 'both' ? agreement.parties : clause.direction.from;
        const receivers = clause.direction === 'both' ? agreement.parties : clause.direction.to;
        return senders.includes(owner) && receivers.includes(requester);
      })
      .map((clause) => ({ agreement, clause })),
  );
  if (flowing.length === 0) return { withheld: 'NO_AGREEMENT' };

  // The reference goes wherever any clause of the pair goes; every other category only where listed.
  const covering: Covering[] = [];
  for (const { agreement, clause } of flowing) {
    const mode = category === META_REFERENCE ? 'release' : clause.categories[category];
    if (mode !== undefined) covering.push({ agreement, clause, mode });
  }
  if (covering.length === 0) return { withheld: 'CATEGORY_NOT_COVERED' };
  const forPurpose = covering.filter(({ clause }) => clause.purposes.includes(purpose));
  if (forPurpose.length === 0) return { withheld: 'PURPOSE_NOT_COVERED' };
  return { ranked: ranked(forPurpose) };
}

const cells = new WeakMap<ModelSet, Map<string, Cell>>();

/** The cell asked last: prove asks hundreds of questions of one cell in a row. */
let last:
  | {
      readonly set: ModelSet;
      readonly owner: string;
      readonly requester: string;
      readonly category: Category;
      readonly purpose: Purpose;
      readonly cell: Cell;
    }
  | undefined;

/** clausesOf, kept per set and cell (the set is plain data that nothing changes once read). */
function cellOf(set: ModelSet, owner: string, requester: string, category: Category, purpose: Purpose): Cell {
  if (
    last !== undefined &&
    last.set === set &&
    last.owner === owner &&
    last.requester === requester &&
    last.category === category &&
    last.purpose === purpose
  )
    return last.cell;
  let known = cells.get(set);
  if (known === undefined) cells.set(set, (known = new Map<string, Cell>()));
  const key = `${owner}\0${requester}\0${category}\0${purpose}`;
  let cell = known.get(key);
  if (cell === undefined) known.set(key, (cell = clausesOf(set, owner, requester, category, purpose)));
  last = { set, owner, requester, category, purpose, cell };
  return cell;
}

/**
 * A purpose is declared when the request names one: an empty one says nothing, and is no purpose
 * (docs/domain.md#the-decision: "No purpose: withheld (PURPOSE_REQUIRED)").
 */
function declared<P extends string>(purpose: P | undefined): purpose is P {
  return purpose !== undefined && purpose !== '';
}

/**
 * The clauses that could decide a question, ranked (the first that applies decides), or the answer when
 * none could: for the prover's self-check, which asks what each condition did (legal/conditionReach.ts).
 */
export function modelCandidates(set: ModelSet, question: ModelQuestion): readonly Covering[] | undefined {
  if (question.owner === question.requester || !declared(question.purpose)) return undefined;
  const cell = cellOf(set, question.owner, question.requester, question.category, question.purpose);
  return 'withheld' in cell ? undefined : cell.ranked;
}

export function modelDecide(set: ModelSet, question: ModelQuestion): ModelAnswer {
  if (question.owner === question.requester) return { effect: 'release', reason: 'DOMESTIC' };
  const purpose = question.purpose;
  if (!declared(purpose)) return { effect: 'withhold', reason: 'PURPOSE_REQUIRED' };
  const cell = cellOf(set, question.owner, question.requester, question.category, purpose);
  if ('withheld' in cell) return { effect: 'withhold', reason: cell.withheld };

  const gate = set.gates.find((item) => item.owner === question.owner);
  let furthest = 0;
  for (const { agreement, clause, mode } of cell.ranked) {
    const requestMet = inForce(agreement, question) && requestConditionsMet(agreement, clause, question);
    const gateMet = gateOpens(gate, clause.basis, purpose);
    if (requestMet && gateMet && recordConditionsMet(agreement, clause, question)) {
      // Under a grant, the release cites it; an approval without evidentiary use narrows it to forbidden.
      const grant = clause.conditions.requestReference === true ? question.grant : undefined;
      // Likewise a release under an emergency clause cites the hub's registration, when it is a registered one.
      const registration =
        clause.conditions.emergency === undefined ? undefined : question.emergency?.registration;
      return {
        effect: mode,
        reason: mode === 'release' ? 'RELEASED' : 'HIT_ONLY',
        clause: `${agreement.id}/${clause.id}`,
        obligations: {
          ...clause.obligations,
          ...(grant !== undefined && {
            grant: grant.id,
            ...(!grant.evidentiaryUse && { evidentiaryUse: 'forbidden' as const }),
          }),
          ...(registration !== undefined && { emergency: registration }),
        },
        ...(grant !== undefined && { grant: grant.id }),
        ...(registration !== undefined && { emergency: registration }),
      };
    }
    const got = !inForce(agreement, question) ? 0 : !requestMet ? 1 : !gateMet ? 2 : 1;
    furthest = Math.max(furthest, got);
  }
  const reasons: readonly ModelReason[] = ['NOT_IN_FORCE', 'CONDITION_UNMET', 'DOMESTIC_GATE'];
  return { effect: 'withhold', reason: reasons[furthest]! };
}
