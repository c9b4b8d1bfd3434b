import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  Kind,
  parse,
  type FieldNode,
  type InterfaceTypeDefinitionNode,
  type OperationDefinitionNode,
} from 'graphql';
import { ENTITY_INTERFACES } from '../../schema';
import { recordDocument, recordField } from '../../cli/documents';

// `accord record` shows every field of the record's kind: the contract (schema/contract.graphql) is read
// here on its own, so a field added to the contract and not to the record view fails this test.

const contract = parse(readFileSync(join(__dirname, '..', '..', 'schema', 'contract.graphql'), 'utf8'));

function contractFields(kind: string): string[] {
  const definition = contract.definitions.find(
    (d): d is InterfaceTypeDefinitionNode =>
      d.kind === Kind.INTERFACE_TYPE_DEFINITION && d.name.value === kind,
  );
  expect(definition).toBeDefined();
  // A field with arguments (biometricMatch(templateHash:)) answers a question; it is not part of a record's view.
  return (definition!.fields ?? [])
    .filter((field) => (field.arguments ?? []).length === 0)
    .map((field) => field.name.value);
}

describe('the record documents of accord', () => {
  it.each(ENTITY_INTERFACES.map((kind) => [kind]))(
    '%s: selects every field of the contract without arguments',
    (kind) => {
      const operation = parse(recordDocument(kind)).definitions[0] as OperationDefinitionNode;
      const root = operation.selectionSet.selections[0] as FieldNode;
      expect(root.name.value).toBe(recordField(kind));
      const selected = root.selectionSet!.selections.map((selection) => (selection as FieldNode).name.value);
      expect([...selected].sort()).toEqual(contractFields(kind).sort());
    },
  );
});
