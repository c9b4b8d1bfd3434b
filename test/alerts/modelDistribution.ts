import { IDENTIFIER_FIELDS, MATCHING_SERVICE, type Identifier } from '../../alerts';
import { modelDecide, type ModelEffect } from '../../legal/model';
import { modelQuestionOf } from '../../legal/modelQuestion';
import { loadDefaultPolicy } from '../../policy';
import { readCommittedSupergraph, readFieldCategories } from '../../schema';
import { META_REFERENCE, type Category, type Purpose } from '../../vocabulary';

/**
 * The reference model's distribution of a watch (legal/model, never the engine under test): may the
 * watcher's identifier go to `member`'s matching service for this purpose? The watcher's rule must release
 * the identifier's category (the category of the contract field holding such values, from the committed
 * supergraph); a record id of a third member goes only where that member, too, lets its references go (at
 * least a hit): the id is that member's to release, as on the query path.
 */
const policy = loadDefaultPolicy();
const categories = readFieldCategories(readCommittedSupergraph());

/** A question to the model about a watch, asked as a member's matching service would ask it. */
export interface MatchingQuestion {
  readonly caseReference: string;
  readonly at: number;
}

/** The model's effect when `member`'s matching service asks `owner` for `category` under `purpose`. */
export function modelMatchingEffect(
  owner: string,
  member: string,
  purpose: Purpose,
  category: Category,
  question: MatchingQuestion,
): ModelEffect {
  return modelDecide(
    policy.set,
    modelQuestionOf({
      owner,
      requester: {
        country: member,
        analyst: MATCHING_SERVICE,
        roles: [],
        purpose,
        caseReference: question.caseReference,
      },
      category,
      at: question.at,
    }),
  ).effect;
}

export function modelSends(
  watcher: string,
  member: string,
  purpose: Purpose,
  identifier: Identifier,
  question: MatchingQuestion,
): boolean {
  const effect = (owner: string, category: Category) =>
    modelMatchingEffect(owner, member, purpose, category, question);
  const category =
    identifier.kind === 'record'
      ? META_REFERENCE
      : (categories.get(`${watcher}${IDENTIFIER_FIELDS[identifier.kind]}`) as Category);
  const third = identifier.kind === 'record' ? identifier.id.slice(0, 2) : undefined;
  const thirdAllows =
    third === undefined ||
    third === watcher ||
    third === member ||
    effect(third, META_REFERENCE) !== 'withhold';
  return effect(watcher, category) === 'release' && thirdAllows;
}
