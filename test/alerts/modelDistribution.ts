import { IDENTIFIER_FIELDS, MATCHING_SERVICE, type Identifier } from '../../alerts';
import { modelDecide } from '../../legal/model';
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

export function modelSends(
  watcher: string,
  member: string,
  purpose: Purpose,
  identifier: Identifier,
  question: { readonly caseReference: string; readonly at: number },
): boolean {
  const effect = (owner: string, category: Category) =>
    modelDecide(
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
