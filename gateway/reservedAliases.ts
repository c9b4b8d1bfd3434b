import { GraphQLError, type ASTVisitor, type ValidationContext } from 'graphql';
import { ERROR_CODES } from '../schema';

/**
 * Refuses an alias that begins with `__` (issue 10, item 8). GraphQL reserves names beginning with `__`
 * for introspection, and the gateway reads `__typename` in every answer to tell whose record an object is
 * (gateway/redaction.ts, gateway/consultation.ts, gateway/typenames.ts): `__typename: modusOperandi` put
 * a case summary where the type name belongs, the record was taken for another type, answered as null,
 * and the gateway's and the owner's audit records disagreed. The analyst has every other name to choose.
 */
export function reservedAliasRule(context: ValidationContext): ASTVisitor {
  return {
    Field(node) {
      const alias = node.alias?.value;
      if (alias === undefined || !alias.startsWith('__')) return;
      context.reportError(
        new GraphQLError(
          `The alias "${alias}" is refused: names that begin with "__" are reserved by GraphQL; choose an alias without the leading underscores.`,
          {
            nodes: [node.alias!],
            extensions: { code: ERROR_CODES.GRAPHQL_VALIDATION_FAILED },
          },
        ),
      );
    },
  };
}
