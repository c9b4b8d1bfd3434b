import {
  BREAK,
  visit,
  getNamedType,
  isAbstractType,
  isObjectType,
  Kind,
  type DocumentNode,
  type FieldNode,
  type GraphQLField,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from 'graphql';
import { FieldCollector } from './selections';
import { KeptWithDocument } from './rewriteMemo';
import type { CoercedVariables } from './variables';

/**
 * The one way the gateway walks an answer along a document (gateway/pipeline.ts): which fields of the
 * document apply to an object of the answer, with the document's fragments resolved once and
 * `@skip`/`@include` evaluated with the request's coerced variables (gateway/selections.ts), and what each
 * field is in the schema. Every restore that walks the answer along a document walks it with one of these.
 *
 * An object's type is its `__typename` where the answer carries one (every abstract position does:
 * gateway/typenames.ts), and otherwise the type the schema gives its position.
 */

/** One field of the document that applies to an object of the answer, by response key. */
export interface AnswerField {
  /** The response key: the alias, or the field's name. */
  readonly key: string;
  /** The field's name in the schema. */
  readonly name: string;
  /** Every selection of the field under this key (the same field may be selected more than once). */
  readonly nodes: readonly FieldNode[];
  /** The field in the schema, when the object's type is one with fields and has it. */
  readonly definition: GraphQLField<unknown, unknown> | undefined;
  /** The selections below the field, merged over `nodes`; undefined for a leaf (nothing selected below). */
  readonly selectionSet: SelectionSetNode | undefined;
}

/** One object of the answer, at its place, with the fields of the document that apply to it. */
export interface AnswerObject {
  readonly object: Record<string, unknown>;
  /** The object's concrete type (its `__typename`), or its position's type when it carries none. */
  readonly typename: string;
  readonly fields: readonly AnswerField[];
  /** Its place in the answer: response keys and list positions (`[]` for the root). */
  readonly path: readonly (string | number)[];
}

/** What a walk does at each object and field (AnswerWalker.walk). */
export interface AnswerVisitor {
  /** Before the object's fields are walked; `false` leaves them unwalked. */
  object?(visit: AnswerObject): boolean | void;
  /** Before the field's value is walked into; `false`: it is not. */
  field?(visit: AnswerObject, field: AnswerField): boolean | void;
}

/** Per selection set, per type name: the fields that apply. */
type Collected = Map<SelectionSetNode, Map<string, readonly AnswerField[]>>;

/** The fields collected along a document whose selections are all unconditional, kept with it. */
const keptCollected = new KeptWithDocument<Collected>(() => new Map());
const unconditionalDocuments = new WeakMap<DocumentNode, boolean>();

/** How many (selection set, type) entries are kept with a document along the schema: for tests. */
export function keptEntriesOf(schema: GraphQLSchema, document: DocumentNode): number {
  let count = 0;
  for (const byType of keptCollected.peek(schema, document)?.values() ?? []) count += byType.size;
  return count;
}

/** Whether no selection of the document carries a directive: what applies then depends on no variable. */
function unconditional(document: DocumentNode): boolean {
  let known = unconditionalDocuments.get(document);
  if (known === undefined) {
    known = true;
    visit(document, {
      enter(node) {
        if (
          (node.kind === Kind.FIELD ||
            node.kind === Kind.INLINE_FRAGMENT ||
            node.kind === Kind.FRAGMENT_SPREAD) &&
          node.directives?.length
        ) {
          known = false;
          return BREAK;
        }
        return undefined;
      },
    });
    unconditionalDocuments.set(document, known);
  }
  return known;
}

export class AnswerWalker {
  private readonly collector: FieldCollector;
  /**
   * The fields of a selection set for a type, collected once: an answer holds many objects of one type at
   * one place (a list's items), and every walk along this document asks again. Where no selection of the
   * document is conditional (`@skip`, `@include`: no directive at all), they do not depend on the
   * variables, and are collected once for the document and kept with it, for every request that walks
   * along it (the rewritten documents are kept across requests: gateway/rewriteMemo.ts); otherwise once
   * per walker, for this request's variables.
   */
  private readonly collected: Collected;

  /** `document`: the document the answer is walked along (its fragments are resolved here, once). */
  constructor(
    readonly schema: GraphQLSchema,
    readonly document: DocumentNode,
    variables: CoercedVariables,
  ) {
    this.collector = new FieldCollector(schema, document, variables);
    this.collected = unconditional(document) ? keptCollected.of(schema, document) : (new Map() as Collected);
  }

  /** The root type's name of an operation of the document (`Query`). */
  rootType(operation: OperationDefinitionNode): string | undefined {
    return this.schema.getRootType(operation.operation)?.name;
  }

  /** The type of an object at a position whose type is `staticType`. */
  typenameOf(object: Record<string, unknown>, staticType: string): string {
    return typeof object['__typename'] === 'string' ? object['__typename'] : staticType;
  }

  /** The fields of `set` that apply to an object of type `typename`, in the order the document gives them. */
  fieldsOf(typename: string, set: SelectionSetNode): readonly AnswerField[] {
    let byType = this.collected.get(set);
    if (!byType) {
      byType = new Map();
      this.collected.set(set, byType);
    }
    let fields = byType.get(typename);
    if (!fields) {
      fields = this.collect(typename, set);
      // Only the schema's types are kept: a `__typename` is text from a member's answer, and one that names
      // no type must not grow what is kept with the document (a member could send a new one every call).
      if (this.schema.getType(typename)) byType.set(typename, fields);
    }
    return fields;
  }

  private collect(typename: string, set: SelectionSetNode): readonly AnswerField[] {
    const type = this.schema.getType(typename);
    const fieldsOfType =
      type && (isObjectType(type) || isAbstractType(type)) && 'getFields' in type
        ? type.getFields()
        : undefined;
    const fields: AnswerField[] = [];
    for (const [key, nodes] of this.collector.collect(set, typename)) {
      const name = nodes[0]!.name.value;
      const selections = nodes.flatMap((n) => n.selectionSet?.selections ?? []);
      fields.push({
        key,
        name,
        nodes,
        definition: fieldsOfType?.[name],
        selectionSet: selections.length > 0 ? { kind: Kind.SELECTION_SET, selections } : undefined,
      });
    }
    return fields;
  }

  /** One object of the answer, at a position of type `staticType` selected by `set`. */
  objectAt(
    object: Record<string, unknown>,
    staticType: string,
    set: SelectionSetNode,
    path: readonly (string | number)[],
  ): AnswerObject {
    const typename = this.typenameOf(object, staticType);
    return { object, typename, fields: this.fieldsOf(typename, set), path };
  }

  /**
   * Every object of the answer along the operation, depth first, in the document's order of fields, list
   * items in order. `visitor.object` sees each object before its fields (`false` leaves them unwalked);
   * `visitor.field` sees each field before its value is walked into (`false`: not walked into). A field is
   * walked into when its value is an object or a list, the schema knows it, and something is selected
   * below it. The visitor may change an object's leaves (a key the gateway added is deleted this way).
   */
  walk(data: Record<string, unknown>, operation: OperationDefinitionNode, visitor: AnswerVisitor): void {
    const visitObject = (
      object: Record<string, unknown>,
      staticType: string,
      set: SelectionSetNode,
      path: readonly (string | number)[],
    ): void => {
      const visit = this.objectAt(object, staticType, set, path);
      if (visitor.object?.(visit) === false) return;
      for (const field of visit.fields) {
        if (visitor.field?.(visit, field) === false) continue;
        const value = object[field.key];
        if (value === null || typeof value !== 'object' || !field.definition || !field.selectionSet) continue;
        visitValue(value, getNamedType(field.definition.type).name, field.selectionSet, [...path, field.key]);
      }
    };
    const visitValue = (
      value: unknown,
      staticType: string,
      set: SelectionSetNode,
      path: readonly (string | number)[],
    ): void => {
      if (Array.isArray(value)) {
        value.forEach((item, index) => visitValue(item, staticType, set, [...path, index]));
      } else if (value !== null && typeof value === 'object') {
        visitObject(value as Record<string, unknown>, staticType, set, path);
      }
    };
    const root = this.rootType(operation);
    if (root) visitObject(data, root, operation.selectionSet, []);
  }
}
