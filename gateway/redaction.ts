import {
  Kind,
  getNamedType,
  isAbstractType,
  isCompositeType,
  isListType,
  isNonNullType,
  isObjectType,
  type DocumentNode,
  type FieldNode,
  type GraphQLCompositeType,
  type GraphQLObjectType,
  type GraphQLOutputType,
  type GraphQLSchema,
  type InlineFragmentNode,
  type OperationDefinitionNode,
  type SelectionNode,
  type SelectionSetNode,
} from 'graphql';
import { META_REFERENCE, type Category } from '../vocabulary';
import { SEARCH_KEY_FIELDS, isSearchType, splitConcreteTypeName } from '../schema';
import type { AnswerWalker } from './answerWalker';
import { TYPENAME_FIELD } from './typenames';
import { KeptWithDocument } from './rewriteMemo';
import {
  describeNoBasis,
  describeRefusal,
  type Decision,
  type Policy,
  type Refusal,
  type RequestContext,
} from '../policy';

/**
 * Redaction before planning (docs/architecture.md, "A request, end to end", step 4). For every field of the
 * operation and every owner it can reach, the gateway asks the same policy engine, with the same agreement
 * revision, as the owners do; fields that will be withheld are cut from the operation before the query
 * planner sees it, so no subgraph is asked for data it would withhold, and a member whose fields are all
 * withheld is not called at all. Afterwards the answer gets the same nulls and errors the owner would
 * have given.
 *
 * Only decisions that do not depend on the record are taken here; a field whose decision depends on the
 * record (a joint team's scope, a source grade) is left to the owner, who decides record by record.
 *
 * A field selected on an interface (`suspect(id:) { fullName }`) belongs to every member's type; where it
 * is withheld for some owners and not others, its selection set is expanded into one inline fragment per
 * member's type, and each owner's withheld fields are cut from its own fragment.
 */

/** One field cut from the operation, for one concrete type. */
export interface Redaction {
  /** The concrete type: `KHSuspect`. */
  readonly typeName: string;
  readonly fieldName: string;
  readonly owner: string;
  readonly category: Category;
  readonly decision: Decision;
  /** The field is non-null (the record's owner country): its record is answered as absent. */
  readonly hidesRecord: boolean;
}

export interface RedactedOperation {
  readonly document: DocumentNode;
  /** Concrete type → field name → what was cut. Empty when nothing was. */
  readonly redactions: ReadonlyMap<string, ReadonlyMap<string, Redaction>>;
  /** A stable description of what was cut, for the plan cache key. */
  readonly signature: string;
  /** (owner, category) pairs the gateway released whatever the record, to tell disagreements with owners. */
  readonly released: ReadonlySet<string>;
}

export interface RedactionContext {
  readonly schema: GraphQLSchema;
  /** "KHSuspect.fullName" → category, from the supergraph (schema/supergraph.ts readFieldCategories). */
  readonly categories: ReadonlyMap<string, string>;
  readonly policy: Policy;
  readonly requester: RequestContext;
  readonly at: number;
}

/**
 * What a redaction of a document made, without the decisions: the same for every request whose
 * decisions of the pairs it consults have the same effects (RedactionsKept).
 */
interface RedactionShape {
  readonly document: DocumentNode;
  readonly signature: string;
  readonly cuts: readonly Omit<Redaction, 'decision'>[];
  readonly released: readonly string[];
}

/**
 * The redactions of one document, kept with it (gateway/rewriteMemo.ts says why documents are kept).
 * Which fields are cut, and so the document, follows from the decisions of the (owner, category) pairs
 * the redaction consults, and of each only from its effect and whether it depends on the record (all
 * that `redactionOf` reads). So a redaction is kept under the effects of every pair a redaction of this
 * document has consulted so far (`pairs`): a request whose decisions of those pairs have the same
 * effects would consult the same pairs in the same order and cut the same fields. A run that consults a
 * pair not among them adds it and drops what was kept, whose key did not cover it. The decisions
 * themselves (clauses, obligations: what the consultation records and the errors say) are the request's
 * own, every time.
 */
interface RedactionsKept {
  readonly pairs: [string, Category][];
  readonly known: Set<string>;
  readonly shapes: Map<string, RedactionShape>;
}

const MAX_SHAPES = 64;
const keptRedactions = new KeptWithDocument<RedactionsKept>(() => ({
  pairs: [],
  known: new Set(),
  shapes: new Map(),
}));

/** What of a decision a redaction reads: its effect, and whether the owner decides record by record. */
function effectOf(decision: Decision): string {
  return `${decision.effect}${decision.recordDependent ? '*' : ''}`;
}

export function redactOperation(context: RedactionContext, document: DocumentNode): RedactedOperation {
  const { schema, categories, policy, requester, at } = context;
  const decisions = new Map<string, Decision>();
  const redactions = new Map<string, Map<string, Redaction>>();
  const released = new Set<string>();

  function decide(owner: string, category: Category): Decision {
    const key = `${owner}\0${category}`;
    let decision = decisions.get(key);
    if (!decision) {
      decision = policy.decide({ requester, owner, category, at });
      decisions.set(key, decision);
    }
    return decision;
  }

  const kept = keptRedactions.of(schema, document);
  const effects = () => kept.pairs.map(([owner, category]) => effectOf(decide(owner, category))).join(',');
  const shape = kept.pairs.length > 0 ? kept.shapes.get(effects()) : undefined;
  if (shape) {
    for (const cut of shape.cuts) {
      let byField = redactions.get(cut.typeName);
      if (!byField) {
        byField = new Map();
        redactions.set(cut.typeName, byField);
      }
      byField.set(cut.fieldName, { ...cut, decision: decide(cut.owner, cut.category) });
    }
    return {
      document: shape.document,
      redactions,
      signature: shape.signature,
      released: new Set(shape.released),
    };
  }
  const redacted = redactAnew();
  let grew = false;
  for (const key of decisions.keys())
    if (!kept.known.has(key)) {
      kept.known.add(key);
      kept.pairs.push(key.split('\0') as [string, Category]);
      grew = true;
    }
  if (grew) kept.shapes.clear();
  if (kept.shapes.size >= MAX_SHAPES) kept.shapes.delete(kept.shapes.keys().next().value!);
  kept.shapes.set(effects(), {
    document: redacted.document,
    signature: redacted.signature,
    cuts: [...redacted.redactions.values()].flatMap((byField) =>
      [...byField.values()].map(({ decision: _, ...cut }) => cut),
    ),
    released: [...redacted.released],
  });
  return redacted;

  function redactAnew(): RedactedOperation {
    /** The redaction of a field of a concrete type, or undefined when the field may be asked for. */
    function redactionOf(type: GraphQLObjectType, fieldName: string): Redaction | undefined {
      const owner = splitConcreteTypeName(type.name)?.owner;
      // The search's keys echo the question; a record's id is the reference, known to whoever points at it.
      if (!owner || fieldName === '__typename' || fieldName === 'id') return undefined;
      if (isSearchType(type.name) && SEARCH_KEY_FIELDS.includes(fieldName)) return undefined;
      const category = categories.get(`${type.name}.${fieldName}`) as Category | undefined;
      if (!category) return undefined;
      const decision = decide(owner, category);
      if (decision.effect === 'release' || (decision.effect === 'hit-only' && category === META_REFERENCE)) {
        if (!decision.recordDependent) released.add(`${owner}\0${category}`);
        return undefined;
      }
      // The owner decides record by record: a joint team's scope, a source grade, and a request reference,
      // which only the owner can match to a grant it holds (the gateway holds none, and must not: the owner
      // is the system of record of its approvals, and its stricter decision wins). So a field that needs a
      // grant is passed on, never released here, and a made-up reference gets the owner's refusal.
      if (decision.recordDependent) return undefined;
      const field = type.getFields()[fieldName];
      return {
        typeName: type.name,
        fieldName,
        owner,
        category,
        decision,
        hidesRecord: field ? isNonNullType(field.type) : false,
      };
    }

    function note(redaction: Redaction): void {
      let byField = redactions.get(redaction.typeName);
      if (!byField) {
        byField = new Map();
        redactions.set(redaction.typeName, byField);
      }
      byField.set(redaction.fieldName, redaction);
    }

    function rewriteSet(set: SelectionSetNode, parent: GraphQLCompositeType): SelectionSetNode {
      let selections: SelectionNode[];
      if (isAbstractType(parent)) {
        const possible = schema.getPossibleTypes(parent);
        const direct = set.selections.filter(
          (s): s is FieldNode => s.kind === Kind.FIELD && s.name.value !== '__typename',
        );
        const anyWithheld = direct.some((field) =>
          possible.some((type) => type.getFields()[field.name.value] && redactionOf(type, field.name.value)),
        );
        if (anyWithheld) {
          const others = set.selections.filter(
            (s) => !(s.kind === Kind.FIELD && s.name.value !== '__typename'),
          );
          const perType: InlineFragmentNode[] = [];
          for (const type of possible) {
            const fragment = rewriteSet({ kind: Kind.SELECTION_SET, selections: direct }, type);
            perType.push({
              kind: Kind.INLINE_FRAGMENT,
              typeCondition: { kind: Kind.NAMED_TYPE, name: { kind: Kind.NAME, value: type.name } },
              selectionSet: fragment,
            });
          }
          // gateway/typenames.ts adds the __typename the answer needs here, and takes it out again.
          selections = [...others.map((s) => rewriteSelection(s, parent)), ...perType];
        } else {
          selections = set.selections.map((s) => rewriteSelection(s, parent));
        }
      } else {
        selections = [];
        for (const selection of set.selections) {
          if (selection.kind === Kind.FIELD && isObjectType(parent)) {
            const redaction = redactionOf(parent, selection.name.value);
            if (redaction) {
              note(redaction);
              continue;
            }
          }
          selections.push(rewriteSelection(selection, parent));
        }
      }
      // Nothing left to ask: the gateway's own `__typename` keeps the selection set valid, and
      // gateway/typenames.ts takes it out of the answer (it knows the node by identity).
      if (selections.length === 0) return { kind: Kind.SELECTION_SET, selections: [TYPENAME_FIELD] };
      return { ...set, selections };
    }

    function rewriteSelection(selection: SelectionNode, parent: GraphQLCompositeType): SelectionNode {
      switch (selection.kind) {
        case Kind.FIELD: {
          if (!selection.selectionSet) return selection;
          const field =
            isObjectType(parent) || isAbstractType(parent)
              ? 'getFields' in parent
                ? parent.getFields()[selection.name.value]
                : undefined
              : undefined;
          const type = field ? getNamedType(field.type) : undefined;
          return type && isCompositeType(type)
            ? { ...selection, selectionSet: rewriteSet(selection.selectionSet, type) }
            : selection;
        }
        case Kind.INLINE_FRAGMENT: {
          const condition = selection.typeCondition
            ? schema.getType(selection.typeCondition.name.value)
            : parent;
          return condition && isCompositeType(condition)
            ? { ...selection, selectionSet: rewriteSet(selection.selectionSet, condition) }
            : selection;
        }
        case Kind.FRAGMENT_SPREAD:
          return selection; // the fragment's definition is rewritten on its own type condition
      }
    }

    const definitions = document.definitions.map((definition) => {
      if (definition.kind === Kind.OPERATION_DEFINITION) {
        const root = schema.getRootType(definition.operation);
        return root ? { ...definition, selectionSet: rewriteSet(definition.selectionSet, root) } : definition;
      }
      if (definition.kind === Kind.FRAGMENT_DEFINITION) {
        const condition = schema.getType(definition.typeCondition.name.value);
        return condition && isCompositeType(condition)
          ? { ...definition, selectionSet: rewriteSet(definition.selectionSet, condition) }
          : definition;
      }
      return definition;
    });

    const signature = [...redactions.entries()]
      .flatMap(([typeName, fields]) => [...fields.keys()].map((field) => `${typeName}.${field}`))
      .sort()
      .join(',');
    return {
      document: redactions.size ? { ...document, definitions } : document,
      redactions,
      signature,
      released,
    };
  }
}

interface GraphQLErrorShape {
  message: string;
  path?: readonly (string | number)[];
  extensions: Record<string, unknown>;
}

/**
 * Puts back what the owners would have answered for the fields cut before planning: null and one error
 * per record and field, on the record's own path; a record whose reference is withheld is answered as
 * absent (null, with one error for its owner, as the owner gives). Walks the answer along the analyst's
 * original operation; objects at abstract positions carry `__typename` (gateway/typenames.ts).
 */
export function restoreRedactions(
  walker: AnswerWalker,
  redacted: RedactedOperation,
  operation: OperationDefinitionNode,
  data: Record<string, unknown>,
  requester: RequestContext,
): GraphQLErrorShape[] {
  if (redacted.redactions.size === 0) return [];
  const errors: GraphQLErrorShape[] = [];
  const refusals = new Map<string, Refusal>();
  const ownersAnsweredAbsent = new Set<string>();

  function refusalFor(redaction: Redaction): Refusal {
    const key = `${redaction.typeName}.${redaction.fieldName}`;
    let refusal = refusals.get(key);
    if (!refusal) {
      refusal = describeRefusal(redaction.decision, redaction.owner, requester, redaction.category, key);
      refusals.set(key, refusal);
    }
    return refusal;
  }

  /**
   * Restores one object; returns false when the object must be answered as absent (its reference, or a
   * non-null field of it, is withheld).
   */
  function restoreObject(
    object: Record<string, unknown>,
    staticType: string,
    set: SelectionSetNode,
    path: (string | number)[],
  ): boolean {
    const typename = walker.typenameOf(object, staticType);
    const cut = redacted.redactions.get(typename);
    for (const { key, name, definition, selectionSet } of walker.fieldsOf(typename, set)) {
      const redaction = cut?.get(name);
      if (redaction) {
        if (redaction.hidesRecord) {
          if (!ownersAnsweredAbsent.has(redaction.owner)) {
            ownersAnsweredAbsent.add(redaction.owner);
            const refusal = describeNoBasis(redaction.decision, redaction.owner, requester);
            errors.push({
              message: refusal.message,
              extensions: { ...refusal.extensions, code: refusal.code },
            });
          }
          return false;
        }
        object[key] = null;
        const refusal = refusalFor(redaction);
        errors.push({
          message: refusal.message,
          path: [...path, key],
          extensions: { ...refusal.extensions, code: refusal.code },
        });
        continue;
      }
      const value = object[key];
      if (value === null || value === undefined || typeof value !== 'object') continue;
      if (!definition || !selectionSet) continue;
      const restored = restoreValue(
        value,
        getNamedType(definition.type).name,
        selectionSet,
        [...path, key],
        definition.type,
      );
      object[key] = restored;
      // GraphQL's null propagation: a null where the schema says non-null makes the parent null.
      if (restored === null && isNonNullType(definition.type)) return false;
    }
    return true;
  }

  function restoreValue(
    value: unknown,
    staticType: string,
    set: SelectionSetNode,
    path: (string | number)[],
    type: GraphQLOutputType,
  ): unknown {
    const nullable = isNonNullType(type) ? type.ofType : type;
    if (Array.isArray(value)) {
      const itemType = isListType(nullable) ? nullable.ofType : nullable;
      const items = value.map((item, index) =>
        restoreValue(item, staticType, set, [...path, index], itemType),
      );
      return isNonNullType(itemType) && items.some((item) => item === null) ? null : items;
    }
    if (value === null || typeof value !== 'object') return value;
    return restoreObject(value as Record<string, unknown>, staticType, set, path) ? value : null;
  }

  const keep = restoreObject(data, walker.rootType(operation)!, operation.selectionSet, []);
  if (!keep) for (const key of Object.keys(data)) data[key] = null;
  return errors;
}
